//! A button for one of the staff's actions: enabled, disabled with the reason shown, or busy with
//! a spinner (and then it cannot fire twice).

use leptos::prelude::*;
use tss_model::Role;

use crate::i18n::{use_locale, Text};
use crate::session::{role_text, use_session};

/// An action button.
#[component]
pub fn ActionButton(
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// A label that follows the page's data ("… for all 3 POS terminals …"), shown instead of
    /// `label`.
    #[prop(optional, into)]
    words: Option<Signal<String>>,
    /// Whether its action is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why it cannot be used now; `None` when it can.
    #[prop(into, optional)]
    disabled_because: Signal<Option<String>>,
    /// Marks a destructive action.
    #[prop(optional)]
    danger: bool,
    /// The role it needs (the proxy checks it too); for a lesser role it is disabled, saying so.
    #[prop(default = Role::Operator)]
    needs: Role,
    /// What a click does.
    on_click: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    // A logout re-runs these before the page around the button is torn down, when the page's
    // signals may already be gone: read them with `try_get`.
    let reason = move || {
        if session.may(needs) {
            disabled_because.try_get().flatten()
        } else {
            let only = Text::NeedsRole.get(locale.get());
            Some(format!("{only}: {}", role_text(needs).get(locale.get())))
        }
    };
    let disabled = move || pending.try_get().unwrap_or(true) || reason().is_some();
    let class = if danger {
        "button button-danger"
    } else {
        "button"
    };
    view! {
        <span class="action">
            <button
                type="button"
                class=class
                disabled=disabled
                aria-busy=move || pending.try_get().unwrap_or(false).to_string()
                on:click=move |_| {
                    if !disabled() {
                        on_click.run(());
                    }
                }
            >
                <Show when=move || pending.try_get().unwrap_or(false)>
                    <span class="spinner" aria-hidden="true"></span>
                </Show>
                {move || match words {
                    Some(words) => words.get(),
                    None => label.get().to_owned(),
                }}
            </button>
            {move || reason().map(|reason| view! { <span class="action-reason">{reason}</span> })}
        </span>
    }
}
