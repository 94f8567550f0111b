//! The Alerts page's **Webhooks** section, for administrators: where new alerts are POSTed
//! (address, kinds, on/off), the secret shown once when one is added, and each webhook's
//! deliveries with their attempts.

use leptos::prelude::*;
use tss_model::{AlertKind, CreatedWebhook, Delivery, DeliveryStatus, Role, Webhook, WebhookInput};

use crate::api::use_api;
use crate::components::format::maybe_date_time;
use crate::components::{
    api_action, list_or_message, load_failure, refusal_of, ActionButton, CopyButton, FieldError,
};
use crate::i18n::{tr, use_locale, Text};

/// The section: the webhooks, the form to add one, the secret of the one just added.
#[component]
pub fn WebhooksSection() -> impl IntoView {
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let webhooks = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.webhooks().await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let created = RwSignal::new(None::<CreatedWebhook>);
    view! {
        <section class="card" aria-labelledby="webhooks">
            <h2 id="webhooks">{tr(Text::Webhooks)}</h2>
            <p class="field-hint">{tr(Text::WebhooksHint)}</p>
            {move || {
                created
                    .get()
                    .map(|made| {
                        view! {
                            <p class="banner" role="status" data-secret="">
                                {tr(Text::WebhookSecretOnce)} " " <code>{made.secret.clone()}</code> " "
                                <CopyButton value=made.secret label=Text::CopySecret />
                            </p>
                        }
                    })
            }}
            {move || {
                webhooks
                    .get()
                    .map(|loaded| match loaded {
                        Ok(list) => list_or_message(
                            Ok(list),
                            Text::NoWebhooks,
                            move |rows| {
                                view! {
                                    <ul class="webhook-list">
                                        {rows
                                            .into_iter()
                                            .map(|webhook| view! { <WebhookItem webhook on_changed=reload /> })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            },
                            reload,
                        ),
                        Err(error) => load_failure(error, reload),
                    })
            }}
            <NewWebhookForm on_added=Callback::new(move |made: CreatedWebhook| {
                created.set(Some(made));
                reload.run(());
            }) />
        </section>
    }
}

/// The kinds as checkboxes, bound to `chosen`.
fn kind_boxes(chosen: RwSignal<Vec<AlertKind>>) -> impl IntoView {
    let locale = use_locale();
    AlertKind::ALL
        .into_iter()
        .map(|kind| {
            let checked = move || chosen.with(|k| k.contains(&kind));
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="kinds"
                        value=kind.as_str()
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|kinds| {
                                kinds.retain(|k| *k != kind);
                                if on {
                                    kinds.push(kind);
                                }
                            });
                        }
                    />
                    <span>{move || kind.label(locale.get())}</span>
                </label>
            }
        })
        .collect_view()
}

/// The form that adds a webhook.
#[component]
fn NewWebhookForm(
    /// Runs with the new webhook and its secret.
    on_added: Callback<CreatedWebhook>,
) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let kinds = RwSignal::new(AlertKind::ALL.to_vec());
    let add = api_action(
        |api, input: WebhookInput| api.add_webhook(input),
        Some(Text::Saved),
        move |made: Option<&CreatedWebhook>| {
            if let Some(made) = made {
                on_added.run(made.clone());
            }
        },
    );
    let refusal = refusal_of(add);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(WebhookInput {
            url: url.get_untracked(),
            kinds: kinds.get_untracked(),
            enabled: true,
        });
    };
    view! {
        <form class="form" name="webhook" on:submit=submit>
            <label class="field">
                <span>{tr(Text::WebhookUrl)}</span>
                <input type="url" name="url" required placeholder="https://" bind:value=url />
                <FieldError refusal field="url" />
            </label>
            <fieldset class="field">
                <legend>{tr(Text::WebhookKinds)}</legend>
                {kind_boxes(kinds)}
                <FieldError refusal field="kinds" />
            </fieldset>
            <button type="submit" class="button button-primary" disabled=move || add.pending().get()>
                {tr(Text::AddWebhook)}
            </button>
        </form>
    }
}

/// One webhook: address, kinds, switch, Remove, and its deliveries on request.
#[component]
fn WebhookItem(
    /// The webhook.
    webhook: Webhook,
    /// Runs after a change.
    on_changed: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let id = webhook.id;
    let switched = WebhookInput {
        url: webhook.url.clone(),
        kinds: webhook.kinds.clone(),
        enabled: !webhook.enabled,
    };
    let switch = api_action(
        move |api, input: WebhookInput| api.change_webhook(id, input),
        Some(Text::Saved),
        move |_| on_changed.run(()),
    );
    let remove = api_action(
        move |api, _: ()| api.remove_webhook(id),
        Some(Text::Saved),
        move |_| on_changed.run(()),
    );
    let kinds = webhook.kinds.clone();
    let switch_label = if webhook.enabled {
        Text::WebhookOff
    } else {
        Text::WebhookOn
    };
    view! {
        <li class="card webhook" data-webhook=id data-enabled=webhook.enabled.to_string()>
            <p><code>{webhook.url.clone()}</code></p>
            <p class="muted">
                {move || {
                    kinds.iter().map(|k| k.label(locale.get())).collect::<Vec<_>>().join(" · ")
                }}
            </p>
            <div class="toolbar">
                <ActionButton
                    label=tr(switch_label)
                    needs=Role::Admin
                    pending=switch.pending()
                    on_click=Callback::new(move |_| {
                        switch.dispatch(switched.clone());
                    })
                />
                <ActionButton
                    label=tr(Text::RemoveWebhook)
                    needs=Role::Admin
                    danger=true
                    pending=remove.pending()
                    on_click=Callback::new(move |_| {
                        remove.dispatch(());
                    })
                />
            </div>
            <details class="deliveries">
                <summary>{tr(Text::Deliveries)}</summary>
                <Deliveries webhook_id=id />
            </details>
        </li>
    }
}

/// "Zugestellt", "Ausstehend", "Aufgegeben" in `language`.
fn delivery_status(status: DeliveryStatus, language: tss_model::Language) -> &'static str {
    use tss_model::Language::{De, En};
    match (status, language) {
        (DeliveryStatus::Pending, De) => "Ausstehend",
        (DeliveryStatus::Pending, En) => "Pending",
        (DeliveryStatus::Delivered, De) => "Zugestellt",
        (DeliveryStatus::Delivered, En) => "Delivered",
        (DeliveryStatus::Failed, De) => "Aufgegeben",
        (DeliveryStatus::Failed, En) => "Given up",
    }
}

/// A webhook's deliveries: status, attempts, the receiver's last answer.
#[component]
fn Deliveries(
    /// The webhook.
    webhook_id: i64,
) -> impl IntoView {
    let api = use_api();
    let locale = use_locale();
    let version = RwSignal::new(0_u32);
    let deliveries = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.deliveries(webhook_id).await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let row = move |delivery: Delivery| {
        let answer = delivery
            .last_status
            .map(|s| s.to_string())
            .or(delivery.last_error.clone())
            .unwrap_or_else(|| "–".into());
        view! {
            <tr data-delivery=delivery.id>
                <td>{delivery.alert_id}</td>
                <td>{move || delivery_status(delivery.status, locale.get())}</td>
                <td>{delivery.attempts}</td>
                <td>{maybe_date_time(delivery.last_attempt_at)}</td>
                <td>{answer}</td>
            </tr>
        }
    };
    view! {
        {move || {
            deliveries
                .get()
                .map(|loaded| {
                    list_or_message(
                        loaded,
                        Text::NoDeliveries,
                        move |rows| {
                            view! {
                                <table class="list">
                                    <thead>
                                        <tr>
                                            <th>{tr(Text::NavAlerts)}</th>
                                            <th>{tr(Text::DeliveryStatus)}</th>
                                            <th>{tr(Text::Attempts)}</th>
                                            <th>{tr(Text::LastAttempt)}</th>
                                            <th>{tr(Text::LastAnswer)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
                                </table>
                            }
                                .into_any()
                        },
                        reload,
                    )
                })
        }}
    }
}
