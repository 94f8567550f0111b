//! `/settings`: the Fiskaly Setup page with the connection settings.

use leptos::prelude::*;

use crate::components::Page;
use crate::i18n::{tr, Text};

/// The Fiskaly Setup page.
#[component]
pub fn FiskalySetup() -> impl IntoView {
    view! {
        <Page name="fiskaly-setup" title=tr(Text::FiskalySetupTitle)>
            <p class="empty-state">{tr(Text::FiskalySetupEmpty)}</p>
        </Page>
    }
}
