//! The Store List and the store card against an in-memory proxy: search in the URL, actions per
//! state with their reasons, the Disable modal, polling, and errors.
#![cfg(target_arch = "wasm32")]

mod support;

use support::fake_api::{push_live, setting_up, store, tss, FakeApi};
use support::{
    button, button_labels, click, open_app, open_app_in, settle, sleep, text_of, type_into,
};
use tss_console::api::LiveSignal;
use tss_model::{
    ApiError, ErrorCode, FleetRefresh, ImportColumn, ImportCounts, ImportProblem, ImportReason,
    ImportReport, Language, LiveEvent, OperationStatus, OperationStep, Role, SerialProblem,
    TssState,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn two_stores() -> FakeApi {
    let api = FakeApi::default();
    {
        let mut state = api.0.lock().unwrap();
        state.stores = vec![
            store(1, "S-001", "Berlin Mitte", "Berlin"),
            store(2, "S-002", "Köln Ehrenfeld", "Köln"),
        ];
    }
    api
}

#[wasm_bindgen_test]
async fn searching_filters_the_store_list_and_keeps_the_search_in_the_url() {
    let mounted = open_app("/stores", two_stores()).await;
    assert_eq!(mounted.find_all("tbody tr").len(), 2);
    type_into(&mounted, "input[type=search]", "köln");
    sleep(50).await;
    assert_eq!(mounted.find_all("tbody tr").len(), 1);
    assert!(mounted
        .find("tbody")
        .text_content()
        .unwrap()
        .contains("Köln Ehrenfeld"));
    let search = leptos::prelude::window().location().search().unwrap();
    assert!(search.starts_with("?q=k"), "{search}");

    let linked = open_app("/stores?q=berlin", two_stores()).await;
    assert_eq!(linked.find_all("tbody tr").len(), 1);
}

#[wasm_bindgen_test]
async fn a_long_list_shows_a_page_and_loads_more_on_request() {
    let api = FakeApi::default();
    api.0.lock().unwrap().stores = (1..=60)
        .map(|n| store(n, &format!("S-{n:03}"), "Filiale", "Köln"))
        .collect();
    let mounted = open_app("/stores", api).await;
    sleep(20).await;
    assert_eq!(mounted.find_all("tbody tr").len(), 50);
    let count = || mounted.find("p.more .count").text_content().unwrap();
    assert_eq!(count(), "50 / 60");
    click(&mounted, "button[name=load-more]");
    sleep(20).await;
    assert_eq!(mounted.find_all("tbody tr").len(), 60);
    assert_eq!(count(), "60 / 60");
    assert!(mounted.find_all("button[name=load-more]").is_empty());
}

#[wasm_bindgen_test]
async fn fast_typing_searches_at_the_first_keystroke_and_once_more_when_it_pauses() {
    let api = two_stores();
    let mounted = open_app("/stores", api.clone()).await;
    sleep(200).await;
    let searches = || api.take_reads().iter().filter(|r| **r == "stores").count();
    searches();
    for text in ["k", "kö", "köl", "köln"] {
        type_into(&mounted, "input[type=search]", text);
    }
    sleep(20).await;
    assert_eq!(searches(), 1, "the first keystroke is searched at once");
    sleep(250).await;
    assert_eq!(searches(), 1, "the rest once, with the last text");
    assert_eq!(mounted.find_all("tbody tr").len(), 1);
    let search = leptos::prelude::window().location().search().unwrap();
    assert!(search.contains("k%C3%B6ln"), "{search}");
}

fn store_with(entries: Vec<tss_model::TssEntry>) -> FakeApi {
    let api = two_stores();
    api.0.lock().unwrap().tss = entries;
    api
}

#[wasm_bindgen_test]
async fn each_tss_says_how_many_of_its_199_clients_are_taken_and_warns_from_180() {
    let with_clients = |id: &str, clients| tss_model::TssEntry {
        registered_clients: clients,
        ..tss(1, id, TssState::Initialized)
    };
    let entries = vec![
        with_clients("t-few", 12),
        with_clients("t-many", 185),
        with_clients("t-full", 199),
    ];
    let mounted = open_app_in("/stores/1", store_with(entries), Language::De).await;
    let clients = |id: &str| text_of(&mounted, &format!("[data-tss={id}] .clients"));
    assert_eq!(clients("t-few"), "12 von 199");
    assert_eq!(clients("t-many"), "185 von 199 · fast voll");
    assert!(
        clients("t-full").starts_with("199 von 199 · voll: "),
        "{}",
        clients("t-full")
    );
    assert_eq!(mounted.find_all(".clients.nearly-full").len(), 2);
}

#[wasm_bindgen_test]
async fn each_state_offers_only_its_actions() {
    let cases = [
        (TssState::Created, vec!["Initial TSS"]),
        (TssState::Uninitialized, vec!["Initial TSS", "Disable TSS"]),
        (TssState::Initialized, vec!["Disable TSS"]),
        (TssState::Disabled, vec!["Replace TSS"]),
        (TssState::Defective, vec!["Replace TSS"]),
    ];
    for (state, expected) in cases {
        let mounted = open_app("/stores/1", store_with(vec![tss(1, "t-1", state.clone())])).await;
        let labels = button_labels(&mounted, ".tss-entry .toolbar");
        assert_eq!(labels, expected, "{state}");
    }
}

#[wasm_bindgen_test]
async fn disable_asks_first_and_only_yes_sends_exactly_one_request() {
    let api = store_with(vec![tss(1, "t-1", TssState::Initialized)]);
    let mounted = open_app("/stores/1", api.clone()).await;
    let dialog = || {
        mounted
            .find(".tss-entry .confirm-dialog")
            .unchecked_into::<web_sys::HtmlDialogElement>()
    };

    click(&mounted, ".tss-entry .button-danger");
    settle().await;
    assert!(dialog().open(), "the modal opened");
    let focused = leptos::prelude::document().active_element().unwrap();
    assert_eq!(
        focused.text_content().unwrap().trim(),
        "Cancel",
        "focus starts on Cancel"
    );
    assert!(dialog()
        .text_content()
        .unwrap()
        .contains("cannot be undone"));

    dialog().close(); // what the browser does on Esc
    settle().await;
    assert!(!dialog().open());
    click(&mounted, ".tss-entry .button-danger");
    settle().await;
    click(
        &mounted,
        ".tss-entry .confirm-dialog .confirm-actions button:first-child",
    );
    settle().await;
    assert!(!dialog().open());
    assert!(
        api.calls().is_empty(),
        "Esc and Cancel send nothing: {:?}",
        api.calls()
    );

    click(&mounted, ".tss-entry .button-danger");
    settle().await;
    click(&mounted, ".tss-entry .confirm-dialog .button-danger");
    sleep(50).await;
    assert_eq!(api.calls(), ["disable_tss t-1"]);
}

const DAY: i64 = 24 * 60 * 60;

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// An INITIALIZED TSS of store 1 whose certificate expires in `days`.
fn expiring_in(id: &str, days: i64) -> tss_model::TssEntry {
    tss_model::TssEntry {
        certificate: tss_model::TssCertificate::Read {
            serial: "1fa0".into(),
            not_after: now() + days * DAY + 60,
        },
        ..tss(1, id, TssState::Initialized)
    }
}

#[wasm_bindgen_test]
async fn a_certificate_expiring_in_30_days_is_warned_about_and_offers_replace() {
    let entries = vec![expiring_in("t-soon", 30), expiring_in("t-later", 400)];
    let mounted = open_app_in("/stores/1", store_with(entries), Language::De).await;
    let certificate = |id: &str| text_of(&mounted, &format!("[data-tss={id}] .certificate"));
    assert!(
        certificate("t-soon").contains("gültig bis"),
        "{}",
        certificate("t-soon")
    );
    assert!(
        certificate("t-soon").ends_with("Zertifikat läuft in 30 Tagen ab"),
        "{}",
        certificate("t-soon")
    );
    assert!(
        !certificate("t-later").contains("läuft"),
        "{}",
        certificate("t-later")
    );
    let labels = |id: &str| button_labels(&mounted, &format!("[data-tss={id}] .toolbar"));
    assert_eq!(
        labels("t-soon"),
        ["TSS ersetzen", "TSS außer Betrieb nehmen"]
    );
    assert_eq!(labels("t-later"), ["TSS außer Betrieb nehmen"]);
}

#[wasm_bindgen_test]
async fn replace_asks_first_and_disables_the_old_tss_only_when_ticked() {
    let api = store_with(vec![expiring_in("t-old", 30)]);
    let mounted = open_app("/stores/1", api.clone()).await;
    let dialog = || mounted.find("[data-tss=t-old] .confirm-dialog:last-of-type");
    let checkbox = || {
        mounted
            .find("[data-tss=t-old] input[name=disable_old]")
            .unchecked_into::<web_sys::HtmlInputElement>()
    };
    button(&mounted, "Replace TSS").click();
    settle().await;
    assert!(dialog().text_content().unwrap().contains("new client IDs"));
    assert!(!checkbox().checked(), "off unless ticked");
    click(
        &mounted,
        "[data-tss=t-old] .confirm-dialog:last-of-type .confirm-actions button:last-child",
    );
    sleep(50).await;
    assert_eq!(api.calls(), ["replace_tss t-old disable_old=false"]);

    let api = store_with(vec![expiring_in("t-old", 30)]);
    let mounted = open_app("/stores/1", api.clone()).await;
    button(&mounted, "Replace TSS").click();
    settle().await;
    let checkbox = mounted
        .find("[data-tss=t-old] input[name=disable_old]")
        .unchecked_into::<web_sys::HtmlInputElement>();
    checkbox.click();
    settle().await;
    click(
        &mounted,
        "[data-tss=t-old] .confirm-dialog:last-of-type .confirm-actions button:last-child",
    );
    sleep(50).await;
    assert_eq!(api.calls(), ["replace_tss t-old disable_old=true"]);

    let operator = store_with(vec![expiring_in("t-old", 30)]);
    operator.0.lock().unwrap().role = Some(Role::Operator);
    let mounted = open_app("/stores/1", operator).await;
    button(&mounted, "Replace TSS").click();
    settle().await;
    assert!(
        mounted.find_all("input[name=disable_old]").is_empty(),
        "administrators only"
    );
}

#[wasm_bindgen_test]
async fn the_store_list_warns_of_expiring_certificates_and_filters_them() {
    let api = two_stores();
    api.0.lock().unwrap().stores[1].certificate_expires_at = Some(now() + 30 * DAY + 60);
    let mounted = open_app_in("/stores", api, Language::De).await;
    let part = mounted.find("[data-filter=certificate_expiring]");
    assert_eq!(part.get_attribute("data-count").as_deref(), Some("1"));
    assert_eq!(
        text_of(&mounted, "[data-store=S-002] .certificate-warning"),
        "!Zertifikat läuft in 30 Tagen ab"
    );
    assert!(mounted
        .find_all("[data-store=S-001] .certificate-warning")
        .is_empty());
    click(&mounted, "[data-filter=certificate_expiring]");
    sleep(50).await;
    assert_eq!(mounted.find_all("tbody tr").len(), 1);
    let search = leptos::prelude::window().location().search().unwrap();
    assert!(search.contains("certificate=expiring"), "{search}");
}

/// A Refresh of every TSS as the proxy answers it, `finished` of 30,000 dealt with.
fn fleet_run(status: OperationStatus, read: u64, failed: u64) -> FleetRefresh {
    FleetRefresh {
        status,
        total: 30_000,
        read,
        failed,
        unknown_at_fiskaly: (status != OperationStatus::Running).then_some(2),
        requested_by: "anna".into(),
        started_at: 1_795_500_000,
        updated_at: 1_795_500_030,
        last_error: None,
    }
}

#[wasm_bindgen_test]
async fn refresh_of_every_tss_shows_its_progress_to_everybody_and_ends_with_a_count() {
    let api = two_stores();
    api.0.lock().unwrap().role = Some(Role::Viewer);
    api.0.lock().unwrap().fleet_refresh = Some(fleet_run(OperationStatus::Running, 1_201, 3));
    let mounted = open_app_in("/stores", api.clone(), Language::De).await;
    let line = || text_of(&mounted, ".refresh-line");
    assert!(
        line().contains("1.204 von 30.000, 3 fehlgeschlagen"),
        "{}",
        line()
    );
    assert_eq!(
        mounted.find("progress").get_attribute("value").as_deref(),
        Some("1204")
    );
    let start = button(&mounted, "Alle TSS aktualisieren");
    assert!(start.has_attribute("disabled"), "a viewer cannot start one");

    // Progress events move the line on and leave the list alone; the end reloads the list.
    api.take_reads();
    api.0.lock().unwrap().fleet_refresh = Some(fleet_run(OperationStatus::Running, 20_000, 3));
    push_live(LiveSignal::Change(LiveEvent::FleetRefresh { ended: false }));
    sleep(400).await;
    assert!(line().contains("20.003 von 30.000"), "{}", line());
    assert!(
        !api.take_reads().contains(&"stores"),
        "progress alone reads no list"
    );
    api.0.lock().unwrap().fleet_refresh = Some(fleet_run(OperationStatus::Succeeded, 29_997, 3));
    push_live(LiveSignal::Change(LiveEvent::FleetRefresh { ended: true }));
    sleep(700).await;
    assert!(
        line().contains("29.997 gelesen, 3 fehlgeschlagen"),
        "{}",
        line()
    );
    assert!(line().contains("2 TSS bei fiskaly"), "{}", line());
    assert!(mounted.find_all("progress").is_empty());
    assert!(
        api.take_reads().contains(&"stores"),
        "the end reloads the list"
    );
}

#[wasm_bindgen_test]
async fn an_operator_starts_the_refresh_of_every_tss_once_and_sees_a_refusal() {
    let api = two_stores();
    let mounted = open_app("/stores", api.clone()).await;
    assert!(mounted.find_all(".refresh-line").is_empty(), "none ran yet");
    button(&mounted, "Refresh every TSS").click();
    sleep(50).await;
    assert_eq!(api.calls(), ["refresh_every_tss"]);
    assert!(text_of(&mounted, ".refresh-line").contains("0 of 0"));
    assert!(button(&mounted, "Refresh every TSS").has_attribute("disabled"));

    let failed = open_app("/stores", {
        let api = two_stores();
        api.0.lock().unwrap().fail_next = Some(ApiError::new(
            ErrorCode::AlreadyRunning,
            "A refresh of every TSS is already running.",
        ));
        api
    })
    .await;
    button(&failed, "Refresh every TSS").click();
    sleep(50).await;
    assert!(
        failed
            .root
            .text_content()
            .unwrap()
            .contains("already running"),
        "the refusal shows"
    );
}

/// Puts a file holding `text` into the page's import file input, as choosing it does.
fn choose_import_file(mounted: &support::Mounted, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let file = web_sys::File::new_with_str_sequence(&parts, "filialen.csv").unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = mounted.find("input[name=import-file]").unchecked_into();
    input.set_files(transfer.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn an_import_with_a_bad_line_shows_that_line_and_cannot_be_started() {
    let api = two_stores();
    api.0.lock().unwrap().import_report = ImportReport {
        lines: 4,
        stores: ImportCounts {
            new: 3,
            ..ImportCounts::default()
        },
        problems: vec![ImportProblem {
            line: 3,
            column: Some(ImportColumn::SerialNumber),
            reason: ImportReason::SerialNumber {
                problem: SerialProblem::SlashOrUnderscore,
            },
        }],
        ..ImportReport::default()
    };
    let mounted = open_app_in("/stores", api.clone(), Language::De).await;
    let import = || button(&mounted, "Importieren");
    assert!(import().has_attribute("disabled"), "no file chosen yet");
    let text = "Filialnummer;Filialname;Straße;Ort\nS-1;Köln;Weg 1;Köln\n";
    choose_import_file(&mounted, text);
    sleep(100).await;
    assert_eq!(
        text_of(&mounted, ".import-problems"),
        "Zeile 3, Seriennummer: Kein / oder _ (DSFinV-K)."
    );
    assert!(import().has_attribute("disabled"), "a file with problems");
    assert!(text_of(&mounted, ".panel.import").contains("nichts importiert"));
    assert_eq!(
        api.calls(),
        [format!("preview_import {} bytes", text.len())]
    );

    // Without problems it imports, and the list reads again.
    api.0.lock().unwrap().import_report.problems.clear();
    choose_import_file(&mounted, text);
    sleep(100).await;
    api.take_reads();
    import().click();
    sleep(100).await;
    assert_eq!(
        api.calls().last().unwrap(),
        &format!("import_stores {} bytes", text.len())
    );
    assert_eq!(
        mounted
            .find(".import-summary")
            .get_attribute("data-import")
            .as_deref(),
        Some("applied")
    );
    assert!(text_of(&mounted, ".import-summary").contains("3 neu"));
    assert!(api.take_reads().contains(&"stores"), "the list reads again");
}

#[wasm_bindgen_test]
async fn live_updates_move_the_badge_to_initialized_and_show_the_step() {
    let api = store_with(vec![setting_up(
        "t-new",
        TssState::Created,
        OperationStep::Deploy,
    )]);
    api.0.lock().unwrap().progress.insert(
        "t-new".into(),
        [
            setting_up("t-new", TssState::Created, OperationStep::Deploy),
            setting_up("t-new", TssState::Uninitialized, OperationStep::SetAdminPin),
            tss(1, "t-new", TssState::Initialized),
        ]
        .into(),
    );
    let mounted = open_app("/stores/1", api.clone()).await;
    let label = || {
        mounted
            .find(".tss-entry .state-badge-label")
            .text_content()
            .unwrap()
    };
    let readiness = || {
        mounted
            .find("[data-readiness]")
            .get_attribute("data-readiness")
            .unwrap()
    };
    assert_eq!(readiness(), "NoActiveTss");
    assert!(mounted
        .find(".operation-step")
        .text_content()
        .unwrap()
        .contains("Step 2 of 6"));
    // Nothing is polled: without a change the page reads nothing again.
    api.take_reads();
    sleep(1_500).await;
    assert!(api.take_reads().is_empty(), "no polling");

    let mut seen = vec![label()];
    for _ in 0..2 {
        push_live(LiveSignal::Change(LiveEvent::Tss {
            store_id: 1,
            tss_id: "t-new".into(),
        }));
        sleep(50).await;
        seen.push(label());
    }
    assert_eq!(seen, ["CREATED", "UNINITIALIZED", "INITIALIZED"]);
    assert!(
        mounted.find_all(".operation-progress").is_empty(),
        "no progress once done"
    );
    assert_eq!(
        readiness(),
        "NoTerminal",
        "the readiness badge follows the TSS: initialised, but the store has no terminal yet"
    );
}

#[wasm_bindgen_test]
async fn a_failed_request_shows_an_error_toast_and_the_error_text() {
    let api = store_with(vec![tss(1, "t-1", TssState::Uninitialized)]);
    api.0.lock().unwrap().fail_next = Some(ApiError::new(
        ErrorCode::FiskalyUnavailable,
        "fiskaly could not be reached. Check the connection and try again.",
    ));
    let mounted = open_app("/stores/1", api.clone()).await;
    click(&mounted, ".tss-entry .toolbar button");
    sleep(100).await;
    let alert = mounted.find("[role=alert]");
    assert!(alert
        .text_content()
        .unwrap()
        .contains("could not be reached"));
    let error_text = mounted
        .find(".tss-entry .error-text")
        .text_content()
        .unwrap();
    assert!(error_text.contains("could not be reached"), "{error_text}");
    assert_eq!(api.calls(), ["initialize_tss t-1"]);
}

#[wasm_bindgen_test]
async fn an_unknown_store_says_so() {
    let mounted = open_app("/stores/77", two_stores()).await;
    mounted.find("[data-not-found=store]");
}

#[wasm_bindgen_test]
async fn a_store_card_that_cannot_load_says_why_instead_of_not_found() {
    let api = two_stores();
    api.0.lock().unwrap().read_error = Some(ApiError::new(
        ErrorCode::FiskalyUnavailable,
        "The console's server could not be reached.",
    ));
    let mounted = open_app("/stores/1", api.clone()).await;
    let alert = mounted.find("[data-page=store-card] [role=alert]");
    let text = alert.text_content().unwrap();
    assert!(text.starts_with("Could not be loaded."), "{text}");
    assert!(text.contains("fiskaly cannot be reached"), "{text}");
    assert_eq!(button_labels(&mounted, "[data-load-failed]"), ["Retry"]);
    assert!(mounted.find_all("[data-not-found]").is_empty());

    api.0.lock().unwrap().read_error = Some(ApiError::new(
        ErrorCode::Unauthenticated,
        "Your session ended.",
    ));
    let expired = open_app("/stores/1", api).await;
    sleep(20).await;
    expired.find("[data-page=login]");
}
