//! `POST /auth`: key and secret or refresh token; tokens expire; bad credentials are 401.

use crate::support;

use std::time::Duration;

use fiskaly_sim::SimConfig;
use serde_json::json;
use support::{test_config, Fiskaly};

#[tokio::test]
async fn key_and_secret_give_a_token_for_the_test_environment() {
    let fiskaly = Fiskaly::start().await;
    let config = SimConfig::default();
    let reply = fiskaly
        .post(
            "/auth",
            json!({"api_key": config.api_key, "api_secret": config.api_secret}),
        )
        .await;
    let body = reply.ok();
    assert_eq!(body["access_token_claims"]["env"], "TEST");
    assert!(body["access_token_claims"]["organization_id"].is_string());
    assert_eq!(body["access_token_expires_in"], 24 * 60 * 60);
    assert_eq!(body["refresh_token_expires_in"], 48 * 60 * 60);
    for field in ["access_token", "refresh_token"] {
        assert!(body[field].as_str().unwrap().len() >= 32, "{field}");
    }
    for field in ["access_token_expires_at", "refresh_token_expires_at"] {
        assert!(body[field].as_i64().unwrap() > 1_700_000_000, "{field}");
    }
}

#[tokio::test]
async fn a_wrong_key_or_secret_is_401() {
    let fiskaly = Fiskaly::start().await;
    let config = SimConfig::default();
    for (key, secret) in [
        ("wrong", config.api_secret.as_str()),
        (config.api_key.as_str(), "wrong"),
    ] {
        fiskaly
            .post("/auth", json!({"api_key": key, "api_secret": secret}))
            .await
            .expect_error(401, "E_UNAUTHORIZED");
    }
}

#[tokio::test]
async fn a_refresh_token_gives_a_new_working_access_token() {
    let mut fiskaly = Fiskaly::start().await;
    let config = SimConfig::default();
    let first = fiskaly
        .post(
            "/auth",
            json!({"api_key": config.api_key, "api_secret": config.api_secret}),
        )
        .await;
    let refresh_token = first.ok()["refresh_token"].as_str().unwrap().to_owned();
    let second = fiskaly
        .post("/auth", json!({"refresh_token": refresh_token}))
        .await;
    fiskaly.token = second.ok()["access_token"].as_str().unwrap().to_owned();
    fiskaly.get("/tss").await.ok();
    fiskaly
        .post("/auth", json!({"refresh_token": "not-a-token"}))
        .await
        .expect_error(401, "E_UNAUTHORIZED");
}

#[tokio::test]
async fn an_unknown_or_missing_bearer_token_is_401() {
    let mut fiskaly = Fiskaly::start().await;
    fiskaly.token = "forged".into();
    fiskaly
        .get("/tss")
        .await
        .expect_error(401, "E_UNAUTHORIZED");
    let url = format!("{}/tss", fiskaly.sim.base_url());
    let status = fiskaly.http.get(url).send().await.unwrap().status();
    assert_eq!(status, 401);
}

#[tokio::test]
async fn tokens_expire() {
    let config = SimConfig {
        access_token_lifetime: Duration::from_secs(1),
        refresh_token_lifetime: Duration::from_secs(1),
        ..test_config()
    };
    let credentials = json!({"api_key": config.api_key, "api_secret": config.api_secret});
    let fiskaly = Fiskaly::start_with(config).await;
    let refresh_token = fiskaly.post("/auth", credentials).await.ok()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    fiskaly.get("/tss").await.ok();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    fiskaly
        .get("/tss")
        .await
        .expect_error(401, "E_UNAUTHORIZED");
    fiskaly
        .post("/auth", json!({"refresh_token": refresh_token}))
        .await
        .expect_error(401, "E_UNAUTHORIZED");
}

#[tokio::test]
async fn auth_takes_one_flow_at_a_time() {
    let fiskaly = Fiskaly::start().await;
    for body in [
        json!({}),
        json!({"api_key": "k"}),
        json!({"api_key": "k", "api_secret": "s", "refresh_token": "r"}),
    ] {
        fiskaly
            .post("/auth", body)
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
}
