//! `/stores`: the Store List, a page at a time, with the fleet's summary bar, search (`?q=`), a
//! readiness filter (`?readiness=`), a certificate filter (`?certificate=expiring`), an order
//! (`?sort=`) and the New store form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tss_model::{
    expiry_at, CertificateExpiry, CertificateFilter, ReadinessFilter, StoreQuery, StoreSort,
    StoreSummary,
};

use super::erp_import::ErpImportPanel;
use super::fleet_refresh::FleetRefreshPanel;
use super::fleet_summary::FleetSummary;
use super::search::{debounced, query_param, set_query_param};
use crate::api::use_api;
use crate::components::format::{maybe_date_time, now};
use crate::components::{
    api_action, list_or_message, load_failure, refusal_of, BadgeState, CertificateWarning,
    FormPanel, Page, Paging, PagingFooter, ReadinessBadge, StateBadge, StoreForm,
};
use crate::i18n::{tr, Text};
use crate::live::{reload_after_burst, use_live};

/// The Store List page.
#[component]
pub fn StoreList() -> impl IntoView {
    let api = use_api();
    let search = query_param("q");
    let readiness = query_param("readiness");
    let certificate = query_param("certificate");
    let sort = query_param("sort");
    let set_param = set_query_param();
    let chosen = Signal::derive(move || ReadinessFilter::parse(&readiness.get()));
    let chosen_certificate = Signal::derive(move || CertificateFilter::parse(&certificate.get()));
    let query = Memo::new(move |_| StoreQuery {
        q: search.get(),
        readiness: chosen.get(),
        certificate: chosen_certificate.get(),
        sort: (sort.get() == StoreSort::Readiness.as_str()).then_some(StoreSort::Readiness),
        ..StoreQuery::default()
    });
    let version = RwSignal::new(0_u32);
    let paging = Paging::new();
    let first_page = LocalResource::new({
        let api = api.clone();
        move || {
            version.track();
            let query = query.get();
            let limit = paging.first_page_size(query.query_pairs());
            let query = StoreQuery {
                limit: Some(limit),
                ..query
            };
            let api = api.clone();
            async move {
                let page = api.stores(query).await;
                paging.started(&page);
                page
            }
        }
    });
    let fleet = LocalResource::new({
        let api = api.clone();
        move || {
            version.track();
            let api = api.clone();
            async move { api.fleet().await }
        }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    // Every change may change a store's row and the counts: both are read again. A refresh of
    // every TSS moving on changes neither (the TSS it changes come as changes of their own);
    // when it ends, it may have read any TSS anew.
    let reload_soon = reload_after_burst(version);
    use_live().on_change(move |change| {
        if !change.is_refresh_progress() {
            reload_soon();
        }
    });
    let load_more = {
        let api = api.clone();
        move || {
            let Some((cursor, generation)) = paging.next_cursor() else {
                return;
            };
            let request = StoreQuery {
                cursor: Some(cursor),
                ..query.get_untracked()
            };
            let api = api.clone();
            spawn_local(async move {
                let page = api.stores(request).await;
                paging.continued(generation, page);
            });
        }
    };
    let create = api_action(
        |api, input| api.create_store(input),
        Some(Text::Saved),
        move |_| reload.run(()),
    );
    let set_filter = {
        let set_param = set_param.clone();
        Callback::new(move |filter: Option<ReadinessFilter>| {
            let value = filter.map(|f| f.as_str().to_owned()).unwrap_or_default();
            set_param("readiness", value);
        })
    };
    let set_certificate = {
        let set_param = set_param.clone();
        Callback::new(move |filter: Option<CertificateFilter>| {
            let value = filter.map(|f| f.as_str().to_owned()).unwrap_or_default();
            set_param("certificate", value);
        })
    };
    let set_sort = set_param.clone();
    let type_search = debounced(move |text: String| set_param("q", text));
    let typed = RwSignal::new(search.get_untracked());
    view! {
        <Page name="store-list" title=tr(Text::StoreListTitle)>
            {move || match fleet.get() {
                Some(Ok(overview)) => Some(view! {
                    <FleetSummary
                        overview
                        chosen
                        on_filter=set_filter
                        certificate=chosen_certificate
                        on_certificate=set_certificate
                    />
                }.into_any()),
                Some(Err(error)) => Some(load_failure(error, reload)),
                None => None,
            }}
            <FleetRefreshPanel />
            <div class="toolbar">
                <label class="field search">
                    <span>{tr(Text::Search)}</span>
                    <input
                        type="search"
                        name="q"
                        placeholder=tr(Text::SearchStoresHint)
                        prop:value=move || typed.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            typed.set(text.clone());
                            type_search(text);
                        }
                    />
                </label>
                <label class="field">
                    <span>{tr(Text::SortBy)}</span>
                    <select name="sort" on:change=move |ev| set_sort("sort", event_target_value(&ev))>
                        <option value="" selected=move || sort.get().is_empty()>{tr(Text::SortByNumber)}</option>
                        <option value=StoreSort::Readiness.as_str() selected=move || !sort.get().is_empty()>
                            {tr(Text::SortByReadiness)}
                        </option>
                    </select>
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
            <ErpImportPanel on_imported=reload />
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    first_page
                        .get()
                        .map(|result| {
                            let load_more = load_more.clone();
                            let total = result.as_ref().map(|page| page.total).unwrap_or_default();
                            let rows = result.map(|page| page.items);
                            list_or_message(rows, Text::StoreListEmpty, move |rows| {
                                view! { <StoreTable first=rows total paging load_more /> }.into_any()
                            }, reload)
                        })
                }}
            </Transition>
        </Page>
    }
}

/// The stores as a table (cards on narrow screens): the first page, the pages loaded after it,
/// and "Load more" while there are more.
#[component]
fn StoreTable(
    /// The first page's rows.
    first: Vec<StoreSummary>,
    /// How many stores match.
    total: u64,
    /// The pages after the first.
    paging: Paging<StoreSummary>,
    /// Reads the next page.
    load_more: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let first = StoredValue::new(first);
    let shown = Signal::derive(move || first.with_value(Vec::len) + paging.more.with(Vec::len));
    view! {
        <StoreRows first more=paging.more total />
        <PagingFooter paging shown total load_more />
    }
}

/// The table of the rows shown.
#[component]
fn StoreRows(
    /// The first page's rows.
    first: StoredValue<Vec<StoreSummary>>,
    /// The rows of the pages after it.
    more: RwSignal<Vec<StoreSummary>>,
    /// How many stores match the search.
    total: u64,
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
                    <th>{tr(Text::LastRead)}</th>
                </tr>
            </thead>
            <tbody>
                {first.get_value().into_iter().map(store_row).collect_view()}
                {move || more.get().into_iter().map(store_row).collect_view()}
            </tbody>
        </table>
    }
}

/// The warning beside a store's readiness when a certificate of its TSS in service expires
/// within 90 days or has expired.
fn certificate_warning(not_after: i64) -> Option<impl IntoView> {
    let expiry = expiry_at(not_after, now());
    (expiry != CertificateExpiry::Valid).then(|| view! { <CertificateWarning expiry /> })
}

/// One store's row.
fn store_row(row: StoreSummary) -> impl IntoView {
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
                {row.certificate_expires_at.and_then(certificate_warning)}
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
            <td data-label=tr(Text::LastRead)>{maybe_date_time(row.last_synced_at)}</td>
        </tr>
    }
}
