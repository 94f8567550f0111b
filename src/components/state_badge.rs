//! The one badge for TSS and client states: label, colour, icon and meaning, never colour alone.

use leptos::prelude::*;
use tss_model::{ClientState, Language, TssState};

use crate::i18n::use_locale;

/// A state a badge can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadgeState {
    /// The state of a TSS.
    Tss(TssState),
    /// The state of a POS terminal's client.
    Client(ClientState),
}

impl From<TssState> for BadgeState {
    fn from(state: TssState) -> Self {
        BadgeState::Tss(state)
    }
}

impl From<ClientState> for BadgeState {
    fn from(state: ClientState) -> Self {
        BadgeState::Client(state)
    }
}

/// How a state feels to staff; picks the colour and the icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Ok,
    Pending,
    Off,
    Broken,
    Unknown,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Ok => "state-badge tone-ok",
            Tone::Pending => "state-badge tone-pending",
            Tone::Off => "state-badge tone-off",
            Tone::Broken => "state-badge tone-broken",
            Tone::Unknown => "state-badge tone-unknown",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Tone::Ok => "✓",
            Tone::Pending => "◔",
            Tone::Off => "⊘",
            Tone::Broken => "✕",
            Tone::Unknown => "?",
        }
    }
}

impl BadgeState {
    fn label(&self) -> &str {
        match self {
            BadgeState::Tss(state) => state.as_str(),
            BadgeState::Client(state) => state.as_str(),
        }
    }

    fn meaning(&self, language: Language) -> &'static str {
        match self {
            BadgeState::Tss(state) => state.meaning(language),
            BadgeState::Client(state) => state.meaning(language),
        }
    }

    fn tone(&self) -> Tone {
        match self {
            BadgeState::Tss(TssState::Initialized)
            | BadgeState::Client(ClientState::Registered) => Tone::Ok,
            BadgeState::Tss(TssState::Created | TssState::Uninitialized) => Tone::Pending,
            BadgeState::Tss(TssState::Disabled) | BadgeState::Client(ClientState::Deregistered) => {
                Tone::Off
            }
            BadgeState::Tss(TssState::Deleted | TssState::Defective | TssState::Evicted) => {
                Tone::Broken
            }
            BadgeState::Tss(TssState::Unknown(_)) | BadgeState::Client(ClientState::Unknown(_)) => {
                Tone::Unknown
            }
        }
    }
}

/// Shows a TSS or client state as fiskaly names it, with an icon and colour for its tone and its
/// meaning in the current language (as tooltip, and as text for screen readers).
#[component]
pub fn StateBadge(
    /// The state to show; may change over time (e.g. while an operation runs).
    #[prop(into)]
    state: Signal<BadgeState>,
    /// Said instead of the state's meaning, e.g. while a setup runs on the TSS (the meaning of
    /// CREATED would tell staff to run Initial TSS).
    #[prop(default = None)]
    note: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let note = StoredValue::new(note);
    let meaning = move || match note.get_value() {
        Some(note) => note,
        None => state.read().meaning(locale.get()).to_owned(),
    };
    view! {
        <span
            class=move || state.read().tone().class()
            data-state=move || state.read().label().to_owned()
            title=meaning
        >
            <span class="state-badge-icon" aria-hidden="true">
                {move || state.read().tone().icon()}
            </span>
            <span class="state-badge-label">{move || state.read().label().to_owned()}</span>
            <span class="visually-hidden">{move || format!(": {}", meaning())}</span>
        </span>
    }
}
