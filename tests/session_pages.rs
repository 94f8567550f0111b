//! Login, logout, what each role sees, and the Audit Log page, against an in-memory proxy.
#![cfg(target_arch = "wasm32")]

mod support;

use support::fake_api::{account, store, tss, FakeApi, PASSWORD};
use support::{choose, click, open_app, settle, sleep, type_into};
use tss_model::{AuditEvent, Role, TssState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn one_store() -> FakeApi {
    let api = FakeApi::default();
    {
        let mut state = api.0.lock().unwrap();
        state.stores = vec![store(1, "S-001", "Berlin Mitte", "Berlin")];
        state.tss = vec![tss(1, "t-1", TssState::Initialized)];
    }
    api
}

fn as_role(role: Role) -> FakeApi {
    let api = one_store();
    api.0.lock().unwrap().role = Some(role);
    api
}

fn text(mounted: &support::Mounted) -> String {
    mounted.root.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn without_a_session_the_login_page_shows_and_then_the_page_asked_for() {
    let api = one_store();
    api.0.lock().unwrap().logged_out = true;
    let mounted = open_app("/stores/1", api.clone()).await;
    mounted.find("[data-page=login]");
    assert!(mounted.find_all("[data-page=store-card]").is_empty());
    assert!(
        mounted.find_all(".app-nav").is_empty(),
        "no navigation before login"
    );

    type_into(&mounted, "input[name=username]", "anna");
    type_into(&mounted, "input[name=password]", "wrong");
    click(&mounted, ".login-form button[type=submit]");
    sleep(20).await;
    let alert = mounted.find(".login-form [role=alert]");
    assert_eq!(
        alert.text_content().unwrap(),
        "Wrong user name or password."
    );
    mounted.find("[data-page=login]");

    type_into(&mounted, "input[name=password]", PASSWORD);
    click(&mounted, ".login-form button[type=submit]");
    sleep(20).await;
    mounted.find("[data-page=store-card]");
    assert!(
        text(&mounted).contains("tester"),
        "the user is named in the header"
    );
    assert_eq!(api.calls(), vec!["log_in anna", "log_in anna"]);
}

#[wasm_bindgen_test]
async fn logging_out_returns_to_the_login_page() {
    let api = as_role(Role::Viewer);
    let mounted = open_app("/stores/1", api.clone()).await;
    click(&mounted, ".user-menu button");
    sleep(20).await;
    mounted.find("[data-page=login]");
    assert_eq!(api.calls(), vec!["log_out"]);

    type_into(&mounted, "input[name=username]", "admin");
    type_into(&mounted, "input[name=password]", PASSWORD);
    click(&mounted, ".login-form button[type=submit]");
    sleep(20).await;
    mounted.find("[data-page=store-card]");
    assert_eq!(api.calls(), vec!["log_out", "log_in admin"]);
}

#[wasm_bindgen_test]
async fn a_viewer_sees_the_actions_disabled_with_the_role_they_need() {
    let mounted = open_app("/stores/1", as_role(Role::Viewer)).await;
    let generate = mounted.find(".store-actions button, .toolbar button");
    assert!(generate.has_attribute("disabled"));
    assert!(text(&mounted).contains("Only with the role: Operator"));
    assert!(text(&mounted).contains("Only with the role: Administrator"));
    let danger = mounted.find(".tss-entry .button-danger");
    assert!(danger.has_attribute("disabled"));
    for form in mounted.find_all("details.panel") {
        assert!(
            form.has_attribute("hidden"),
            "no edit or new forms for a viewer"
        );
    }
    let nav = mounted.find(".app-nav").text_content().unwrap();
    assert!(
        !nav.contains("Fiskaly Setup") && !nav.contains("Audit Log"),
        "{nav}"
    );
}

#[wasm_bindgen_test]
async fn an_operator_may_generate_but_not_disable() {
    let mounted = open_app("/stores/1", as_role(Role::Operator)).await;
    let danger = mounted.find(".tss-entry .button-danger");
    assert!(danger.has_attribute("disabled"));
    assert!(text(&mounted).contains("Only with the role: Administrator"));
    assert!(!text(&mounted).contains("Only with the role: Operator"));
    let initial = mounted.find_all("details.panel");
    assert!(initial.iter().all(|form| !form.has_attribute("hidden")));
}

fn event(id: i64, actor: &str, action: tss_model::AuditAction, result: &str) -> AuditEvent {
    AuditEvent {
        account: None,
        id,
        at: 1_764_000_000 + id,
        actor: actor.into(),
        action,
        store_id: Some(1),
        tss_id: Some("t-1".into()),
        terminal_id: None,
        result: result.into(),
        error: (result == "failed").then(|| "The TSS is DISABLED.".into()),
        error_code: (result == "failed").then_some(tss_model::ErrorCode::Conflict),
        fiskaly_request_id: None,
    }
}

#[wasm_bindgen_test]
async fn the_audit_log_shows_who_did_what_and_filters_by_result() {
    let api = one_store();
    let mut added = event(4, "admin", tss_model::AuditAction::AddUser, "succeeded");
    added.account = Some("nina".into());
    api.0.lock().unwrap().audit = vec![
        added,
        event(3, "anna", tss_model::AuditAction::DisableTss, "failed"),
        event(2, "otto", tss_model::AuditAction::GenerateTss, "succeeded"),
        event(1, "admin", tss_model::AuditAction::Login, "succeeded"),
    ];
    let mounted = open_app("/audit", api).await;
    let mut rows = mounted.find_all(".audit-row");
    assert_eq!(rows.len(), 4);
    let added = rows.remove(0).text_content().unwrap();
    assert!(
        added.contains("New user") && added.contains("nina"),
        "the account concerned: {added}"
    );
    let actors: Vec<String> = mounted
        .find_all(".audit-actor")
        .iter()
        .map(|c| c.text_content().unwrap())
        .collect();
    assert_eq!(actors, ["admin", "anna", "otto", "admin"]);
    assert!(rows[0]
        .text_content()
        .unwrap()
        .contains("The TSS is DISABLED."));
    assert!(
        rows[0].text_content().unwrap().contains("Disable TSS"),
        "actions are named as on their buttons"
    );

    choose(&mounted, "select[name=result]", "failed");
    sleep(30).await;
    settle().await;
    assert_eq!(mounted.find_all(".audit-row").len(), 1);
    let search = leptos::prelude::window().location().search().unwrap();
    assert_eq!(search, "?result=failed");

    choose(&mounted, "select[name=result]", "");
    sleep(30).await;
    choose(&mounted, "select[name=action]", "generate_tss");
    sleep(30).await;
    let shown = mounted.find_all(".audit-actor");
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].text_content().unwrap(), "otto");
}

fn with_users() -> FakeApi {
    let api = one_store();
    api.0.lock().unwrap().users = vec![
        account("tester", Role::Admin),
        account("vera", Role::Viewer),
    ];
    api
}

fn user_names(mounted: &support::Mounted) -> Vec<String> {
    mounted
        .find_all(".user-row .account-name")
        .iter()
        .map(|name| name.text_content().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn an_admin_adds_a_user_and_changes_a_role_but_not_their_own() {
    let api = with_users();
    let mounted = open_app("/users", api.clone()).await;
    assert_eq!(user_names(&mounted), ["tester", "vera"]);
    let me = mounted.find("[data-user=tester]");
    let my_role = me.query_selector("select").unwrap().unwrap();
    assert!(my_role.has_attribute("disabled"), "no demoting oneself");
    assert!(me.text_content().unwrap().contains("This is you"));
    let my_remove = me.query_selector(".button-danger").unwrap().unwrap();
    assert!(my_remove.has_attribute("hidden"), "no removing oneself");

    type_into(&mounted, "form input[name=username]", "nina");
    choose(&mounted, "form select[name=role]", "viewer");
    type_into(&mounted, "form input[name=password]", "nina-password-1");
    click(&mounted, ".panel form button[type=submit]");
    sleep(30).await;
    settle().await;
    assert!(api
        .calls()
        .contains(&"add_user nina Viewer nina-password-1".to_owned()));
    assert_eq!(user_names(&mounted), ["nina", "tester", "vera"]);
    let password: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(mounted.find(".panel form input[name=password]"));
    assert_eq!(
        password.value(),
        "",
        "the password does not stay in the form"
    );
    let name: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(mounted.find(".panel form input[name=username]"));
    assert_eq!(name.value(), "", "ready for the next user");

    api.0.lock().unwrap().fail_next = Some(tss_model::ApiError::new(
        tss_model::ErrorCode::Conflict,
        "There is already a user named vera.",
    ));
    type_into(&mounted, "form input[name=username]", "vera");
    type_into(&mounted, "form input[name=password]", "vera-password-1");
    click(&mounted, ".panel form button[type=submit]");
    sleep(30).await;
    assert!(text(&mounted).contains("already a user named vera"));
    assert_eq!(name.value(), "vera", "a refused name stays to be corrected");

    choose(&mounted, "[data-user=vera] select", "operator");
    sleep(30).await;
    assert!(api.calls().contains(&"set_role vera Operator".to_owned()));
    assert!(text(&mounted).contains("Saved."));

    type_into(
        &mounted,
        "[data-user=vera] input[name=password]",
        "vera-password-2",
    );
    click(&mounted, "[data-user=vera] form button[type=submit]");
    sleep(30).await;
    assert!(api
        .calls()
        .contains(&"set_password vera vera-password-2".to_owned()));
}

#[wasm_bindgen_test]
async fn removing_a_user_asks_first_and_a_refusal_shows_the_reason() {
    let api = with_users();
    let mounted = open_app("/users", api.clone()).await;
    click(&mounted, "[data-user=vera] .button-danger");
    settle().await;
    let dialog = mounted.find("[data-user=vera] .confirm-dialog");
    assert!(dialog
        .text_content()
        .unwrap()
        .contains("logged out at once"));
    click(
        &mounted,
        "[data-user=vera] .confirm-actions button:first-child",
    );
    settle().await;
    assert!(!api
        .calls()
        .iter()
        .any(|call| call.starts_with("remove_user")));

    api.0.lock().unwrap().fail_next = Some(tss_model::ApiError::new(
        tss_model::ErrorCode::Conflict,
        "vera is the only administrator; make another user an administrator first.",
    ));
    click(&mounted, "[data-user=vera] .button-danger");
    settle().await;
    click(&mounted, "[data-user=vera] .confirm-actions .button-danger");
    sleep(30).await;
    assert!(text(&mounted).contains("only administrator"));
    assert_eq!(user_names(&mounted), ["tester", "vera"]);

    click(&mounted, "[data-user=vera] .button-danger");
    settle().await;
    click(&mounted, "[data-user=vera] .confirm-actions .button-danger");
    sleep(30).await;
    settle().await;
    assert_eq!(user_names(&mounted), ["tester"]);
}

#[wasm_bindgen_test]
async fn only_administrators_see_the_users_page_in_the_navigation() {
    let mounted = open_app("/stores", with_users()).await;
    let nav = mounted.find(".app-nav").text_content().unwrap();
    assert!(nav.contains("Users"), "{nav}");
    drop(mounted);
    let mounted = open_app("/stores", as_role(Role::Operator)).await;
    let nav = mounted.find(".app-nav").text_content().unwrap();
    assert!(!nav.contains("Users"), "{nav}");
}

#[wasm_bindgen_test]
async fn the_nightly_refresh_is_set_on_the_fiskaly_setup_page() {
    let api = FakeApi::default();
    let mounted = open_app("/settings", api.clone()).await;
    sleep(20).await;
    let time = mounted
        .find("form[name=schedule] input[name=time]")
        .unchecked_into::<web_sys::HtmlInputElement>();
    assert_eq!(time.value(), "03:00");
    let enabled = mounted
        .find("form[name=schedule] input[name=enabled]")
        .unchecked_into::<web_sys::HtmlInputElement>();
    assert!(enabled.checked(), "on by default");
    enabled.click();
    type_into(&mounted, "form[name=schedule] input[name=time]", "04:30");
    click(&mounted, "form[name=schedule] button[type=submit]");
    sleep(50).await;
    assert_eq!(api.calls(), ["save_schedule false 04:30"]);
}

#[wasm_bindgen_test]
async fn an_open_alert_is_acknowledged_and_then_listed_as_such() {
    let api = FakeApi::default();
    api.0.lock().unwrap().alerts = vec![tss_model::Alert {
        id: 7,
        kind: tss_model::AlertKind::CannotSign,
        store_id: 1,
        store_number: "S-001".into(),
        store_name: "Berlin Mitte".into(),
        tss_id: None,
        text_de: "Filiale S-001 Berlin Mitte kann nicht mehr signieren: Keine aktive TSS".into(),
        text_en: "Store S-001 Berlin Mitte can no longer sign: No active TSS".into(),
        raised_at: 1_795_600_000,
        resolved_at: None,
        acknowledged_by: None,
        acknowledged_at: None,
    }];
    let mounted = open_app("/alerts", api.clone()).await;
    sleep(20).await;
    let text = mounted
        .find("[data-alert='7'] .alert-text")
        .text_content()
        .unwrap();
    assert_eq!(
        text,
        "Store S-001 Berlin Mitte can no longer sign: No active TSS"
    );
    click(&mounted, "[data-alert='7'] .toolbar button");
    sleep(50).await;
    assert_eq!(api.calls(), ["acknowledge_alert 7"]);
    assert!(
        mounted.find_all("[data-alert='7']").is_empty(),
        "no longer open"
    );
    click(&mounted, "[data-status=acknowledged]");
    sleep(50).await;
    let acknowledged = mounted
        .find("[data-alert='7'] .acknowledged")
        .text_content()
        .unwrap();
    assert!(acknowledged.starts_with("admin · "), "{acknowledged}");
}

#[wasm_bindgen_test]
async fn an_administrator_adds_a_webhook_and_sees_its_secret_once() {
    let api = FakeApi::default();
    let mounted = open_app("/alerts", api.clone()).await;
    sleep(20).await;
    type_into(
        &mounted,
        "form[name=webhook] input[name=url]",
        "https://hooks.example/tss",
    );
    click(&mounted, "form[name=webhook] button[type=submit]");
    sleep(50).await;
    assert_eq!(api.calls(), ["add_webhook https://hooks.example/tss"]);
    let secret = mounted.find("[data-secret] code").text_content().unwrap();
    assert_eq!(secret, "f00d".repeat(16));
    assert_eq!(mounted.find_all("[data-webhook]").len(), 1);
    click(&mounted, "[data-webhook='1'] .toolbar button");
    sleep(50).await;
    assert_eq!(api.calls()[1], "change_webhook 1 enabled=false");
}
