//! `/stores`: the Store List, with search (`?q=`) and the New store form.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::StoreSummary;

use super::search::{query_param, set_query_param};
use crate::api::use_api;
use crate::components::{
    api_action, list_or_message, refusal_of, BadgeState, FormPanel, Page, ReadinessBadge,
    StateBadge, StoreForm,
};
use crate::i18n::{tr, Text};
use crate::live::{reload_after_burst, use_live};

/// The Store List page.
#[component]
pub fn StoreList() -> impl IntoView {
    let api = use_api();
    let search = query_param("q");
    let set_param = set_query_param();
    let version = RwSignal::new(0_u32);
    let stores = LocalResource::new(move || {
        version.track();
        let (api, query) = (api.clone(), search.get());
        async move { api.stores(query).await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    // Every change may change a store's row (its readiness, counts): the list is read again.
    let reload_soon = reload_after_burst(version);
    use_live().on_change(move |_| reload_soon());
    let create = api_action(
        |api, input| api.create_store(input),
        Some(Text::Saved),
        move |_| reload.run(()),
    );
    view! {
        <Page name="store-list" title=tr(Text::StoreListTitle)>
            <div class="toolbar">
                <label class="field search">
                    <span>{tr(Text::Search)}</span>
                    <input
                        type="search"
                        name="q"
                        placeholder=tr(Text::SearchStoresHint)
                        prop:value=move || search.get()
                        on:input=move |ev| set_param("q", event_target_value(&ev))
                    />
                </label>
            </div>
            <FormPanel title=Text::NewStore>
                <StoreForm
                    pending=create.pending()
                    refusal=refusal_of(create)
                    on_submit=Callback::new(move |input| {
                        create.dispatch(input);
                    })
                />
            </FormPanel>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    stores
                        .get()
                        .map(|result| {
                            list_or_message(result, Text::StoreListEmpty, |rows| view! { <StoreTable rows /> }.into_any(), reload)
                        })
                }}
            </Transition>
        </Page>
    }
}

/// How many rows the list shows before "Show all": keeps every search keystroke quick with
/// thousands of stores.
const SHOWN_AT_FIRST: usize = 200;

/// The stores as a table (cards on narrow screens), the first [`SHOWN_AT_FIRST`] unless all are
/// asked for.
#[component]
fn StoreTable(
    /// The rows.
    rows: Vec<StoreSummary>,
) -> impl IntoView {
    let total = rows.len();
    let show_all = RwSignal::new(false);
    let rows = StoredValue::new(rows);
    view! {
        {move || {
            let shown: Vec<StoreSummary> = rows.with_value(|rows| {
                let limit = if show_all.get() { rows.len() } else { SHOWN_AT_FIRST };
                rows.iter().take(limit).cloned().collect()
            });
            let count = shown.len();
            view! {
                <StoreRows rows=shown total />
                {(count < total)
                    .then(|| {
                        view! {
                            <p class="more">
                                {format!("{count} / {total}")} " "
                                <button type="button" class="button" on:click=move |_| show_all.set(true)>
                                    {tr(Text::ShowAll)}
                                </button>
                            </p>
                        }
                    })}
            }
        }}
    }
}

/// The table of the rows shown.
#[component]
fn StoreRows(
    /// The rows to show.
    rows: Vec<StoreSummary>,
    /// How many stores match the search.
    total: usize,
) -> impl IntoView {
    view! {
        <table class="list" data-total=total>
            <thead>
                <tr>
                    <th>{tr(Text::Number)}</th>
                    <th>{tr(Text::Name)}</th>
                    <th>{tr(Text::City)}</th>
                    <th>{tr(Text::Readiness)}</th>
                    <th>{tr(Text::TssCount)}</th>
                    <th>{tr(Text::Terminals)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let href = format!("/stores/{}", row.store.id);
                        let (number, name) = (row.store.number.clone(), row.store.name.clone());
                        view! {
                            <tr data-store=row.store.number.clone()>
                                <td data-label=tr(Text::Number)>
                                    <A href=href.clone()>{number.clone()}</A>
                                </td>
                                <td data-label=tr(Text::Name)>
                                    <A href=href>{name.clone()}</A>
                                </td>
                                <td data-label=tr(Text::City)>{row.store.city.clone()}</td>
                                <td data-label=tr(Text::Readiness)>
                                    <ReadinessBadge signing=row.signing />
                                </td>
                                <td data-label=tr(Text::TssCount)>
                                    <span class="badge-row">
                                        {row
                                            .tss_by_state
                                            .into_iter()
                                            .map(|(state, count)| {
                                                view! {
                                                    <span class="count">
                                                        {count} "× "
                                                        <StateBadge state=BadgeState::Tss(tss_model::TssState::from(state)) />
                                                    </span>
                                                }
                                            })
                                            .collect_view()}
                                    </span>
                                </td>
                                <td data-label=tr(Text::Terminals)>{row.signing.terminals}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
