//! Accounts, sessions and roles: every API route but login and health needs a session, roles are
//! checked on the server, failed logins are throttled, and the first start creates `admin`.

use crate::support;

use std::time::Duration;

use serde_json::json;
use support::{TestProxy, TEST_PASSWORD};
use tss_model::Role;
use tss_proxy::auth::verify_password;
use tss_proxy::config::Config;
use tss_proxy::startup::prepare;
use tss_proxy::storage::Storage;

#[tokio::test]
async fn without_a_session_every_route_but_login_and_health_answers_401() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    proxy.forget_session();
    proxy.get("/health").await.ok();
    for (method, path) in [
        (reqwest::Method::GET, "/stores".to_owned()),
        (reqwest::Method::POST, format!("/stores/{store}/tss")),
        (
            reqwest::Method::POST,
            "/tss/00000000-0000-4000-8000-000000000000/disable".to_owned(),
        ),
        (reqwest::Method::GET, "/session".to_owned()),
        (reqwest::Method::GET, "/audit".to_owned()),
    ] {
        let reply = proxy.call(method.clone(), &path, Some(json!({}))).await;
        reply.expect_error(401, "unauthenticated");
    }
    assert!(proxy
        .state
        .storage
        .tss_entries(store)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_viewer_reads_but_may_not_disable_or_generate() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    proxy.add_user("vera", Role::Viewer).await;
    let session = proxy.log_in("vera", TEST_PASSWORD).await;
    assert_eq!(session.ok()["role"], "viewer");
    assert_eq!(proxy.get("/session").await.ok()["username"], "vera");
    proxy.get(&format!("/stores/{store}/tss")).await.ok();
    let message = proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await
        .expect_error(403, "forbidden");
    assert!(message.contains("viewer"), "{message}");
    proxy
        .post(&format!("/stores/{store}/tss"), json!({}))
        .await
        .expect_error(403, "forbidden");
    proxy.get("/audit").await.expect_error(403, "forbidden");
    proxy
        .get("/settings/fiskaly")
        .await
        .expect_error(403, "forbidden");
    let entry = proxy.settled(store, &tss_id).await;
    assert_eq!(entry.state.as_str(), "INITIALIZED", "nothing was disabled");
}

#[tokio::test]
async fn an_operator_generates_but_only_an_admin_disables() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    proxy.add_user("otto", Role::Operator).await;
    proxy.log_in("otto", TEST_PASSWORD).await.ok();
    let tss = proxy.generate(store).await;
    assert_eq!(tss.state.as_str(), "INITIALIZED");
    proxy
        .post(
            &format!("/tss/{}/disable", tss.tss_id),
            json!({"confirm": true}),
        )
        .await
        .expect_error(403, "forbidden");
    proxy.log_in("admin", TEST_PASSWORD).await.ok();
    let disabled = proxy
        .post(
            &format!("/tss/{}/disable", tss.tss_id),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(disabled.ok()["state"], "DISABLED");
    let audit = proxy.get("/audit?action=generate_tss").await;
    assert_eq!(audit.ok()[0]["actor"], "otto");
    let audit = proxy.get("/audit?action=disable_tss").await;
    assert_eq!(audit.ok()[0]["actor"], "admin");
}

/// A login through a reverse proxy on this machine, for the browser at `browser`.
async fn log_in_forwarded_for(proxy: &TestProxy, username: &str, browser: &str) -> u16 {
    let origin = proxy.url().trim_end_matches("/api").to_owned();
    reqwest::Client::new()
        .post(format!("{}/session", proxy.url()))
        .header("x-requested-with", "tss-console")
        .header("origin", origin)
        .header("x-forwarded-for", format!("203.0.113.9, {browser}"))
        .json(&json!({"username": username, "password": "wrong-password"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_reverse_proxy_each_browser_is_throttled_on_its_own() {
    let trusting = TestProxy::start_configured(|state| {
        state.auth.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    for n in 0..5 {
        let status = log_in_forwarded_for(&trusting, &format!("name{n}"), "10.0.0.1").await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        log_in_forwarded_for(&trusting, "other", "10.0.0.1").await,
        429,
        "the browser that failed five times waits"
    );
    assert_eq!(
        log_in_forwarded_for(&trusting, "other", "10.0.0.2").await,
        401,
        "another browser behind the same proxy does not"
    );

    let untrusting = TestProxy::start().await;
    for n in 0..5 {
        log_in_forwarded_for(&untrusting, &format!("name{n}"), "10.0.0.1").await;
    }
    assert_eq!(
        log_in_forwarded_for(&untrusting, "other", "10.0.0.2").await,
        429,
        "an untrusted X-Forwarded-For is ignored: the connection's address counts"
    );
}

#[tokio::test]
async fn six_wrong_passwords_are_throttled_even_before_the_right_one() {
    let proxy = TestProxy::start().await;
    proxy.forget_session();
    for attempt in 1..=5 {
        let message = proxy
            .log_in("admin", "wrong-password")
            .await
            .expect_error(401, "unauthenticated");
        assert_eq!(message, "Wrong user name or password.", "attempt {attempt}");
    }
    let sixth = proxy.log_in("admin", "wrong-password").await;
    let message = sixth.expect_error(429, "too_many_attempts");
    assert!(message.contains("seconds"), "{message}");
    proxy
        .log_in("admin", TEST_PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
    // Another name from the same address is throttled too: the address had five failures.
    proxy
        .log_in("nobody", "wrong-password")
        .await
        .expect_error(429, "too_many_attempts");
    let failed = proxy
        .state
        .storage
        .audit_events(&tss_model::AuditFilter {
            action: Some(tss_model::AuditAction::Login),
            result: Some("failed".into()),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 5, "each refused password is in the audit log");
}

#[tokio::test]
async fn a_wrong_user_name_gets_the_same_answer_as_a_wrong_password() {
    let proxy = TestProxy::start().await;
    let unknown = proxy.log_in("mallory", TEST_PASSWORD).await;
    let wrong = proxy.log_in("admin", "not-the-password").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.body, wrong.body);
}

#[tokio::test]
async fn logging_out_ends_the_session_and_clears_the_cookie() {
    let proxy = TestProxy::start().await;
    proxy.get("/stores").await.ok();
    proxy
        .call(reqwest::Method::DELETE, "/session", None)
        .await
        .ok();
    proxy
        .get("/stores")
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test]
async fn a_session_unused_for_the_idle_timeout_ends() {
    let proxy =
        TestProxy::start_configured(|state| state.auth.idle_timeout = Duration::from_secs(1)).await;
    proxy.get("/stores").await.ok();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let message = proxy
        .get("/stores")
        .await
        .expect_error(401, "unauthenticated");
    assert!(message.contains("log in"), "{message}");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let proxy = TestProxy::start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/session", proxy.url()))
        .header("x-requested-with", "tss-console")
        .header("origin", proxy.url().trim_end_matches("/api"))
        .json(&json!({"username": "admin", "password": TEST_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("tss_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let body = response.text().await.unwrap();
    assert!(!body.contains(
        cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("tss_session=")
    ));
}

fn config_for(database: &support::TestDatabase, sim: &fiskaly_sim::Simulator) -> Config {
    let sim_config = fiskaly_sim::SimConfig::default();
    Config {
        listen: ([127, 0, 0, 1], 0).into(),
        database: database.location.clone(),
        dist: "dist".into(),
        fiskaly_url: Some(sim.base_url()),
        fiskaly_api_key: Some(sim_config.api_key),
        fiskaly_api_secret: Some(sim_config.api_secret),
        secret_key_file: Some(database.key_file.clone()),
        replica_name: None,
        admin_password: Some("from-the-environment".into()),
        session_idle_minutes: 30,
        secure_cookie: false,
        trusted_proxies: Vec::new(),
    }
}

#[tokio::test]
async fn the_first_start_creates_admin_once_with_the_configured_password() {
    let sim = support::start_simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(
        &support::TestDatabase::fresh(dir.path(), "first").await,
        &sim,
    );
    let first = prepare(&config).await.unwrap();
    let admin = first.state.storage.user("admin").await.unwrap().unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(verify_password(
        "from-the-environment",
        &admin.password_hash
    ));
    drop(first);

    config.admin_password = Some("a-later-different-one".into());
    let again = prepare(&config).await.unwrap();
    let admin = again.state.storage.user("admin").await.unwrap().unwrap();
    assert!(
        verify_password("from-the-environment", &admin.password_hash),
        "an existing admin keeps their password"
    );

    let random = support::TestDatabase::fresh(dir.path(), "random").await;
    config.database = random.location;
    config.secret_key_file = Some(random.key_file);
    config.admin_password = None;
    let random = prepare(&config).await.unwrap();
    let admin = random.state.storage.user("admin").await.unwrap().unwrap();
    assert!(!verify_password(
        "from-the-environment",
        &admin.password_hash
    ));
}

#[tokio::test]
async fn the_user_command_adds_lists_resets_changes_and_removes_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let database = support::TestDatabase::fresh(dir.path(), "cli").await;
    let location = database.argument();
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
            .args(["--database", &location, "--secret-key-file"])
            .arg(&database.key_file)
            .args(args)
            .env_remove("TSS_ADMIN_PASSWORD")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let (ok, text) = run(
        &[
            "user",
            "add",
            "kasse-koeln",
            "--role",
            "operator",
            "--password-stdin",
        ],
        "filiale-koeln-2026\n",
    );
    assert!(ok, "{text}");
    assert!(!text.contains("filiale-koeln-2026"), "{text}");
    let (ok, text) = run(&["user", "add", "kasse-koeln", "--role", "viewer"], "");
    assert!(!ok && text.contains("already"), "{text}");
    let (ok, text) = run(
        &[
            "user",
            "add",
            "kurz",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        "kurz\n",
    );
    assert!(!ok && text.contains("at least 10"), "{text}");
    let (ok, text) = run(&["user", "list"], "");
    assert!(
        ok && text.contains("kasse-koeln") && text.contains("operator"),
        "{text}"
    );

    let (ok, text) = run(&["user", "reset-password", "kasse-koeln"], "");
    assert!(ok, "{text}");
    let generated = text
        .split("the password is ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a generated password is shown once")
        .to_owned();
    let storage = Storage::open(&database.location, &database.key_file)
        .await
        .unwrap();
    let user = storage.user("kasse-koeln").await.unwrap().unwrap();
    assert_eq!(user.role, Role::Operator);
    assert!(verify_password(&generated, &user.password_hash));
    assert!(!verify_password("filiale-koeln-2026", &user.password_hash));
    let (ok, text) = run(&["user", "reset-password", "niemand"], "");
    assert!(!ok && text.contains("no user named niemand"), "{text}");

    let (ok, text) = run(&["user", "set-role", "kasse-koeln", "--role", "admin"], "");
    assert!(ok && text.contains("now admin"), "{text}");
    let (ok, text) = run(&["user", "remove", "kasse-koeln"], "");
    assert!(!ok && text.contains("only administrator"), "{text}");
    let (ok, text) = run(&["user", "add", "aushilfe", "--role", "viewer"], "");
    assert!(ok, "{text}");
    let (ok, text) = run(&["user", "remove", "aushilfe"], "");
    assert!(ok, "{text}");
    let names: Vec<_> = storage
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.username, u.role))
        .collect();
    assert_eq!(names, [("kasse-koeln".to_owned(), Role::Admin)]);

    let query = tss_model::AuditFilter {
        actor: Some("cli".into()),
        limit: Some(100),
        ..Default::default()
    };
    let rows: Vec<_> = storage
        .audit_events(&query)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| (e.action.as_str().to_owned(), e.result, e.account))
        .collect();
    let row = |action: &str, result: &str, account: &str| {
        (
            action.to_owned(),
            result.to_owned(),
            Some(account.to_owned()),
        )
    };
    assert_eq!(
        rows,
        [
            row("add_user", "succeeded", "kasse-koeln"),
            row("add_user", "failed", "kasse-koeln"),
            row("add_user", "failed", "kurz"),
            row("reset_password", "succeeded", "kasse-koeln"),
            row("reset_password", "failed", "niemand"),
            row("change_role", "succeeded", "kasse-koeln"),
            row("remove_user", "failed", "kasse-koeln"),
            row("add_user", "succeeded", "aushilfe"),
            row("remove_user", "succeeded", "aushilfe"),
        ],
        "every change from the shell is in the audit log, oldest first"
    );
}
