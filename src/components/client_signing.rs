//! Whether a POS terminal's client can sign: its state badge, or "cannot sign" with the state of
//! its TSS when it is REGISTERED at a TSS that cannot sign (DISABLED, DEFECTIVE, …, or with an
//! expired certificate).

use leptos::prelude::*;
use tss_model::{ClientEntry, ClientState, TssState};

use crate::components::{BadgeState, StateBadge};
use crate::i18n::{tr, use_locale, Text};

/// A client's state badge, and "Cannot sign: the TSS is …" when it is REGISTERED at a TSS that
/// cannot sign; "None" without a client.
#[component]
pub fn ClientSigning(
    /// The terminal's client, if it has one.
    client: Option<ClientEntry>,
) -> impl IntoView {
    let locale = use_locale();
    match client {
        None => view! { <span class="muted">{tr(Text::NoClient)}</span> }.into_any(),
        Some(client) => {
            let can_sign = client.can_sign().to_string();
            let blocked = (client.state == ClientState::Registered && !client.can_sign())
                .then(|| (client.tss_state.clone(), client.tss_certificate_expired));
            view! {
                <span class="client-signing" data-can-sign=can_sign>
                    {match blocked {
                        Some((tss_state, certificate_expired)) => {
                            let words = move || {
                                if certificate_expired && tss_state == TssState::Initialized {
                                    return Text::CannotSignCertificateExpired.get(locale.get()).to_owned();
                                }
                                Text::CannotSign.get(locale.get()).replace("{state}", tss_state.as_str())
                            };
                            view! {
                                <span class="state-badge tone-broken" data-state="CANNOT_SIGN">
                                    <span class="state-badge-icon" aria-hidden="true">"✕"</span>
                                    <span class="state-badge-label">{words}</span>
                                </span>
                            }
                                .into_any()
                        }
                        None => view! { <StateBadge state=BadgeState::Client(client.state) /> }.into_any(),
                    }}
                </span>
            }
                .into_any()
        }
    }
}
