//! The check in front of every API route group: a live session whose role includes the one the
//! group needs. Each routes module puts its groups behind [`Gate::allow`], so that who may do
//! what is written where the routes are. A change refused for the role gets its audit row here,
//! as the handler never runs.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tss_model::Role;

use super::SessionCookie;
use crate::change::Change;
use crate::{AppError, AppState};

/// Puts route groups behind the session and role check.
#[derive(Debug, Clone)]
pub struct Gate {
    state: AppState,
}

impl Gate {
    /// The gate of the proxy with `state`.
    pub fn new(state: &AppState) -> Gate {
        Gate {
            state: state.clone(),
        }
    }

    /// `routes`, each answering only a session whose role includes `needed` (401 without a
    /// session, 403 for a smaller role); the caller's [`tss_model::Session`] is handed to the
    /// handler.
    pub fn allow(&self, needed: Role, routes: Router<AppState>) -> Router<AppState> {
        routes.route_layer(axum::middleware::from_fn_with_state(
            (self.state.clone(), needed),
            require_role,
        ))
    }

    /// `reads` for every logged-in user, `changes` for operators (and administrators): the
    /// rule of the stores, terminals and their clients.
    pub fn read_and_operate(
        &self,
        reads: Router<AppState>,
        changes: Router<AppState>,
    ) -> Router<AppState> {
        self.allow(Role::Viewer, reads)
            .merge(self.allow(Role::Operator, changes))
    }
}

async fn require_role(
    State((state, needed)): State<(AppState, Role)>,
    mut request: Request,
    next: Next,
) -> Response {
    let idle = state.auth.idle_timeout.as_secs() as i64;
    let session = match SessionCookie::token(request.headers()) {
        Some(token) => match state.storage.session(&token, idle).await {
            Ok(session) => session,
            Err(error) => return AppError::Storage(error).into_response(),
        },
        None => None,
    };
    let Some(session) = session else {
        return AppError::Unauthenticated(
            "You are not logged in, or your session ended after a while without use. Please log in."
                .into(),
        )
        .into_response();
    };
    if !session.role.includes(needed) {
        let refusal = AppError::Forbidden(format!(
            "Your role ({}) may not do this; it needs the {} role. Ask an administrator.",
            session.role.as_str(),
            needed.as_str()
        ));
        let (mut parts, _) = request.into_parts();
        let asked = Change::asked(&mut parts, &session.username).await;
        return Change::refused(asked, &state.storage, refusal)
            .await
            .into_response();
    }
    request.extensions_mut().insert(session);
    next.run(request).await
}
