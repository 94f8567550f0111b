//! The Alerts page's API: `GET /api/alerts?status=open|acknowledged|resolved` for everybody,
//! `POST /api/alerts/{id}/acknowledge` for operators (audited).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use tss_model::{Alert, AlertQuery};

use crate::auth::{Caller, Gate};
use crate::change::Change;
use crate::extract::{ApiPath, ApiQuery};
use crate::storage::unix_now;
use crate::{AppError, AppState};

/// The alert routes: everybody reads, operators acknowledge.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let reads = Router::new().route("/alerts", get(list));
    let changes = Router::new().route("/alerts/{id}/acknowledge", post(acknowledge));
    gate.read_and_operate(reads, changes)
}

/// The alerts of the status asked for (open when not), newest first.
async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AlertQuery>,
) -> Result<Json<Vec<Alert>>, AppError> {
    Ok(Json(state.storage.alerts(query.status).await?))
}

/// Records who acknowledged the alert, and when; answers it.
async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    change: Change,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Alert>, AppError> {
    let result = state
        .storage
        .acknowledge_alert(id, caller.name(), unix_now())
        .await
        .map_err(AppError::from)
        .and_then(|alert| {
            alert.ok_or_else(|| AppError::NotFound(format!("There is no alert {id}.")))
        });
    let change = change.about_store(result.as_ref().ok().map(|a| a.store_id));
    change.record(&state.storage, result).await.map(Json)
}
