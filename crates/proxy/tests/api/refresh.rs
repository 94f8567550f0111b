//! Refresh TSS: fiskaly's states reach every TSS of a store; read failures become Error Text;
//! TSS fiskaly has and the console does not are reported, not adopted.

use crate::support;

use fiskaly_sim::When;
use serde_json::json;
use support::{inject, status, TestProxy};
use tss_model::TssState;
use uuid::Uuid;

#[tokio::test]
async fn states_changed_at_fiskaly_appear_after_refresh() {
    let proxy = TestProxy::start().await;
    let (store, first, _) = proxy.ready_store("S-1", 0).await;
    let second = proxy.generate_additional(store).await.tss_id;
    proxy
        .sim
        .force_state(
            Uuid::parse_str(&first).unwrap(),
            fiskaly_sim::TssState::Defective,
        )
        .unwrap();
    proxy
        .sim
        .force_state(
            Uuid::parse_str(&second).unwrap(),
            fiskaly_sim::TssState::Deleted,
        )
        .unwrap();

    let report = proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await;
    assert_eq!(report.ok()["refreshed"], 2);
    assert_eq!(report.ok()["failed"], 0);
    let states: Vec<_> = proxy
        .tss_of(store)
        .await
        .into_iter()
        .map(|e| (e.tss_id, e.state))
        .collect();
    assert!(states.contains(&(first, TssState::Defective)));
    assert!(states.contains(&(second, TssState::Deleted)));
}

#[tokio::test]
async fn a_tss_that_cannot_be_read_shows_why_and_the_others_still_refresh() {
    let proxy = TestProxy::start().await;
    let (store, first, _) = proxy.ready_store("S-1", 0).await;
    let second = proxy.generate_additional(store).await.tss_id;
    let refusal = status(404, Some("E_TSS_NOT_FOUND"));
    inject(
        &proxy.sim,
        "GET",
        &format!("/api/v2/tss/{first}"),
        None,
        1,
        refusal,
        When::Before,
    );
    let report = proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await;
    assert_eq!(report.ok()["refreshed"], 1);
    assert_eq!(report.ok()["failed"], 1);
    let entries = proxy.tss_of(store).await;
    let broken = entries.iter().find(|e| e.tss_id == first).unwrap();
    assert!(broken
        .error_text
        .as_deref()
        .unwrap()
        .contains("E_TSS_NOT_FOUND"));
    let fine = entries.iter().find(|e| e.tss_id == second).unwrap();
    assert_eq!(fine.error_text, None);
    assert!(fine.last_synced_at.is_some());
}

#[tokio::test]
async fn tss_fiskaly_has_that_the_console_does_not_are_reported() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    let stranger = Uuid::new_v4();
    let token = support::other_callers_token(&proxy.sim).await;
    reqwest::Client::new()
        .put(format!("{}/tss/{stranger}", proxy.sim.base_url()))
        .bearer_auth(token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let report = proxy.post("/refresh", json!({})).await;
    assert_eq!(
        report.ok()["unknown_at_fiskaly"],
        json!([stranger.to_string()])
    );
    assert!(proxy.tss_of(store).await.is_empty(), "not adopted");
    proxy
        .post("/stores/999/tss/refresh", json!({}))
        .await
        .expect_error(404, "not_found");
}
