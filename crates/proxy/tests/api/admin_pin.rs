//! The admin PIN: a blocked PIN (five wrong logins at fiskaly) is set again with the stored PUK,
//! so Initial TSS and Disable TSS still work.

use crate::support;

use fiskaly_sim::{Simulator, When};
use serde_json::json;
use support::{inject, status, TestProxy};

/// Blocks the TSS's admin PIN at the simulator with five wrong logins from another caller.
async fn block_pin(sim: &Simulator, tss_id: &str) {
    let http = reqwest::Client::new();
    let token = support::other_callers_token(sim).await;
    for _ in 0..5 {
        let status = http
            .post(format!("{}/tss/{tss_id}/admin/auth", sim.base_url()))
            .bearer_auth(&token)
            .json(&json!({"admin_pin": "not-the-pin"}))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
}

#[tokio::test]
async fn initial_tss_resets_a_blocked_pin_with_the_puk() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    inject(
        &proxy.sim,
        "POST",
        "/api/v2/tss/*/admin/auth",
        None,
        4,
        status(503, None),
        When::Before,
    );
    let entry = proxy.generate(store).await;
    assert_eq!(entry.state.as_str(), "UNINITIALIZED");
    block_pin(&proxy.sim, &entry.tss_id).await;

    proxy
        .post(&format!("/tss/{}/initialize", entry.tss_id), json!({}))
        .await
        .ok();
    let entry = proxy.settled(store, &entry.tss_id).await;
    assert_eq!(entry.state.as_str(), "INITIALIZED", "{entry:?}");
}

#[tokio::test]
async fn disable_resets_a_blocked_pin_with_the_puk() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 1).await;
    block_pin(&proxy.sim, &tss_id).await;
    let reply = proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await;
    assert_eq!(reply.ok()["state"], "DISABLED");
}

#[tokio::test]
async fn initial_tss_is_only_for_created_or_uninitialized() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let reply = proxy
        .post(&format!("/tss/{tss_id}/initialize"), json!({}))
        .await;
    assert!(reply.expect_error(409, "conflict").contains("INITIALIZED"));
}
