//! Any path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{tr, Text};

/// The not-found page, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page" data-page="not-found">
            <h1>{tr(Text::NotFoundTitle)}</h1>
            <p>{tr(Text::NotFoundText)}</p>
            <A href="/stores">{tr(Text::BackToStores)}</A>
        </section>
    }
}
