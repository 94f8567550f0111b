//! Every request for a change leaves exactly one audit row, accepted or refused: refused by a
//! check, by the role gate, for a body or address that cannot be read, or by fiskaly; a refused
//! row says `failed` with the code the answer had. Reads leave none.

use crate::support;

use fiskaly_sim::{SimConfig, When};
use reqwest::Method;
use serde_json::{json, Value};
use support::{inject, status, Reply, TestProxy, TEST_PASSWORD};
use tss_model::{AuditEvent, AuditFilter, ErrorCode, Role};

/// The whole audit log, newest first.
async fn rows(proxy: &TestProxy) -> Vec<AuditEvent> {
    let query = AuditFilter {
        limit: Some(500),
        ..AuditFilter::default()
    };
    proxy.state.storage.audit_events(&query).await.unwrap()
}

/// Waits until the log has more than `count` rows (an operation in the background records its
/// outcome when it ends), then a little longer, so that a second row would show; answers it.
async fn rows_after(proxy: &TestProxy, count: usize) -> Vec<AuditEvent> {
    for _ in 0..1000 {
        if rows(proxy).await.len() > count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    rows(proxy).await
}

/// Asserts that the request just answered with `reply` added exactly one row, for `action`,
/// with the result and code of the answer.
async fn assert_one_row(proxy: &TestProxy, before: usize, action: &str, reply: &Reply) {
    let after = rows_after(proxy, before).await;
    assert_eq!(after.len(), before + 1, "one row for {action}: {after:#?}");
    let row = &after[0];
    assert_eq!(row.action.as_str(), action, "{row:?}");
    match reply.status {
        // Accepted to run in the background: the row is the operation's outcome.
        202 => {}
        200..=299 => {
            assert_eq!(row.result, "succeeded", "{row:?}");
            assert_eq!(row.error_code, None, "{row:?}");
        }
        _ => {
            let code: ErrorCode =
                serde_json::from_value(reply.body["error"]["code"].clone()).unwrap();
            assert_eq!(row.result, "failed", "{row:?}");
            assert_eq!(row.error_code, Some(code), "{row:?}");
            assert!(row.error.is_some(), "{row:?}");
        }
    }
}

fn post(path: &str) -> (Method, &str) {
    (Method::POST, path)
}

fn patch(path: &str) -> (Method, &str) {
    (Method::PATCH, path)
}

fn put(path: &str) -> (Method, &str) {
    (Method::PUT, path)
}

fn delete(path: &str) -> (Method, &str) {
    (Method::DELETE, path)
}

/// Calls the API, expects `expected`, and asserts the one audit row for `action`.
async fn once(
    proxy: &TestProxy,
    (method, path): (Method, &str),
    body: Option<Value>,
    expected: u16,
    action: &str,
) -> Reply {
    let before = rows(proxy).await.len();
    let reply = proxy.call(method.clone(), path, body).await;
    assert_eq!(reply.status, expected, "{method} {path}: {}", reply.body);
    assert_one_row(proxy, before, action, &reply).await;
    reply
}

/// Posts `body` as it is, declared as JSON, with the current session.
async fn post_raw(proxy: &TestProxy, path: &str, body: &'static str) -> Reply {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", proxy.url()))
        .header("content-type", "application/json")
        .header("x-requested-with", "tss-console")
        .header("origin", proxy.url().trim_end_matches("/api"))
        .header("cookie", proxy.session_cookie().unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    Reply {
        status,
        body: response.json().await.unwrap(),
    }
}

fn store(number: &str, name: &str) -> Value {
    json!({"number": number, "name": name, "street": "Hauptstraße 1", "city": "Köln"})
}

fn terminal(store_id: i64, serial: &str) -> Value {
    json!({"number": "K1", "name": "Kasse 1", "store_id": store_id, "serial_number": serial})
}

#[tokio::test]
async fn stores_and_terminals_leave_one_row_each_accepted_or_refused() {
    let proxy = TestProxy::start().await;
    once(
        &proxy,
        post("/stores"),
        Some(store("S-1", "")),
        422,
        "create_store",
    )
    .await;
    let created = once(
        &proxy,
        post("/stores"),
        Some(store("S-1", "Köln")),
        201,
        "create_store",
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/stores/{id}");
    let update = Some(store("S-1", "Köln Süd"));
    once(
        &proxy,
        patch("/stores/999"),
        update.clone(),
        404,
        "update_store",
    )
    .await;
    once(&proxy, patch(&path), update, 200, "update_store").await;

    once(
        &proxy,
        post("/terminals"),
        Some(terminal(id, "KASSE/1")),
        422,
        "create_terminal",
    )
    .await;
    let added = once(
        &proxy,
        post("/terminals"),
        Some(terminal(id, "SN-1")),
        201,
        "create_terminal",
    )
    .await;
    let path = format!("/terminals/{}", added.body["id"]);
    once(
        &proxy,
        patch(&path),
        Some(terminal(999, "SN-1")),
        422,
        "update_terminal",
    )
    .await;
    once(
        &proxy,
        patch(&path),
        Some(terminal(id, "SN-2")),
        200,
        "update_terminal",
    )
    .await;

    let before = rows(&proxy).await.len();
    proxy.get("/stores").await.ok();
    proxy.get(&path).await.ok();
    assert_eq!(rows(&proxy).await.len(), before, "reads leave no row");
}

#[tokio::test]
async fn every_operation_records_its_refusals_and_its_outcome_once() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    let terminal = proxy.add_terminal(store, "K1").await;

    let generate = format!("/stores/{store}/tss");
    once(
        &proxy,
        post("/stores/999/tss"),
        Some(json!({})),
        404,
        "generate_tss",
    )
    .await;
    let accepted = once(
        &proxy,
        post(&generate),
        Some(json!({})),
        202,
        "generate_tss",
    )
    .await;
    let tss_id = accepted.body["tss_id"].as_str().unwrap().to_owned();
    once(&proxy, post(&generate), None, 409, "generate_tss").await;

    let refresh = format!("/stores/{store}/tss/refresh");
    let initialize = format!("/tss/{tss_id}/initialize");
    let client = format!("/terminals/{terminal}/client");
    let deregister = format!("/terminals/{terminal}/client/deregister");
    let all_tills = format!("/stores/{store}/clients");
    let replace = format!("/tss/{tss_id}/replace");
    let empty = || Some(json!({}));
    let confirmed = Some(json!({"confirm": true}));
    // The second Generate Client ID finds the terminal registered there already: nothing to do,
    // still one row.
    let requests = [
        ("/stores/999/tss/refresh", None, 404, "refresh_tss"),
        (refresh.as_str(), None, 200, "refresh_tss"),
        ("/refresh", None, 202, "refresh_tss"),
        (initialize.as_str(), None, 409, "initialize_tss"),
        ("/terminals/999/client", empty(), 404, "generate_client"),
        (client.as_str(), empty(), 200, "generate_client"),
        (client.as_str(), empty(), 200, "generate_client"),
        (all_tills.as_str(), None, 200, "generate_clients"),
        (replace.as_str(), empty(), 409, "replace_tss"),
        (deregister.as_str(), empty(), 400, "deregister_client"),
        (
            deregister.as_str(),
            confirmed.clone(),
            200,
            "deregister_client",
        ),
    ];
    for (path, body, expected, action) in requests {
        once(&proxy, post(path), body, expected, action).await;
    }

    // A setup fiskaly stops half-way, then Initial TSS finishes it.
    let other = proxy.add_store("S-2").await;
    let locked = status(503, Some("E_TSS_LOCKED"));
    inject(
        &proxy.sim,
        "PATCH",
        "/api/v2/tss/*/admin",
        None,
        10,
        locked,
        When::Before,
    );
    let generate = format!("/stores/{other}/tss");
    let failing = once(
        &proxy,
        post(&generate),
        Some(json!({})),
        202,
        "generate_tss",
    )
    .await;
    let row = &rows(&proxy).await[0];
    assert_eq!(row.result, "failed", "the setup's own outcome: {row:?}");
    assert_eq!(row.error_code, Some(ErrorCode::FiskalyUnavailable));
    proxy.sim.control().clear_faults();
    let half_done = failing.body["tss_id"].as_str().unwrap().to_owned();
    let initialize = format!("/tss/{half_done}/initialize");
    once(&proxy, post(&initialize), None, 202, "initialize_tss").await;

    let disable = format!("/tss/{half_done}/disable");
    once(&proxy, post(&disable), Some(json!({})), 400, "disable_tss").await;
    once(
        &proxy,
        post(&disable),
        confirmed.clone(),
        200,
        "disable_tss",
    )
    .await;
    once(&proxy, post(&disable), confirmed, 409, "disable_tss").await;

    // fiskaly refuses: the operation's failure is the one row.
    let refusal = status(403, Some("E_TSS_LIMIT_REACHED"));
    inject(
        &proxy.sim,
        "PUT",
        "/api/v2/tss/*",
        None,
        1,
        refusal,
        When::Before,
    );
    let body = Some(json!({"additional": true}));
    once(
        &proxy,
        post(&format!("/stores/{store}/tss")),
        body,
        502,
        "generate_tss",
    )
    .await;
}

#[tokio::test]
async fn settings_and_users_leave_one_row_each_accepted_or_refused() {
    let proxy = TestProxy::start().await;
    let sim = SimConfig::default();
    let bad = json!({"base_url": "ftp://fiskaly", "api_key": sim.api_key});
    let good = json!({
        "base_url": proxy.sim.base_url(), "api_key": sim.api_key, "api_secret": sim.api_secret
    });
    let settings = "/settings/fiskaly";
    let refused = once(
        &proxy,
        put(settings),
        Some(bad),
        422,
        "save_fiskaly_settings",
    )
    .await;
    assert_eq!(refused.body["error"]["field"], "base_url");
    once(
        &proxy,
        put(settings),
        Some(good),
        200,
        "save_fiskaly_settings",
    )
    .await;
    let test = post("/settings/fiskaly/test");
    once(&proxy, test, None, 200, "test_fiskaly_connection").await;

    let short = json!({"username": "nina", "role": "viewer", "password": "short"});
    let nina = json!({"username": "nina", "role": "viewer", "password": TEST_PASSWORD});
    let refused = once(&proxy, post("/users"), Some(short), 422, "add_user").await;
    assert_eq!(refused.body["error"]["field"], "password");
    assert_eq!(
        refused.body["error"]["problem"],
        json!({"kind": "too_short", "min": 10})
    );
    once(&proxy, post("/users"), Some(nina), 201, "add_user").await;
    let password = "/users/nina/password";
    let short = Some(json!({"password": "short"}));
    once(&proxy, put(password), short, 422, "reset_password").await;
    let long = Some(json!({"password": "another-password-1"}));
    once(&proxy, put(password), long, 204, "reset_password").await;
    let role = Some(json!({"role": "operator"}));
    once(
        &proxy,
        put("/users/nobody/role"),
        role.clone(),
        404,
        "change_role",
    )
    .await;
    once(&proxy, put("/users/nina/role"), role, 200, "change_role").await;
    once(&proxy, delete("/users/nobody"), None, 404, "remove_user").await;
    once(&proxy, delete("/users/nina"), None, 204, "remove_user").await;
    assert_eq!(rows(&proxy).await[0].account.as_deref(), Some("nina"));
}

#[tokio::test]
async fn a_change_refused_for_the_role_is_one_row_naming_what_was_asked() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    proxy.add_user("otto", Role::Operator).await;
    proxy.add_user("vera", Role::Viewer).await;

    proxy.log_in("otto", TEST_PASSWORD).await.ok();
    let disable = format!("/tss/{tss_id}/disable");
    let confirmed = Some(json!({"confirm": true}));
    once(&proxy, post(&disable), confirmed, 403, "disable_tss").await;
    let row = &rows(&proxy).await[0];
    assert_eq!(
        (row.actor.as_str(), row.tss_id.as_deref()),
        ("otto", Some(tss_id.as_str()))
    );
    let settings = json!({"base_url": "https://x", "api_key": "k"});
    once(
        &proxy,
        put("/settings/fiskaly"),
        Some(settings),
        403,
        "save_fiskaly_settings",
    )
    .await;
    once(
        &proxy,
        post("/settings/fiskaly/test"),
        None,
        403,
        "test_fiskaly_connection",
    )
    .await;
    once(&proxy, delete("/users/admin"), None, 403, "remove_user").await;
    assert_eq!(rows(&proxy).await[0].account.as_deref(), Some("admin"));

    proxy.log_in("vera", TEST_PASSWORD).await.ok();
    let generate = format!("/stores/{store}/tss");
    once(
        &proxy,
        post(&generate),
        Some(json!({})),
        403,
        "generate_tss",
    )
    .await;
    assert_eq!(rows(&proxy).await[0].store_id, Some(store));
    once(&proxy, post("/refresh"), None, 403, "refresh_tss").await;
    once(
        &proxy,
        post("/stores"),
        Some(json!({})),
        403,
        "create_store",
    )
    .await;
    let before = rows(&proxy).await.len();
    proxy.get("/audit").await.expect_error(403, "forbidden");
    assert_eq!(
        rows(&proxy).await.len(),
        before,
        "a refused read leaves no row"
    );
}

#[tokio::test]
async fn a_body_or_address_that_cannot_be_read_is_one_row() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;

    let before = rows(&proxy).await.len();
    let reply = post_raw(&proxy, "/stores", "{\"number\": ").await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_one_row(&proxy, before, "create_store", &reply).await;

    let before = rows(&proxy).await.len();
    let reply = post_raw(&proxy, &format!("/stores/{store}/tss"), "{\"additional\": ").await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_one_row(&proxy, before, "generate_tss", &reply).await;
    assert_eq!(rows(&proxy).await[0].store_id, Some(store));

    let wrong_kind = json!({"number": "K1", "name": "K", "store_id": "x", "serial_number": "SN"});
    let reply = once(
        &proxy,
        post("/terminals"),
        Some(wrong_kind),
        422,
        "create_terminal",
    )
    .await;
    assert_eq!(reply.body["error"]["field"], "store_id");
    let unknown = Some(json!({"confirm": true, "colour": "red"}));
    let unreadable = [
        (
            post("/terminals/1/client/deregister"),
            unknown,
            422,
            "deregister_client",
        ),
        (
            post("/stores/abc/tss"),
            Some(json!({})),
            400,
            "generate_tss",
        ),
        (
            patch("/terminals/abc"),
            Some(json!({})),
            400,
            "update_terminal",
        ),
    ];
    for (request, body, expected, action) in unreadable {
        once(&proxy, request, body, expected, action).await;
    }
}
