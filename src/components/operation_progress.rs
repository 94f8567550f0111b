//! The progress of a running operation: a bar and the step in words ("Step 3 of 6: setting the
//! admin PIN").

use leptos::prelude::*;
use tss_model::{Language, OperationProgress, OperationStep, TerminalCounts};

use crate::i18n::{tr, use_locale, Text};

/// A step's name in words for staff.
fn step_words(step: OperationStep, language: Language) -> &'static str {
    let (de, en) = match step {
        OperationStep::CreateTss => (
            "TSS wird bei fiskaly angelegt",
            "creating the TSS at fiskaly",
        ),
        OperationStep::Deploy => ("TSS wird bereitgestellt", "deploying the TSS"),
        OperationStep::SetAdminPin => ("Admin-PIN wird gesetzt", "setting the admin PIN"),
        OperationStep::AdminLogin => ("Admin-Anmeldung", "logging in as admin"),
        OperationStep::Initialize => ("TSS wird initialisiert", "initialising the TSS"),
        OperationStep::Logout => ("Admin-Abmeldung", "logging out"),
        OperationStep::DeregisterClients => {
            ("Clients werden abgemeldet", "deregistering the clients")
        }
        OperationStep::Disable => ("TSS wird außer Betrieb genommen", "disabling the TSS"),
        OperationStep::RegisterClient => ("Client wird angemeldet", "registering the client"),
        OperationStep::DeregisterClient => ("Client wird abgemeldet", "deregistering the client"),
        OperationStep::ReadEveryTss => ("Alle TSS werden gelesen", "reading every TSS"),
        OperationStep::RegisterClients => (
            "Kassen werden an der TSS angemeldet",
            "registering the POS terminals",
        ),
        OperationStep::DisableReplaced => (
            "Alte TSS wird außer Betrieb genommen",
            "disabling the old TSS",
        ),
    };
    match language {
        Language::De => de,
        Language::En => en,
    }
}

/// "2 von 3 Kassen, 1 fehlgeschlagen" in `language`.
pub fn terminal_counts(counts: TerminalCounts, language: Language) -> String {
    let TerminalCounts {
        total,
        done,
        failed,
    } = counts;
    match (language, failed) {
        (Language::De, 0) => format!("{done} von {total} Kassen"),
        (Language::De, _) => format!("{done} von {total} Kassen, {failed} fehlgeschlagen"),
        (Language::En, 0) => format!("{done} of {total} POS terminals"),
        (Language::En, _) => format!("{done} of {total} POS terminals, {failed} failed"),
    }
}

/// Shows how far an operation is.
#[component]
pub fn OperationProgressBar(
    /// The operation.
    progress: OperationProgress,
) -> impl IntoView {
    let locale = use_locale();
    let step = progress.step;
    let (number, total) = (progress.step_number, progress.total_steps);
    let terminals = progress.terminals.filter(|t| t.total > 0);
    let label = move || {
        let words = format!(
            "{} {number} {} {total}: {}",
            tr(Text::Step).get(),
            tr(Text::Of).get(),
            step_words(step, locale.get())
        );
        match terminals {
            Some(counts) => format!("{words} ({})", terminal_counts(counts, locale.get())),
            None => words,
        }
    };
    view! {
        <div class="operation-progress">
            <progress max=total value=number aria-label=label></progress>
            <span class="operation-step">{label}</span>
        </div>
    }
}
