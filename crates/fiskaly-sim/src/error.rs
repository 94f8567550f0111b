//! fiskaly's error answer: `{"status_code", "error", "code", "message"}` with an HTTP status.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error as fiskaly answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiskalyError {
    /// The HTTP status (fiskaly also uses 423, 432 and 444).
    pub status: u16,
    /// fiskaly's error code, e.g. `E_TSS_NOT_FOUND`.
    pub code: String,
    /// A human-readable explanation.
    pub message: String,
    /// Seconds to wait before retrying, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl FiskalyError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        FiskalyError {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `E_FAILED_SCHEMA_VALIDATION`: the body or query does not fit the schema.
    pub fn schema(message: impl Into<String>) -> Self {
        FiskalyError::new(400, "E_FAILED_SCHEMA_VALIDATION", message)
    }

    /// 401 `E_UNAUTHORIZED`: no, a bad or an expired bearer token, or wrong API credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        FiskalyError::new(401, "E_UNAUTHORIZED", message)
    }

    /// 401 `E_ADMIN_NOT_AUTHENTICATED`: the call needs an admin login to this TSS first.
    pub fn admin_required() -> Self {
        FiskalyError::new(
            401,
            "E_ADMIN_NOT_AUTHENTICATED",
            "this operation requires an admin login to the TSS (POST /tss/{tss_id}/admin/auth)",
        )
    }

    /// 404 `E_TSS_NOT_FOUND`.
    pub fn tss_not_found(tss_id: impl std::fmt::Display) -> Self {
        FiskalyError::new(404, "E_TSS_NOT_FOUND", format!("TSS {tss_id} not found"))
    }

    /// 404 `E_CLIENT_NOT_FOUND`.
    pub fn client_not_found(client_id: impl std::fmt::Display) -> Self {
        FiskalyError::new(
            404,
            "E_CLIENT_NOT_FOUND",
            format!("client {client_id} not found"),
        )
    }

    /// The phrase for the status, as in the body's `error` field.
    fn reason(&self) -> &'static str {
        match self.status {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            413 => "Payload Too Large",
            423 => "Locked",
            429 => "Too Many Requests",
            432 => "Use Middleware",
            444 => "Pending Request",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Error",
        }
    }
}

impl IntoResponse for FiskalyError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({
            "status_code": self.status,
            "error": self.reason(),
            "code": self.code,
            "message": self.message,
        });
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
        }
        response
    }
}

/// What a simulated endpoint answers.
pub type SimResult<T> = Result<T, FiskalyError>;
