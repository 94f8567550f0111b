//! The proxy's one error type and how it becomes the API's JSON error answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tss_model::{ApiError, ErrorCode, FieldProblem};

use crate::operations::OperationError;
use crate::storage::Failure;

/// Every way an API request can fail; each variant knows its code and its message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No API endpoint at this path.
    #[error("There is no API endpoint at {0}.")]
    NoSuchEndpoint(String),
    /// The request is not well-formed JSON.
    #[error("{0}")]
    BadRequest(String),
    /// The endpoint does not take this HTTP method.
    #[error("This endpoint does not accept {0} requests.")]
    MethodNotAllowed(String),
    /// The body is larger than the API accepts.
    #[error("The request body is larger than {0} bytes.")]
    PayloadTooLarge(usize),
    /// A value is not acceptable; the message names the field.
    #[error("{0}")]
    Validation(String),
    /// One field of the request body is not acceptable (422), or another record has its value
    /// already (409).
    #[error("{message}")]
    Field {
        /// The field, by its JSON name.
        field: String,
        /// What is wrong with it.
        problem: FieldProblem,
        /// The English detail, naming the field.
        message: String,
    },
    /// No session, or it ended.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many failed logins; try again after this long.
    #[error("Too many failed logins. Wait {} seconds, then try again.", .0.as_secs().max(1))]
    TooManyAttempts(std::time::Duration),
    /// Refused: not from the console's own pages, or the role may not do it.
    #[error("{0}")]
    Forbidden(String),
    /// No such store, terminal or TSS.
    #[error("{0}")]
    NotFound(String),
    /// Not allowed as things stand (e.g. a store number already taken).
    #[error("{0}")]
    Conflict(String),
    /// An operation refused or failed.
    #[error(transparent)]
    Operation(#[from] OperationError),
    /// The database failed or cannot be reached; the details go to the log only.
    #[error("{}", storage_message(.0))]
    Storage(#[from] sqlx::Error),
    /// A fault in the proxy itself (what went wrong goes to the log only).
    #[error("The console could not handle this request. Try again; if it persists, see the proxy's log.")]
    Internal(&'static str),
}

/// What staff read when the database failed: unreachable (try again soon) or a fault.
fn storage_message(error: &sqlx::Error) -> &'static str {
    if crate::storage::is_unavailable(error) {
        "The console's database cannot be reached right now. Try again in a moment."
    } else {
        "The console could not read or save its data. Try again; if it persists, see the proxy's log."
    }
}

impl AppError {
    /// A field error: `problem` with `field`, described by `message`.
    pub fn field(
        field: impl Into<String>,
        problem: FieldProblem,
        message: impl Into<String>,
    ) -> AppError {
        AppError::Field {
            field: field.into(),
            problem,
            message: message.into(),
        }
    }

    /// The kind of failure, which decides the status; the audit log keeps it too.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NoSuchEndpoint(_) | AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            AppError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::TooManyAttempts(_) => ErrorCode::TooManyAttempts,
            AppError::Validation(_) => ErrorCode::Validation,
            AppError::Field {
                problem: FieldProblem::Taken,
                ..
            } => ErrorCode::Conflict,
            AppError::Field { .. } => ErrorCode::Validation,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::Storage(e) if crate::storage::is_unavailable(e) => {
                ErrorCode::StorageUnavailable
            }
            AppError::Storage(_) | AppError::Internal(_) => ErrorCode::Internal,
            AppError::Operation(error) => error.code(),
        }
    }

    /// The answer's body: the code and message, and the field with its problem for a field error.
    fn body(&self) -> ApiError {
        let (code, message) = (self.code(), self.to_string());
        match self {
            AppError::Field { field, problem, .. } => {
                ApiError::for_field(code, message, field.clone(), *problem)
            }
            _ => ApiError::new(code, message),
        }
    }
}

impl From<crate::storage::PageError> for AppError {
    fn from(error: crate::storage::PageError) -> AppError {
        match error {
            crate::storage::PageError::BadCursor(bad) => AppError::BadRequest(bad.to_string()),
            crate::storage::PageError::Storage(e) => AppError::Storage(e),
        }
    }
}

impl From<&AppError> for Failure {
    fn from(error: &AppError) -> Failure {
        Failure::new(error.to_string(), error.code())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        if code == ErrorCode::StorageUnavailable {
            tracing::warn!(error = ?self, "the database cannot be reached");
        }
        if code == ErrorCode::Internal {
            tracing::error!(error = ?self, "request failed inside the proxy");
        }
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.body())).into_response();
        if let AppError::TooManyAttempts(wait) = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(wait.as_secs().max(1)),
            );
        }
        response
    }
}
