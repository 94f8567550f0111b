//! What staff see is always true: a failed load is never drawn as empty, a second TSS is never
//! generated without asking, readiness counts every POS terminal, a client of a TSS that cannot
//! sign never looks green, errors read in German, Back/Forward reopen no dialog, and what another
//! user changes shows at once.
#![cfg(target_arch = "wasm32")]

mod support;

use support::fake_api::{push_live, setting_up, store, tss, FakeApi};
use support::{button, click, open_app, open_app_in, settle, sleep, text_of};
use tss_console::api::LiveSignal;
use tss_model::{
    ApiError, ClientEntry, ClientState, ErrorCode, FieldProblem, Language, LiveEvent,
    OperationStep, Signing, Terminal, TssEntry, TssState,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn terminal(id: i64, number: &str, client: Option<(&str, ClientState, TssState)>) -> Terminal {
    Terminal {
        id,
        number: number.into(),
        name: format!("Kasse {id}"),
        store_id: 1,
        store_number: "S-001".into(),
        store_name: "Berlin Mitte".into(),
        serial_number: format!("SN-{id}"),
        client: client.map(|(tss_id, state, tss_state)| ClientEntry {
            client_id: format!("c-{id}"),
            tss_id: tss_id.into(),
            state,
            tss_state,
            tss_certificate_expired: false,
        }),
        error_text: None,
        error_code: None,
        service: Default::default(),
    }
}

fn fake(entries: Vec<TssEntry>, terminals: Vec<Terminal>) -> FakeApi {
    let api = FakeApi::default();
    {
        let mut state = api.0.lock().unwrap();
        state.stores = vec![store(1, "S-001", "Berlin Mitte", "Berlin")];
        state.tss = entries;
        state.terminals = terminals;
    }
    api
}

/// Store 1 with its INITIALIZED TSS `t-1` and terminal 7 (K-01) registered at it.
fn one_tss_with_one_registered_terminal() -> FakeApi {
    let registered = terminal(
        7,
        "K-01",
        Some(("t-1", ClientState::Registered, TssState::Initialized)),
    );
    fake(vec![tss(1, "t-1", TssState::Initialized)], vec![registered])
}

fn dialog_open(mounted: &support::Mounted) -> bool {
    mounted
        .find_all(".confirm-dialog")
        .into_iter()
        .any(|d| d.unchecked_into::<web_sys::HtmlDialogElement>().open())
}

#[wasm_bindgen_test]
async fn a_store_whose_tss_cannot_be_loaded_says_so_and_generate_stays_disabled() {
    let api = fake(vec![tss(1, "t-1", TssState::Initialized)], vec![]);
    api.fail_read("store_tss");
    let mounted = open_app("/stores/1", api.clone()).await;
    let section = text_of(&mounted, "[aria-labelledby=tss-setup]");
    assert!(section.contains("Could not be loaded."), "{section}");
    assert!(
        !section.contains("no TSS yet"),
        "never the empty state: {section}"
    );
    let generate = button(&mounted, "Generate New TSS");
    assert!(generate.has_attribute("disabled"));
    assert!(
        section.contains("This store's TSS could not be loaded"),
        "{section}"
    );

    api.heal();
    click(
        &mounted,
        "[aria-labelledby=tss-setup] [data-load-failed] button",
    );
    sleep(30).await;
    mounted.find(".tss-entry[data-tss=t-1]");
    assert!(mounted
        .find_all("[aria-labelledby=tss-setup] [data-load-failed]")
        .is_empty());
    assert!(api.calls().is_empty(), "{:?}", api.calls());
}

#[wasm_bindgen_test]
async fn disable_waits_for_the_terminals_and_its_dialog_names_the_affected_ones() {
    let api = one_tss_with_one_registered_terminal();
    api.fail_read("terminals");
    let mounted = open_app("/stores/1", api.clone()).await;
    let disable = button(&mounted, "Disable TSS");
    assert!(
        disable.has_attribute("disabled"),
        "no Disable on unknown terminals"
    );
    let entry = text_of(&mounted, ".tss-entry");
    assert!(
        entry.contains("POS terminals could not be loaded"),
        "{entry}"
    );
    let terminals = text_of(&mounted, "[aria-labelledby=store-terminals]");
    assert!(terminals.contains("Could not be loaded."), "{terminals}");
    assert!(!terminals.contains("No POS terminals found"), "{terminals}");

    api.heal();
    click(
        &mounted,
        "[aria-labelledby=store-terminals] [data-load-failed] button",
    );
    sleep(30).await;
    let disable = button(&mounted, "Disable TSS");
    assert!(!disable.has_attribute("disabled"));
    disable.click();
    settle().await;
    let affected = text_of(&mounted, ".confirm-dialog .affected");
    assert_eq!(affected, "K-01 Kasse 7");
}

#[wasm_bindgen_test]
async fn a_second_tss_is_generated_only_after_the_user_confirmed_it() {
    let mut active = tss(1, "t-active", TssState::Initialized);
    active.description = Some("S-001 Berlin Mitte".into());
    let api = fake(vec![active], vec![]);
    let mounted = open_app("/stores/1", api.clone()).await;
    button(&mounted, "Generate New TSS").click();
    settle().await;
    assert!(dialog_open(&mounted), "it asks first");
    let question = text_of(&mounted, ".confirm-dialog[open]");
    assert!(question.contains("already has an active TSS"), "{question}");
    assert!(
        question.contains("t-active"),
        "names the active TSS: {question}"
    );
    click(
        &mounted,
        ".confirm-dialog[open] .confirm-actions button:first-child",
    );
    settle().await;
    assert!(api.calls().is_empty(), "Cancel sends nothing");

    button(&mounted, "Generate New TSS").click();
    settle().await;
    click(&mounted, ".confirm-dialog[open] .button-danger");
    sleep(30).await;
    assert_eq!(api.calls(), ["generate_tss 1 additional"]);

    let without = fake(vec![tss(1, "t-old", TssState::Disabled)], vec![]);
    let mounted = open_app("/stores/1", without.clone()).await;
    button(&mounted, "Generate New TSS").click();
    sleep(30).await;
    assert!(!dialog_open(&mounted));
    assert_eq!(
        without.calls(),
        ["generate_tss 1"],
        "no question without an active TSS"
    );
}

#[wasm_bindgen_test]
async fn while_a_setup_runs_generate_and_initial_tss_wait_and_its_end_is_announced() {
    let api = fake(
        vec![setting_up(
            "t-new",
            TssState::Created,
            OperationStep::Deploy,
        )],
        vec![],
    );
    api.0.lock().unwrap().progress.insert(
        "t-new".into(),
        [
            setting_up("t-new", TssState::Created, OperationStep::Deploy),
            setting_up("t-new", TssState::Uninitialized, OperationStep::AdminLogin),
            tss(1, "t-new", TssState::Initialized),
        ]
        .into(),
    );
    let mounted = open_app("/stores/1", api.clone()).await;
    assert!(button(&mounted, "Generate New TSS").has_attribute("disabled"));
    let toolbar = text_of(&mounted, "[aria-labelledby=tss-setup] .toolbar");
    assert!(
        toolbar.contains("A TSS setup is running for this store"),
        "{toolbar}"
    );
    let entry = text_of(&mounted, ".tss-entry");
    assert!(
        !entry.contains("Initial TSS"),
        "no Initial TSS while it is set up: {entry}"
    );
    assert!(
        !entry.contains("Run Initial TSS"),
        "no hint to run it: {entry}"
    );

    for _ in 0..2 {
        push_live(LiveSignal::Change(LiveEvent::Tss {
            store_id: 1,
            tss_id: "t-new".into(),
        }));
        sleep(50).await;
    }
    let toast = text_of(&mounted, ".toasts");
    assert!(
        toast.contains("TSS t-new is ready — register the POS terminals now."),
        "{toast}"
    );
    assert!(!button(&mounted, "Generate New TSS").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn readiness_counts_the_terminals_that_can_sign() {
    let terminals = vec![
        terminal(
            7,
            "K-01",
            Some(("t-1", ClientState::Registered, TssState::Initialized)),
        ),
        terminal(8, "K-02", None),
    ];
    let api = fake(vec![tss(1, "t-1", TssState::Initialized)], terminals);
    api.0.lock().unwrap().stores[0].signing = Signing::of(
        [&TssState::Initialized],
        [
            Some((&ClientState::Registered, &TssState::Initialized)),
            None,
        ],
    );
    let card = open_app("/stores/1", api.clone()).await;
    sleep(20).await;
    assert_eq!(
        text_of(&card, "[data-readiness]"),
        "!1 of 2 POS terminals can sign"
    );
    drop(card);
    let list = open_app("/stores", api).await;
    assert!(text_of(&list, "tbody tr").contains("1 of 2 POS terminals can sign"));
}

#[wasm_bindgen_test]
async fn a_client_registered_at_a_disabled_tss_reads_cannot_sign() {
    let client = terminal(
        7,
        "K-01",
        Some(("t-old", ClientState::Registered, TssState::Disabled)),
    );
    let api = fake(
        vec![
            tss(1, "t-old", TssState::Disabled),
            tss(1, "t-new", TssState::Initialized),
        ],
        vec![client],
    );
    let card = open_app("/terminals/7", api.clone()).await;
    let signing = card.find("[data-can-sign]");
    assert_eq!(
        signing.get_attribute("data-can-sign").as_deref(),
        Some("false")
    );
    assert_eq!(
        signing.text_content().unwrap(),
        "✕Cannot sign: the TSS is DISABLED."
    );
    assert!(card.find_all(".tone-ok").is_empty(), "nothing green");
    assert_eq!(
        text_of(&card, ".client-tss"),
        "t-old",
        "the client's own TSS"
    );
    let chooser = text_of(&card, "label:has(select[name=tss])");
    assert!(chooser.contains("TSS for the new client ID"), "{chooser}");
    drop(card);

    let list = open_app("/terminals", api).await;
    assert!(text_of(&list, "tbody").contains("Cannot sign: the TSS is DISABLED."));
    drop(list);

    let signing = fake(
        vec![tss(1, "t-1", TssState::Initialized)],
        vec![terminal(
            7,
            "K-01",
            Some(("t-1", ClientState::Registered, TssState::Initialized)),
        )],
    );
    let card = open_app("/terminals/7", signing).await;
    assert!(
        card.find_all("select[name=tss]").is_empty(),
        "no choice when nothing to generate"
    );
}

#[wasm_bindgen_test]
async fn errors_read_in_german_and_a_field_error_stands_at_its_field() {
    let api = fake(vec![tss(1, "t-1", TssState::Uninitialized)], vec![]);
    api.0.lock().unwrap().fail_next = Some(ApiError::new(
        ErrorCode::Conflict,
        "The TSS is DISABLED: only a CREATED or UNINITIALIZED TSS can be initialised.",
    ));
    let mounted = open_app_in("/stores/1", api.clone(), Language::De).await;
    button(&mounted, "TSS initialisieren").click();
    sleep(50).await;
    let toast = text_of(&mounted, ".toast-error .toast-message");
    assert!(
        toast.starts_with("Das ist im aktuellen Zustand nicht möglich."),
        "{toast}"
    );
    assert!(
        !toast.contains("The TSS is"),
        "no English detail in German: {toast}"
    );
    drop(mounted);

    api.0.lock().unwrap().fail_next = Some(ApiError::for_field(
        ErrorCode::Conflict,
        "There is already a store with the number S-001.",
        "number",
        FieldProblem::Taken,
    ));
    let mounted = open_app_in("/stores", api.clone(), Language::De).await;
    mounted
        .find("details.panel")
        .unchecked_into::<web_sys::HtmlDetailsElement>()
        .set_open(true);
    for (name, value) in [
        ("number", "S-001"),
        ("name", "Neu"),
        ("street", "Weg 1"),
        ("city", "Köln"),
    ] {
        support::type_into(
            &mounted,
            &format!("details.panel input[name={name}]"),
            value,
        );
    }
    click(&mounted, "details.panel button[type=submit]");
    sleep(50).await;
    assert_eq!(
        text_of(&mounted, "[data-field-error=number]"),
        "Ist schon vergeben."
    );
    assert_eq!(
        text_of(&mounted, ".toast-error .toast-message"),
        "Nummer: Ist schon vergeben."
    );
    let max = mounted
        .find("details.panel input[name=number]")
        .get_attribute("maxlength");
    assert_eq!(
        max.as_deref(),
        Some("20"),
        "inputs carry the server's limits"
    );
    drop(mounted);

    api.fail_read("stores");
    let mounted = open_app_in("/stores", api, Language::De).await;
    let failed = text_of(&mounted, "[data-load-failed]");
    assert!(
        failed.starts_with("Konnte nicht geladen werden."),
        "{failed}"
    );
    assert!(failed.contains("Erneut versuchen"), "{failed}");
}

#[wasm_bindgen_test]
async fn back_and_forward_do_not_reopen_the_disable_dialog() {
    let api = fake(vec![tss(1, "t-1", TssState::Initialized)], vec![]);
    support::go_to("/stores"); // the history step Back returns to
    let mounted = open_app("/stores/1", api.clone()).await;
    button(&mounted, "Disable TSS").click();
    settle().await;
    assert!(dialog_open(&mounted));
    click(
        &mounted,
        ".confirm-dialog[open] .confirm-actions button:first-child",
    );
    settle().await;
    let history = leptos::prelude::window().history().unwrap();
    history.back().unwrap();
    sleep(100).await;
    mounted.find("[data-page=store-list]");
    history.forward().unwrap();
    sleep(100).await;
    mounted.find("[data-page=store-card]");
    assert!(!dialog_open(&mounted), "Forward does not reopen it");

    button(&mounted, "Disable TSS").click();
    settle().await;
    history.back().unwrap();
    sleep(100).await;
    history.forward().unwrap();
    sleep(100).await;
    assert!(!dialog_open(&mounted), "nor after leaving it open");

    // Leaving the page for another site: the back/forward cache keeps the page as it was hidden.
    button(&mounted, "Disable TSS").click();
    settle().await;
    assert!(dialog_open(&mounted));
    let hidden = web_sys::Event::new("pagehide").unwrap();
    leptos::prelude::window().dispatch_event(&hidden).unwrap();
    assert!(!dialog_open(&mounted), "closed before the page is cached");
    assert!(api.calls().is_empty(), "{:?}", api.calls());
}

#[wasm_bindgen_test]
async fn the_active_tss_comes_first_and_a_disabled_one_is_folded_with_its_date() {
    let mut disabled = tss(1, "t-old", TssState::Disabled);
    disabled.time_disable = Some(1_795_700_000);
    disabled.last_synced_at = Some(1_795_800_000);
    let api = fake(vec![disabled, tss(1, "t-1", TssState::Initialized)], vec![]);
    let mounted = open_app("/stores/1", api).await;
    let first = mounted.find(".tss-list .tss-entry");
    assert_eq!(first.get_attribute("data-tss").as_deref(), Some("t-1"));
    let folded = mounted
        .find("details.inactive-tss")
        .unchecked_into::<web_sys::HtmlDetailsElement>();
    assert!(!folded.open(), "folded");
    assert!(folded
        .text_content()
        .unwrap()
        .contains("Disabled, defective or deleted: 1 TSS"));
    let since = text_of(&mounted, "details.inactive-tss .disabled-at");
    assert!(since.contains(".20"), "a date: {since}");
    let never_read = text_of(&mounted, ".tss-list > .tss-entry .last-read");
    assert_eq!(never_read, "–", "never read from fiskaly");
    let read = text_of(&mounted, "details.inactive-tss .last-read");
    assert!(read.contains(".20"), "when it was last read: {read}");
    let copy = mounted.find(".tss-entry .button-small");
    assert_eq!(
        copy.get_attribute("aria-label").as_deref(),
        Some("Copy TSS ID")
    );
}

#[wasm_bindgen_test]
async fn a_failed_refresh_while_offline_keeps_the_store_on_screen() {
    let api = fake(vec![tss(1, "t-1", TssState::Initialized)], vec![]);
    let mounted = open_app("/stores/1", api.clone()).await;
    // The network goes away: every read and the refresh fail.
    let offline = ApiError::new(ErrorCode::ServerUnreachable, "unreachable");
    {
        let mut state = api.0.lock().unwrap();
        state.read_error = Some(offline.clone());
        state.fail_next = Some(offline);
    }
    api.fail_read("store_tss");
    api.fail_read("terminals");
    button(&mounted, "Refresh TSS").click();
    sleep(50).await;
    let heading = text_of(&mounted, "[data-page=store-card] h1");
    assert!(heading.contains("S-001"), "the store stays: {heading}");
    let section = text_of(&mounted, "[aria-labelledby=tss-setup]");
    assert!(section.contains("Could not be loaded."), "{section}");
}

#[wasm_bindgen_test]
async fn after_disable_the_store_card_shows_the_answered_entry_without_reading_it_again() {
    let api = one_tss_with_one_registered_terminal();
    let mounted = open_app("/stores/1", api.clone()).await;
    api.take_reads();

    button(&mounted, "Disable TSS").click();
    settle().await;
    click(&mounted, ".tss-entry .confirm-dialog .button-danger");
    sleep(50).await;
    assert_eq!(api.calls(), ["disable_tss t-1"]);
    let entry = text_of(&mounted, ".tss-entry[data-tss=t-1]");
    assert!(entry.contains("DISABLED"), "{entry}");
    // The answer is the entry; only the terminals, whose clients the Disable deregistered, are
    // read again.
    assert_eq!(api.take_reads(), ["terminals"]);
}

#[wasm_bindgen_test]
async fn client_actions_show_the_answered_terminal_without_reading_it_again() {
    let api = fake(
        vec![tss(1, "t-1", TssState::Initialized)],
        vec![terminal(7, "K-01", None)],
    );
    let mounted = open_app("/terminals/7", api.clone()).await;
    api.take_reads();

    button(&mounted, "Generate Client ID").click();
    sleep(50).await;
    assert_eq!(api.calls(), ["generate_client 7 Some(\"t-1\")"]);
    assert_eq!(text_of(&mounted, ".client-id"), "c-new-7");
    assert!(
        api.take_reads().is_empty(),
        "no read after Generate Client ID"
    );

    button(&mounted, "Deregister client").click();
    settle().await;
    click(&mounted, ".confirm-dialog .button-danger");
    sleep(50).await;
    assert_eq!(api.calls().last().unwrap(), "deregister_client 7");
    let section = text_of(&mounted, "[aria-labelledby=sign-de-v2]");
    assert!(section.contains("DEREGISTERED"), "{section}");
    assert!(api.take_reads().is_empty(), "no read after Deregister");
}

#[wasm_bindgen_test]
async fn another_users_disable_shows_at_once_and_takes_the_disable_button_away() {
    let api = one_tss_with_one_registered_terminal();
    let mounted = open_app("/stores/1", api.clone()).await;
    assert!(!button(&mounted, "Disable TSS").has_attribute("disabled"));

    // Another user disabled the TSS: the proxy changed it and says so on the live feed.
    {
        let mut state = api.0.lock().unwrap();
        state.tss[0].state = TssState::Disabled;
        let client = state.terminals[0].client.as_mut().unwrap();
        client.state = ClientState::Deregistered;
        client.tss_state = TssState::Disabled;
    }
    push_live(LiveSignal::Change(LiveEvent::Tss {
        store_id: 1,
        tss_id: "t-1".into(),
    }));
    push_live(LiveSignal::Change(LiveEvent::Client {
        store_id: 1,
        terminal_id: 7,
    }));
    sleep(50).await;
    let entry = text_of(&mounted, ".tss-entry[data-tss=t-1]");
    assert!(entry.contains("DISABLED"), "{entry}");
    let disable = mounted
        .find_all("button")
        .into_iter()
        .any(|b| b.text_content().unwrap_or_default().contains("Disable TSS"));
    assert!(!disable, "no Disable TSS for a disabled TSS");
    let terminals = text_of(&mounted, "[aria-labelledby=store-terminals]");
    assert!(terminals.contains("DEREGISTERED"), "{terminals}");
    assert!(api.calls().is_empty(), "{:?}", api.calls());
}

#[wasm_bindgen_test]
async fn the_header_says_whether_the_page_is_live_and_a_reconnect_reads_it_again() {
    let api = one_tss_with_one_registered_terminal();
    let mounted = open_app_in("/stores/1", api.clone(), Language::De).await;
    assert_eq!(text_of(&mounted, ".live-indicator"), "Live");

    push_live(LiveSignal::Lost);
    settle().await;
    assert_eq!(
        text_of(&mounted, ".live-indicator"),
        "Verbindung wird wiederhergestellt …"
    );
    api.take_reads();
    push_live(LiveSignal::Open);
    sleep(50).await;
    assert_eq!(text_of(&mounted, ".live-indicator"), "Live");
    let mut reads = api.take_reads();
    reads.sort();
    assert_eq!(
        reads,
        ["store", "store_tss", "terminals"],
        "changes may have been missed: the page reads all it shows again"
    );
}

#[wasm_bindgen_test]
async fn a_terminal_card_follows_its_clients_deregistration_and_ignores_other_terminals() {
    let api = one_tss_with_one_registered_terminal();
    let mounted = open_app("/terminals/7", api.clone()).await;
    api.take_reads();

    push_live(LiveSignal::Change(LiveEvent::Client {
        store_id: 1,
        terminal_id: 8,
    }));
    sleep(50).await;
    assert!(api.take_reads().is_empty(), "another terminal's change");

    {
        let mut state = api.0.lock().unwrap();
        let client = state.terminals[0].client.as_mut().unwrap();
        client.state = ClientState::Deregistered;
    }
    push_live(LiveSignal::Change(LiveEvent::Client {
        store_id: 1,
        terminal_id: 7,
    }));
    sleep(50).await;
    let section = text_of(&mounted, "[aria-labelledby=sign-de-v2]");
    assert!(section.contains("DEREGISTERED"), "{section}");
}
