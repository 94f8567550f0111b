//! The check in front of every API route: a live session whose role [`super::policy`] allows. A
//! change refused for the role gets its audit row here, as the handler never runs.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::policy::{access, Access};
use super::SessionCookie;
use crate::routes::audit::AskedChange;
use crate::{AppError, AppState};

/// The middleware: public routes pass; others need a session (401) with the role (403). The
/// caller's [`tss_model::Session`] is handed to the handler.
pub async fn require_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let Access::AtLeast(needed) = access(request.method(), path.as_deref()) else {
        return next.run(request).await;
    };
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
        let asked = AskedChange::of(&mut parts, &session.username).await;
        return AskedChange::refused(asked, &state.storage, refusal)
            .await
            .into_response();
    }
    request.extensions_mut().insert(session);
    next.run(request).await
}
