//! `/terminals/:terminal_id`: one POS terminal with its **Sign DE V2** section: store, TSS,
//! Client ID, Client State, Tss State; Generate Client ID (or why not) and Deregister client.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tss_model::{
    ApiError, GenerateTssRequest, Language, LiveEvent, Terminal, TerminalInput, TssEntry, TssState,
};

use crate::api::use_api;
use crate::components::error_text::error_text;
use crate::components::format::now;
use crate::components::{
    api_action, missing_or_error, no_such_id, refusal_of, ActionButton, BadgeState, ClientSigning,
    ConfirmDialog, CopyButton, FormPanel, StateBadge, TerminalForm,
};
use crate::i18n::{tr, use_locale, Text};
use crate::live::use_live;

/// Why Generate Client ID cannot run for a terminal now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientBlocked {
    /// Its client is REGISTERED at an INITIALIZED TSS already.
    AlreadyRegistered,
    /// The store has no INITIALIZED TSS; the terminal's client sits at a TSS in this state.
    NoInitializedTss(Option<TssState>),
    /// Every INITIALIZED TSS of the store has as many clients as fiskaly registers: a new TSS
    /// is needed.
    EveryTssFull,
}

impl ClientBlocked {
    /// Decides for `terminal` with its store's TSS `entries` at `now`; `None` when it may run.
    pub fn of(terminal: &Terminal, entries: &[TssEntry], now: i64) -> Option<ClientBlocked> {
        if terminal.client.as_ref().is_some_and(|c| c.can_sign()) {
            return Some(ClientBlocked::AlreadyRegistered);
        }
        let active: Vec<&TssEntry> = entries.iter().filter(|e| e.standing(now).signs()).collect();
        if active.iter().any(|e| !e.is_full()) {
            return None;
        }
        if !active.is_empty() {
            return Some(ClientBlocked::EveryTssFull);
        }
        let at = terminal.client.as_ref().map(|c| c.tss_state.clone());
        Some(ClientBlocked::NoInitializedTss(at))
    }

    /// The reason in words for staff.
    pub fn reason(&self, language: Language) -> String {
        match self {
            ClientBlocked::AlreadyRegistered => Text::WhyAlreadyRegistered.get(language).into(),
            ClientBlocked::NoInitializedTss(Some(state)) if *state != TssState::Initialized => {
                Text::WhyTssState
                    .get(language)
                    .replace("{state}", state.as_str())
            }
            ClientBlocked::NoInitializedTss(_) => Text::WhyNoInitializedTss.get(language).into(),
            ClientBlocked::EveryTssFull => Text::WhyEveryTssFull.get(language).into(),
        }
    }
}

/// The terminal card page.
#[component]
pub fn TerminalCard() -> impl IntoView {
    let params = use_params_map();
    let terminal_id = Memo::new(move |_| {
        params
            .read()
            .get("terminal_id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let terminal = LocalResource::new(move || {
        version.track();
        let (api, id) = (api.clone(), terminal_id.get());
        async move {
            let terminal = match id {
                Some(id) => api.terminal(id).await?,
                None => return Err(no_such_id()),
            };
            let entries = api.store_tss(terminal.store_id).await?;
            Ok((terminal, entries))
        }
    });
    let changed = Callback::new(move |_| version.update(|v| *v += 1));
    // What anybody changes of this terminal, its client or its store's TSS is read again.
    use_live().on_change(move |change| {
        let shown = terminal.with_untracked(|loaded| match loaded {
            Some(Ok((shown, _))) => Some((shown.id, shown.store_id)),
            _ => None,
        });
        let concerns = match shown {
            Some((id, store_id)) => change.concerns_terminal(id, store_id),
            None => *change == LiveEvent::Reload,
        };
        if concerns {
            version.update(|v| *v += 1);
        }
    });
    // An action's answer is the terminal as it is now: shown without asking again (moved to
    // another store by an edit, the other store's TSS are read).
    let show_terminal = Callback::new(move |answered: Terminal| {
        let same_store = terminal.with_untracked(
            |loaded| matches!(loaded, Some(Ok((shown, _))) if shown.store_id == answered.store_id),
        );
        if !same_store {
            version.update(|v| *v += 1);
            return;
        }
        terminal.update(|loaded| {
            if let Some(Ok((shown, _))) = loaded {
                *shown = answered;
            }
        });
    });
    view! {
        <section class="page" data-page="terminal-card">
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    terminal
                        .get()
                        .map(|found| match found {
                            Ok((terminal, entries)) => {
                                view! { <TerminalDetails terminal entries show_terminal reload=changed /> }.into_any()
                            }
                            Err(error) => missing_or_error(
                                error,
                                || {
                                    view! {
                                        <h1>{tr(Text::TerminalCardTitle)}</h1>
                                        <p class="empty-state" data-not-found="terminal">{tr(Text::NotFoundTerminal)}</p>
                                        <A href="/terminals">{tr(Text::NavTerminals)}</A>
                                    }
                                        .into_any()
                                },
                                changed,
                            ),
                        })
                }}
            </Transition>
        </section>
    }
}

/// The terminal's details and its Sign DE V2 section.
#[component]
fn TerminalDetails(
    /// The terminal.
    terminal: Terminal,
    /// Its store's TSS.
    entries: Vec<TssEntry>,
    /// Shows the terminal an action answered.
    show_terminal: Callback<Terminal>,
    /// Reads the terminal and its store's TSS again (after a refusal: they may be out of date).
    reload: Callback<()>,
) -> impl IntoView {
    let answered = move |answer: Option<&Terminal>| match answer {
        Some(terminal) => show_terminal.run(terminal.clone()),
        None => reload.run(()),
    };
    let locale = use_locale();
    let id = terminal.id;
    let now = now();
    let initialized: Vec<String> = entries
        .iter()
        .filter(|e| e.standing(now).signs() && !e.is_full())
        .map(|e| e.tss_id.clone())
        .collect();
    let chosen = RwSignal::new(initialized.first().cloned());
    let blocked = ClientBlocked::of(&terminal, &entries, now);
    let store_id = terminal.store_id;
    let generate_tss = api_action(
        move |api, _: ()| api.generate_tss(store_id, GenerateTssRequest { additional: true }),
        Some(Text::Generated),
        move |_| reload.run(()),
    );
    let every_tss_full = blocked == Some(ClientBlocked::EveryTssFull);
    let failure = terminal.error_code.map(|code| {
        let detail = terminal.error_text.clone().unwrap_or_default();
        (ApiError::new(code, detail.clone()), detail)
    });
    let generate = api_action(
        move |api, tss_id: Option<String>| api.generate_client(id, tss_id),
        Some(Text::ClientGenerated),
        answered,
    );
    let deregister = api_action(
        move |api, _: ()| api.deregister_client(id),
        Some(Text::ClientDeregistered),
        answered,
    );
    let update = api_action(
        move |api, input: TerminalInput| api.update_terminal(id, input),
        Some(Text::Saved),
        answered,
    );
    let confirming = RwSignal::new(false);
    let client = terminal.client.clone();
    let can_deregister = client.as_ref().is_some_and(|c| c.can_sign());
    let blocked_reason = {
        let blocked = blocked.clone();
        Signal::derive(move || blocked.as_ref().map(|b| b.reason(locale.get())))
    };
    let needs_new_tss = matches!(blocked, Some(ClientBlocked::NoInitializedTss(_)));
    let store_href = format!("/stores/{}", terminal.store_id);
    let initial = TerminalInput {
        number: terminal.number.clone(),
        name: terminal.name.clone(),
        store_id: terminal.store_id,
        serial_number: terminal.serial_number.clone(),
        service: Some(terminal.service.clone()),
    };
    view! {
        <h1>{tr(Text::TerminalCardTitle)} " " {terminal.number.clone()} " – " {terminal.name.clone()}</h1>
        <p>
            {tr(Text::Store)} ": "
            <A href=store_href.clone()>{terminal.store_number.clone()} " " {terminal.store_name.clone()}</A>
            " · " {tr(Text::SerialNumber)} ": " <code>{terminal.serial_number.clone()}</code>
        </p>
        <section class="card" aria-labelledby="sign-de-v2">
            <h2 id="sign-de-v2">{tr(Text::SignDeV2)}</h2>
            <dl class="facts">
                <dt>{tr(Text::ClientId)}</dt>
                <dd>
                    {match client.clone() {
                        Some(c) => view! { <code class="client-id">{c.client_id.clone()}</code> " " <CopyButton value=c.client_id label=Text::CopyClientId /> }.into_any(),
                        None => view! { <span class="muted">{tr(Text::TerminalCardEmpty)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{tr(Text::ClientState)}</dt>
                <dd>{client.clone().map(|c| view! { <ClientSigning client=Some(c) /> })}</dd>
                <dt>{tr(Text::Tss)}</dt>
                <dd class="client-tss">
                    {match client.clone() {
                        Some(c) => view! { <code>{c.tss_id.clone()}</code> }.into_any(),
                        None => view! { <span class="muted">"–"</span> }.into_any(),
                    }}
                </dd>
                <dt>{tr(Text::TssState)}</dt>
                <dd>{client.clone().map(|c| view! { <StateBadge state=BadgeState::Tss(c.tss_state) /> })}</dd>
            </dl>
            {failure
                .map(|(error, detail)| {
                    view! {
                        <p class="error-text" data-terminal-error="">
                            <strong>{tr(Text::TerminalErrorText)} ": "</strong>
                            {move || error_text(&error, locale.get())}
                            <details class="detail" lang="en">
                                <summary>{tr(Text::Details)}</summary>
                                {detail}
                            </details>
                        </p>
                    }
                })}
            {(blocked.is_none() && !initialized.is_empty())
                .then(|| {
                    view! {
                        <label class="field">
                            <span>{tr(Text::TssForNewClient)}</span>
                            <select name="tss" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                                {initialized
                                    .iter()
                                    .map(|tss_id| view! { <option value=tss_id.clone()>{tss_id.clone()}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            <div class="toolbar">
                <ActionButton
                    label=tr(Text::GenerateClientId)
                    pending=generate.pending()
                    disabled_because=blocked_reason
                    on_click=Callback::new(move |_| {
                        generate.dispatch(chosen.get_untracked());
                    })
                />
                {needs_new_tss.then(|| view! { <A href=store_href.clone()>{tr(Text::GoToStoreCard)}</A> })}
                {every_tss_full
                    .then(|| {
                        view! {
                            <ActionButton
                                label=tr(Text::GenerateNewTss)
                                pending=generate_tss.pending()
                                on_click=Callback::new(move |_| {
                                    generate_tss.dispatch(());
                                })
                            />
                        }
                    })}
                <Show when=move || can_deregister>
                    <ActionButton
                        label=tr(Text::DeregisterClient)
                        danger=true
                        pending=deregister.pending()
                        on_click=Callback::new(move |_| confirming.set(true))
                    />
                </Show>
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || Text::ConfirmDeregisterTitle.get(locale.get()).to_owned())
                confirm_label=Signal::derive(move || Text::ConfirmDeregisterYes.get(locale.get()).to_owned())
                on_confirm=Callback::new(move |_| {
                    deregister.dispatch(());
                })
            >
                <p>{tr(Text::ConfirmDeregisterText)}</p>
            </ConfirmDialog>
        </section>
        <FormPanel title=Text::Edit>
            <TerminalForm
                initial
                store_id=terminal.store_id
                pending=update.pending()
                refusal=refusal_of(update)
                on_submit=Callback::new(move |input| {
                    update.dispatch(input);
                })
            />
        </FormPanel>
    }
}
