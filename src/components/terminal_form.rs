//! The form to add or edit a POS terminal, with fiskaly's serial-number rules checked as staff
//! type and the reason shown, and what the tax office is told of it (model, software, in and
//! out of service), folded away.

use leptos::prelude::*;
use tss_model::{
    serial_number_problem, ApiError, TerminalInput, TerminalService, NAME_MAX, SERVICE_TEXT_MAX,
    TERMINAL_NUMBER_MAX as NUMBER_MAX,
};

use crate::components::FieldError;
use crate::i18n::{tr, use_locale, Text};

/// The most characters of a serial number (fiskaly's limit).
const SERIAL_MAX: usize = 70;

/// A terminal form; the caller decides what submitting does.
#[component]
pub fn TerminalForm(
    /// The values to start from (editing), or `None` for a new terminal.
    #[prop(optional)]
    initial: Option<TerminalInput>,
    /// The stores to choose from, as (ID, label); empty when the store is given by `initial` or
    /// `store_id`.
    #[prop(into, optional)]
    stores: Signal<Vec<(i64, String)>>,
    /// The store a new terminal belongs to, when fixed (the store card).
    #[prop(optional)]
    store_id: Option<i64>,
    /// Whether the submit is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last refusal of the save, shown at its field.
    #[prop(into, optional)]
    refusal: Signal<Option<ApiError>>,
    /// Runs with the entered terminal.
    on_submit: Callback<TerminalInput>,
) -> impl IntoView {
    let locale = use_locale();
    let initial = initial.unwrap_or(TerminalInput {
        number: String::new(),
        name: String::new(),
        store_id: store_id.unwrap_or_default(),
        serial_number: String::new(),
        service: None,
    });
    let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
    let service = initial.service.clone().unwrap_or_default();
    let (model, software) = (text(service.model), text(service.software));
    let (since, until) = (
        text(service.in_service_since),
        text(service.out_of_service_since),
    );
    let some = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|v| !v.is_empty());
    let number = RwSignal::new(initial.number);
    let name = RwSignal::new(initial.name);
    let chosen_store = RwSignal::new(initial.store_id);
    let serial = RwSignal::new(initial.serial_number);
    let touched = RwSignal::new(false);
    let problem = move || serial_number_problem(&serial.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if problem().is_some() {
            return;
        }
        on_submit.run(TerminalInput {
            number: number.get_untracked(),
            name: name.get_untracked(),
            store_id: chosen_store.get_untracked(),
            serial_number: serial.get_untracked(),
            service: Some(TerminalService {
                model: some(model),
                software: some(software),
                in_service_since: some(since),
                out_of_service_since: some(until),
            }),
        });
    };
    let store_select = move || {
        let choices = stores.get();
        (store_id.is_none() && !choices.is_empty()).then(|| {
            if chosen_store.get_untracked() == 0 {
                chosen_store.set(choices[0].0);
            }
            view! {
                <label class="field">
                    <span>{tr(Text::Store)}</span>
                    <select
                        name="store_id"
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse() {
                                chosen_store.set(id);
                            }
                        }
                    >
                        {choices
                            .into_iter()
                            .map(|(id, label)| {
                                view! {
                                    <option value=id.to_string() selected=move || chosen_store.get() == id>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{tr(Text::Number)}</span>
                <input type="text" name="number" required maxlength=NUMBER_MAX bind:value=number />
                <FieldError refusal field="number" />
            </label>
            <label class="field">
                <span>{tr(Text::Name)}</span>
                <input type="text" name="name" required maxlength=NAME_MAX bind:value=name />
                <FieldError refusal field="name" />
            </label>
            {store_select}
            <label class="field">
                <span>{tr(Text::SerialNumber)}</span>
                <input
                    type="text"
                    name="serial_number"
                    maxlength=SERIAL_MAX
                    bind:value=serial
                    on:input=move |_| touched.set(true)
                    aria-invalid=move || (touched.get() && problem().is_some()).to_string()
                />
                <span class="field-problem" aria-live="polite">
                    {move || {
                        problem()
                            .filter(|_| touched.get())
                            .map(|p| p.message(locale.get()))
                    }}
                </span>
                <FieldError refusal field="serial_number" />
            </label>
            <details class="service">
                <summary>{tr(Text::ForTheTaxOffice)}</summary>
                <label class="field">
                    <span>{tr(Text::Model)}</span>
                    <input type="text" name="model" maxlength=SERVICE_TEXT_MAX bind:value=model />
                    <FieldError refusal field="model" />
                </label>
                <label class="field">
                    <span>{tr(Text::Software)}</span>
                    <input type="text" name="software" maxlength=SERVICE_TEXT_MAX bind:value=software />
                    <FieldError refusal field="software" />
                </label>
                <label class="field">
                    <span>{tr(Text::InServiceSince)}</span>
                    <input type="date" name="in_service_since" bind:value=since />
                    <FieldError refusal field="in_service_since" />
                </label>
                <label class="field">
                    <span>{tr(Text::OutOfServiceSince)}</span>
                    <input type="date" name="out_of_service_since" bind:value=until />
                    <FieldError refusal field="out_of_service_since" />
                </label>
            </details>
            <button type="submit" class="button button-primary" disabled=move || pending.get()>
                {tr(Text::Save)}
            </button>
        </form>
    }
}
