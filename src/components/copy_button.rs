//! A button that copies an ID to the clipboard, for support calls and fiskaly's own UI.

use leptos::prelude::*;

use crate::components::use_toaster;
use crate::i18n::{tr, use_locale, Text};

/// Copies `value` to the clipboard; says what it copies ("Copy TSS ID") to screen readers.
#[component]
pub fn CopyButton(
    /// The text to copy.
    #[prop(into)]
    value: String,
    /// What it copies, e.g. "Copy TSS ID".
    label: Text,
) -> impl IntoView {
    let toaster = use_toaster();
    let locale = use_locale();
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&value);
        toaster.success(Text::Copied.get(locale.get()));
    };
    view! {
        <button type="button" class="button button-small" aria-label=tr(label) title=tr(label) on:click=copy>
            {tr(Text::Copy)}
        </button>
    }
}
