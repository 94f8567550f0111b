//! `GET /api/health`: is the proxy up.

use axum::routing::get;
use axum::{Json, Router};
use tss_model::Health;

use crate::AppState;

/// The health route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}
