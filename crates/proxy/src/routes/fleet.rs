//! The fleet as a whole: `GET /api/fleet`, what the Store List's summary bar shows, and the
//! Refresh of every TSS (`GET /api/refresh` how it stands, `POST /api/refresh` starts one).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use tss_model::{FleetOverview, FleetRefresh};

use crate::auth::{Caller, Gate};
use crate::{AppError, AppState};

/// The fleet routes: everybody reads, operators start a refresh.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let reads = Router::new()
        .route("/fleet", get(overview))
        .route("/refresh", get(latest_refresh));
    let changes = Router::new().route("/refresh", post(refresh_every_tss));
    gate.read_and_operate(reads, changes)
}

async fn overview(State(state): State<AppState>) -> Result<Json<FleetOverview>, AppError> {
    Ok(Json(state.storage.fleet_overview().await?))
}

/// The running refresh of every TSS, or the last one; `null` before the first.
async fn latest_refresh(
    State(state): State<AppState>,
) -> Result<Json<Option<FleetRefresh>>, AppError> {
    Ok(Json(state.storage.latest_fleet_refresh().await?))
}

/// Starts a refresh of every TSS: 202 with its progress, which then shows in
/// `GET /api/refresh` and in the live updates; 409 `already_running` while one runs.
async fn refresh_every_tss(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<(StatusCode, Json<FleetRefresh>), AppError> {
    let run = state.operations.refresh_every_tss(caller.name()).await?;
    Ok((StatusCode::ACCEPTED, Json(run)))
}
