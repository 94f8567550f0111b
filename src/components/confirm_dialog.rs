//! The confirmation before an irreversible action: a native modal `<dialog>`. Focus starts on
//! Cancel; Esc and Cancel close it without a request; only the confirm button acts. Leaving the
//! page closes it — a link, Back or Forward inside the app, and a page hidden for the browser's
//! back/forward cache, which would otherwise bring the page back with the dialog still open.

use leptos::html::{Button, Dialog};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{tr, Text};

/// A modal asking to confirm an action.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; set it to open, it is reset when the dialog closes.
    open: RwSignal<bool>,
    /// The question, e.g. "Disable this TSS?".
    #[prop(into)]
    title: Signal<String>,
    /// The label of the confirm button, e.g. "Yes, disable".
    #[prop(into)]
    confirm_label: Signal<String>,
    /// Runs when the user confirms.
    on_confirm: Callback<()>,
    /// What the action does and to whom.
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let cancel = NodeRef::<Button>::new();
    let location = use_location();
    Effect::new(move |shown_at: Option<String>| {
        let path = location.pathname.get();
        if shown_at.is_some_and(|before| before != path) {
            open.set(false);
        }
        path
    });
    let close_now = move || {
        if let Some(dialog) = dialog.try_get_untracked().flatten() {
            dialog.close();
        }
    };
    // Synchronously: the browser freezes the page right after `pagehide`, before effects run.
    let page_hidden = window_event_listener(leptos::ev::pagehide, move |_| {
        open.set(false);
        close_now();
    });
    on_cleanup(move || {
        page_hidden.remove();
        close_now();
    });
    Effect::new(move |_| {
        let (Some(dialog), Some(cancel)) = (dialog.get(), cancel.get()) else {
            return;
        };
        if open.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
            let _ = cancel.focus();
        } else if dialog.open() {
            dialog.close();
        }
    });
    view! {
        <dialog node_ref=dialog class="confirm-dialog" on:close=move |_| open.set(false)>
            <h2>{title}</h2>
            <div class="confirm-body">{children()}</div>
            <div class="confirm-actions">
                <button type="button" node_ref=cancel class="button" on:click=move |_| open.set(false)>
                    {tr(Text::Cancel)}
                </button>
                <button
                    type="button"
                    class="button button-danger"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {confirm_label}
                </button>
            </div>
        </dialog>
    }
}
