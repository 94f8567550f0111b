//! The Store List's Refresh of every TSS: the button (operators) and the run's progress, which
//! everybody sees move on ("1.204 von 30.000, 3 fehlgeschlagen") and end with its counts.

use leptos::prelude::*;
use tss_model::{FleetRefresh, Language, LiveEvent, OperationStatus};

use crate::api::use_api;
use crate::components::format::{grouped, maybe_date_time};
use crate::components::{api_action, load_failure, ActionButton};
use crate::i18n::{tr, use_locale, Text};
use crate::live::{reload_after_burst, use_live};

/// What the run's line says, in `language`.
fn progress_text(run: &FleetRefresh, language: Language) -> String {
    let n = |count| grouped(count, language);
    let (done, total, failed) = (n(run.finished()), n(run.total), n(run.failed));
    let at = maybe_date_time(Some(run.updated_at));
    let mut text = match (run.status, language) {
        (OperationStatus::Running, Language::De) => {
            format!("Alle TSS werden aktualisiert: {done} von {total}, {failed} fehlgeschlagen")
        }
        (OperationStatus::Running, Language::En) => {
            format!("Refreshing every TSS: {done} of {total}, {failed} failed")
        }
        (OperationStatus::Succeeded, Language::De) => format!(
            "Alle TSS aktualisiert ({at}): {} gelesen, {failed} fehlgeschlagen",
            n(run.read)
        ),
        (OperationStatus::Succeeded, Language::En) => format!(
            "Every TSS refreshed ({at}): {} read, {failed} failed",
            n(run.read)
        ),
        (OperationStatus::Failed, Language::De) => format!(
            "Aktualisierung aller TSS abgebrochen ({at}) nach {done} von {total}: {}",
            run.last_error.as_deref().unwrap_or("")
        ),
        (OperationStatus::Failed, Language::En) => format!(
            "Refresh of every TSS stopped ({at}) after {done} of {total}: {}",
            run.last_error.as_deref().unwrap_or("")
        ),
    };
    if let Some(unknown) = run.unknown_at_fiskaly.filter(|count| *count > 0) {
        text.push_str(&match language {
            Language::De => format!(
                " · {} TSS bei fiskaly, die die Konsole nicht kennt",
                n(unknown)
            ),
            Language::En => format!(" · {} TSS at fiskaly the console does not know", n(unknown)),
        });
    }
    text
}

/// The Refresh of every TSS: its button and its progress, read again as it moves on.
#[component]
pub fn FleetRefreshPanel() -> impl IntoView {
    let api = use_api();
    let locale = use_locale();
    let version = RwSignal::new(0_u32);
    let run = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.fleet_refresh().await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let reload_soon = reload_after_burst(version);
    use_live().on_change(move |change| {
        if matches!(change, LiveEvent::FleetRefresh { .. } | LiveEvent::Reload) {
            reload_soon();
        }
    });
    let running = Signal::derive(move || {
        run.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|r| r.is_running())
    });
    let start = api_action(
        |api, ()| api.refresh_every_tss(),
        None,
        move |_| reload.run(()),
    );
    view! {
        <section class="fleet-refresh" aria-live="polite">
            <ActionButton
                label=tr(Text::RefreshEveryTss)
                pending=start.pending()
                disabled_because=Signal::derive(move || {
                    running.get().then(|| Text::RefreshRunning.get(locale.get()).to_owned())
                })
                on_click=Callback::new(move |_| {
                    start.dispatch(());
                })
            />
            {move || match run.get() {
                Some(Ok(Some(current))) => {
                    let text = progress_text(&current, locale.get());
                    let tone = match current.status {
                        OperationStatus::Failed => "refresh-line tone-broken",
                        _ => "refresh-line",
                    };
                    Some(view! {
                        <p class=tone data-refresh=current.status.as_str()>
                            {current.is_running().then(|| view! {
                                <progress max=current.total value=current.finished()></progress>
                            })}
                            <span class="refresh-text">{text}</span>
                        </p>
                    }.into_any())
                }
                Some(Err(error)) => Some(load_failure(error, reload)),
                Some(Ok(None)) | None => None,
            }}
        </section>
    }
}
