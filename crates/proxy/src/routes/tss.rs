//! One TSS: Initial TSS, Replace TSS and Disable TSS.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use tss_model::{Confirmation, ReplaceTssRequest, Role, TssEntry};

use crate::auth::{Caller, Gate};
use crate::change::Change;
use crate::extract::{ApiJson, ApiPath};
use crate::{AppError, AppState};

/// The TSS routes: operators initialise and replace; only administrators disable (it cannot be
/// undone), also as part of a replacement.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let initialize = Router::new()
        .route("/tss/{tss_id}/initialize", post(initialize))
        .route("/tss/{tss_id}/replace", post(replace));
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

/// Replace TSS: 202 with the new TSS's entry once fiskaly has created it; the rest continues in
/// the background. Disabling the old TSS on the way (`"disable_old": true`) is for
/// administrators only, as Disable TSS is.
async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    change: Change,
    ApiPath(tss_id): ApiPath<String>,
    ApiJson(request): ApiJson<ReplaceTssRequest>,
) -> Result<(StatusCode, Json<TssEntry>), AppError> {
    if request.disable_old && !caller.0.role.includes(Role::Admin) {
        let refusal = AppError::Forbidden(
            "Only administrators may disable a TSS, also when it is replaced.".into(),
        );
        return Err(Change::refused(Some(change), &state.storage, refusal).await);
    }
    let started = state
        .operations
        .replace_tss(&tss_id, &request, caller.name())
        .await?;
    Ok((StatusCode::ACCEPTED, Json(started.entry)))
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
