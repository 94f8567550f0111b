//! The Store List's import from the ERP (administrators): choose a CSV file, see what it would
//! add and change and each problem with its line and column, then import all of it, or nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tss_model::{ImportCounts, ImportReport, Language, Role};
use wasm_bindgen::JsCast;

use crate::api::use_api;
use crate::components::{api_action, use_toaster, ActionButton};
use crate::i18n::{tr, use_locale, Text};
use crate::session::use_session;

/// `count` and the noun of `forms` (one, many) that fits it.
fn counted(count: u64, forms: (&str, &str)) -> String {
    let noun = if count == 1 { forms.0 } else { forms.1 };
    format!("{count} {noun}")
}

/// What a report says of `counts` of one kind (`forms`: German one and many, English one and
/// many), in `language`.
fn counts_text(counts: ImportCounts, forms: [&str; 4], language: Language) -> String {
    let (forms, words) = match language {
        Language::De => ((forms[0], forms[1]), ["neu", "geändert", "unverändert"]),
        Language::En => ((forms[2], forms[3]), ["new", "changed", "unchanged"]),
    };
    let all = counts.new + counts.changed + counts.unchanged;
    format!(
        "{}: {} {}, {} {}, {} {}",
        counted(all, forms),
        counts.new,
        words[0],
        counts.changed,
        words[1],
        counts.unchanged,
        words[2]
    )
}

/// The summary of `report`: its lines, stores and POS terminals.
fn summary_text(report: &ImportReport, language: Language) -> String {
    let lines = match language {
        Language::De => counted(report.lines, ("Zeile", "Zeilen")),
        Language::En => counted(report.lines, ("line", "lines")),
    };
    let stores = ["Filiale", "Filialen", "store", "stores"];
    let terminals = ["Kasse", "Kassen", "POS terminal", "POS terminals"];
    format!(
        "{lines} · {} · {}",
        counts_text(report.stores, stores, language),
        counts_text(report.terminals, terminals, language)
    )
}

/// Reads the file chosen in the input of `event`, if any, as bytes.
async fn chosen_file(event: web_sys::Event) -> Option<Vec<u8>> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The import panel; `on_imported` runs after a file was imported. Each file chosen starts a
/// new generation: an answer about an earlier file is dropped, never shown for this one.
#[component]
pub fn ErpImportPanel(
    /// Called after an import wrote something.
    on_imported: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = use_api();
    let toaster = use_toaster();
    let file = RwSignal::new(None::<Vec<u8>>);
    let report = RwSignal::new(None::<ImportReport>);
    let previewing = RwSignal::new(false);
    let generation = StoredValue::new(0_u32);
    let imported_generation = StoredValue::new(0_u32);
    let input = NodeRef::<leptos::html::Input>::new();
    let import = api_action(
        |api, bytes: Vec<u8>| api.import_stores(bytes),
        Some(Text::Imported),
        move |answer: Option<&ImportReport>| {
            let (Some(answer), true) = (
                answer,
                imported_generation.get_value() == generation.get_value(),
            ) else {
                return;
            };
            report.set(Some(answer.clone()));
            file.set(None);
            // The same file may be chosen again (a change event needs a new value).
            if let Some(input) = input.get_untracked() {
                input.set_value("");
            }
            on_imported.run(());
        },
    );
    let choose = move |event: web_sys::Event| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        report.set(None);
        let api = api.clone();
        spawn_local(async move {
            let bytes = chosen_file(event).await;
            if generation.get_value() != mine {
                return;
            }
            file.set(bytes.clone());
            let Some(bytes) = bytes else {
                return;
            };
            previewing.set(true);
            let answer = api.preview_import(bytes).await;
            if generation.get_value() != mine {
                return;
            }
            previewing.set(false);
            match answer {
                Ok(answer) => report.set(Some(answer)),
                Err(error) => {
                    session.notice(&error);
                    toaster.failure(&error);
                }
            }
        });
    };
    let why_not = Signal::derive(move || {
        let language = locale.get();
        let problems = report.with(|r| r.as_ref().map(|r| (r.problems.len(), r.applied)));
        let text = match (file.with(Option::is_some), problems) {
            (false, _) | (true, None) => Text::ImportChooseFirst,
            (true, Some((0, _))) => return None,
            (true, Some(_)) => Text::ImportHasProblems,
        };
        Some(text.get(language).to_owned())
    });
    view! {
        <details class="panel import" hidden=move || !session.may(Role::Admin)>
            <summary>{tr(Text::ImportFromErp)}</summary>
            <p class="hint">{tr(Text::ImportColumnsHint)}</p>
            <label class="field">
                <span>{tr(Text::ImportFile)}</span>
                <input
                    type="file"
                    name="import-file"
                    accept=".csv,text/csv"
                    node_ref=input
                    on:change=choose
                />
            </label>
            {move || {
                report.get().map(|report| {
                    let language = locale.get();
                    let problems: Vec<String> =
                        report.problems.iter().map(|p| p.message(language)).collect();
                    let state = if report.applied { "applied" } else { "preview" };
                    let clean = problems.is_empty();
                    view! {
                        <p class="import-summary" data-import=state>
                            {summary_text(&report, language)}
                        </p>
                        <ul class="import-problems" role="alert" hidden=clean>
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    }
                })
            }}
            <ActionButton
                label=tr(Text::ImportNow)
                pending=Signal::derive(move || import.pending().get() || previewing.get())
                disabled_because=why_not
                needs=Role::Admin
                on_click=Callback::new(move |_| {
                    if let Some(bytes) = file.get_untracked() {
                        imported_generation.set_value(generation.get_value());
                        import.dispatch(bytes);
                    }
                })
            />
        </details>
    }
}
