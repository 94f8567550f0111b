//! What a loaded list or card shows: its rows or record, a sentence when it is empty or not
//! found, or — never drawn as empty — "could not be loaded" with the reason and Retry.

use leptos::prelude::*;

use tss_model::{ApiError, ErrorCode};

use crate::api::ApiResult;
use crate::components::error_text::{error_detail, error_text};
use crate::i18n::{tr, use_locale, Text};
use crate::session::use_session;

/// Data a page asked for: `None` while it loads, then what the proxy answered.
pub type Loaded<T> = Option<ApiResult<T>>;

/// Why an action that needs `loaded` cannot run yet: still loading, or `failed` when it could not
/// be loaded; `None` once it is there.
pub fn not_loaded_reason<T>(loaded: &Loaded<T>, failed: Text) -> Option<Text> {
    match loaded {
        None => Some(Text::WhyStillLoading),
        Some(Err(_)) => Some(failed),
        Some(Ok(_)) => None,
    }
}

/// What a card shows when its record did not load: `not_found` for a 404, else
/// [`load_failure`].
pub fn missing_or_error(
    error: ApiError,
    not_found: impl FnOnce() -> AnyView,
    retry: Callback<()>,
) -> AnyView {
    if error.error.code == ErrorCode::NotFound {
        return not_found();
    }
    load_failure(error, retry)
}

/// "Could not be loaded", why (in the staff's language, the proxy's detail small), and Retry;
/// announced to screen readers. An ended session leads to the login page instead.
pub fn load_failure(error: ApiError, retry: Callback<()>) -> AnyView {
    use_session().notice(&error);
    let locale = use_locale();
    let detail = error_detail(&error, locale.get_untracked());
    view! {
        <div class="load-failed" role="alert" data-load-failed="">
            <p>
                <strong>{tr(Text::CouldNotLoad)}</strong>
                " "
                {move || error_text(&error, locale.get())}
                {detail.map(|detail| view! { <small class="detail" lang="en">{detail}</small> })}
            </p>
            <button type="button" class="button" on:click=move |_| retry.run(())>
                {tr(Text::Retry)}
            </button>
        </div>
    }
    .into_any()
}

/// The error for an address whose ID is not a number: nothing has it.
pub fn no_such_id() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "not found")
}

/// The rows via `rows`, else `empty`, else [`load_failure`] with `retry`.
pub fn list_or_message<T>(
    result: ApiResult<Vec<T>>,
    empty: Text,
    rows: impl FnOnce(Vec<T>) -> AnyView,
    retry: Callback<()>,
) -> AnyView {
    match result {
        Ok(items) if items.is_empty() => {
            view! { <p class="empty-state">{tr(empty)}</p> }.into_any()
        }
        Ok(items) => rows(items),
        Err(error) => load_failure(error, retry),
    }
}
