//! Search and filters kept in the URL query, so that a link reproduces what staff see.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// A query parameter of the current URL, as a signal.
pub fn query_param(name: &'static str) -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).unwrap_or_default())
}

/// Replaces one query parameter of the current URL (removed when empty), keeping the others.
pub fn set_query_param() -> impl Fn(&'static str, String) + Clone {
    let navigate = use_navigate();
    let location = use_location();
    let query = use_query_map();
    move |name, value| {
        let mut params = query.get_untracked();
        if value.is_empty() {
            params.remove(name);
        } else {
            params.replace(name, value);
        }
        let path = location.pathname.get_untracked();
        navigate(
            &format!("{path}{}", params.to_query_string()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

/// How long typing must pause before a search is sent again.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

/// `apply` debounced for typing (for the life of the calling component): a keystroke at least [`TYPING_PAUSE`] after the last apply
/// applies at once (a single keystroke is answered without delay); one that comes sooner waits
/// until typing pauses, and only the last value of those applies.
pub fn debounced<T: 'static>(apply: impl Fn(T) + 'static) -> impl Fn(T) + Copy + Send + Sync {
    let apply: std::rc::Rc<dyn Fn(T)> = std::rc::Rc::new(apply);
    let stored = StoredValue::new_local(apply);
    let last_applied = StoredValue::new_local(None::<f64>);
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    // A search still waiting when its page goes is dropped (it would search on the next page).
    on_cleanup(move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
    move |value| {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let now = js_sys::Date::now();
        let wait = TYPING_PAUSE.as_millis() as f64;
        let paused = last_applied
            .try_get_value()
            .flatten()
            .is_none_or(|at| now - at >= wait);
        if paused {
            if let Some(apply) = stored.try_get_value() {
                last_applied.try_set_value(Some(now));
                apply(value);
            }
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                // Gone with its page: nothing to search.
                if let Some(apply) = stored.try_get_value() {
                    last_applied.try_set_value(Some(js_sys::Date::now()));
                    apply(value);
                }
            },
            TYPING_PAUSE,
        );
        pending.try_set_value(handle.ok());
    }
}
