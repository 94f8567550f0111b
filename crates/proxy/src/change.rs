//! A change a request asks for, as its one audit row names it: the action (from the route, see
//! [`crate::actions`]), who asked, and what the path names. A handler takes it as an argument and
//! records its result with it; a request refused before its handler ran (the role gate, an
//! unreadable path or body) is recorded from it too. Operations record their own outcome.

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams};
use axum::http::request::Parts;
use tss_model::{AuditAction, Session};

use crate::auth::accounts::is_valid_username;
use crate::storage::{Failure, Outcome, Storage};
use crate::{AppError, AppState};

/// One change by one user, about to get its audit row.
#[derive(Debug, Clone)]
pub struct Change {
    action: AuditAction,
    actor: String,
    store_id: Option<i64>,
    tss_id: Option<String>,
    terminal_id: Option<i64>,
    account: Option<String>,
}

impl Change {
    /// A change `actor` makes that no route path describes (log in, log out).
    pub fn by(actor: &str, action: AuditAction) -> Change {
        Change {
            action,
            actor: actor.to_owned(),
            store_id: None,
            tss_id: None,
            terminal_id: None,
            account: None,
        }
    }

    /// The change a request by `actor` asks for, with what its path names; `None` for a request
    /// that changes nothing or whose handler records it (log in and out).
    pub async fn asked(parts: &mut Parts, actor: &str) -> Option<Change> {
        let path = parts.extensions.get::<MatchedPath>()?.as_str().to_owned();
        let mut change = Change::by(actor, crate::actions::of_route(&parts.method, &path)?);
        if let Ok(params) = RawPathParams::from_request_parts(parts, &()).await {
            for (name, value) in &params {
                change.take_path_parameter(&path, name, value);
            }
        }
        Some(change)
    }

    /// The change asked for by the logged-in caller of a request; `None` without a session.
    pub async fn asked_by_caller(parts: &mut Parts) -> Option<Change> {
        let actor = parts.extensions.get::<Session>()?.username.clone();
        Change::asked(parts, &actor).await
    }

    /// Takes the path parameter `name` (`id` of a store or terminal, `tss_id`, `username`).
    fn take_path_parameter(&mut self, path: &str, name: &str, value: &str) {
        match name {
            "id" if path.contains("/terminals/") => self.terminal_id = value.parse().ok(),
            "id" => self.store_id = value.parse().ok(),
            "tss_id" => self.tss_id = uuid::Uuid::parse_str(value).ok().map(|id| id.to_string()),
            "username" => self.account = is_valid_username(value).then(|| value.to_owned()),
            _ => {}
        }
    }

    /// The change is about this store (e.g. the one a new record belongs to).
    pub fn about_store(mut self, store_id: Option<i64>) -> Change {
        self.store_id = store_id.or(self.store_id);
        self
    }

    /// The change is about this terminal (e.g. the one it created).
    pub fn about_terminal(mut self, terminal_id: Option<i64>) -> Change {
        self.terminal_id = terminal_id.or(self.terminal_id);
        self
    }

    /// The change is about this user account; only a well-formed name is recorded.
    pub fn about_account(mut self, username: &str) -> Change {
        self.account = is_valid_username(username).then(|| username.to_owned());
        self
    }

    /// Appends the audit row for `result`, then hands it on (a failed write instead: no change
    /// goes unrecorded).
    pub async fn record<T>(
        self,
        storage: &Storage,
        result: Result<T, AppError>,
    ) -> Result<T, AppError> {
        let failure = result.as_ref().err().map(Failure::from);
        storage
            .record_outcome(self.outcome(), failure.as_ref())
            .await?;
        result
    }

    /// Appends the audit row of `change`, if the request asked for one, refused with `error`,
    /// and hands the error on (a failed write instead: no refusal goes unrecorded).
    pub async fn refused(change: Option<Change>, storage: &Storage, error: AppError) -> AppError {
        match change {
            Some(change) => match change.record::<()>(storage, Err(error)).await {
                Err(error) => error,
                Ok(()) => unreachable!("a refusal is recorded as one"),
            },
            None => error,
        }
    }

    fn outcome(&self) -> Outcome<'_> {
        Outcome {
            action: self.action,
            store_id: self.store_id,
            tss_id: self.tss_id.as_deref(),
            terminal_id: self.terminal_id,
            account: self.account.as_deref(),
            actor: &self.actor,
            fiskaly_request_id: None,
        }
    }
}

/// As a handler argument: the change the logged-in caller asks for on this route.
impl FromRequestParts<AppState> for Change {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.extensions.get::<Session>().is_none() {
            return Err(AppError::Unauthenticated("Please log in first.".into()));
        }
        Change::asked_by_caller(parts)
            .await
            .ok_or(AppError::Internal(
                "a handler records a change its route names no action for",
            ))
    }
}
