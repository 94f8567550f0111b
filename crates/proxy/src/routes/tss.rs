//! One TSS: Initial TSS and Disable TSS.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use tss_model::{Confirmation, Role, TssEntry};

use crate::auth::{Caller, Gate};
use crate::extract::{ApiJson, ApiPath};
use crate::{AppError, AppState};

/// The TSS routes: operators initialise; only administrators disable (it cannot be undone).
pub fn routes(gate: &Gate) -> Router<AppState> {
    let initialize = Router::new().route("/tss/{tss_id}/initialize", post(initialize));
    let disable = Router::new().route("/tss/{tss_id}/disable", post(disable));
    gate.allow(Role::Operator, initialize)
        .merge(gate.allow(Role::Admin, disable))
}

/// Initial TSS: 202; the setup continues in the background. The operation records its outcome,
/// a refusal too.
async fn initialize(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(tss_id): ApiPath<String>,
) -> Result<(StatusCode, Json<TssEntry>), AppError> {
    let entry = state
        .operations
        .initialize_tss(&tss_id.to_lowercase(), caller.name())
        .await?;
    Ok((StatusCode::ACCEPTED, Json(entry)))
}

/// Disable TSS: needs `{"confirm": true}`; answers once the TSS is disabled. The operation
/// records its outcome, a refusal too.
async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(tss_id): ApiPath<String>,
    ApiJson(confirmation): ApiJson<Confirmation>,
) -> Result<Json<TssEntry>, AppError> {
    let entry = state
        .operations
        .disable_tss(&tss_id.to_lowercase(), confirmation.confirm, caller.name())
        .await?;
    Ok(Json(entry))
}
