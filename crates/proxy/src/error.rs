//! The proxy's one error type and how it becomes the API's JSON error answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tss_model::{ApiError, ErrorCode};

/// Every way an API request can fail; each variant knows its status and its message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No API endpoint at this path.
    #[error("There is no API endpoint at {0}.")]
    NoSuchEndpoint(String),
}

impl AppError {
    fn code(&self) -> ErrorCode {
        match self {
            AppError::NoSuchEndpoint(_) => ErrorCode::NotFound,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ApiError::new(code, self.to_string()))).into_response()
    }
}
