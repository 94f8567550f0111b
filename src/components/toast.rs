//! Feedback after every request: a short success toast that goes by itself, and an error toast
//! that stays until dismissed, both read out by screen readers.

use std::time::Duration;

use leptos::prelude::*;

use tss_model::ApiError;

use crate::components::error_text::{error_detail, error_text};
use crate::i18n::{tr, use_locale, Text};

/// How long a success toast stays.
const SUCCESS_SECONDS: u64 = 5;

/// Success or failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// Went well; disappears after a few seconds.
    Success,
    /// Went wrong; stays until dismissed.
    Error,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
    /// The proxy's English detail of a failure, shown small below the message.
    detail: Option<String>,
}

/// The toasts shown now; shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Toaster {
    toasts: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toaster {
    /// Shows a success message for a few seconds.
    pub fn success(self, message: impl Into<String>) {
        let id = self.push(ToastKind::Success, message.into(), None);
        set_timeout(
            move || self.dismiss(id),
            Duration::from_secs(SUCCESS_SECONDS),
        );
    }

    /// Shows an error message until it is dismissed.
    pub fn error(self, message: impl Into<String>) {
        self.push(ToastKind::Error, message.into(), None);
    }

    /// Shows a failed request in the staff's language, with the proxy's detail, until dismissed.
    pub fn failure(self, error: &ApiError) {
        let language = use_locale().get_untracked();
        self.push(
            ToastKind::Error,
            error_text(error, language),
            error_detail(error, language),
        );
    }

    fn push(self, kind: ToastKind, message: String, detail: Option<String>) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.toasts.update(|toasts| {
            toasts.push(Toast {
                id,
                kind,
                message,
                detail,
            })
        });
        id
    }

    fn dismiss(self, id: u64) {
        self.toasts.update(|toasts| toasts.retain(|t| t.id != id));
    }
}

/// The [`Toaster`] from context, provided on first use.
pub fn use_toaster() -> Toaster {
    use_context::<Toaster>().unwrap_or_else(|| {
        let toaster = Toaster {
            toasts: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        };
        provide_context(toaster);
        toaster
    })
}

/// Where toasts appear.
#[component]
pub fn Toasts() -> impl IntoView {
    let toaster = use_toaster();
    let dismiss_label = tr(Text::Dismiss);
    view! {
        <div class="toasts">
            <For each=move || toaster.toasts.get() key=|toast| toast.id let:toast>
                <div
                    class=match toast.kind {
                        ToastKind::Success => "toast toast-success",
                        ToastKind::Error => "toast toast-error",
                    }
                    role=match toast.kind {
                        ToastKind::Success => "status",
                        ToastKind::Error => "alert",
                    }
                >
                    <span class="toast-message">
                        {toast.message.clone()}
                        {toast
                            .detail
                            .clone()
                            .map(|detail| view! { <small class="toast-detail" lang="en">{detail}</small> })}
                    </span>
                    <button
                        type="button"
                        class="toast-dismiss"
                        aria-label=dismiss_label
                        on:click=move |_| toaster.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
