//! Dates as German staff read them (`25.11.2026 14:05`), in the browser's time zone.

/// A unix time as `DD.MM.YYYY HH:MM`.
pub fn date_time(unix_seconds: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        unix_seconds as f64 * 1000.0,
    ));
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        date.get_date(),
        date.get_month() + 1,
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// A unix time as `DD.MM.YYYY`.
pub fn date(unix_seconds: i64) -> String {
    date_time(unix_seconds)[..10].to_owned()
}

/// The browser's now, in unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// An optional unix time, or a dash.
pub fn maybe_date_time(unix_seconds: Option<i64>) -> String {
    unix_seconds.map(date_time).unwrap_or_else(|| "–".into())
}

/// A count with its thousands grouped as `language` writes them: `30.000` or `30,000`.
pub fn grouped(count: u64, language: tss_model::Language) -> String {
    let separator = match language {
        tss_model::Language::De => '.',
        tss_model::Language::En => ',',
    };
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}
