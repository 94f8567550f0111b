//! User management through the API: administrators add accounts, set passwords and roles, remove
//! accounts; the last administrator stays; every change is in the audit log; no answer holds a
//! password or its hash.

use crate::support;

use serde_json::json;
use support::TestProxy;
use tss_model::{AuditEvent, Role, UserAccount};

const NINA_PASSWORD: &str = "nina-password-1";

async fn add_nina(proxy: &TestProxy, role: &str) -> UserAccount {
    let reply = proxy
        .post(
            "/users",
            json!({"username": "nina", "role": role, "password": NINA_PASSWORD}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    serde_json::from_value(reply.body).unwrap()
}

async fn user_rows(proxy: &TestProxy, action: &str) -> Vec<AuditEvent> {
    let reply = proxy.get(&format!("/audit?action={action}")).await;
    serde_json::from_value(reply.ok().clone()).unwrap()
}

/// Nina's session `cookie` is no longer accepted, nor is her first password.
async fn assert_nina_is_locked_out(proxy: &TestProxy, cookie: Option<String>) {
    proxy.use_session(cookie);
    proxy
        .get("/stores")
        .await
        .expect_error(401, "unauthenticated");
    proxy
        .log_in("nina", NINA_PASSWORD)
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test]
async fn an_admin_adds_a_user_who_then_logs_in_with_that_role() {
    let proxy = TestProxy::start().await;
    let nina = add_nina(&proxy, "operator").await;
    assert_eq!(
        (nina.username.as_str(), nina.role),
        ("nina", Role::Operator)
    );

    let listed = proxy.get("/users").await;
    let text = listed.ok().to_string();
    assert!(
        !text.contains("password") && !text.contains("argon2"),
        "{text}"
    );
    let users: Vec<UserAccount> = serde_json::from_value(listed.body).unwrap();
    let names: Vec<_> = users
        .iter()
        .map(|u| (u.username.as_str(), u.role))
        .collect();
    assert_eq!(names, [("admin", Role::Admin), ("nina", Role::Operator)]);

    let rows = user_rows(&proxy, "add_user").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, "admin");
    assert_eq!(rows[0].account.as_deref(), Some("nina"));
    assert_eq!(rows[0].result, "succeeded");

    let session = proxy.log_in("nina", NINA_PASSWORD).await;
    assert_eq!(session.ok()["role"], "operator");
    proxy.get("/users").await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn bad_accounts_are_refused_with_the_reason_and_recorded() {
    let proxy = TestProxy::start().await;
    let refuse = |username: &str, password: &str| json!({"username": username, "role": "viewer", "password": password});
    let short = proxy.post("/users", refuse("nina", "short")).await;
    assert!(short
        .expect_error(422, "validation")
        .contains("10 characters"));
    assert_eq!(short.body["error"]["field"], "password");
    let bad_name = proxy
        .post("/users", refuse("nina mueller", NINA_PASSWORD))
        .await;
    assert!(bad_name
        .expect_error(422, "validation")
        .contains("user name"));
    assert_eq!(bad_name.body["error"]["field"], "username");
    assert_eq!(bad_name.body["error"]["problem"]["kind"], "invalid");
    let taken = proxy.post("/users", refuse("admin", NINA_PASSWORD)).await;
    assert!(taken.expect_error(409, "conflict").contains("admin"));
    assert_eq!(taken.body["error"]["field"], "username");
    assert_eq!(taken.body["error"]["problem"]["kind"], "taken");
    let extra =
        json!({"username": "nina", "role": "viewer", "password": NINA_PASSWORD, "admin": true});
    proxy
        .post("/users", extra)
        .await
        .expect_error(422, "validation");
    let bad_role = json!({"username": "nina", "role": "root", "password": NINA_PASSWORD});
    let refused = proxy.post("/users", bad_role).await;
    refused.expect_error(422, "validation");
    assert_eq!(refused.body["error"]["field"], "role");

    let users: Vec<UserAccount> = serde_json::from_value(proxy.get("/users").await.body).unwrap();
    assert_eq!(users.len(), 1, "only admin");
    let failed: Vec<_> = user_rows(&proxy, "add_user")
        .await
        .into_iter()
        .map(|row| (row.result, row.account))
        .collect();
    assert_eq!(
        failed,
        [
            ("failed".to_owned(), None),
            ("failed".to_owned(), None),
            ("failed".to_owned(), Some("admin".to_owned())),
            ("failed".to_owned(), None),
            ("failed".to_owned(), Some("nina".to_owned())),
        ],
        "newest first; a malformed name is not recorded as an account, nor one in a body that \
         could not be read"
    );
}

#[tokio::test]
async fn a_new_password_ends_the_users_sessions() {
    let proxy = TestProxy::start().await;
    let admin = proxy.session_cookie();
    add_nina(&proxy, "viewer").await;
    proxy.log_in("nina", NINA_PASSWORD).await.ok();
    let nina = proxy.session_cookie();

    proxy.use_session(admin);
    proxy
        .put("/users/nina/password", json!({"password": "short"}))
        .await
        .expect_error(422, "validation");
    let reset = proxy
        .put(
            "/users/nina/password",
            json!({"password": "nina-password-2"}),
        )
        .await;
    assert_eq!(reset.status, 204, "{}", reset.body);
    proxy
        .put(
            "/users/nobody/password",
            json!({"password": "nina-password-2"}),
        )
        .await
        .expect_error(404, "not_found");

    assert_nina_is_locked_out(&proxy, nina).await;
    proxy.log_in("nina", "nina-password-2").await.ok();
}

#[tokio::test]
async fn a_new_role_counts_from_the_users_next_request() {
    let proxy = TestProxy::start().await;
    let admin = proxy.session_cookie();
    let store = proxy.add_store("S-1").await;
    add_nina(&proxy, "operator").await;
    proxy.log_in("nina", NINA_PASSWORD).await.ok();
    let nina = proxy.session_cookie();

    proxy.use_session(admin);
    let changed = proxy
        .put("/users/nina/role", json!({"role": "viewer"}))
        .await;
    assert_eq!(changed.ok()["role"], "viewer");

    proxy.use_session(nina);
    assert_eq!(proxy.get("/session").await.ok()["role"], "viewer");
    proxy
        .post(&format!("/stores/{store}/tss"), json!({}))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn the_last_administrator_can_be_neither_demoted_nor_removed() {
    let proxy = TestProxy::start().await;
    let demote = proxy
        .put("/users/admin/role", json!({"role": "operator"}))
        .await;
    assert!(demote
        .expect_error(409, "conflict")
        .contains("only administrator"));
    let remove = proxy.delete("/users/admin").await;
    remove.expect_error(409, "conflict");
    assert_eq!(proxy.get("/session").await.ok()["role"], "admin");

    add_nina(&proxy, "admin").await;
    let demoted = proxy
        .put("/users/admin/role", json!({"role": "operator"}))
        .await;
    assert_eq!(demoted.ok()["role"], "operator");
    proxy.log_in("nina", NINA_PASSWORD).await.ok();
    proxy
        .delete("/users/nina")
        .await
        .expect_error(409, "conflict");
}

#[tokio::test]
async fn two_administrators_demoting_each_other_at_once_leave_one() {
    let proxy = TestProxy::start().await;
    add_nina(&proxy, "admin").await;
    let storage = &proxy.state.storage;
    for round in 0..10 {
        let (first, second) = tokio::join!(
            storage.set_role("admin", tss_model::Role::Operator),
            storage.set_role("nina", tss_model::Role::Operator)
        );
        let done = [first.unwrap(), second.unwrap()]
            .iter()
            .filter(|outcome| **outcome == tss_proxy::storage::AdminGuarded::Done)
            .count();
        assert_eq!(done, 1, "round {round}: exactly one was demoted");
        let admins = storage
            .users()
            .await
            .unwrap()
            .into_iter()
            .filter(|user| user.role == tss_model::Role::Admin)
            .count();
        assert_eq!(admins, 1, "round {round}: one administrator is left");
        for name in ["admin", "nina"] {
            storage
                .set_role(name, tss_model::Role::Admin)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn a_removed_user_is_logged_out_and_cannot_log_in_but_stays_in_the_audit_log() {
    let proxy = TestProxy::start().await;
    let admin = proxy.session_cookie();
    add_nina(&proxy, "operator").await;
    proxy.log_in("nina", NINA_PASSWORD).await.ok();
    proxy.add_store("S-1").await;
    let nina = proxy.session_cookie();

    proxy.use_session(admin.clone());
    let removed = proxy.delete("/users/nina").await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    proxy
        .delete("/users/nina")
        .await
        .expect_error(404, "not_found");

    assert_nina_is_locked_out(&proxy, nina).await;

    proxy.use_session(admin);
    let created: Vec<AuditEvent> = serde_json::from_value(
        proxy
            .get("/audit?actor=nina&action=create_store")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(created.len(), 1, "what nina did is still recorded");
    let rows = user_rows(&proxy, "remove_user").await;
    let outcomes: Vec<_> = rows.iter().map(|row| row.result.as_str()).collect();
    assert_eq!(outcomes, ["failed", "succeeded"]);
    assert!(rows
        .iter()
        .all(|row| row.account.as_deref() == Some("nina")));
}

#[tokio::test]
async fn only_administrators_manage_users() {
    let proxy = TestProxy::start().await;
    proxy.add_user("otto", Role::Operator).await;
    proxy.log_in("otto", support::TEST_PASSWORD).await.ok();
    proxy.get("/users").await.expect_error(403, "forbidden");
    proxy
        .post(
            "/users",
            json!({"username": "mallory", "role": "admin", "password": NINA_PASSWORD}),
        )
        .await
        .expect_error(403, "forbidden");
    proxy
        .put("/users/otto/role", json!({"role": "admin"}))
        .await
        .expect_error(403, "forbidden");
    proxy
        .delete("/users/admin")
        .await
        .expect_error(403, "forbidden");
    assert_eq!(proxy.get("/session").await.ok()["role"], "operator");
}
