//! `/terminals/:terminal_id`: one POS terminal with its Sign DE V2 section.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::{tr, Text};

/// The terminal card page.
#[component]
pub fn TerminalCard() -> impl IntoView {
    let params = use_params_map();
    let terminal_id = move || params.read().get("terminal_id").unwrap_or_default();
    view! {
        <section class="page" data-page="terminal-card">
            <h1>{tr(Text::TerminalCardTitle)} " " {terminal_id}</h1>
            <h2>{tr(Text::SignDeV2)}</h2>
            <p class="empty-state">{tr(Text::TerminalCardEmpty)}</p>
        </section>
    }
}
