//! "Live" or "Reconnecting …" in the header: whether what the page shows follows the changes
//! other users make right now.

use leptos::prelude::*;

use crate::i18n::{tr, Text};
use crate::live::{use_live, LiveStatus};

/// The live feed's state, in words.
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let status = use_live().status();
    let text = move || match status.get() {
        LiveStatus::Live => Text::LiveOn,
        LiveStatus::Connecting => Text::LiveConnecting,
        LiveStatus::Reconnecting => Text::LiveReconnecting,
    };
    let state = move || match status.get() {
        LiveStatus::Live => "live",
        LiveStatus::Connecting => "connecting",
        LiveStatus::Reconnecting => "reconnecting",
    };
    view! {
        <span class="live-indicator" data-live=state aria-live="polite" title=tr(Text::LiveExplained)>
            {move || tr(text())}
        </span>
    }
}
