//! The store card's **Fiskaly TSS Setup** section: the store's TSS (the active one first, the
//! disabled and broken ones folded below), Generate New TSS (asking first when the store already
//! has an active TSS), Refresh TSS, and per TSS Initial TSS and Disable TSS (after a confirmation
//! naming the POS terminals it affects). An action whose decision needs data that is not loaded
//! stays disabled and says why.

use std::collections::HashSet;

use leptos::prelude::*;
use tss_model::{
    GenerateTssRequest, Language, OperationKind, OperationStatus, ReplaceTssRequest, Replacement,
    Role, Terminal, TssCertificate, TssEntry, TssState, TSS_CLIENT_LIMIT,
};

use crate::components::error_text::error_text;
use crate::components::format::{date, maybe_date_time, now};
use crate::components::{
    api_action, load_failure, not_loaded_reason, use_toaster, ActionButton, BadgeState,
    CertificateWarning, ConfirmDialog, CopyButton, Loaded, OperationProgressBar, StateBadge,
};
use crate::i18n::{tr, use_locale, Text};
use crate::session::use_session;

/// "185 von 199" clients, and from 180 how full the TSS is, in `language`.
fn clients_text(entry: &TssEntry, language: Language) -> String {
    let count = format!(
        "{} {} {TSS_CLIENT_LIMIT}",
        entry.registered_clients,
        Text::Of.get(language)
    );
    let note = if entry.is_full() {
        Some(Text::TssFull)
    } else if entry.nearly_full() {
        Some(Text::TssNearlyFull)
    } else {
        None
    };
    match note {
        Some(note) => format!("{count} · {}", note.get(language)),
        None => count,
    }
}

/// "gültig bis 12.03.2031", "nicht lesbar" or "noch nicht gelesen", in `language`.
fn certificate_text(certificate: &TssCertificate, language: Language) -> String {
    match certificate {
        TssCertificate::Read { not_after, .. } => Text::CertificateValidUntil
            .get(language)
            .replace("{date}", &date(*not_after)),
        TssCertificate::Unreadable => Text::CertificateUnreadable.get(language).to_owned(),
        TssCertificate::Unknown => Text::CertificateNotRead.get(language).to_owned(),
    }
}

/// Whether an entry has an operation still running.
pub fn is_running(entry: &TssEntry) -> bool {
    entry
        .operation
        .as_ref()
        .is_some_and(|op| op.status == OperationStatus::Running)
}

/// Whether an entry's running operation is a setup (Generate New TSS or Initial TSS).
fn is_setting_up(entry: &TssEntry) -> bool {
    is_running(entry)
        && entry.operation.as_ref().is_some_and(|op| {
            matches!(
                op.kind,
                OperationKind::GenerateTss | OperationKind::InitializeTss
            )
        })
}

/// The order staff read a store's TSS in: the active one first, then those being set up, then
/// the rest (which the section folds away).
fn rank(state: &TssState) -> u8 {
    match state {
        TssState::Initialized => 0,
        TssState::Created | TssState::Uninitialized => 1,
        _ => 2,
    }
}

/// The loaded entries that are `inactive` (disabled, broken) or not, the active one first.
fn part(entries: Signal<Loaded<Vec<TssEntry>>>, inactive: bool) -> Vec<TssEntry> {
    let mut list: Vec<TssEntry> = entries
        .get()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| (rank(&e.state) == 2) == inactive)
        .collect();
    list.sort_by_key(|e| rank(&e.state));
    list
}

/// What the store card does after a TSS action: it shows the entry the proxy answered in its
/// place, and reads again only what the answer does not show.
#[derive(Debug, Clone, Copy)]
pub struct AfterTssAction {
    /// Puts an answered entry in its place in the list (or adds a new one).
    pub show_entry: Callback<TssEntry>,
    /// Reads the store's TSS again.
    pub reload_tss: Callback<()>,
    /// Reads the store's terminals again.
    pub reload_terminals: Callback<()>,
}

impl AfterTssAction {
    /// After an action whose answer is an entry: shows it; after a refusal the list may be out
    /// of date (another user acted meanwhile), so it is read again.
    fn entry_answered(self, answer: Option<&TssEntry>) {
        match answer {
            Some(entry) => self.show_entry.run(entry.clone()),
            None => self.reload_tss.run(()),
        }
    }
}

/// The Fiskaly TSS Setup section.
#[component]
pub fn TssSetup(
    /// The store.
    store_id: i64,
    /// The store's number and name, for the confirmations.
    store_label: String,
    /// Its TSS entries, once loaded.
    entries: Signal<Loaded<Vec<TssEntry>>>,
    /// Its terminals (to name those a Disable affects), once loaded.
    terminals: Signal<Loaded<Vec<Terminal>>>,
    /// What the page does after an action.
    after: AfterTssAction,
) -> impl IntoView {
    announce_setup_endings(entries);
    let store_label = StoredValue::new(store_label);
    // A refresh may change every entry and the terminals' TSS states: both are read again.
    let refresh = api_action(
        move |api, _: ()| api.refresh_store(store_id),
        Some(Text::Refreshed),
        move |_| {
            after.reload_tss.run(());
            after.reload_terminals.run(());
        },
    );
    let refresh_blocked = Signal::derive(move || {
        not_loaded_reason(&entries.get(), Text::WhyTssNotLoaded).map(|t| tr(t).get().to_owned())
    });
    view! {
        <section class="card" aria-labelledby="tss-setup">
            <h2 id="tss-setup">{tr(Text::FiskalyTssSetup)}</h2>
            <div class="toolbar">
                <GenerateButton store_id entries after />
                <ActionButton
                    label=tr(Text::RefreshTss)
                    pending=refresh.pending()
                    disabled_because=refresh_blocked
                    on_click=Callback::new(move |_| {
                        refresh.dispatch(());
                    })
                />
            </div>
            {move || match entries.get() {
                None => view! { <p class="loading">{tr(Text::Loading)}</p> }.into_any(),
                Some(Err(error)) => load_failure(error, after.reload_tss),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty-state">{tr(Text::StoreCardEmpty)}</p> }.into_any()
                }
                Some(Ok(_)) => ().into_any(),
            }}
            <ul class="tss-list">
                <For each=move || part(entries, false) key=|entry| format!("{entry:?}") let:entry>
                    <TssEntryItem entry store_label=store_label.get_value() terminals after />
                </For>
            </ul>
            <Show when=move || !part(entries, true).is_empty()>
                <details class="inactive-tss">
                    <summary>
                        {move || {
                            let count = part(entries, true).len().to_string();
                            tr(Text::InactiveTss).get().replace("{n}", &count)
                        }}
                    </summary>
                    <ul class="tss-list">
                        <For each=move || part(entries, true) key=|entry| format!("{entry:?}") let:entry>
                            <TssEntryItem entry store_label=store_label.get_value() terminals after />
                        </For>
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// Generate New TSS: disabled until the store's TSS are loaded and while a setup runs; asks first
/// (naming the active TSS) when the store already has an INITIALIZED one.
#[component]
fn GenerateButton(
    /// The store.
    store_id: i64,
    /// Its TSS entries, once loaded.
    entries: Signal<Loaded<Vec<TssEntry>>>,
    /// What the page does after the request.
    after: AfterTssAction,
) -> impl IntoView {
    let locale = use_locale();
    let generate = api_action(
        move |api, request: GenerateTssRequest| api.generate_tss(store_id, request),
        Some(Text::Generated),
        move |answer| after.entry_answered(answer),
    );
    let blocked = Signal::derive(move || {
        let loaded = entries.get();
        let reason = not_loaded_reason(&loaded, Text::WhyTssNotLoaded).or_else(|| {
            let list = loaded.and_then(Result::ok).unwrap_or_default();
            list.iter()
                .any(is_setting_up)
                .then_some(Text::WhySetupRunning)
        });
        reason.map(|text| text.get(locale.get()).to_owned())
    });
    let active = move || {
        entries
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|e| e.state == TssState::Initialized))
    };
    let asking = RwSignal::new(false);
    view! {
        <ActionButton
            label=tr(Text::GenerateNewTss)
            pending=generate.pending()
            disabled_because=blocked
            on_click=Callback::new(move |_| {
                if active().is_some() {
                    asking.set(true);
                } else {
                    generate.dispatch(GenerateTssRequest::default());
                }
            })
        />
        <ConfirmDialog
            open=asking
            title=Signal::derive(move || Text::ConfirmAnotherTssTitle.get(locale.get()).to_owned())
            confirm_label=Signal::derive(move || Text::ConfirmAnotherTssYes.get(locale.get()).to_owned())
            on_confirm=Callback::new(move |_| {
                generate.dispatch(GenerateTssRequest { additional: true });
            })
        >
            <p>{tr(Text::ConfirmAnotherTssText)}</p>
            {move || {
                active()
                    .map(|entry| {
                        view! {
                            <p class="active-tss">
                                {tr(Text::ActiveTss)} ": " <code>{entry.tss_id.clone()}</code> " "
                                {entry.description.clone().unwrap_or_default()}
                            </p>
                        }
                    })
            }}
        </ConfirmDialog>
    }
}

/// Tells the user when a setup that was running while the page watched it has ended: "TSS … is
/// ready — register the POS terminals now", or why it failed.
fn announce_setup_endings(entries: Signal<Loaded<Vec<TssEntry>>>) {
    let toaster = use_toaster();
    let locale = use_locale();
    let watched = StoredValue::new(HashSet::<String>::new());
    Effect::new(move |_| {
        let Some(Ok(list)) = entries.get() else {
            return;
        };
        let language = locale.get_untracked();
        for entry in &list {
            let was_running = watched.with_value(|w| w.contains(&entry.tss_id));
            if is_setting_up(entry) {
                watched.update_value(|w| {
                    w.insert(entry.tss_id.clone());
                });
                continue;
            }
            if !was_running {
                continue;
            }
            watched.update_value(|w| {
                w.remove(&entry.tss_id);
            });
            let failed = entry
                .operation
                .as_ref()
                .is_some_and(|op| op.status == OperationStatus::Failed);
            if failed {
                let reason = entry_error(entry, language).unwrap_or_default();
                toaster.error(
                    Text::SetupFailed
                        .get(language)
                        .replace("{id}", &entry.tss_id)
                        .replace("{reason}", &reason),
                );
            } else if entry.state == TssState::Initialized {
                toaster.success(
                    Text::SetupReady
                        .get(language)
                        .replace("{id}", &entry.tss_id),
                );
            }
        }
    });
}

/// An entry's Error Text in the staff's language (its code worded), if it has one.
fn entry_error(entry: &TssEntry, language: tss_model::Language) -> Option<String> {
    let code = entry.error_code?;
    let detail = entry.error_text.clone().unwrap_or_default();
    Some(error_text(
        &tss_model::ApiError::new(code, detail),
        language,
    ))
}

/// One TSS: ID, description, state, Error Text, clients, times, progress and its actions.
#[component]
fn TssEntryItem(
    /// The entry.
    entry: TssEntry,
    /// The store's number and name.
    store_label: String,
    /// The store's terminals, once loaded.
    terminals: Signal<Loaded<Vec<Terminal>>>,
    /// What the page does after an action.
    after: AfterTssAction,
) -> impl IntoView {
    let locale = use_locale();
    let tss_id = entry.tss_id.clone();
    let running = is_running(&entry);
    let initialize = api_action(
        |api, id: String| api.initialize_tss(id),
        Some(Text::InitialStarted),
        move |answer| after.entry_answered(answer),
    );
    // Disabling deregisters the TSS's clients: the terminals are read again, the entry is not.
    let disable = api_action(
        |api, id: String| api.disable_tss(id),
        Some(Text::Disabled),
        move |answer| {
            after.entry_answered(answer);
            after.reload_terminals.run(());
        },
    );
    let replace = api_action(
        |api, (id, request): (String, ReplaceTssRequest)| api.replace_tss(id, request),
        Some(Text::ReplaceStarted),
        move |answer| after.entry_answered(answer),
    );
    let replacing = RwSignal::new(false);
    let disable_old = RwSignal::new(false);
    let replacement = entry.replacement(now()).filter(|_| !running);
    let show_replace = replacement.is_some();
    let adds_room = replacement == Some(Replacement::AddRoom);
    // Disabling on the way is offered only where Disable TSS is: administrators, a TSS fiskaly
    // can still disable whose terminals move.
    let offers_disable =
        entry.may_be_disabled_when_replaced(now()) && use_session().may(Role::Admin);
    let (for_replace, replaced_id) = (tss_id.clone(), tss_id.clone());
    let replaced_store = store_label.clone();
    let confirming = RwSignal::new(false);
    let disable_blocked = Signal::derive(move || {
        let reason = if running {
            Some(Text::WhyOperationRunning)
        } else {
            not_loaded_reason(&terminals.get(), Text::WhyTerminalsNotLoaded)
        };
        reason.map(|text| text.get(locale.get()).to_owned())
    });
    let (for_initialize, for_disable, in_dialog) = (tss_id.clone(), tss_id.clone(), tss_id.clone());
    let show_initialize = entry.state.allows_initialize() && !running;
    let allows_disable = entry.state.allows_disable();
    let badge_note = running.then(|| Text::SetupInProgress.get(locale.get_untracked()).to_owned());
    let error_headline = entry_error(&entry, locale.get_untracked());
    let disabled_at = (entry.state == TssState::Disabled).then_some(entry.time_disable);
    // A TSS out of service needs no warning that its certificate runs out.
    let in_service = matches!(entry.state, TssState::Uninitialized | TssState::Initialized);
    view! {
        <li class="tss-entry" data-tss=tss_id.clone()>
            <div class="tss-head">
                <StateBadge state=BadgeState::Tss(entry.state.clone()) note=badge_note.clone() />
                <code class="tss-id">{tss_id.clone()}</code>
                <CopyButton value=tss_id.clone() label=Text::CopyTssId />
            </div>
            <dl class="facts">
                <dt>{tr(Text::Description)}</dt>
                <dd>{entry.description.clone().unwrap_or_else(|| "–".into())}</dd>
                <dt>{tr(Text::Clients)}</dt>
                <dd class="clients" class:nearly-full=entry.nearly_full()>
                    {clients_text(&entry, locale.get_untracked())}
                </dd>
                <dt>{tr(Text::Created)}</dt>
                <dd>{maybe_date_time(entry.time_creation)}</dd>
                <dt>{tr(Text::Initialised)}</dt>
                <dd>{maybe_date_time(entry.time_init)}</dd>
                <dt>{tr(Text::LastRead)}</dt>
                <dd class="last-read">{maybe_date_time(entry.last_synced_at)}</dd>
                {entry
                    .replaced_by
                    .clone()
                    .map(|new| {
                        view! {
                            <dt>{tr(Text::ReplacedBy)}</dt>
                            <dd class="replaced-by"><code>{new}</code></dd>
                        }
                    })}
                <dt>{tr(Text::Certificate)}</dt>
                <dd class="certificate" data-not-after=entry.certificate.not_after()>
                    {certificate_text(&entry.certificate, locale.get_untracked())}
                    {in_service
                        .then(|| entry.certificate.expiry(now()))
                        .flatten()
                        .map(|expiry| view! { <CertificateWarning expiry /> })}
                </dd>
                {disabled_at
                    .map(|at| {
                        view! {
                            <dt>{tr(Text::DisabledSince)}</dt>
                            <dd class="disabled-at">{maybe_date_time(at)}</dd>
                        }
                    })}
            </dl>
            {entry
                .error_text
                .clone()
                .map(|detail| {
                    view! {
                        <p class="error-text">
                            <strong>{tr(Text::ErrorText)} ": "</strong>
                            {error_headline.clone()}
                            <details class="detail" lang="en">
                                <summary>{tr(Text::Details)}</summary>
                                {detail}
                            </details>
                        </p>
                    }
                })}
            {entry
                .operation
                .clone()
                .filter(|op| op.status == OperationStatus::Running)
                .map(|progress| view! { <OperationProgressBar progress /> })}
            <div class="toolbar">
                {show_initialize
                    .then(|| {
                        view! {
                            <ActionButton
                                label=tr(Text::InitialTss)
                                pending=initialize.pending()
                                on_click=Callback::new({
                                    let id = for_initialize.clone();
                                    move |_| {
                                        initialize.dispatch(id.clone());
                                    }
                                })
                            />
                        }
                    })}
                {show_replace
                    .then(|| {
                        view! {
                            <ActionButton
                                label=tr(Text::ReplaceTss)
                                needs=Role::Operator
                                pending=replace.pending()
                                on_click=Callback::new(move |_| {
                                    disable_old.set(false);
                                    replacing.set(true);
                                })
                            />
                        }
                    })}
                {allows_disable
                    .then(|| {
                        view! {
                            <ActionButton
                                label=tr(Text::DisableTss)
                                danger=true
                                needs=Role::Admin
                                pending=disable.pending()
                                disabled_because=disable_blocked
                                on_click=Callback::new(move |_| confirming.set(true))
                            />
                        }
                    })}
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || Text::ConfirmDisableTitle.get(locale.get()).to_owned())
                confirm_label=Signal::derive(move || Text::ConfirmDisableYes.get(locale.get()).to_owned())
                on_confirm=Callback::new(move |_| {
                    disable.dispatch(for_disable.clone());
                })
            >
                <p>
                    {tr(Text::Tss)} " " <code>{in_dialog.clone()}</code> " · " {tr(Text::Store)} " "
                    <strong>{store_label.clone()}</strong>
                </p>
                <p>{tr(Text::ConfirmDisableText)}</p>
                <AffectedTerminals tss_id=in_dialog.clone() terminals />
            </ConfirmDialog>
            <ConfirmDialog
                open=replacing
                title=Signal::derive(move || Text::ConfirmReplaceTitle.get(locale.get()).to_owned())
                confirm_label=Signal::derive(move || Text::ConfirmReplaceYes.get(locale.get()).to_owned())
                on_confirm=Callback::new(move |_| {
                    let request = ReplaceTssRequest {
                        disable_old: disable_old.get_untracked(),
                    };
                    replace.dispatch((for_replace.clone(), request));
                })
            >
                <p>
                    {tr(Text::Tss)} " " <code>{replaced_id.clone()}</code> " · " {tr(Text::Store)} " "
                    <strong>{replaced_store.clone()}</strong>
                </p>
                {if adds_room {
                    view! {
                        <p>{tr(Text::ConfirmReplaceAddRoomText)}</p>
                        <WaitingTerminals terminals />
                    }
                        .into_any()
                } else {
                    view! {
                        <p>{tr(Text::ConfirmReplaceText)}</p>
                        <AffectedTerminals tss_id=replaced_id.clone() terminals every_client=true />
                    }
                        .into_any()
                }}
                {offers_disable
                    .then(|| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="disable_old"
                                    prop:checked=move || disable_old.get()
                                    on:change=move |ev| disable_old.set(event_target_checked(&ev))
                                />
                                <span>{tr(Text::ReplaceDisableOld)}</span>
                            </label>
                        }
                    })}
            </ConfirmDialog>
        </li>
    }
}

/// The store's POS terminals that cannot sign (a Replace TSS of a full TSS gives them room);
/// "none" only when the loaded list has none.
#[component]
fn WaitingTerminals(
    /// The store's terminals, once loaded.
    terminals: Signal<Loaded<Vec<Terminal>>>,
) -> impl IntoView {
    view! {
        <ul class="affected">
            {move || match terminals.get() {
                Some(Ok(list)) => {
                    let names: Vec<String> = list
                        .into_iter()
                        .filter(|t| !t.client.as_ref().is_some_and(|c| c.can_sign()))
                        .map(|t| format!("{} {}", t.number, t.name))
                        .collect();
                    if names.is_empty() {
                        view! { <li>{tr(Text::NoTerminalsAffected)}</li> }.into_any()
                    } else {
                        names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view().into_any()
                    }
                }
                Some(Err(_)) => view! { <li class="error">{tr(Text::WhyTerminalsNotLoaded)}</li> }.into_any(),
                None => view! { <li>{tr(Text::WhyStillLoading)}</li> }.into_any(),
            }}
        </ul>
    }
}

/// The POS terminals whose clients a Disable deregisters (or, with `every_client`, that a
/// Replace TSS moves); "none" only when the loaded list has none, never when it could not be
/// loaded.
#[component]
fn AffectedTerminals(
    /// The TSS.
    tss_id: String,
    /// The store's terminals, once loaded.
    terminals: Signal<Loaded<Vec<Terminal>>>,
    /// Every terminal whose client is at the TSS, not only the REGISTERED ones.
    #[prop(optional)]
    every_client: bool,
) -> impl IntoView {
    view! {
        <ul class="affected">
            {move || match terminals.get() {
                Some(Ok(list)) => {
                    let names: Vec<String> = list
                        .into_iter()
                        .filter(|t| {
                            t.client.as_ref().is_some_and(|c| {
                                c.tss_id == tss_id
                                    && (every_client || c.state == tss_model::ClientState::Registered)
                            })
                        })
                        .map(|t| format!("{} {}", t.number, t.name))
                        .collect();
                    if names.is_empty() {
                        view! { <li>{tr(Text::NoTerminalsAffected)}</li> }.into_any()
                    } else {
                        names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view().into_any()
                    }
                }
                Some(Err(_)) => view! { <li class="error">{tr(Text::WhyTerminalsNotLoaded)}</li> }.into_any(),
                None => view! { <li>{tr(Text::WhyStillLoading)}</li> }.into_any(),
            }}
        </ul>
    }
}
