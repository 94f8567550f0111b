//! An API error in the staff's language: the proxy sends a stable code (and, for a field, the
//! field and its problem); the words are the app's. The proxy's English message is only a detail.

use tss_model::{ApiError, ErrorCode, Language};

use crate::i18n::Text;

/// The label of a request field, by its JSON name, as the forms show it.
fn field_label(field: &str) -> Option<Text> {
    Some(match field {
        "number" => Text::Number,
        "name" => Text::Name,
        "street" => Text::Street,
        "city" => Text::City,
        "serial_number" => Text::SerialNumber,
        "store_id" => Text::Store,
        "tss_id" => Text::Tss,
        "username" => Text::Username,
        "password" => Text::Password,
        "role" => Text::Role,
        "base_url" => Text::BaseUrl,
        "api_key" => Text::ApiKey,
        "api_secret" => Text::ApiSecret,
        "model" => Text::Model,
        "software" => Text::Software,
        "in_service_since" => Text::InServiceSince,
        "out_of_service_since" => Text::OutOfServiceSince,
        "url" => Text::WebhookUrl,
        "kinds" => Text::WebhookKinds,
        "tax_number" => Text::TaxNumber,
        "time" => Text::NightlyRefreshTime,
        _ => return None,
    })
}

/// What staff read for `error` in `language`: "Name: Please fill this in." for a field, else what
/// the code means.
pub fn error_text(error: &ApiError, language: Language) -> String {
    let text = error.staff_text(language);
    let label = error.error.field.as_deref().and_then(field_label);
    match (label, error.error.problem) {
        (Some(label), Some(_)) => format!("{}: {text}", label.get(language)),
        _ => text,
    }
}

/// The proxy's own (English) words, when they add to [`error_text`]: only in an English page
/// (a German page says it all in German), never for a field's problem (the field says it all)
/// nor for errors the app made itself.
pub fn error_detail(error: &ApiError, language: Language) -> Option<String> {
    let made_by_the_app = matches!(
        error.error.code,
        ErrorCode::ServerUnreachable | ErrorCode::UnreadableAnswer
    );
    let message = error.error.message.trim();
    let adds = error.error.problem.is_none() && !made_by_the_app && !message.is_empty();
    (language == Language::En && adds).then(|| message.to_owned())
}
