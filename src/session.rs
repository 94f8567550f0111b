//! Who is using the app: the session the proxy reports, shared through context. The proxy checks
//! every role itself; the app only hides or disables what the role may not do, and shows the
//! login page when there is no session (or it ended).

use leptos::prelude::*;
use tss_model::{ApiError, ErrorCode, Role, Session};

/// Where the session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatus {
    /// Asking the proxy.
    Checking,
    /// Nobody is logged in (or the session ended).
    LoggedOut,
    /// Somebody is.
    LoggedIn(Session),
}

/// The current session, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct CurrentSession(RwSignal<SessionStatus>);

impl CurrentSession {
    /// Where the session stands (tracked).
    pub fn status(self) -> SessionStatus {
        self.0.get()
    }

    /// The logged-in user, if any (tracked).
    pub fn user(self) -> Option<Session> {
        match self.0.get() {
            SessionStatus::LoggedIn(session) => Some(session),
            _ => None,
        }
    }

    /// Whether the logged-in user's role includes `needed` (tracked).
    pub fn may(self, needed: Role) -> bool {
        self.user().is_some_and(|s| s.role.includes(needed))
    }

    /// Sets the new status.
    pub fn set(self, status: SessionStatus) {
        self.0.set(status);
    }

    /// Shows the login page if `error` says the session ended.
    pub fn notice(self, error: &ApiError) {
        if error.error.code == ErrorCode::Unauthenticated {
            self.0.set(SessionStatus::LoggedOut);
        }
    }
}

/// Puts a [`CurrentSession`] with `status` into context and returns it.
pub fn provide_session(status: SessionStatus) -> CurrentSession {
    let session = CurrentSession(RwSignal::new(status));
    provide_context(session);
    session
}

/// The [`CurrentSession`] from context; logged out when there is none.
pub fn use_session() -> CurrentSession {
    use_context::<CurrentSession>().unwrap_or_else(|| provide_session(SessionStatus::LoggedOut))
}

/// The role's name for staff.
pub fn role_text(role: Role) -> crate::i18n::Text {
    use crate::i18n::Text;
    match role {
        Role::Viewer => Text::RoleViewer,
        Role::Operator => Text::RoleOperator,
        Role::Admin => Text::RoleAdmin,
    }
}
