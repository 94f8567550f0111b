//! `GET /api/health`: is the proxy up, and does it talk to fiskaly or the simulator.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::Health;

use crate::AppState;

/// The health route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: state.fiskaly.backend(),
    })
}
