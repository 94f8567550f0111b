//! Whether a store can sign, as a badge with icon and words.

use leptos::prelude::*;
use tss_model::Readiness;

use crate::i18n::use_locale;

/// "Ready to sign", or what the store lacks.
#[component]
pub fn ReadinessBadge(
    /// The store's readiness.
    readiness: Readiness,
) -> impl IntoView {
    let locale = use_locale();
    let (class, icon) = match readiness {
        Readiness::Ready => ("state-badge tone-ok", "✓"),
        _ => ("state-badge tone-broken", "!"),
    };
    view! {
        <span class=class data-readiness=format!("{readiness:?}")>
            <span class="state-badge-icon" aria-hidden="true">{icon}</span>
            <span class="state-badge-label">{move || readiness.label(locale.get())}</span>
        </span>
    }
}
