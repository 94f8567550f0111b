//! The form to add or edit a store: number, name, street, city.

use leptos::prelude::*;
use tss_model::{
    ApiError, StoreInput, CITY_MAX, NAME_MAX, STORE_NUMBER_MAX as NUMBER_MAX, STREET_MAX,
};

use crate::components::FieldError;
use crate::i18n::{tr, Text};

/// A store form; the caller decides what submitting does.
#[component]
pub fn StoreForm(
    /// The values to start from (editing), or `None` for a new store.
    #[prop(optional)]
    initial: Option<StoreInput>,
    /// Whether the submit is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last refusal of the save, shown at its field.
    #[prop(into, optional)]
    refusal: Signal<Option<ApiError>>,
    /// Runs with the entered store.
    on_submit: Callback<StoreInput>,
) -> impl IntoView {
    let initial = initial.unwrap_or(StoreInput {
        number: String::new(),
        name: String::new(),
        street: String::new(),
        city: String::new(),
    });
    let number = RwSignal::new(initial.number);
    let name = RwSignal::new(initial.name);
    let street = RwSignal::new(initial.street);
    let city = RwSignal::new(initial.city);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(StoreInput {
            number: number.get_untracked(),
            name: name.get_untracked(),
            street: street.get_untracked(),
            city: city.get_untracked(),
        });
    };
    let field = move |label: Text, value: RwSignal<String>, key: &'static str, max: usize| {
        view! {
            <label class="field">
                <span>{tr(label)}</span>
                <input type="text" name=key required maxlength=max bind:value=value />
                <FieldError refusal field=key />
            </label>
        }
    };
    view! {
        <form class="form" on:submit=submit>
            {field(Text::Number, number, "number", NUMBER_MAX)}
            {field(Text::Name, name, "name", NAME_MAX)}
            {field(Text::Street, street, "street", STREET_MAX)}
            {field(Text::City, city, "city", CITY_MAX)}
            <button type="submit" class="button button-primary" disabled=move || pending.get()>
                {tr(Text::Save)}
            </button>
        </form>
    }
}
