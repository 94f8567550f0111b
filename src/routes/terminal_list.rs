//! `/terminals`: the POS Terminal List, with search (`?q=`), a store filter (`?store=`) and the
//! New terminal form.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::{LiveEvent, Terminal};

use super::search::{query_param, set_query_param};
use crate::api::use_api;
use crate::components::{
    api_action, list_or_message, load_failure, refusal_of, BadgeState, ClientSigning, FormPanel,
    Page, StateBadge, TerminalForm,
};
use crate::i18n::{tr, Text};
use crate::live::{reload_after_burst, use_live};

/// The POS Terminal List page.
#[component]
pub fn TerminalList() -> impl IntoView {
    let api = use_api();
    let search = query_param("q");
    let store_filter = query_param("store");
    let set_param = set_query_param();
    let version = RwSignal::new(0_u32);
    let stores_version = RwSignal::new(0_u32);
    let stores = LocalResource::new({
        let api = api.clone();
        move || {
            stores_version.track();
            let api = api.clone();
            async move { api.stores(String::new()).await }
        }
    });
    let store_choices = Signal::derive(move || {
        stores
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.store.id, format!("{} {}", s.store.number, s.store.name)))
            .collect::<Vec<_>>()
    });
    let stores_failed = move || match stores.get() {
        Some(Err(error)) => Some(load_failure(
            error,
            Callback::new(move |_| stores_version.update(|v| *v += 1)),
        )),
        _ => None,
    };
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    // A change of a terminal, a client or a TSS (whose state each row shows) is read again.
    let reload_soon = reload_after_burst(version);
    use_live().on_change(move |change| {
        if matches!(change, LiveEvent::Store { .. }) {
            stores_version.update(|v| *v += 1);
        }
        reload_soon();
    });
    let terminals = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        let (query, store) = (search.get(), store_filter.get().parse::<i64>().ok());
        async move { api.terminals(store, query).await }
    });
    let create = api_action(
        |api, input| api.create_terminal(input),
        Some(Text::Saved),
        move |_| reload.run(()),
    );
    let set_store = set_param.clone();
    view! {
        <Page name="terminal-list" title=tr(Text::TerminalListTitle)>
            <div class="toolbar">
                <label class="field search">
                    <span>{tr(Text::Search)}</span>
                    <input
                        type="search"
                        name="q"
                        placeholder=tr(Text::SearchTerminalsHint)
                        prop:value=move || search.get()
                        on:input=move |ev| set_param("q", event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span>{tr(Text::Store)}</span>
                    <select name="store" on:change=move |ev| set_store("store", event_target_value(&ev))>
                        <option value="">{tr(Text::AllStores)}</option>
                        {move || {
                            store_choices
                                .get()
                                .into_iter()
                                .map(|(id, label)| {
                                    let value = id.to_string();
                                    let selected = store_filter.get() == value;
                                    view! { <option value=value selected=selected>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </div>
            {stores_failed}
            <FormPanel title=Text::NewTerminal>
                <TerminalForm
                    stores=store_choices
                    pending=create.pending()
                    refusal=refusal_of(create)
                    on_submit=Callback::new(move |input| {
                        create.dispatch(input);
                    })
                />
            </FormPanel>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    terminals
                        .get()
                        .map(|result| {
                            list_or_message(result, Text::TerminalListEmpty, |rows| view! { <TerminalTable rows /> }.into_any(), reload)
                        })
                }}
            </Transition>
        </Page>
    }
}

/// The terminals as a table (cards on narrow screens).
#[component]
fn TerminalTable(
    /// The rows.
    rows: Vec<Terminal>,
) -> impl IntoView {
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th>{tr(Text::Number)}</th>
                    <th>{tr(Text::Name)}</th>
                    <th>{tr(Text::Store)}</th>
                    <th>{tr(Text::SerialNumber)}</th>
                    <th>{tr(Text::ClientState)}</th>
                    <th>{tr(Text::TssState)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|t| {
                        let href = format!("/terminals/{}", t.id);
                        let client = t.client.clone();
                        view! {
                            <tr data-terminal=t.id>
                                <td data-label=tr(Text::Number)><A href=href.clone()>{t.number.clone()}</A></td>
                                <td data-label=tr(Text::Name)><A href=href>{t.name.clone()}</A></td>
                                <td data-label=tr(Text::Store)>{t.store_number.clone()} " " {t.store_name.clone()}</td>
                                <td data-label=tr(Text::SerialNumber)><code>{t.serial_number.clone()}</code></td>
                                <td data-label=tr(Text::ClientState)>
                                    {client.clone().map(|c| view! { <ClientSigning client=Some(c) /> })}
                                </td>
                                <td data-label=tr(Text::TssState)>
                                    {client.map(|c| view! { <StateBadge state=BadgeState::Tss(c.tss_state) /> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
