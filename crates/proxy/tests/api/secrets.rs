//! Secrets stay in the proxy: after a scenario touching every action, no API answer and no log
//! line holds a PUK, an admin PIN or the fiskaly API secret.

use crate::support;

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use fiskaly_sim::{SimConfig, When};
use serde_json::json;
use support::{inject, status, TestProxy};

/// Every log line the proxy wrote during this test binary.
fn log() -> &'static Mutex<Vec<u8>> {
    static LOG: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    LOG.get_or_init(|| Mutex::new(Vec::new()))
}

struct Captured;

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        log().lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_answer_and_no_log_line_holds_a_secret() {
    tracing_subscriber::fmt()
        .with_env_filter("debug,tss_proxy=trace")
        .with_writer(|| Captured)
        .init();
    let proxy = TestProxy::start().await;
    let (store, tss_id, terminals) = proxy.ready_store("S-1", 2).await;
    proxy
        .post(
            &format!("/terminals/{}/client/deregister", terminals[0]),
            json!({"confirm": true}),
        )
        .await
        .ok();
    proxy
        .post(&format!("/terminals/{}/client", terminals[0]), json!({}))
        .await
        .ok();
    inject(
        &proxy.sim,
        "POST",
        "/api/v2/tss/*/admin/auth",
        None,
        4,
        status(503, None),
        When::Before,
    );
    let failing = proxy.generate_additional(store).await;
    assert!(failing.error_text.is_some());
    proxy
        .post(&format!("/tss/{}/initialize", failing.tss_id), json!({}))
        .await
        .ok();
    proxy.settled(store, &failing.tss_id).await;
    proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await
        .ok();
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();
    proxy.get(&format!("/stores/{store}/tss")).await.ok();
    proxy.get("/terminals").await.ok();
    let settings = proxy.get("/settings/fiskaly").await;
    assert_eq!(settings.ok()["api_secret_set"], true);
    proxy.post("/settings/fiskaly/test", json!({})).await.ok();
    let config = SimConfig::default();
    let saved = proxy
        .put(
            "/settings/fiskaly",
            json!({"base_url": proxy.sim.base_url(), "api_key": config.api_key, "api_secret": config.api_secret}),
        )
        .await;
    assert_eq!(saved.ok()["backend"], "fiskaly");

    let mut secrets = vec![config.api_secret.clone()];
    for id in proxy.state.storage.tss_ids(None).await.unwrap() {
        let record = proxy.state.storage.tss_record(&id).await.unwrap().unwrap();
        secrets.extend(record.admin_puk);
        secrets.extend(record.admin_pin);
    }
    assert!(
        secrets.len() >= 5,
        "two TSS with PUK and PIN, and the API secret"
    );
    let answers = proxy.answers();
    assert!(answers.len() > 15);
    let log = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
    assert!(
        log.contains("fiskaly settings saved"),
        "the log was captured"
    );
    for secret in &secrets {
        for answer in &answers {
            assert!(
                !answer.contains(secret.as_str()),
                "an API answer holds a secret: {answer}"
            );
        }
        assert!(!log.contains(secret.as_str()), "the log holds a secret");
    }
}
