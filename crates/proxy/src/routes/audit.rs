//! The audit log: `GET /api/audit` with filters and paging, for administrators. Its rows are
//! written by [`crate::change::Change`] and by the operations.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::{AuditEvent, AuditFilter, Role};

use crate::auth::Gate;
use crate::extract::ApiQuery;
use crate::{AppError, AppState};

/// The audit route.
pub fn routes(gate: &Gate) -> Router<AppState> {
    gate.allow(Role::Admin, Router::new().route("/audit", get(list)))
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    if !(1..=AuditFilter::MAX_PAGE).contains(&filter.page_size()) {
        let message = format!("limit must be between 1 and {}.", AuditFilter::MAX_PAGE);
        return Err(AppError::Validation(message));
    }
    Ok(Json(state.storage.audit_events(&filter).await?))
}
