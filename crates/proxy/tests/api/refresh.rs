//! Refresh TSS: fiskaly's states reach every TSS of a store; read failures become Error Text.
//! Refresh of every TSS runs in the background, one at a time, counting what it read, what
//! failed and the TSS fiskaly has that the console does not know (never adopted), and bears
//! fiskaly's 429s.

use crate::support;

use std::time::Duration;

use fiskaly_sim::{Effect, FaultRule, When};
use serde_json::{json, Value};
use support::{calls, inject, status, TestProxy};
use tss_model::{OperationKind, OperationStep, Role, TssState};
use tss_proxy::storage::{FiskalyTssFields, NewOperation, RefreshResult};
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
async fn an_unknown_store_cannot_be_refreshed() {
    let proxy = TestProxy::start().await;
    proxy
        .post("/stores/999/tss/refresh", json!({}))
        .await
        .expect_error(404, "not_found");
}

/// Waits until the Refresh of every TSS has ended, at most ~30 s; answers how it ended.
async fn refresh_ended(proxy: &TestProxy) -> Value {
    for _ in 0..600 {
        let run = proxy.get("/refresh").await.ok().clone();
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the refresh of every TSS did not end");
}

#[tokio::test]
async fn refresh_of_every_tss_runs_in_the_background_and_ends_with_its_counts() {
    let proxy = TestProxy::start().await;
    assert_eq!(proxy.get("/refresh").await.ok(), &Value::Null, "none yet");
    let (one, first, _) = proxy.ready_store("S-1", 0).await;
    let (two, second, _) = proxy.ready_store("S-2", 0).await;
    let third = proxy.generate_additional(two).await.tss_id;
    proxy
        .sim
        .force_state(
            Uuid::parse_str(&second).unwrap(),
            fiskaly_sim::TssState::Defective,
        )
        .unwrap();
    let refusal = status(404, Some("E_TSS_NOT_FOUND"));
    let path = format!("/api/v2/tss/{third}");
    inject(&proxy.sim, "GET", &path, None, 1, refusal, When::Before);
    // A TSS at fiskaly that the console does not know: counted, never adopted.
    let token = support::other_callers_token(&proxy.sim).await;
    reqwest::Client::new()
        .put(format!("{}/tss/{}", proxy.sim.base_url(), Uuid::new_v4()))
        .bearer_auth(token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();

    let started = proxy.post("/refresh", json!({})).await;
    assert_eq!(started.status, 202, "{}", started.body);
    assert_eq!(started.body["requested_by"], "admin");
    let ended = refresh_ended(&proxy).await;
    assert_eq!(ended["status"], "succeeded", "{ended}");
    assert_eq!(ended["total"], 3);
    assert_eq!(ended["read"], 2);
    assert_eq!(ended["failed"], 1);
    assert_eq!(ended["unknown_at_fiskaly"], 1);
    assert_eq!(proxy.tss_of(one).await[0].tss_id, first);
    let entries = proxy.tss_of(two).await;
    let defective = entries.iter().find(|e| e.tss_id == second).unwrap();
    assert_eq!(defective.state, TssState::Defective);
    let unread = entries.iter().find(|e| e.tss_id == third).unwrap();
    assert!(unread
        .error_text
        .as_deref()
        .unwrap()
        .contains("E_TSS_NOT_FOUND"));
    assert_eq!(calls(&proxy.sim, "GET", &format!("/api/v2/tss/{first}")), 1);
    let stores = proxy.get("/stores").await.ok().clone();
    assert_eq!(stores["total"], 2, "nothing adopted");
}

#[tokio::test]
async fn only_one_refresh_of_every_tss_runs_at_a_time_and_only_operators_start_one() {
    let proxy = TestProxy::start().await;
    proxy.ready_store("S-1", 0).await;
    proxy.sim.control().latency = Duration::from_millis(400);
    let started = proxy.post("/refresh", json!({})).await;
    assert_eq!(started.status, 202, "{}", started.body);
    assert_eq!(started.body["status"], "running");
    let again = proxy.post("/refresh", json!({})).await;
    let message = again.expect_error(409, "already_running");
    assert!(message.contains("already running"), "{message}");
    assert_eq!(refresh_ended(&proxy).await["read"], 1);

    proxy.add_user("vera", Role::Viewer).await;
    proxy.log_in("vera", support::TEST_PASSWORD).await.ok();
    proxy
        .post("/refresh", json!({}))
        .await
        .expect_error(403, "forbidden");
    assert_eq!(proxy.get("/refresh").await.ok()["status"], "succeeded");
}

#[tokio::test]
async fn fiskaly_answering_429_to_one_read_in_ten_slows_the_refresh_but_fails_nothing() {
    let proxy = TestProxy::start().await;
    let mut stores = Vec::new();
    for n in 0..6 {
        let (store, ..) = proxy.ready_store(&format!("S-{n}"), 0).await;
        stores.push(store);
    }
    for store in &stores[..4] {
        proxy.generate_additional(*store).await;
    }
    let refused = Effect::too_many_requests(1);
    let rule = FaultRule::every_nth("GET", "/api/v2/tss/*", 10, refused);
    proxy.sim.control().inject(rule);
    proxy.post("/refresh", json!({})).await.ok();
    let ended = refresh_ended(&proxy).await;
    assert_eq!(ended["status"], "succeeded", "{ended}");
    assert_eq!(ended["read"], 10);
    assert_eq!(ended["failed"], 0);
    let refused = proxy
        .sim
        .control()
        .calls()
        .iter()
        .filter(|c| c.status == Some(429))
        .count();
    assert!(refused >= 1, "fiskaly refused some reads");
}

#[tokio::test]
async fn a_read_never_overwrites_what_an_operation_on_the_tss_is_storing() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let storage = &proxy.state.storage;
    // A Disable has started on the TSS (recorded before its first fiskaly call) when a read
    // from before it arrives.
    storage
        .start_operation(&NewOperation {
            kind: OperationKind::DisableTss,
            store_id: Some(store),
            tss_id: Some(&tss_id),
            terminal_id: None,
            client_id: None,
            first_step: OperationStep::AdminLogin,
            requested_by: "test",
        })
        .await
        .unwrap();
    let run = storage.start_fleet_refresh("test").await.unwrap();
    let left = storage.tss_left_to_refresh(run.id).await.unwrap();
    assert_eq!(left, std::slice::from_ref(&tss_id));
    let older = RefreshResult {
        tss_id: tss_id.clone(),
        outcome: Ok(FiskalyTssFields {
            state: TssState::Uninitialized,
            description: None,
            time_creation: None,
            time_init: None,
            time_disable: None,
            certificate: Default::default(),
            serial_number: None,
            bsi_certification_id: None,
        }),
    };
    storage.record_refreshed(run.id, &[older]).await.unwrap();
    assert_eq!(proxy.tss_of(store).await[0].state, TssState::Initialized);
    let counted = storage.latest_fleet_refresh().await.unwrap().unwrap();
    assert_eq!((counted.read, counted.total), (1, 1), "dealt with once");
    assert!(storage
        .tss_left_to_refresh(run.id)
        .await
        .unwrap()
        .is_empty());
}
