//! The audit log: `GET /api/audit` with filters and paging, and the recording of the changes that
//! routes make themselves (stores, terminals, settings, users; operations record their own
//! outcome, refusals included) and of requests refused before their handler ran.

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, State};
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::{AuditEvent, AuditFilter};

use crate::auth::accounts::is_valid_username;
use crate::extract::ApiQuery;
use crate::storage::{AuditQuery, Failure, Outcome, Storage};
use crate::{AppError, AppState};
use tss_model::AuditAction;

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
    fn about(self, actor: &'a str, action: AuditAction, tss_id: Option<&'a str>) -> Outcome<'a> {
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

/// Appends the audit row for a change `actor` made through a route, then hands the result on.
pub async fn audited<T>(
    state: &AppState,
    actor: &str,
    action: AuditAction,
    subject: Subject<'_>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let failure = result.as_ref().err().map(Failure::from);
    state
        .storage
        .record_outcome(subject.about(actor, action, None), failure.as_ref())
        .await?;
    result
}

/// A request for a change, as its audit row names it, read from the request itself: for a
/// refusal before its handler ran (the role gate, an unreadable path or body), which no handler
/// or operation records.
#[derive(Debug, Clone)]
pub struct AskedChange {
    action: AuditAction,
    actor: String,
    store_id: Option<i64>,
    tss_id: Option<String>,
    terminal_id: Option<i64>,
    account: Option<String>,
}

impl AskedChange {
    /// The change a request by `actor` asks for, with what its path names; `None` for a request
    /// that changes nothing or whose handler records it (log in and out).
    pub async fn of(parts: &mut Parts, actor: &str) -> Option<AskedChange> {
        let path = parts.extensions.get::<MatchedPath>()?.as_str().to_owned();
        let action = crate::actions::of_route(&parts.method, &path)?;
        let mut asked = AskedChange {
            action,
            actor: actor.to_owned(),
            store_id: None,
            tss_id: None,
            terminal_id: None,
            account: None,
        };
        if let Ok(params) = RawPathParams::from_request_parts(parts, &()).await {
            for (name, value) in &params {
                asked.name(&path, name, value);
            }
        }
        Some(asked)
    }

    /// Takes the path parameter `name` (`id` of a store or terminal, `tss_id`, `username`).
    fn name(&mut self, path: &str, name: &str, value: &str) {
        match name {
            "id" if path.contains("/terminals/") => self.terminal_id = value.parse().ok(),
            "id" => self.store_id = value.parse().ok(),
            "tss_id" => self.tss_id = Some(value.to_lowercase()),
            "username" => self.account = is_valid_username(value).then(|| value.to_owned()),
            _ => {}
        }
    }

    /// Appends the audit row of `asked`, if the request asked for a change, refused with
    /// `error`, and hands the error on (a failed write instead: no refusal goes unrecorded).
    pub async fn refused(
        asked: Option<AskedChange>,
        storage: &Storage,
        error: AppError,
    ) -> AppError {
        match asked {
            Some(asked) => asked.record_refusal(storage, error).await,
            None => error,
        }
    }

    async fn record_refusal(self, storage: &Storage, error: AppError) -> AppError {
        let subject = Subject {
            store_id: self.store_id,
            terminal_id: self.terminal_id,
            account: self.account.as_deref(),
        };
        let event = subject.about(&self.actor, self.action, self.tss_id.as_deref());
        match storage
            .record_outcome(event, Some(&Failure::from(&error)))
            .await
        {
            Ok(()) => error,
            Err(write) => AppError::Storage(write),
        }
    }
}
