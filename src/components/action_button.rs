//! A button for one of the staff's actions: enabled, disabled with the reason shown, or busy with
//! a spinner (and then it cannot fire twice).

use leptos::prelude::*;

/// An action button.
#[component]
pub fn ActionButton(
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// Whether its action is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why it cannot be used now; `None` when it can.
    #[prop(into, optional)]
    disabled_because: Signal<Option<String>>,
    /// Marks a destructive action.
    #[prop(optional)]
    danger: bool,
    /// What a click does.
    on_click: Callback<()>,
) -> impl IntoView {
    let disabled = move || pending.get() || disabled_because.read().is_some();
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
                aria-busy=move || pending.get().to_string()
                on:click=move |_| {
                    if !disabled() {
                        on_click.run(());
                    }
                }
            >
                <Show when=move || pending.get()>
                    <span class="spinner" aria-hidden="true"></span>
                </Show>
                {label}
            </button>
            {move || disabled_because.get().map(|reason| view! { <span class="action-reason">{reason}</span> })}
        </span>
    }
}
