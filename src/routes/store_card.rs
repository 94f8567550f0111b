//! `/stores/:store_id`: one store with its **Fiskaly TSS Setup** section (see [`super::tss_setup`])
//! and its POS terminals.
//!
//! The page follows the live updates: a change of the store, its TSS (each step of an operation)
//! or its terminals, by this user or any other, is read again at once, so the badges, the
//! progress bar and the buttons show what is true now. A list that could not be loaded says so,
//! with Retry, and is never shown as empty.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tss_model::{
    ClientBatchReport, LiveEvent, Role, Signing, StoreInput, StoreSummary, Terminal, TerminalQuery,
    TssEntry, MAX_PAGE_SIZE,
};

use super::tss_setup::{AfterTssAction, TssSetup};
use crate::api::use_api;
use crate::components::format::now;
use crate::components::{
    api_action, list_or_message, missing_or_error, no_such_id, refusal_of, terminal_counts,
    use_toaster, ActionButton, ClientSigning, FormPanel, Loaded, ReadinessBadge, StoreForm,
    TerminalForm,
};
use crate::i18n::{tr, use_locale, Text};
use crate::live::use_live;

/// The store card page.
#[component]
pub fn StoreCard() -> impl IntoView {
    let params = use_params_map();
    let store_id = Memo::new(move |_| {
        params
            .read()
            .get("store_id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let api = use_api();
    let store_version = RwSignal::new(0_u32);
    let tss_version = RwSignal::new(0_u32);
    let terminals_version = RwSignal::new(0_u32);
    let store = LocalResource::new({
        let api = api.clone();
        move || {
            store_version.track();
            let (api, id) = (api.clone(), store_id.get());
            async move {
                match id {
                    Some(id) => api.store(id).await,
                    None => Err(no_such_id()),
                }
            }
        }
    });
    let entries_read = LocalResource::new({
        let api = api.clone();
        move || {
            tss_version.track();
            let (api, id) = (api.clone(), store_id.get());
            async move {
                match id {
                    Some(id) => api.store_tss(id).await,
                    None => Err(no_such_id()),
                }
            }
        }
    });
    let terminals = LocalResource::new(move || {
        terminals_version.track();
        store_version.track();
        let (api, id) = (api.clone(), store_id.get());
        async move {
            match id {
                Some(id) => {
                    let query = TerminalQuery {
                        store_id: Some(id),
                        limit: Some(MAX_PAGE_SIZE),
                        ..TerminalQuery::default()
                    };
                    api.terminals(query).await.map(|page| page.items)
                }
                None => Err(no_such_id()),
            }
        }
    });
    let entries = Signal::derive(move || entries_read.get());
    let terminals: Signal<Loaded<Vec<Terminal>>> = Signal::derive(move || terminals.get());
    use_live().on_change(move |change| {
        let Some(id) = store_id.get_untracked() else {
            return;
        };
        if !change.concerns_store(id) {
            return;
        }
        match change {
            LiveEvent::Tss { .. } => tss_version.update(|v| *v += 1),
            LiveEvent::Client { .. } | LiveEvent::Terminal { .. } => {
                terminals_version.update(|v| *v += 1)
            }
            LiveEvent::Store { .. } => store_version.update(|v| *v += 1),
            // (Only an ended one concerns the card: each TSS shows when it was last read.)
            LiveEvent::FleetRefresh { .. } => tss_version.update(|v| *v += 1),
            LiveEvent::Reload => {
                store_version.update(|v| *v += 1);
                tss_version.update(|v| *v += 1);
            }
        }
    });
    // The readiness badge follows the TSS and terminals as they are polled, by the model's rule,
    // without re-reading (and re-rendering) the whole card.
    let signing = Signal::derive(move || {
        let entries = entries.get()?.ok()?;
        let terminals = terminals.get()?.ok()?;
        let now = now();
        Some(Signing::of(
            entries.iter().map(|e| e.standing(now)),
            terminals
                .iter()
                .map(|t| t.client.as_ref().map(|c| (&c.state, c.tss_standing()))),
        ))
    });

    // An edit of the store reloads the whole card; the other actions reload only what their
    // answer does not show (a failed reload then never wipes the store's heading), and an
    // answered TSS entry takes its place in the list without asking again.
    let changed = Callback::new(move |_| {
        tss_version.update(|v| *v += 1);
        store_version.update(|v| *v += 1);
    });
    let reload_store = Callback::new(move |_| store_version.update(|v| *v += 1));
    let reload_tss = Callback::new(move |_| tss_version.update(|v| *v += 1));
    let reload_terminals = Callback::new(move |_| terminals_version.update(|v| *v += 1));
    let show_entry = Callback::new(move |entry: TssEntry| {
        entries_read.update(|loaded| {
            if let Some(Ok(list)) = loaded {
                put_entry(list, entry);
            }
        });
    });
    view! {
        <section class="page" data-page="store-card">
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    store
                        .get()
                        .map(|found| match found {
                            Ok(summary) => {
                                let label = format!("{} {}", summary.store.number, summary.store.name);
                                let id = summary.store.id;
                                view! {
                                    <StoreHeader summary signing on_saved=changed />
                                    <TssSetup
                                        store_id=id
                                        store_label=label
                                        entries
                                        terminals
                                        after=AfterTssAction {
                                            show_entry,
                                            reload_tss,
                                            reload_terminals,
                                        }
                                    />
                                    <StoreTerminals store_id=id entries terminals on_changed=reload_terminals />
                                }
                                    .into_any()
                            }
                            Err(error) => missing_or_error(
                                error,
                                || {
                                    view! {
                                        <h1>{tr(Text::StoreCardTitle)}</h1>
                                        <p class="empty-state" data-not-found="store">{tr(Text::NotFoundStore)}</p>
                                        <A href="/stores">{tr(Text::BackToStores)}</A>
                                    }
                                        .into_any()
                                },
                                reload_store,
                            ),
                        })
                }}
            </Transition>
        </section>
    }
}

/// Puts `entry` in the place of the entry with its ID, or adds it (a new TSS).
fn put_entry(list: &mut Vec<TssEntry>, entry: TssEntry) {
    match list.iter_mut().find(|e| e.tss_id == entry.tss_id) {
        Some(old) => *old = entry,
        None => list.push(entry),
    }
}

/// The store's name, address, readiness and Edit.
#[component]
fn StoreHeader(
    /// The store.
    summary: StoreSummary,
    /// How many of its terminals can sign as the page sees it now, once its TSS and terminals
    /// are loaded.
    signing: Signal<Option<Signing>>,
    /// Runs after an edit was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let store = summary.store.clone();
    let first_read = summary.signing;
    let current = move || signing.get().unwrap_or(first_read);
    let id = store.id;
    let update = api_action(
        move |api, input: StoreInput| api.update_store(id, input),
        Some(Text::Saved),
        move |_| on_saved.run(()),
    );
    let initial = StoreInput {
        number: store.number.clone(),
        name: store.name.clone(),
        street: store.street.clone(),
        city: store.city.clone(),
    };
    view! {
        <h1>{tr(Text::StoreCardTitle)} " " {store.number.clone()} " – " {store.name.clone()}</h1>
        <p class="address">{store.street.clone()} ", " {store.city.clone()}</p>
        <p>
            {move || view! { <ReadinessBadge signing=current() /> }}
        </p>
        <FormPanel title=Text::Edit>
            <StoreForm
                initial
                pending=update.pending()
                refusal=refusal_of(update)
                on_submit=Callback::new(move |input| {
                    update.dispatch(input);
                })
            />
        </FormPanel>
    }
}

/// The store's POS terminals with whether each can sign, and the New terminal form.
#[component]
fn StoreTerminals(
    /// The store.
    store_id: i64,
    /// Its TSS, once loaded: all tills at once are offered only while one takes clients.
    entries: Signal<Loaded<Vec<TssEntry>>>,
    /// Its terminals, once loaded.
    terminals: Signal<Loaded<Vec<Terminal>>>,
    /// Runs after a terminal was added, and for Retry.
    on_changed: Callback<()>,
) -> impl IntoView {
    let create = api_action(
        |api, input| api.create_terminal(input),
        Some(Text::Saved),
        move |_| on_changed.run(()),
    );
    let toaster = use_toaster();
    let locale = use_locale();
    let generate_all = api_action(
        move |api, _: ()| api.generate_clients(store_id),
        None,
        move |report: Option<&ClientBatchReport>| {
            if let Some(report) = report.filter(|r| r.counts.total > 0) {
                let language = locale.get_untracked();
                let counts = terminal_counts(report.counts, language);
                let text = Text::ClientIdsGenerated
                    .get(language)
                    .replace("{counts}", &counts);
                if report.failures.is_empty() {
                    toaster.success(text);
                } else {
                    toaster.error(text);
                }
            }
            on_changed.run(());
        },
    );
    // The terminals that cannot sign, as loaded: "for all 3 POS terminals that cannot sign";
    // offered while a TSS of the store takes clients (else a new TSS comes first).
    let takes_clients = move || {
        let now = now();
        entries
            .get()
            .and_then(Result::ok)
            .is_some_and(|list| list.iter().any(|e| e.standing(now).signs() && !e.is_full()))
    };
    let waiting = move || {
        terminals
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.iter()
                    .filter(|t| !t.client.as_ref().is_some_and(|c| c.can_sign()))
                    .count()
            })
            .unwrap_or(0)
    };
    view! {
        <section class="card" aria-labelledby="store-terminals">
            <h2 id="store-terminals">{tr(Text::Terminals)}</h2>
            <Show when=move || { waiting() > 0 && takes_clients() }>
                <div class="toolbar">
                    <ActionButton
                        label=tr(Text::GenerateClientIds)
                        words=Signal::derive(move || match waiting() {
                            1 => Text::GenerateClientIdsForOne.get(locale.get()).to_owned(),
                            n => Text::GenerateClientIdsFor
                                .get(locale.get())
                                .replace("{n}", &n.to_string()),
                        })
                        needs=Role::Operator
                        pending=generate_all.pending()
                        on_click=Callback::new(move |_| {
                            generate_all.dispatch(());
                        })
                    />
                </div>
            </Show>
            {move || {
                terminals
                    .get()
                    .map(|loaded| {
                        list_or_message(
                            loaded,
                            Text::TerminalListEmpty,
                            |rows| {
                                view! {
                                    <ul class="terminal-list">
                                        {rows.into_iter().map(|terminal| view! { <TerminalLine terminal /> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            },
                            on_changed,
                        )
                    })
            }}
            <FormPanel title=Text::NewTerminal>
                <TerminalForm
                    store_id
                    pending=create.pending()
                    refusal=refusal_of(create)
                    on_submit=Callback::new(move |input| {
                        create.dispatch(input);
                    })
                />
            </FormPanel>
        </section>
    }
}

/// One terminal of the store: its link and its client's state, "cannot sign" when its TSS cannot.
#[component]
fn TerminalLine(
    /// The terminal.
    terminal: Terminal,
) -> impl IntoView {
    view! {
        <li data-terminal=terminal.id>
            <A href=format!("/terminals/{}", terminal.id)>
                {terminal.number.clone()} " " {terminal.name.clone()}
            </A>
            " "
            <ClientSigning client=terminal.client.clone() />
        </li>
    }
}
