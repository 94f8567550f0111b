//! `/stores/:store_id`: one store with its Fiskaly TSS Setup section.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::{tr, Text};

/// The store card page.
#[component]
pub fn StoreCard() -> impl IntoView {
    let params = use_params_map();
    let store_id = move || params.read().get("store_id").unwrap_or_default();
    view! {
        <section class="page" data-page="store-card">
            <h1>{tr(Text::StoreCardTitle)} " " {store_id}</h1>
            <h2>{tr(Text::FiskalyTssSetup)}</h2>
            <p class="empty-state">{tr(Text::StoreCardEmpty)}</p>
        </section>
    }
}
