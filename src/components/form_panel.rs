//! A folded panel with a form (New store, Edit, …), shown only to roles that may change data.

use leptos::prelude::*;
use tss_model::Role;

use crate::i18n::{tr, Text};
use crate::session::use_session;

/// A `<details>` panel titled `title`; hidden for a role below operator (the proxy refuses the
/// change anyway).
#[component]
pub fn FormPanel(
    /// What unfolds it, e.g. "New store".
    title: Text,
    /// The form.
    children: Children,
) -> impl IntoView {
    let session = use_session();
    view! {
        <details class="panel" hidden=move || !session.may(Role::Operator)>
            <summary>{tr(title)}</summary>
            {children()}
        </details>
    }
}
