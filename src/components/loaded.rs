//! What a loaded list shows: its rows, a sentence when it is empty, or the proxy's error.

use leptos::prelude::*;

use crate::api::ApiResult;
use crate::i18n::{tr, Text};
use crate::session::use_session;

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
        Err(error) => {
            use_session().notice(&error);
            view! { <p class="error" role="alert">{error.error.message}</p> }.into_any()
        }
    }
}
