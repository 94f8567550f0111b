//! The one error shape every proxy endpoint answers with: `{"error": {"code", "message"}}`.

use serde::{Deserialize, Serialize};

/// What kind of failure an API error is; decides the HTTP status.
///
/// A code this version does not know (a newer proxy) deserialises into [`ErrorCode::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (not JSON, wrong type): 400.
    BadRequest,
    /// A well-formed request with an invalid value, e.g. a serial number fiskaly rejects: 422.
    Validation,
    /// An irreversible action was requested without `"confirm": true`: 400.
    ConfirmationRequired,
    /// No session: log in first (or the session expired): 401.
    Unauthenticated,
    /// The request was refused: not from the console's own pages (cross-site), or the user's
    /// role may not do this: 403.
    Forbidden,
    /// No store, terminal or TSS with that ID: 404.
    NotFound,
    /// The endpoint exists but not for this HTTP method: 405.
    MethodNotAllowed,
    /// The request body is larger than the API accepts: 413.
    PayloadTooLarge,
    /// The action is not allowed in the current state: 409.
    Conflict,
    /// The same operation is already running for that TSS or terminal: 409.
    AlreadyRunning,
    /// Too many failed logins; wait a minute: 429.
    TooManyAttempts,
    /// fiskaly answered with an error the caller can act on: 502.
    Fiskaly,
    /// fiskaly could not be reached or is overloaded; try again later: 503.
    FiskalyUnavailable,
    /// Something failed inside the proxy; details are in its log, never in the answer: 500.
    Internal,
    /// A code this version does not know.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status the proxy answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::ConfirmationRequired => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Conflict | ErrorCode::AlreadyRunning => 409,
            ErrorCode::Validation => 422,
            ErrorCode::TooManyAttempts => 429,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
            ErrorCode::Fiskaly => 502,
            ErrorCode::FiskalyUnavailable => 503,
        }
    }
}

/// The body of every error answer of the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong.
    pub error: ApiErrorBody,
}

/// The inside of [`ApiError`]: a machine-readable code and a sentence for a store manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// The kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in words a store manager understands. Never holds a secret.
    pub message: String,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            error: ApiErrorBody {
                code,
                message: message.into(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_the_documented_shape() {
        let error = ApiError::new(ErrorCode::AlreadyRunning, "Disable TSS is already running.");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "already_running", "message": "Disable TSS is already running."}})
        );
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), error);
    }

    #[test]
    fn an_unknown_code_still_parses() {
        let error: ApiError =
            serde_json::from_str(r#"{"error":{"code":"rate_limited","message":"Slow down."}}"#)
                .unwrap();
        assert_eq!(error.error.code, ErrorCode::Unknown);
        assert_eq!(error.to_string(), "Slow down.");
    }

    #[test]
    fn each_code_maps_to_its_status() {
        let cases = [
            (ErrorCode::BadRequest, 400),
            (ErrorCode::ConfirmationRequired, 400),
            (ErrorCode::Unauthenticated, 401),
            (ErrorCode::Forbidden, 403),
            (ErrorCode::NotFound, 404),
            (ErrorCode::MethodNotAllowed, 405),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::Conflict, 409),
            (ErrorCode::AlreadyRunning, 409),
            (ErrorCode::Validation, 422),
            (ErrorCode::TooManyAttempts, 429),
            (ErrorCode::Internal, 500),
            (ErrorCode::Fiskaly, 502),
            (ErrorCode::FiskalyUnavailable, 503),
        ];
        for (code, status) in cases {
            assert_eq!(code.http_status(), status, "{code:?}");
        }
    }
}
