//! `/audit`: the audit log for administrators: who changed what when, with its result and
//! fiskaly's request-id; filtered by user (`?actor=`), action (`?action=`) and result
//! (`?result=`), paged towards older entries.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::{AuditAction, AuditEvent, AuditFilter};

use super::search::{query_param, set_query_param};
use crate::api::use_api;
use crate::components::format::date_time;
use crate::components::{list_or_message, Page};
use crate::i18n::{tr, use_locale, Text};

/// Entries per page.
const PAGE_SIZE: i64 = 50;

/// The staff's name of a recorded action.
fn action_text(action: AuditAction) -> Text {
    match action {
        AuditAction::GenerateTss => Text::GenerateNewTss,
        AuditAction::InitializeTss => Text::InitialTss,
        AuditAction::RefreshTss => Text::RefreshTss,
        AuditAction::DisableTss => Text::DisableTss,
        AuditAction::ReplaceTss => Text::ReplaceTss,
        AuditAction::GenerateClient => Text::GenerateClientId,
        AuditAction::GenerateClients => Text::GenerateClientIds,
        AuditAction::DeregisterClient => Text::DeregisterClient,
        AuditAction::CreateStore => Text::NewStore,
        AuditAction::UpdateStore => Text::EditStore,
        AuditAction::CreateTerminal => Text::NewTerminal,
        AuditAction::UpdateTerminal => Text::EditTerminal,
        AuditAction::ImportStores => Text::ImportFromErp,
        AuditAction::SaveFiskalySettings => Text::SaveFiskalySettings,
        AuditAction::TestFiskalyConnection => Text::TestConnection,
        AuditAction::SaveRefreshSchedule => Text::SaveRefreshSchedule,
        AuditAction::AcknowledgeAlert => Text::AcknowledgeAlert,
        AuditAction::AddWebhook => Text::AddWebhook,
        AuditAction::ChangeWebhook => Text::ChangeWebhook,
        AuditAction::RemoveWebhook => Text::RemoveWebhook,
        AuditAction::SaveOrganisation => Text::SaveOrganisation,
        AuditAction::SubmitReport => Text::SubmitReport,
        AuditAction::Login => Text::LogIn,
        AuditAction::Logout => Text::LogOut,
        AuditAction::AddUser => Text::NewUser,
        AuditAction::ResetPassword => Text::NewPassword,
        AuditAction::ChangeRole => Text::RoleChanged,
        AuditAction::RemoveUser => Text::RemoveUser,
    }
}

/// The Audit Log page.
#[component]
pub fn AuditLog() -> impl IntoView {
    let api = use_api();
    let actor = query_param("actor");
    let result = query_param("result");
    let action = query_param("action");
    let set_param = set_query_param();
    let before_id = RwSignal::new(None::<i64>);
    let version = RwSignal::new(0_u32);
    let retry = Callback::new(move |_| version.update(|v| *v += 1));
    let events = LocalResource::new(move || {
        version.track();
        let filter = AuditFilter {
            actor: Some(actor.get()).filter(|a| !a.trim().is_empty()),
            result: Some(result.get()).filter(|r| !r.is_empty()),
            action: AuditAction::parse(&action.get()),
            before_id: before_id.get(),
            limit: Some(PAGE_SIZE),
            ..AuditFilter::default()
        };
        let api = api.clone();
        async move { api.audit(filter).await }
    });
    let oldest_shown = move || {
        events
            .get()
            .and_then(|r| r.ok())
            .filter(|list| list.len() as i64 == PAGE_SIZE)
            .and_then(|list| list.last().map(|e| e.id))
    };
    let set_result = set_param.clone();
    let set_action = set_param.clone();
    view! {
        <Page name="audit-log" title=tr(Text::AuditTitle)>
            <div class="toolbar">
                <label class="field search">
                    <span>{tr(Text::Who)}</span>
                    <input
                        type="search"
                        name="actor"
                        prop:value=move || actor.get()
                        on:input=move |ev| {
                            before_id.set(None);
                            set_param("actor", event_target_value(&ev));
                        }
                    />
                </label>
                <label class="field">
                    <span>{tr(Text::Action)}</span>
                    <select
                        name="action"
                        prop:value=move || action.get()
                        on:change=move |ev| {
                            before_id.set(None);
                            set_action("action", event_target_value(&ev));
                        }
                    >
                        <option value="">{tr(Text::AnyAction)}</option>
                        {AuditAction::ALL
                            .iter()
                            .map(|action| {
                                view! { <option value=action.as_str()>{tr(action_text(*action))}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{tr(Text::Result)}</span>
                    <select
                        name="result"
                        prop:value=move || result.get()
                        on:change=move |ev| {
                            before_id.set(None);
                            set_result("result", event_target_value(&ev));
                        }
                    >
                        <option value="">{tr(Text::AnyResult)}</option>
                        <option value="succeeded">{tr(Text::Succeeded)}</option>
                        <option value="failed">{tr(Text::Failed)}</option>
                    </select>
                </label>
            </div>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    events.get().map(|loaded| list_or_message(loaded, Text::AuditEmpty, |list| view! { <AuditTable events=list /> }.into_any(), retry))
                }}
            </Transition>
            <div class="actions">
                <Show when=move || before_id.get().is_some()>
                    <button type="button" class="button" on:click=move |_| before_id.set(None)>
                        {tr(Text::NewestEntries)}
                    </button>
                </Show>
                {move || {
                    oldest_shown()
                        .map(|id| {
                            view! {
                                <button type="button" class="button" on:click=move |_| before_id.set(Some(id))>
                                    {tr(Text::OlderEntries)}
                                </button>
                            }
                        })
                }}
            </div>
        </Page>
    }
}

/// The entries as a table (cards on narrow screens).
#[component]
fn AuditTable(events: Vec<AuditEvent>) -> impl IntoView {
    view! {
        <table class="list audit-list">
            <thead>
                <tr>
                    <th>{tr(Text::When)}</th>
                    <th>{tr(Text::Who)}</th>
                    <th>{tr(Text::Action)}</th>
                    <th>{tr(Text::Concerns)}</th>
                    <th>{tr(Text::Result)}</th>
                </tr>
            </thead>
            <tbody>
                {events.into_iter().map(|event| view! { <AuditRow event /> }).collect_view()}
            </tbody>
        </table>
    }
}

/// One entry.
#[component]
fn AuditRow(event: AuditEvent) -> impl IntoView {
    let locale = use_locale();
    let failed = event.result == "failed";
    let result = if failed {
        Text::Failed
    } else {
        Text::Succeeded
    };
    let store = event.store_id.map(|id| {
        view! { <A href=format!("/stores/{id}")>{tr(Text::StoreCardTitle)} " " {id}</A> }
    });
    let terminal = event.terminal_id.map(|id| {
        view! { <A href=format!("/terminals/{id}")>{tr(Text::TerminalCardTitle)} " " {id}</A> }
    });
    view! {
        <tr class="audit-row" data-result=event.result.clone()>
            <td data-label=tr(Text::When)>{date_time(event.at)}</td>
            <td data-label=tr(Text::Who) class="audit-actor">{event.actor}</td>
            <td data-label=tr(Text::Action)>
                <span class="audit-action" data-action=event.action.as_str()>
                    {tr(action_text(event.action))}
                </span>
            </td>
            <td data-label=tr(Text::Concerns)>
                {store} " " {terminal} " " {event.tss_id.map(|id| view! { <code>{id}</code> })}
                {event.account.map(|name| view! { <span class="audit-account">{name}</span> })}
            </td>
            <td data-label=tr(Text::Result) class=if failed { "audit-failed" } else { "audit-succeeded" }>
                {tr(result)}
                {event
                    .error_code
                    .map(|code| view! { <div class="error-text">{move || code.text(locale.get())}</div> })}
                {event.error.map(|error| view! { <small class="detail" lang="en">{error}</small> })}
                {event
                    .fiskaly_request_id
                    .map(|id| view! { <div class="request-id" title="fiskaly request-id"><code>{id}</code></div> })}
            </td>
        </tr>
    }
}
