//! tss-proxy: the only part of tss-console that talks to fiskaly.
//!
//! The SPA calls this server's JSON API under `/api`; the server also serves the built SPA itself,
//! with every other path falling back to `index.html` so that deep links such as `/stores` load the
//! app. [`app`] builds the whole router so that tests drive it without a socket.

pub mod config;
mod error;
mod routes;
mod spa;

use std::path::PathBuf;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

/// What every request handler may reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The folder of the built SPA (Trunk's `dist/`).
    pub dist: PathBuf,
}

/// The whole HTTP application: the JSON API under `/api` and the SPA everywhere else.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", routes::api())
        .fallback_service(spa::service(&state.dist))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
