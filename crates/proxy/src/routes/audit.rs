//! The audit log: `GET /api/audit` with filters and paging, and the recording of the changes that
//! routes make themselves (stores, terminals, settings; operations record their own outcome).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::{AuditEvent, AuditFilter};

use crate::extract::ApiQuery;
use crate::storage::{AuditQuery, Outcome};
use crate::{AppError, AppState};

/// The audit route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(filters): ApiQuery<AuditFilter>,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    let limit = filters.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::Validation(
            "limit must be between 1 and 500.".into(),
        ));
    }
    let query = AuditQuery {
        action: filters.action,
        store_id: filters.store_id,
        tss_id: filters.tss_id,
        terminal_id: filters.terminal_id,
        result: filters.result,
        actor: filters.actor,
        before_id: filters.before_id,
        limit,
    };
    Ok(Json(state.storage.audit_events(&query).await?))
}

/// What a route changed, for its audit row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// The store.
    pub store_id: Option<i64>,
    /// The terminal.
    pub terminal_id: Option<i64>,
    /// The user account.
    pub account: Option<&'a str>,
}

impl<'a> Subject<'a> {
    /// The audit event for `action` by `actor` on this subject (and `tss_id`).
    fn about(self, actor: &'a str, action: &'a str, tss_id: Option<&'a str>) -> Outcome<'a> {
        Outcome {
            action,
            store_id: self.store_id,
            tss_id,
            terminal_id: self.terminal_id,
            account: self.account,
            actor,
            fiskaly_request_id: None,
        }
    }
}

/// Records an operation request refused before the operation started (not found, not confirmed,
/// not allowed in the state, already running); an operation that started records its own outcome.
pub async fn refusal_audited<T>(
    state: &AppState,
    actor: &str,
    action: &str,
    tss_id: Option<&str>,
    subject: Subject<'_>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    use crate::operations::OperationError as E;
    if let Err(AppError::Operation(
        error @ (E::NotFound(_)
        | E::ConfirmationRequired(_)
        | E::Conflict(_)
        | E::AlreadyRunning(_)),
    )) = &result
    {
        let message = error.to_string();
        state
            .storage
            .record_outcome(subject.about(actor, action, tss_id), Some(&message))
            .await?;
    }
    result
}

/// Appends the audit row for a change `actor` made through a route, then hands the result on.
pub async fn audited<T>(
    state: &AppState,
    actor: &str,
    action: &str,
    subject: Subject<'_>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let error = result.as_ref().err().map(ToString::to_string);
    state
        .storage
        .record_outcome(subject.about(actor, action, None), error.as_deref())
        .await?;
    result
}
