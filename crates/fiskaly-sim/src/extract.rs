//! What handlers pull out of a request before they act: the caller's token, the host check, IDs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::{FiskalyError, SimResult};
use crate::state::SimState;

/// The caller's valid access token (`Authorization: Bearer …`); 401 otherwise.
pub struct Caller(pub String);

impl FromRequestParts<SimState> for Caller {
    type Rejection = FiskalyError;

    async fn from_request_parts(parts: &mut Parts, state: &SimState) -> SimResult<Self> {
        let token = parts
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| FiskalyError::unauthorized("missing bearer token"))?
            .trim()
            .to_owned();
        state.world().tokens.check_access(&token)?;
        Ok(Caller(token))
    }
}

/// Passes only on the middleware host; the other host answers 432 `E_USE_MIDDLEWARE`.
pub struct OnMiddleware;

impl FromRequestParts<SimState> for OnMiddleware {
    type Rejection = FiskalyError;

    async fn from_request_parts(_: &mut Parts, state: &SimState) -> SimResult<Self> {
        if state.config.middleware {
            Ok(OnMiddleware)
        } else {
            Err(FiskalyError::new(
                432,
                "E_USE_MIDDLEWARE",
                "this call must go to https://kassensichv-middleware.fiskaly.com",
            ))
        }
    }
}

/// Parses a TSS or client ID from the path; fiskaly takes any case and answers in lower case.
pub fn parse_id(raw: &str) -> SimResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| FiskalyError::schema(format!("{raw:?} is not a UUID")))
}
