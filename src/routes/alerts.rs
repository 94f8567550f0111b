//! `/alerts`: what the console noticed that needs somebody (a store that stopped signing, a TSS
//! with Error Text, a certificate in its last 90 days, a TSS past 180 clients): open,
//! acknowledged (who, when) or resolved (`?status=`); operators acknowledge. The list reads
//! again after every change it hears of. Administrators set up webhooks below it.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::{Alert, AlertStatus, Language, Role};

use super::search::{query_param, set_query_param};
use super::webhooks::WebhooksSection;
use crate::api::use_api;
use crate::components::format::maybe_date_time;
use crate::components::{api_action, list_or_message, ActionButton, Page};
use crate::i18n::{tr, use_locale, Text};
use crate::live::{reload_after_burst, use_live};
use crate::session::use_session;

/// A status's tab label, in `language`.
fn status_label(status: AlertStatus, language: Language) -> &'static str {
    match (status, language) {
        (AlertStatus::Open, Language::De) => "Offen",
        (AlertStatus::Open, Language::En) => "Open",
        (AlertStatus::Acknowledged, Language::De) => "Zur Kenntnis genommen",
        (AlertStatus::Acknowledged, Language::En) => "Acknowledged",
        (AlertStatus::Resolved, Language::De) => "Behoben",
        (AlertStatus::Resolved, Language::En) => "Resolved",
    }
}

/// The Alerts page.
#[component]
pub fn Alerts() -> impl IntoView {
    let api = use_api();
    let locale = use_locale();
    let status_param = query_param("status");
    let set_param = set_query_param();
    let status =
        Signal::derive(move || AlertStatus::parse(&status_param.get()).unwrap_or_default());
    let version = RwSignal::new(0_u32);
    let alerts = LocalResource::new(move || {
        version.track();
        let (api, status) = (api.clone(), status.get());
        async move { api.alerts(status).await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let reload_soon = reload_after_burst(version);
    use_live().on_change(move |_| reload_soon());
    let session = use_session();
    view! {
        <Page name="alerts" title=tr(Text::NavAlerts)>
            <nav class="fleet-summary" aria-label=tr(Text::NavAlerts)>
                {AlertStatus::ALL
                    .into_iter()
                    .map(|tab| {
                        let set_param = set_param.clone();
                        view! {
                            <button
                                type="button"
                                class="fleet-part"
                                data-status=tab.as_str()
                                aria-pressed=move || (status.get() == tab).to_string()
                                on:click=move |_| set_param("status", tab.as_str().to_owned())
                            >
                                {move || status_label(tab, locale.get())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    alerts
                        .get()
                        .map(|loaded| {
                            list_or_message(
                                loaded,
                                Text::NoAlerts,
                                move |rows| {
                                    view! {
                                        <ul class="alert-list">
                                            {rows
                                                .into_iter()
                                                .map(|alert| view! { <AlertItem alert on_done=reload /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                },
                                reload,
                            )
                        })
                }}
            </Transition>
            <Show when=move || session.may(Role::Admin)>
                <WebhooksSection />
            </Show>
        </Page>
    }
}

/// One alert: its kind, store, words, times, and Acknowledge while open.
#[component]
fn AlertItem(
    /// The alert.
    alert: Alert,
    /// Runs after an acknowledgement.
    on_done: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let id = alert.id;
    let acknowledge = api_action(
        move |api, _: ()| api.acknowledge_alert(id),
        Some(Text::Acknowledged),
        move |_| on_done.run(()),
    );
    let open = alert.status() == AlertStatus::Open;
    let kind = alert.kind;
    let store_href = format!("/stores/{}", alert.store_id);
    let acknowledged = alert
        .acknowledged_by
        .clone()
        .map(|by| (by, alert.acknowledged_at));
    let text = StoredValue::new(alert.clone());
    view! {
        <li class="card alert" data-alert=id data-kind=kind.as_str()>
            <p class="alert-head">
                <strong>{move || kind.label(locale.get())}</strong>
                " · "
                <A href=store_href>{alert.store_number.clone()} " " {alert.store_name.clone()}</A>
            </p>
            <p class="alert-text">{move || text.with_value(|a| a.text(locale.get()).to_owned())}</p>
            <dl class="facts">
                <dt>{tr(Text::AlertRaised)}</dt>
                <dd>{maybe_date_time(Some(alert.raised_at))}</dd>
                {acknowledged
                    .map(|(by, at)| {
                        view! {
                            <dt>{tr(Text::AlertAcknowledged)}</dt>
                            <dd class="acknowledged">{by} " · " {maybe_date_time(at)}</dd>
                        }
                    })}
                {alert
                    .resolved_at
                    .map(|at| {
                        view! {
                            <dt>{tr(Text::AlertResolved)}</dt>
                            <dd>{maybe_date_time(Some(at))}</dd>
                        }
                    })}
            </dl>
            {open
                .then(|| {
                    view! {
                        <div class="toolbar">
                            <ActionButton
                                label=tr(Text::Acknowledge)
                                needs=Role::Operator
                                pending=acknowledge.pending()
                                on_click=Callback::new(move |_| {
                                    acknowledge.dispatch(());
                                })
                            />
                        </div>
                    }
                })}
        </li>
    }
}
