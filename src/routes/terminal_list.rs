//! `/terminals`: the POS Terminal List, a page at a time, with search (`?q=`), a store filter
//! (`?store=`), a client filter (`?client=`, e.g. "cannot sign") and the New terminal form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tss_model::{ClientFilter, LiveEvent, StoreQuery, Terminal, TerminalQuery, MAX_PAGE_SIZE};

use super::search::{debounced, query_param, set_query_param};
use crate::api::use_api;
use crate::components::{
    api_action, list_or_message, load_failure, refusal_of, BadgeState, ClientSigning, FormPanel,
    Page, Paging, PagingFooter, StateBadge, TerminalForm,
};
use crate::i18n::{tr, Text};
use crate::live::{reload_after_burst, use_live};

/// The POS Terminal List page.
#[component]
pub fn TerminalList() -> impl IntoView {
    let api = use_api();
    let search = query_param("q");
    let store_filter = query_param("store");
    let client_filter = query_param("client");
    let set_param = set_query_param();
    let version = RwSignal::new(0_u32);
    let stores_version = RwSignal::new(0_u32);
    let stores = LocalResource::new({
        let api = api.clone();
        move || {
            stores_version.track();
            let api = api.clone();
            // The choices of the store filter and the form: the first stores by number.
            let query = StoreQuery {
                limit: Some(MAX_PAGE_SIZE),
                ..StoreQuery::default()
            };
            async move { api.stores(query).await.map(|page| page.items) }
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
        if !change.is_refresh_progress() {
            reload_soon();
        }
    });
    let query = Memo::new(move |_| TerminalQuery {
        q: search.get(),
        store_id: store_filter.get().parse().ok(),
        client: ClientFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == client_filter.get()),
        ..TerminalQuery::default()
    });
    let paging = Paging::new();
    let terminals = LocalResource::new({
        let api = api.clone();
        move || {
            version.track();
            let query = query.get();
            let limit = paging.first_page_size(query.query_pairs());
            let query = TerminalQuery {
                limit: Some(limit),
                ..query
            };
            let api = api.clone();
            async move {
                let page = api.terminals(query).await;
                paging.started(&page);
                page
            }
        }
    });
    let load_more = {
        let api = api.clone();
        move || {
            let Some((cursor, generation)) = paging.next_cursor() else {
                return;
            };
            let request = TerminalQuery {
                cursor: Some(cursor),
                ..query.get_untracked()
            };
            let api = api.clone();
            spawn_local(async move { paging.continued(generation, api.terminals(request).await) });
        }
    };
    let create = api_action(
        |api, input| api.create_terminal(input),
        Some(Text::Saved),
        move |_| reload.run(()),
    );
    let set_store = set_param.clone();
    let set_client = set_param.clone();
    let type_search = debounced(move |text: String| set_param("q", text));
    let typed = RwSignal::new(search.get_untracked());
    view! {
        <Page name="terminal-list" title=tr(Text::TerminalListTitle)>
            <div class="toolbar">
                <label class="field search">
                    <span>{tr(Text::Search)}</span>
                    <input
                        type="search"
                        name="q"
                        placeholder=tr(Text::SearchTerminalsHint)
                        prop:value=move || typed.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            typed.set(text.clone());
                            type_search(text);
                        }
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
                <label class="field">
                    <span>{tr(Text::ClientState)}</span>
                    <select name="client" on:change=move |ev| set_client("client", event_target_value(&ev))>
                        <option value="">{tr(Text::AllTerminals)}</option>
                        {ClientFilter::ALL
                            .into_iter()
                            .map(|filter| {
                                let selected = move || client_filter.get() == filter.as_str();
                                view! {
                                    <option value=filter.as_str() selected=selected>
                                        {tr(client_filter_text(filter))}
                                    </option>
                                }
                            })
                            .collect_view()}
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
                            let total = result.as_ref().map(|page| page.total).unwrap_or_default();
                            let rows = result.map(|page| page.items);
                            let load_more = load_more.clone();
                            list_or_message(rows, Text::TerminalListEmpty, move |rows| {
                                let first = rows.len();
                                let shown = Signal::derive(move || first + paging.more.with(Vec::len));
                                view! {
                                    <TerminalTable rows more=paging.more />
                                    <PagingFooter paging shown total load_more />
                                }.into_any()
                            }, reload)
                        })
                }}
            </Transition>
        </Page>
    }
}

/// What the client filter's choice says.
fn client_filter_text(filter: ClientFilter) -> Text {
    match filter {
        ClientFilter::CannotSign => Text::FilterCannotSign,
        ClientFilter::Registered => Text::FilterRegistered,
        ClientFilter::Deregistered => Text::FilterDeregistered,
        ClientFilter::NoClient => Text::FilterNoClient,
    }
}

/// The terminals as a table (cards on narrow screens).
#[component]
fn TerminalTable(
    /// The first page's rows.
    rows: Vec<Terminal>,
    /// The rows of the pages after it.
    more: RwSignal<Vec<Terminal>>,
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
                {rows.into_iter().map(terminal_row).collect_view()}
                {move || more.get().into_iter().map(terminal_row).collect_view()}
            </tbody>
        </table>
    }
}

/// One terminal's row.
fn terminal_row(t: Terminal) -> impl IntoView {
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
}
