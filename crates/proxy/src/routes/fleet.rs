//! The fleet overview: `GET /api/fleet`, what the Store List's summary bar shows.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::{FleetOverview, Role};

use crate::auth::Gate;
use crate::{AppError, AppState};

/// The overview route: everybody logged in reads it.
pub fn routes(gate: &Gate) -> Router<AppState> {
    gate.allow(Role::Viewer, Router::new().route("/fleet", get(overview)))
}

async fn overview(State(state): State<AppState>) -> Result<Json<FleetOverview>, AppError> {
    Ok(Json(state.storage.fleet_overview().await?))
}
