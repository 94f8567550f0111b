//! What a loaded list or card shows: its rows or record, a sentence when it is empty or not
//! found, or the proxy's error.

use leptos::prelude::*;

use tss_model::{ApiError, ErrorCode};

use crate::api::ApiResult;
use crate::i18n::{tr, Text};
use crate::session::use_session;

/// What a card shows when its record did not load: `not_found` for a 404, else the proxy's
/// message (announced to screen readers); an ended session leads to the login page.
pub fn missing_or_error(error: ApiError, not_found: impl FnOnce() -> AnyView) -> AnyView {
    if error.error.code == ErrorCode::NotFound {
        return not_found();
    }
    failure(error)
}

/// The proxy's message for a failed load, announced to screen readers; an ended session leads to
/// the login page instead.
fn failure(error: ApiError) -> AnyView {
    use_session().notice(&error);
    view! { <p class="error" role="alert">{error.error.message}</p> }.into_any()
}

/// The error for an address whose ID is not a number: nothing has it.
pub fn no_such_id() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "not found")
}

/// The rows via `rows`, else `empty`, else the error (announced to screen readers).
pub fn list_or_message<T>(
    result: ApiResult<Vec<T>>,
    empty: Text,
    rows: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match result {
        Ok(items) if items.is_empty() => {
            view! { <p class="empty-state">{tr(empty)}</p> }.into_any()
        }
        Ok(items) => rows(items),
        Err(error) => failure(error),
    }
}
