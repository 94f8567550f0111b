//! The warning badge of a TSS certificate that expires within 90 days ("Zertifikat läuft in 30
//! Tagen ab") or has expired ("Zertifikat abgelaufen").

use leptos::prelude::*;
use tss_model::CertificateExpiry;

use crate::i18n::use_locale;

/// The badge for `expiry`; nothing while the certificate is simply valid.
#[component]
pub fn CertificateWarning(
    /// How the certificate stands now.
    expiry: CertificateExpiry,
) -> impl IntoView {
    let locale = use_locale();
    let (class, kind) = match expiry {
        CertificateExpiry::Expired => ("state-badge certificate-warning tone-broken", "expired"),
        _ => ("state-badge certificate-warning tone-pending", "expiring"),
    };
    expiry.warning(locale.get_untracked()).map(|_| {
        view! {
            <span class=class data-certificate=kind>
                <span class="state-badge-icon" aria-hidden="true">"!"</span>
                <span class="state-badge-label">
                    {move || expiry.warning(locale.get()).unwrap_or_default()}
                </span>
            </span>
        }
    })
}
