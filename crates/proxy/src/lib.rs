//! tss-proxy: the only part of tss-console that talks to fiskaly.
//!
//! The SPA calls this server's JSON API under `/api`; the server also serves the built SPA itself,
//! with every other path falling back to `index.html` so that deep links such as `/stores` load the
//! app. It alone holds the fiskaly API secret and every TSS's admin PUK and PIN.
//!
//! Flow: route ([`routes`]) → operation ([`operations`]) → fiskaly client ([`fiskaly`]), with
//! what fiskaly answers kept in [`storage`]. [`app`] builds the whole router so that tests drive
//! it without a socket; [`startup`] wires a proxy from its [`config::Config`].

mod actions;
pub mod auth;
mod change;
pub mod config;
pub mod demo;
pub mod erp_import;
mod error;
mod extract;
pub mod fiskaly;
pub mod live;
pub mod operations;
pub mod replica;
pub mod report_csv;
mod routes;
mod same_origin;
pub mod schedule;
mod security_headers;
pub mod settings;
mod spa;
pub mod startup;
pub mod storage;
pub mod users_command;
pub mod watch;
pub mod webhooks;

use std::path::PathBuf;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

use fiskaly::FiskalyConnection;
use operations::Operations;
use storage::Storage;

/// What every request handler may reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub storage: Storage,
    /// The current fiskaly connection.
    pub fiskaly: FiskalyConnection,
    /// The staff's actions.
    pub operations: Operations,
    /// The folder of the built SPA (Trunk's `dist/`).
    pub dist: PathBuf,
    /// How logins and sessions behave.
    pub auth: auth::AuthSettings,
}

impl AppState {
    /// The state of a proxy on `storage` talking to the fiskaly at `target` (fiskaly itself or
    /// a simulator, as `backend` says), retrying as `policy` says; the one assembly the proxy,
    /// its tests and its benches share.
    pub fn talking_to(
        storage: Storage,
        target: settings::FiskalyTarget,
        backend: tss_model::Backend,
        policy: fiskaly::RetryPolicy,
        dist: PathBuf,
    ) -> AppState {
        let client = fiskaly::FiskalyClient::new(
            reqwest::Client::new(),
            &target.base_url,
            target.credentials,
            policy,
        );
        AppState::new(storage, FiskalyConnection::new(client, backend), dist)
    }

    /// The state for a proxy on `storage` talking through `fiskaly`.
    pub fn new(storage: Storage, fiskaly: FiskalyConnection, dist: PathBuf) -> AppState {
        let operations = Operations::new(storage.patient(), fiskaly.clone());
        AppState {
            storage,
            fiskaly,
            operations,
            dist,
            auth: auth::AuthSettings::default(),
        }
    }
}

/// The whole HTTP application: the JSON API under `/api` and the SPA everywhere else.
pub fn app(state: AppState) -> Router {
    let security = security_headers::SecurityHeaders::for_dist(&state.dist);
    Router::new()
        .nest("/api", routes::api(&state))
        .route("/api/", axum::routing::any(routes::no_such_endpoint))
        .fallback_service(spa::service(&state.dist))
        .layer(axum::middleware::map_response(move |response| {
            let security = security.clone();
            async move { security.apply(response) }
        }))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
