//! The logged-in user of a request, as a handler argument.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tss_model::Session;

use crate::AppError;

/// Who made the request; put in place by [`super::require_session`].
#[derive(Debug, Clone)]
pub struct Caller(pub Session);

impl Caller {
    /// The user name, for the audit log.
    pub fn name(&self) -> &str {
        &self.0.username
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| AppError::Unauthenticated("Please log in first.".into()))
    }
}
