//! The progress of a running operation: a bar and the step in words ("Step 3 of 6: setting the
//! admin PIN").

use leptos::prelude::*;
use tss_model::{Language, OperationProgress};

use crate::i18n::{tr, use_locale, Text};

/// A step's name in words for staff.
fn step_words(step: &str, language: Language) -> String {
    let (de, en) = match step {
        "create_tss" => (
            "TSS wird bei fiskaly angelegt",
            "creating the TSS at fiskaly",
        ),
        "deploy" => ("TSS wird bereitgestellt", "deploying the TSS"),
        "set_admin_pin" => ("Admin-PIN wird gesetzt", "setting the admin PIN"),
        "admin_login" => ("Admin-Anmeldung", "logging in as admin"),
        "initialize" => ("TSS wird initialisiert", "initialising the TSS"),
        "logout" => ("Admin-Abmeldung", "logging out"),
        "deregister_clients" => ("Clients werden abgemeldet", "deregistering the clients"),
        "disable" => ("TSS wird außer Betrieb genommen", "disabling the TSS"),
        "register_client" => ("Client wird angemeldet", "registering the client"),
        "deregister_client" => ("Client wird abgemeldet", "deregistering the client"),
        other => (other, other),
    };
    match language {
        Language::De => de.to_owned(),
        Language::En => en.to_owned(),
    }
}

/// Shows how far an operation is.
#[component]
pub fn OperationProgressBar(
    /// The operation.
    progress: OperationProgress,
) -> impl IntoView {
    let locale = use_locale();
    let step = progress.step.clone();
    let (number, total) = (progress.step_number, progress.total_steps);
    let label = move || {
        format!(
            "{} {number} {} {total}: {}",
            tr(Text::Step).get(),
            tr(Text::Of).get(),
            step_words(&step, locale.get())
        )
    };
    view! {
        <div class="operation-progress">
            <progress max=total value=number aria-label=label.clone()></progress>
            <span class="operation-step">{label}</span>
        </div>
    }
}
