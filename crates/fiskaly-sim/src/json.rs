//! Request bodies read the way fiskaly reads them: over 1 MB is 413, anything that does not fit the
//! schema is 400 `E_FAILED_SCHEMA_VALIDATION`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::FiskalyError;

/// The largest request body fiskaly accepts.
pub const MAX_BODY_BYTES: usize = 1_000_000;

/// A JSON body that failed the way fiskaly fails.
pub struct FiskalyJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FiskalyJson<T> {
    type Rejection = FiskalyError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status().as_u16() == 413 {
                    FiskalyError::new(
                        413,
                        "E_PAYLOAD_TOO_LARGE",
                        format!("request bodies may hold at most {MAX_BODY_BYTES} bytes"),
                    )
                } else {
                    FiskalyError::schema(rejection.body_text())
                }
            })?;
        let bytes = if bytes.is_empty() {
            Bytes::from_static(b"{}")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes)
            .map(FiskalyJson)
            .map_err(|e| FiskalyError::schema(format!("request body: {e}")))
    }
}
