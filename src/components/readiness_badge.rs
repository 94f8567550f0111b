//! Whether a store can sign, as a badge with icon and words: "Ready to sign", "1 of 2 POS
//! terminals can sign", "No active TSS", "No POS terminal".

use leptos::prelude::*;
use tss_model::{Readiness, Signing};

use crate::i18n::use_locale;

/// "Ready to sign", or how many terminals can sign, or what the store lacks.
#[component]
pub fn ReadinessBadge(
    /// How many of the store's terminals can sign.
    signing: Signing,
) -> impl IntoView {
    let locale = use_locale();
    let (class, icon) = match signing.readiness {
        Readiness::Ready => ("state-badge tone-ok", "✓"),
        Readiness::SomeCannotSign if signing.signing_terminals > 0 => {
            ("state-badge tone-pending", "!")
        }
        _ => ("state-badge tone-broken", "!"),
    };
    view! {
        <span class=class data-readiness=format!("{:?}", signing.readiness)>
            <span class="state-badge-icon" aria-hidden="true">{icon}</span>
            <span class="state-badge-label">{move || signing.label(locale.get())}</span>
        </span>
    }
}
