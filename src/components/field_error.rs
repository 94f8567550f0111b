//! A refused form's error at the field it concerns, in the staff's language.

use leptos::prelude::*;
use tss_model::ApiError;

use crate::i18n::use_locale;

/// The problem the proxy found with `field` in the last refusal, if any (read out politely).
#[component]
pub fn FieldError(
    /// The last refusal of the form's request.
    refusal: Signal<Option<ApiError>>,
    /// The field's JSON name, e.g. `number`.
    field: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let problem = move || {
        refusal
            .get()
            .filter(|e| e.error.field.as_deref() == Some(field))
            .and_then(|e| e.error.problem)
            .map(|problem| problem.text(locale.get()))
    };
    view! {
        <span class="field-problem" aria-live="polite" data-field-error=field>
            {problem}
        </span>
    }
}
