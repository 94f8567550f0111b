//! The terminal card's Sign DE V2 section against an in-memory proxy: Generate Client ID is
//! offered only when allowed, otherwise the button says why.
#![cfg(target_arch = "wasm32")]

mod support;

use support::fake_api::{store, tss, FakeApi};
use support::{click, open_app, sleep};
use tss_model::{ClientEntry, ClientState, Terminal, TssState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn terminal(client: Option<(ClientState, TssState)>) -> Terminal {
    Terminal {
        id: 7,
        number: "K-01".into(),
        name: "Kasse 1".into(),
        store_id: 1,
        store_number: "S-001".into(),
        store_name: "Berlin Mitte".into(),
        serial_number: "S-001-POS-01".into(),
        client: client.map(|(state, tss_state)| ClientEntry {
            client_id: "c-1".into(),
            tss_id: "t-old".into(),
            state,
            tss_state,
            tss_certificate_expired: false,
        }),
        error_text: None,
        error_code: None,
        service: Default::default(),
    }
}

fn api(client: Option<(ClientState, TssState)>, store_tss: Vec<tss_model::TssEntry>) -> FakeApi {
    let api = FakeApi::default();
    {
        let mut state = api.0.lock().unwrap();
        state.stores = vec![store(1, "S-001", "Berlin Mitte", "Berlin")];
        state.terminals = vec![terminal(client)];
        state.tss = store_tss;
    }
    api
}

fn generate_button(mounted: &support::Mounted) -> web_sys::Element {
    mounted
        .find_all(".card .toolbar button")
        .into_iter()
        .find(|b| b.text_content().unwrap().contains("Generate Client ID"))
        .expect("the Generate Client ID button")
}

#[wasm_bindgen_test]
async fn with_a_disabled_tss_the_button_is_disabled_and_says_to_generate_a_new_tss() {
    let fake = api(
        Some((ClientState::Deregistered, TssState::Disabled)),
        vec![tss(1, "t-old", TssState::Disabled)],
    );
    let mounted = open_app("/terminals/7", fake.clone()).await;
    assert!(generate_button(&mounted).has_attribute("disabled"));
    let reason = mounted.find(".action-reason").text_content().unwrap();
    assert_eq!(
        reason,
        "The TSS is DISABLED: generate a new TSS for this store first."
    );
    let link = mounted.find(".card .toolbar a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/stores/1"));
    assert!(fake.calls().is_empty());
}

#[wasm_bindgen_test]
async fn a_registered_client_cannot_be_generated_again_but_can_be_deregistered() {
    let fake = api(
        Some((ClientState::Registered, TssState::Initialized)),
        vec![tss(1, "t-old", TssState::Initialized)],
    );
    let mounted = open_app("/terminals/7", fake).await;
    assert!(generate_button(&mounted).has_attribute("disabled"));
    assert!(mounted
        .find(".action-reason")
        .text_content()
        .unwrap()
        .contains("already registered"));
    mounted.find(".card .button-danger");
}

#[wasm_bindgen_test]
async fn with_an_initialized_tss_a_click_registers_the_terminal_there() {
    let fake = api(
        Some((ClientState::Deregistered, TssState::Disabled)),
        vec![
            tss(1, "t-old", TssState::Disabled),
            tss(1, "t-new", TssState::Initialized),
        ],
    );
    let mounted = open_app("/terminals/7", fake.clone()).await;
    assert!(!generate_button(&mounted).has_attribute("disabled"));
    assert!(mounted.find_all(".action-reason").is_empty());
    click(&mounted, ".card .toolbar button");
    sleep(50).await;
    assert_eq!(fake.calls(), ["generate_client 7 Some(\"t-new\")"]);
    assert!(mounted
        .find("[role=status]")
        .text_content()
        .unwrap()
        .contains("registered"));
}

#[wasm_bindgen_test]
async fn when_every_active_tss_is_full_the_card_offers_generate_new_tss_instead() {
    let full = tss_model::TssEntry {
        registered_clients: 199,
        ..tss(1, "t-full", TssState::Initialized)
    };
    let fake = api(None, vec![full]);
    let mounted = open_app("/terminals/7", fake.clone()).await;
    assert!(generate_button(&mounted).has_attribute("disabled"));
    let reason = mounted.find(".action-reason").text_content().unwrap();
    assert!(
        reason.contains("as many POS terminals as fiskaly allows"),
        "{reason}"
    );
    let generate_tss = mounted
        .find_all(".card .toolbar button")
        .into_iter()
        .find(|b| b.text_content().unwrap().contains("Generate New TSS"))
        .expect("Generate New TSS offered");
    assert!(!generate_tss.has_attribute("disabled"));
    generate_tss
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    sleep(50).await;
    assert_eq!(fake.calls(), ["generate_tss 1 additional"]);
}

#[wasm_bindgen_test]
async fn a_terminal_an_operation_on_many_could_not_register_shows_its_error_text() {
    let fake = api(None, vec![tss(1, "t-1", TssState::Initialized)]);
    {
        let mut state = fake.0.lock().unwrap();
        state.terminals[0].error_text =
            Some("fiskaly: serial taken (E_ILLEGAL_CLIENT_SERIAL)".into());
        state.terminals[0].error_code = Some(tss_model::ErrorCode::Fiskaly);
    }
    let mounted = open_app("/terminals/7", fake).await;
    let text = mounted
        .find("[data-terminal-error]")
        .text_content()
        .unwrap();
    assert!(
        text.starts_with("Error Text: fiskaly refused the action."),
        "{text}"
    );
    assert!(text.contains("E_ILLEGAL_CLIENT_SERIAL"), "{text}");
}

#[wasm_bindgen_test]
async fn the_store_card_generates_client_ids_for_all_terminals_that_cannot_sign_at_once() {
    let fake = api(None, vec![tss(1, "t-1", TssState::Initialized)]);
    let mounted = open_app("/stores/1", fake.clone()).await;
    let all = mounted
        .find_all("[aria-labelledby=store-terminals] button")
        .into_iter()
        .find(|b| b.text_content().unwrap().contains("that cannot sign"))
        .expect("the button for all terminals");
    assert_eq!(
        all.text_content().unwrap(),
        "Generate the Client ID for the 1 POS terminal that cannot sign"
    );
    all.unchecked_into::<web_sys::HtmlElement>().click();
    sleep(50).await;
    assert_eq!(fake.calls(), ["generate_clients 1"]);
    sleep(50).await;
    assert!(mounted
        .find_all("[aria-labelledby=store-terminals] button")
        .iter()
        .all(|b| !b.text_content().unwrap().contains("cannot sign")));
}
