//! `/stores`: the Store List.

use leptos::prelude::*;

use crate::components::Page;
use crate::i18n::{tr, Text};

/// The Store List page.
#[component]
pub fn StoreList() -> impl IntoView {
    view! {
        <Page name="store-list" title=tr(Text::StoreListTitle)>
            <p class="empty-state">{tr(Text::StoreListEmpty)}</p>
        </Page>
    }
}
