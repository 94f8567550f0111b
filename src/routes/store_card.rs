//! `/stores/:store_id`: one store with its **Fiskaly TSS Setup** section (Generate New TSS,
//! Initial TSS, Refresh TSS, Disable TSS) and its POS terminals.
//!
//! While an operation runs on a TSS, the page polls the TSS entries every second (not while the
//! tab is hidden), so the badge follows the real state and the progress bar names the step.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tss_model::{
    ClientState, OperationStatus, Readiness, Role, StoreInput, StoreSummary, Terminal, TssEntry,
};

use crate::api::use_api;
use crate::components::format::maybe_date_time;
use crate::components::{
    api_action, missing_or_error, no_such_id, ActionButton, BadgeState, ConfirmDialog, CopyButton,
    FormPanel, OperationProgressBar, ReadinessBadge, StateBadge, StoreForm, TerminalForm,
};
use crate::i18n::{tr, use_locale, Text};

/// How often running operations are polled.
const POLL_EVERY: Duration = Duration::from_secs(1);

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
    let entries = LocalResource::new({
        let api = api.clone();
        move || {
            tss_version.track();
            let (api, id) = (api.clone(), store_id.get());
            async move {
                match id {
                    Some(id) => api.store_tss(id).await.unwrap_or_default(),
                    None => Vec::new(),
                }
            }
        }
    });
    let terminals = LocalResource::new(move || {
        tss_version.track();
        store_version.track();
        let (api, id) = (api.clone(), store_id.get());
        async move {
            match id {
                Some(id) => api
                    .terminals(Some(id), String::new())
                    .await
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    poll_while_running(entries, tss_version);
    // The readiness badge follows the TSS and clients as they are polled, by the model's rule,
    // without re-reading (and re-rendering) the whole card.
    let readiness = Signal::derive(move || {
        let (entries, terminals) = (entries.get()?, terminals.get()?);
        let clients = terminals.iter().filter_map(|t| t.client.as_ref());
        Some(Readiness::of(
            entries.iter().map(|e| &e.state),
            clients.map(|c| (&c.state, &c.tss_state)),
        ))
    });

    let changed = move || {
        tss_version.update(|v| *v += 1);
        store_version.update(|v| *v += 1);
    };
    view! {
        <section class="page" data-page="store-card">
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    store
                        .get()
                        .map(|found| match found {
                            Ok(summary) => {
                                let summary_label = (summary.store.number.clone(), summary.store.name.clone());
                                view! {
                                    <StoreHeader
                                        summary
                                        readiness
                                        on_saved=Callback::new(move |_| changed())
                                    />
                                    <TssSetup
                                        store_id=store_id.get().unwrap_or_default()
                                        store_label=format!("{} {}", summary_label.0, summary_label.1)
                                        entries=Signal::derive(move || entries.get().unwrap_or_default())
                                        terminals=Signal::derive(move || terminals.get().unwrap_or_default())
                                        on_changed=Callback::new(move |_| changed())
                                    />
                                    <StoreTerminals
                                        store_id=store_id.get().unwrap_or_default()
                                        terminals=Signal::derive(move || terminals.get().unwrap_or_default())
                                        on_changed=Callback::new(move |_| changed())
                                    />
                                }
                                    .into_any()
                            }
                            Err(error) => missing_or_error(error, || {
                                view! {
                                    <h1>{tr(Text::StoreCardTitle)}</h1>
                                    <p class="empty-state" data-not-found="store">{tr(Text::NotFoundStore)}</p>
                                    <A href="/stores">{tr(Text::BackToStores)}</A>
                                }
                                    .into_any()
                            }),
                        })
                }}
            </Transition>
        </section>
    }
}

/// Whether an entry has an operation still running.
fn is_running(entry: &TssEntry) -> bool {
    entry
        .operation
        .as_ref()
        .is_some_and(|op| op.status == OperationStatus::Running)
}

/// Refetches the entries every second while one of them runs an operation; a hidden tab only
/// ticks its timer and sends nothing.
fn poll_while_running(entries: LocalResource<Vec<TssEntry>>, tss_version: RwSignal<u32>) {
    let tick = RwSignal::new(0_u32);
    Effect::new(move |_| {
        tick.track();
        let running = entries
            .get()
            .is_some_and(|entries| entries.iter().any(is_running));
        if running {
            set_timeout(
                move || {
                    let hidden = document().visibility_state() == web_sys::VisibilityState::Hidden;
                    if hidden {
                        tick.update(|t| *t += 1);
                    } else {
                        tss_version.update(|v| *v += 1);
                    }
                },
                POLL_EVERY,
            );
        }
    });
}

/// The store's name, address, readiness and Edit.
#[component]
fn StoreHeader(
    /// The store.
    summary: StoreSummary,
    /// Its readiness as the page sees it now, once its TSS and terminals are loaded.
    readiness: Signal<Option<Readiness>>,
    /// Runs after an edit was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let store = summary.store.clone();
    let first_read = summary.readiness;
    let current = move || readiness.get().unwrap_or(first_read);
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
            {move || view! { <ReadinessBadge readiness=current() /> }}
        </p>
        <FormPanel title=Text::Edit>
            <StoreForm
                initial
                pending=update.pending()
                on_submit=Callback::new(move |input| {
                    update.dispatch(input);
                })
            />
        </FormPanel>
    }
}

/// The Fiskaly TSS Setup section.
#[component]
fn TssSetup(
    /// The store.
    store_id: i64,
    /// The store's number and name, for the confirmation.
    store_label: String,
    /// Its TSS entries.
    entries: Signal<Vec<TssEntry>>,
    /// Its terminals (to name those a Disable affects).
    terminals: Signal<Vec<Terminal>>,
    /// Runs after any action.
    on_changed: Callback<()>,
) -> impl IntoView {
    let generate = api_action(
        move |api, _: ()| api.generate_tss(store_id),
        Some(Text::Generated),
        move |_| on_changed.run(()),
    );
    let store_label = StoredValue::new(store_label);
    let refresh = api_action(
        move |api, _: ()| api.refresh_store(store_id),
        Some(Text::Refreshed),
        move |_| on_changed.run(()),
    );
    view! {
        <section class="card" aria-labelledby="tss-setup">
            <h2 id="tss-setup">{tr(Text::FiskalyTssSetup)}</h2>
            <div class="toolbar">
                <ActionButton
                    label=tr(Text::GenerateNewTss)
                    pending=generate.pending()
                    on_click=Callback::new(move |_| {
                        generate.dispatch(());
                    })
                />
                <ActionButton
                    label=tr(Text::RefreshTss)
                    pending=refresh.pending()
                    on_click=Callback::new(move |_| {
                        refresh.dispatch(());
                    })
                />
            </div>
            <Show
                when=move || !entries.read().is_empty()
                fallback=|| view! { <p class="empty-state">{tr(Text::StoreCardEmpty)}</p> }
            >
                <ul class="tss-list">
                    <For each=move || entries.get() key=|entry| format!("{entry:?}") let:entry>
                        <TssEntryItem entry store_label=store_label.get_value() terminals on_changed />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// One TSS: ID, description, state, Error Text, clients, times, progress and its actions.
#[component]
fn TssEntryItem(
    /// The entry.
    entry: TssEntry,
    /// The store's number and name.
    store_label: String,
    /// The store's terminals.
    terminals: Signal<Vec<Terminal>>,
    /// Runs after an action.
    on_changed: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let tss_id = entry.tss_id.clone();
    let running = is_running(&entry);
    let initialize = api_action(
        |api, id: String| api.initialize_tss(id),
        Some(Text::InitialStarted),
        move |_| on_changed.run(()),
    );
    let disable = api_action(
        |api, id: String| api.disable_tss(id),
        Some(Text::Disabled),
        move |_| on_changed.run(()),
    );
    let confirming = RwSignal::new(false);
    let affected = {
        let tss_id = tss_id.clone();
        move || {
            terminals
                .get()
                .into_iter()
                .filter(|t| {
                    t.client
                        .as_ref()
                        .is_some_and(|c| c.tss_id == tss_id && c.state == ClientState::Registered)
                })
                .map(|t| format!("{} {}", t.number, t.name))
                .collect::<Vec<_>>()
        }
    };
    let busy_reason = move || running.then(|| tr(Text::Working).get().to_owned());
    let (for_initialize, for_disable) = (tss_id.clone(), tss_id.clone());
    let in_dialog = tss_id.clone();
    let (allows_initialize, allows_disable) = (
        entry.state.allows_initialize(),
        entry.state.allows_disable(),
    );
    let title = move || Text::ConfirmDisableTitle.get(locale.get()).to_owned();
    let yes = move || Text::ConfirmDisableYes.get(locale.get()).to_owned();
    view! {
        <li class="tss-entry" data-tss=tss_id.clone()>
            <div class="tss-head">
                <StateBadge state=BadgeState::Tss(entry.state.clone()) />
                <code class="tss-id">{tss_id.clone()}</code>
                <CopyButton value=tss_id.clone() />
            </div>
            <dl class="facts">
                <dt>{tr(Text::Description)}</dt>
                <dd>{entry.description.clone().unwrap_or_else(|| "–".into())}</dd>
                <dt>{tr(Text::Clients)}</dt>
                <dd>{entry.registered_clients}</dd>
                <dt>{tr(Text::Created)}</dt>
                <dd>{maybe_date_time(entry.time_creation)}</dd>
                <dt>{tr(Text::Initialised)}</dt>
                <dd>{maybe_date_time(entry.time_init)}</dd>
            </dl>
            {entry
                .error_text
                .clone()
                .map(|text| {
                    view! {
                        <p class="error-text">
                            <strong>{tr(Text::ErrorText)} ": "</strong>
                            {text}
                        </p>
                    }
                })}
            {entry
                .operation
                .clone()
                .filter(|op| op.status == OperationStatus::Running)
                .map(|progress| view! { <OperationProgressBar progress /> })}
            <div class="toolbar">
                <Show when=move || allows_initialize>
                    <ActionButton
                        label=tr(Text::InitialTss)
                        pending=initialize.pending()
                        disabled_because=Signal::derive(busy_reason)
                        on_click=Callback::new({
                            let id = for_initialize.clone();
                            move |_| {
                                initialize.dispatch(id.clone());
                            }
                        })
                    />
                </Show>
                <Show when=move || allows_disable>
                    <ActionButton
                        label=tr(Text::DisableTss)
                        danger=true
                        needs=Role::Admin
                        pending=disable.pending()
                        disabled_because=Signal::derive(busy_reason)
                        on_click=Callback::new(move |_| confirming.set(true))
                    />
                </Show>
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(title)
                confirm_label=Signal::derive(yes)
                on_confirm=Callback::new(move |_| {
                    disable.dispatch(for_disable.clone());
                })
            >
                <p>
                    {tr(Text::Tss)} " " <code>{in_dialog.clone()}</code> " · " {tr(Text::Store)} " "
                    <strong>{store_label.clone()}</strong>
                </p>
                <p>{tr(Text::ConfirmDisableText)}</p>
                <ul class="affected">
                    {
                        let affected = affected.clone();
                        move || {
                            let names = affected();
                            if names.is_empty() {
                                view! { <li>{tr(Text::NoTerminalsAffected)}</li> }.into_any()
                            } else {
                                names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view().into_any()
                            }
                        }
                    }
                </ul>
            </ConfirmDialog>
        </li>
    }
}

/// The store's POS terminals with their client state, and the New terminal form.
#[component]
fn StoreTerminals(
    /// The store.
    store_id: i64,
    /// Its terminals.
    terminals: Signal<Vec<Terminal>>,
    /// Runs after a terminal was added.
    on_changed: Callback<()>,
) -> impl IntoView {
    let create = api_action(
        |api, input| api.create_terminal(input),
        Some(Text::Saved),
        move |_| on_changed.run(()),
    );
    view! {
        <section class="card" aria-labelledby="store-terminals">
            <h2 id="store-terminals">{tr(Text::Terminals)}</h2>
            <ul class="terminal-list">
                <For each=move || terminals.get() key=|t| format!("{t:?}") let:terminal>
                    <li>
                        <A href=format!("/terminals/{}", terminal.id)>
                            {terminal.number.clone()} " " {terminal.name.clone()}
                        </A>
                        " "
                        {match terminal.client.clone() {
                            Some(client) => view! { <StateBadge state=BadgeState::Client(client.state) /> }.into_any(),
                            None => view! { <span class="muted">{tr(Text::NoClient)}</span> }.into_any(),
                        }}
                    </li>
                </For>
            </ul>
            <FormPanel title=Text::NewTerminal>
                <TerminalForm
                    store_id
                    pending=create.pending()
                    on_submit=Callback::new(move |input| {
                        create.dispatch(input);
                    })
                />
            </FormPanel>
        </section>
    }
}
