//! The simulator's HTTP surface: fiskaly's API under `/api/v2`, the control API under `/_sim`.

mod admin;
mod auth;
mod client;
mod control;
mod tss;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::Router;
use uuid::Uuid;

use crate::error::FiskalyError;
use crate::faults::observe;
use crate::json::MAX_BODY_BYTES;
use crate::state::SimState;

/// The whole simulator as a router.
pub fn app(state: SimState) -> Router {
    let api = Router::new()
        .route("/auth", post(auth::auth))
        .route("/tss", get(tss::list))
        .route(
            "/tss/{tss_id}",
            get(tss::read).put(tss::create).patch(tss::change),
        )
        .route(
            "/tss/{tss_id}/metadata",
            get(tss::read_metadata).patch(tss::change_metadata),
        )
        .route("/tss/{tss_id}/admin", patch(admin::change_pin))
        .route("/tss/{tss_id}/admin/auth", post(admin::log_in))
        .route("/tss/{tss_id}/admin/logout", post(admin::log_out))
        .route("/tss/{tss_id}/client", get(client::list_of_tss))
        .route(
            "/tss/{tss_id}/client/{client_id}",
            get(client::read).put(client::create).patch(client::change),
        )
        .route("/client", get(client::list_all))
        .layer(from_fn_with_state(state.clone(), observe));
    let mut app = Router::new().nest("/api/v2", api);
    if state.config.control {
        app = app.nest("/_sim", control::routes());
    }
    app.fallback(|| async { FiskalyError::new(404, "E_NOT_FOUND", "no such endpoint") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(add_request_id))
        .with_state(state)
}

/// Every answer carries a `request-id` header, as fiskaly's do.
async fn add_request_id(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&Uuid::new_v4().to_string()) {
        response.headers_mut().insert("request-id", value);
    }
    response
}
