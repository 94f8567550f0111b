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
