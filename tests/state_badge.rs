//! The state badge shows every TSS and client state with its label, icon, colour and meaning.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use tss_console::components::{BadgeState, StateBadge};
use tss_console::i18n::use_locale;
use tss_model::{ClientState, Language, TssState};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn every_state() -> Vec<BadgeState> {
    let tss = TssState::KNOWN.into_iter().map(BadgeState::from);
    let clients = ClientState::KNOWN.into_iter().map(BadgeState::from);
    tss.chain(clients).collect()
}

#[wasm_bindgen_test]
async fn every_state_shows_its_label_icon_and_meaning() {
    for state in every_state() {
        let shown = state.clone();
        let mounted = support::mount(move || {
            use_locale().set(Language::En);
            view! { <StateBadge state=shown /> }
        });
        support::settle().await;
        let badge = mounted.find(".state-badge");
        let (label, meaning) = match &state {
            BadgeState::Tss(s) => (s.as_str().to_owned(), s.meaning(Language::En)),
            BadgeState::Client(s) => (s.as_str().to_owned(), s.meaning(Language::En)),
        };
        let text = badge.text_content().unwrap();
        assert!(text.contains(&label), "{label} badge reads {text:?}");
        assert!(
            text.contains(meaning),
            "{label} badge lacks its meaning: {text:?}"
        );
        assert_eq!(badge.get_attribute("title").as_deref(), Some(meaning));
        let icon = mounted.find(".state-badge-icon").text_content().unwrap();
        assert!(!icon.trim().is_empty(), "{label} has no icon");
        let class = badge.get_attribute("class").unwrap();
        assert!(
            class.contains("tone-"),
            "{label} has no colour class: {class}"
        );
    }
}

#[wasm_bindgen_test]
async fn states_that_feel_different_look_different() {
    let mut seen = Vec::new();
    for state in [
        TssState::Initialized,
        TssState::Uninitialized,
        TssState::Disabled,
        TssState::Defective,
    ] {
        let mounted = support::mount(move || view! { <StateBadge state=BadgeState::Tss(state) /> });
        support::settle().await;
        let badge = mounted.find(".state-badge");
        let look = (
            badge.get_attribute("class").unwrap(),
            mounted.find(".state-badge-icon").text_content().unwrap(),
        );
        assert!(!seen.contains(&look), "two tones share {look:?}");
        seen.push(look);
    }
}

#[wasm_bindgen_test]
async fn an_unknown_state_shows_fiskalys_spelling() {
    let mounted = support::mount(|| {
        view! { <StateBadge state=BadgeState::Tss(TssState::Unknown("SUSPENDED".into())) /> }
    });
    support::settle().await;
    assert!(mounted.find(".state-badge-label").text_content().unwrap() == "SUSPENDED");
}

#[wasm_bindgen_test]
async fn the_badge_follows_its_state_and_the_language() {
    let state = RwSignal::new(BadgeState::Tss(TssState::Uninitialized));
    let mounted = support::mount(move || {
        use_locale().set(Language::En);
        view! { <StateBadge state=state /> }
    });
    support::settle().await;
    assert_eq!(
        mounted.find(".state-badge-label").text_content().unwrap(),
        "UNINITIALIZED"
    );

    state.set(BadgeState::Tss(TssState::Initialized));
    support::settle().await;
    let badge = mounted.find(".state-badge");
    assert_eq!(
        mounted.find(".state-badge-label").text_content().unwrap(),
        "INITIALIZED"
    );
    assert_eq!(
        badge.get_attribute("title").as_deref(),
        Some(TssState::Initialized.meaning(Language::En))
    );
}
