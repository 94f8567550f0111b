//! Alerts: a store that stops signing, a TSS with Error Text, a certificate in its last 90 days,
//! a TSS past 180 clients — one alert per cause while it lasts (a second refresh or sweep adds
//! none), resolved when the cause goes away, acknowledged by staff with their name and time.

use crate::support;

use fiskaly_sim::When;
use serde_json::{json, Value};
use support::{inject, status, TestProxy};
use tss_model::Role;
use tss_proxy::schedule::berlin_date;
use tss_proxy::storage::unix_now;
use uuid::Uuid;

/// The alerts of `status` as `(kind, text_en)`.
async fn alerts(proxy: &TestProxy, status: &str) -> Vec<(String, String, Value)> {
    let reply = proxy.get(&format!("/alerts?status={status}")).await;
    reply
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let text = |f: &str| a[f].as_str().unwrap_or_default().to_owned();
            (text("kind"), text("text_en"), a.clone())
        })
        .collect()
}

async fn sweep(proxy: &TestProxy) -> Vec<i64> {
    proxy
        .state
        .storage
        .sweep_alerts(unix_now(), berlin_date)
        .await
        .unwrap()
}

async fn refresh(proxy: &TestProxy, store: i64) {
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();
}

#[tokio::test]
async fn a_store_that_stops_signing_raises_one_alert_until_it_signs_again() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    proxy.ready_store("S-2", 0).await;
    assert!(
        alerts(&proxy, "open").await.is_empty(),
        "a store being set up is no alert"
    );
    let id = Uuid::parse_str(&tss_id).unwrap();
    proxy
        .sim
        .force_state(id, fiskaly_sim::TssState::Defective)
        .unwrap();
    refresh(&proxy, store).await;
    refresh(&proxy, store).await;
    sweep(&proxy).await;
    let open = alerts(&proxy, "open").await;
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].0, "cannot_sign");
    assert_eq!(
        open[0].1,
        "Store S-1 Filiale S-1 can no longer sign: No active TSS"
    );
    assert_eq!(
        open[0].2["text_de"],
        "Filiale S-1 Filiale S-1 kann nicht mehr signieren: Keine aktive TSS"
    );

    let replaced = proxy
        .post(&format!("/tss/{tss_id}/replace"), json!({}))
        .await;
    let new = replaced.body["tss_id"].as_str().unwrap().to_owned();
    proxy.settled(store, &new).await;
    assert!(alerts(&proxy, "open").await.is_empty());
    let resolved = alerts(&proxy, "resolved").await;
    assert_eq!(resolved.len(), 1);
    assert!(resolved[0].2["resolved_at"].is_i64());
}

#[tokio::test]
async fn the_tss_causes_are_raised_once_and_resolved_when_they_go() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let path = format!("/api/v2/tss/{tss_id}");
    inject(
        &proxy.sim,
        "GET",
        &path,
        None,
        1,
        status(404, Some("E_TSS_NOT_FOUND")),
        When::Before,
    );
    refresh(&proxy, store).await;
    let id = Uuid::parse_str(&tss_id).unwrap();
    let in_30_days = unix_now() + 30 * 24 * 60 * 60;
    proxy.sim.set_certificate_expiry(id, in_30_days).unwrap();
    crate::clients::fill(&proxy, store, &tss_id, 180).await;

    let raised = sweep(&proxy).await;
    assert_eq!(raised.len(), 2, "the Error Text and the 180 clients");
    refresh(&proxy, store).await; // clears the Error Text, reads the certificate
    let raised = sweep(&proxy).await;
    assert_eq!(raised.len(), 1, "the certificate; nothing raised twice");
    assert!(sweep(&proxy).await.is_empty());

    let mut open: Vec<(String, String)> = alerts(&proxy, "open")
        .await
        .into_iter()
        .map(|(kind, text, _)| (kind, text))
        .collect();
    open.sort();
    let date = berlin_date(in_30_days);
    assert_eq!(
        open,
        [
            (
                "certificate_expiring".to_owned(),
                format!("The certificate of TSS {tss_id} of store S-1 Filiale S-1 ends on {date}.")
            ),
            (
                "tss_nearly_full".to_owned(),
                format!(
                    "TSS {tss_id} of store S-1 Filiale S-1 has 180 of 199 clients (POS terminals)."
                )
            ),
        ]
    );
    let resolved = alerts(&proxy, "resolved").await;
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].0, "tss_error");
}

#[tokio::test]
async fn staff_acknowledge_an_alert_and_who_and_when_is_kept() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    let id = Uuid::parse_str(&tss_id).unwrap();
    proxy
        .sim
        .force_state(id, fiskaly_sim::TssState::Defective)
        .unwrap();
    refresh(&proxy, store).await;
    let alert = alerts(&proxy, "open").await.remove(0).2;
    let path = format!("/alerts/{}/acknowledge", alert["id"]);
    let acknowledged = proxy.post(&path, json!({})).await;
    assert_eq!(acknowledged.ok()["acknowledged_by"], "admin");
    assert!(acknowledged.ok()["acknowledged_at"].is_i64());
    assert!(alerts(&proxy, "open").await.is_empty());
    assert_eq!(alerts(&proxy, "acknowledged").await.len(), 1);
    proxy
        .post("/alerts/999/acknowledge", json!({}))
        .await
        .expect_error(404, "not_found");
    let audit = proxy.get("/audit?action=acknowledge_alert").await;
    assert_eq!(
        audit.ok().as_array().unwrap().len(),
        2,
        "accepted and refused"
    );

    proxy.add_user("vera", Role::Viewer).await;
    proxy.log_in("vera", support::TEST_PASSWORD).await.ok();
    assert_eq!(
        alerts(&proxy, "acknowledged").await.len(),
        1,
        "viewers read"
    );
    proxy
        .post(&path, json!({}))
        .await
        .expect_error(403, "forbidden");
}
