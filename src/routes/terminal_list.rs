//! `/terminals`: the POS Terminal List.

use leptos::prelude::*;

use crate::components::Page;
use crate::i18n::{tr, Text};

/// The POS Terminal List page.
#[component]
pub fn TerminalList() -> impl IntoView {
    view! {
        <Page name="terminal-list" title=tr(Text::TerminalListTitle)>
            <p class="empty-state">{tr(Text::TerminalListEmpty)}</p>
        </Page>
    }
}
