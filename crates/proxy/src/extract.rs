//! Reading requests so that every failure answers in the API's error shape: malformed JSON, a bad
//! path segment or query is 400; a well-formed body with a wrong or unknown field is 422 naming it.
//! A change refused here, before its handler ran, gets its audit row here.

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use tss_model::FieldProblem;

use crate::change::Change;
use crate::{AppError, AppState};

/// The largest request body the API reads; every body it takes is a small form.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (request, asked) = asked_change(request).await;
        match json_body(request, state).await {
            Ok(value) => Ok(ApiJson(value)),
            Err(error) => Err(Change::refused(asked, &state.storage, error).await),
        }
    }
}

/// A JSON request body that may be left out: no body at all reads as `T::default()`.
pub struct ApiJsonOrDefault<T>(pub T);

impl<T: DeserializeOwned + Default + Send> FromRequest<AppState> for ApiJsonOrDefault<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (request, asked) = asked_change(request).await;
        let result = if request.headers().contains_key(CONTENT_TYPE) {
            json_body(request, state).await
        } else {
            empty_body(request, state).await.map(|()| T::default())
        };
        match result {
            Ok(value) => Ok(ApiJsonOrDefault(value)),
            Err(error) => Err(Change::refused(asked, &state.storage, error).await),
        }
    }
}

/// The change a request asks for, read before its body is: a refused body gets its audit row.
async fn asked_change(request: Request) -> (Request, Option<Change>) {
    let (mut parts, body) = request.into_parts();
    let asked = Change::asked_by_caller(&mut parts).await;
    (Request::from_parts(parts, body), asked)
}

/// Whether a percent-encoded path or query holds a NUL or another control character, which no
/// name, number or ID has (and PostgreSQL cannot store).
fn has_control_character(encoded: &str) -> bool {
    percent_decoded(encoded).any(|byte| byte < 0x20 || byte == 0x7f)
}

/// The bytes `encoded` stands for.
fn percent_decoded(encoded: &str) -> impl Iterator<Item = u8> + '_ {
    let bytes = encoded.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let byte = *bytes.get(at)?;
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                at += 3;
                Some(decoded)
            }
            _ => {
                at += 1;
                Some(byte)
            }
        }
    })
}

/// Whether a JSON body holds an escaped NUL (`\u0000`), which no field takes (and PostgreSQL
/// cannot store).
fn has_escaped_nul(body: &[u8]) -> bool {
    body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

async fn json_body<T: DeserializeOwned>(request: Request, state: &AppState) -> Result<T, AppError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| AppError::PayloadTooLarge(MAX_BODY_BYTES))?;
    if has_escaped_nul(&bytes) {
        return Err(AppError::Validation(
            "The request does not fit: a text holds a NUL character.".into(),
        ));
    }
    let request = Request::from_parts(parts, axum::body::Body::from(bytes));
    match axum::Json::<T>::from_request(request, state).await {
        Ok(axum::Json(value)) => Ok(value),
        Err(JsonRejection::JsonDataError(e)) => Err(data_error(&e.body_text())),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(AppError::PayloadTooLarge(MAX_BODY_BYTES))
        }
        Err(JsonRejection::MissingJsonContentType(_)) => Err(not_json()),
        Err(e) => Err(AppError::BadRequest(format!(
            "The request body is not valid JSON: {}",
            e.body_text()
        ))),
    }
}

/// Accepts a request without a body; a body that is not declared as JSON is refused.
async fn empty_body(request: Request, state: &AppState) -> Result<(), AppError> {
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(MAX_BODY_BYTES),
            _ => AppError::BadRequest("The request body could not be read.".into()),
        })?;
    if bytes.is_empty() {
        Ok(())
    } else {
        Err(not_json())
    }
}

fn not_json() -> AppError {
    AppError::BadRequest("Send the request body as JSON (Content-Type: application/json).".into())
}

/// A well-formed body that does not fit: 422, naming the field when the detail does.
fn data_error(body_text: &str) -> AppError {
    let detail =
        body_text.trim_start_matches("Failed to deserialize the JSON body into the target type: ");
    let message = format!("The request does not fit: {detail}");
    match field_problem(detail) {
        Some((field, problem)) => AppError::field(field, problem, message),
        None => AppError::Validation(message),
    }
}

/// The field a deserialisation error is about and what is wrong with it: a missing field is
/// required, a field of the wrong kind (`role: unknown variant …`) invalid. `None` when it names
/// no field of the body (e.g. an unknown field, or the body as a whole).
fn field_problem(detail: &str) -> Option<(String, FieldProblem)> {
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return Some((field.to_owned(), FieldProblem::Required));
    }
    let (path, error) = detail.split_once(": ")?;
    let is_field = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    (is_field && !error.starts_with("unknown field"))
        .then(|| (path.to_owned(), FieldProblem::Invalid))
}

/// A path parameter; a value of the wrong kind (e.g. `/stores/abc`) is 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let parsed = if has_control_character(parts.uri.path()) {
            Err(AppError::BadRequest(
                "The address is not valid: it holds a control character.".into(),
            ))
        } else {
            axum::extract::Path::<T>::from_request_parts(parts, state)
                .await
                .map_err(|e| {
                    AppError::BadRequest(format!("The address is not valid: {}", e.body_text()))
                })
        };
        match parsed {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(error) => {
                let asked = Change::asked_by_caller(parts).await;
                Err(Change::refused(asked, &state.storage, error).await)
            }
        }
    }
}

/// A query string; a value of the wrong kind (e.g. `?store_id=x`) is 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if has_control_character(parts.uri.query().unwrap_or_default()) {
            return Err(AppError::BadRequest(
                "The query is not valid: it holds a control character.".into(),
            ));
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|e| AppError::BadRequest(format!("The query is not valid: {}", e.body_text())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_encoded_or_not() {
        assert!(has_control_character("/api/stores/%00/tss"));
        assert!(has_control_character("q=a%0Ab"));
        assert!(!has_control_character("/api/tss/0b6f%2D1"));
        assert!(!has_control_character("q=K%C3%B6ln%"));
        assert!(has_escaped_nul(br#"{"name":"a\u0000b"}"#));
        assert!(!has_escaped_nul(br#"{"name":"a\u0041b"}"#));
    }

    #[test]
    fn a_data_error_names_the_field_it_is_about() {
        assert_eq!(
            field_problem("missing field `name` at line 1 column 20"),
            Some(("name".to_owned(), FieldProblem::Required))
        );
        assert_eq!(
            field_problem("role: unknown variant `boss`, expected one of `viewer`, `admin`"),
            Some(("role".to_owned(), FieldProblem::Invalid))
        );
        assert_eq!(
            field_problem("store_id: invalid type: string \"x\", expected i64 at line 1"),
            Some(("store_id".to_owned(), FieldProblem::Invalid))
        );
        assert_eq!(
            field_problem("unknown field `colour`, expected one of `number`, `name`"),
            None
        );
        assert_eq!(
            field_problem("colour: unknown field `colour`, expected `confirm`"),
            None
        );
        assert_eq!(
            field_problem("invalid type: integer `5`, expected struct StoreInput"),
            None
        );
    }
}
