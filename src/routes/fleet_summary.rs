//! The Store List's summary bar: how many stores cannot sign, and why, each part a filter of
//! the list (kept in the URL as `?readiness=`); and how many have a TSS certificate that expires
//! within 90 days, a filter too (`?certificate=expiring`).

use leptos::prelude::*;
use tss_model::{CertificateFilter, FleetOverview, Language, Readiness, ReadinessFilter};

use crate::components::format::maybe_date_time;
use crate::i18n::use_locale;

/// What one part of the bar says for `count` stores, in `language`.
fn part_label(filter: ReadinessFilter, count: u64, all: u64, language: Language) -> String {
    match (filter, language) {
        (ReadinessFilter::CannotSign, Language::De) => {
            format!("{count} von {all} Filialen können nicht signieren")
        }
        (ReadinessFilter::CannotSign, Language::En) => {
            format!("{count} of {all} stores cannot sign")
        }
        (ReadinessFilter::NoActiveTss, Language::De) => format!("{count} ohne aktive TSS"),
        (ReadinessFilter::NoActiveTss, Language::En) => format!("{count} without an active TSS"),
        (ReadinessFilter::CertificateExpired, Language::De) => {
            format!("{count} mit abgelaufenem TSS-Zertifikat")
        }
        (ReadinessFilter::CertificateExpired, Language::En) => {
            format!("{count} with an expired TSS certificate")
        }
        (ReadinessFilter::SomeCannotSign, Language::De) => {
            format!("{count} mit Kassen, die nicht signieren können")
        }
        (ReadinessFilter::SomeCannotSign, Language::En) => {
            format!("{count} with POS terminals that cannot sign")
        }
        (ReadinessFilter::NoTerminal, Language::De) => format!("{count} ohne Kasse"),
        (ReadinessFilter::NoTerminal, Language::En) => format!("{count} without a POS terminal"),
        (ReadinessFilter::Ready, Language::De) => format!("{count} bereit"),
        (ReadinessFilter::Ready, Language::En) => format!("{count} ready"),
    }
}

/// What the certificate part of the bar says for `count` stores, in `language`.
fn certificate_label(count: u64, language: Language) -> String {
    match language {
        Language::De => {
            format!("{count} mit TSS-Zertifikat, das in ≤ 90 Tagen abläuft oder abgelaufen ist")
        }
        Language::En => {
            format!("{count} with a TSS certificate expiring within 90 days or expired")
        }
    }
}

/// How many stores pass `filter`.
fn count_of(overview: &FleetOverview, filter: ReadinessFilter) -> u64 {
    Readiness::ALL
        .into_iter()
        .filter(|r| filter.admits(*r))
        .map(|r| overview.stores_by_readiness.get(&r).copied().unwrap_or(0))
        .sum()
}

/// The bar's facts beside the filters: TSS with Error Text and the last refresh.
fn facts(overview: &FleetOverview, language: Language) -> String {
    let errors = overview.tss_with_error;
    let refreshed = overview.last_refresh.map(|at| maybe_date_time(Some(at)));
    match (language, refreshed) {
        (Language::De, Some(at)) => format!("{errors} TSS mit Fehlertext · zuletzt gelesen {at}"),
        (Language::De, None) => format!("{errors} TSS mit Fehlertext · noch nie gelesen"),
        (Language::En, Some(at)) => format!("{errors} TSS with Error Text · last read {at}"),
        (Language::En, None) => format!("{errors} TSS with Error Text · never read"),
    }
}

/// The summary bar of `overview`; a click on a part shows only its stores (`on_filter`), a
/// click on the part already chosen shows every store again.
#[component]
pub fn FleetSummary(
    /// The fleet's counts.
    overview: FleetOverview,
    /// The filter the list shows now.
    chosen: Signal<Option<ReadinessFilter>>,
    /// Called with the filter to show (`None`: every store).
    on_filter: Callback<Option<ReadinessFilter>>,
    /// The certificate filter the list shows now.
    certificate: Signal<Option<CertificateFilter>>,
    /// Called with the certificate filter to show (`None`: every store).
    on_certificate: Callback<Option<CertificateFilter>>,
) -> impl IntoView {
    let locale = use_locale();
    let all = overview.stores;
    let expiring = overview.stores_certificate_expiring;
    let expiring_pressed = move || certificate.get() == Some(CertificateFilter::Expiring);
    let show_expiring = expiring > 0 || certificate.get_untracked().is_some();
    let expiring_class = if expiring > 0 {
        "fleet-part tone-pending"
    } else {
        "fleet-part tone-neutral"
    };
    let parts: Vec<(ReadinessFilter, u64)> = ReadinessFilter::ALL
        .into_iter()
        .map(|filter| (filter, count_of(&overview, filter)))
        .filter(|(filter, count)| *count > 0 || *filter == ReadinessFilter::CannotSign)
        .collect();
    let overview = StoredValue::new(overview);
    view! {
        <nav class="fleet-summary" data-stores=all>
            {parts
                .into_iter()
                .map(|(filter, count)| {
                    let pressed = move || chosen.get() == Some(filter);
                    let tone = match filter {
                        ReadinessFilter::Ready => "tone-ok",
                        _ if count == 0 => "tone-neutral",
                        _ => "tone-broken",
                    };
                    view! {
                        <button
                            type="button"
                            class=format!("fleet-part {tone}")
                            data-filter=filter.as_str()
                            data-count=count
                            aria-pressed=move || pressed().to_string()
                            on:click=move |_| {
                                on_filter.run((!pressed()).then_some(filter));
                            }
                        >
                            {move || part_label(filter, count, all, locale.get())}
                        </button>
                    }
                })
                .collect_view()}
            {show_expiring
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class=expiring_class
                            data-filter="certificate_expiring"
                            data-count=expiring
                            aria-pressed=move || expiring_pressed().to_string()
                            on:click=move |_| {
                                on_certificate
                                    .run((!expiring_pressed()).then_some(CertificateFilter::Expiring));
                            }
                        >
                            {move || certificate_label(expiring, locale.get())}
                        </button>
                    }
                })}
            <span class="fleet-facts">
                {move || overview.with_value(|o| facts(o, locale.get()))}
            </span>
        </nav>
    }
}
