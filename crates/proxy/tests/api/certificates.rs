//! TSS certificates: read from fiskaly's answers and kept, "valid until" on each TSS entry, the
//! stores whose certificates expire within 90 days as a filter and a count, and an expired one
//! as the reason a store cannot sign, both when a read shows it and when its time simply passes.

use crate::support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use support::TestProxy;
use tss_model::{TssCertificate, TssEntry};
use uuid::Uuid;

const DAY: i64 = 24 * 60 * 60;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Gives the TSS at fiskaly a certificate valid until `not_after` and refreshes the store.
async fn certificate_until(proxy: &TestProxy, store: i64, tss_id: &str, not_after: i64) {
    let id = Uuid::parse_str(tss_id).unwrap();
    proxy.sim.set_certificate_expiry(id, not_after).unwrap();
    let refresh = proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await;
    assert_eq!(refresh.ok()["failed"], 0);
}

fn entry(entries: Vec<TssEntry>, tss_id: &str) -> TssEntry {
    entries.into_iter().find(|e| e.tss_id == tss_id).unwrap()
}

/// The store numbers of `GET /api/stores?{query}`.
async fn stores(proxy: &TestProxy, query: &str) -> Vec<String> {
    let page = proxy.get(&format!("/stores?{query}")).await;
    page.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_new_tss_shows_its_certificate_serial_and_expiry() {
    let proxy = TestProxy::start().await;
    let before = now();
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let TssCertificate::Read { serial, not_after } =
        entry(proxy.tss_of(store).await, &tss_id).certificate
    else {
        panic!("the certificate of a new TSS is read");
    };
    assert!(!serial.is_empty());
    let five_years = 5 * 365 * DAY;
    assert!((before + five_years..=now() + five_years).contains(&not_after));
    let summary = proxy.get("/stores").await.ok()["items"][0].clone();
    assert_eq!(summary["certificate_expires_at"], not_after);
    assert!(stores(&proxy, "certificate=expiring").await.is_empty());
}

#[tokio::test]
async fn a_certificate_expiring_within_90_days_is_counted_and_filtered() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    proxy.ready_store("S-2", 1).await;
    let in_30_days = now() + 30 * DAY;
    certificate_until(&proxy, store, &tss_id, in_30_days).await;

    let tss = entry(proxy.tss_of(store).await, &tss_id);
    assert_eq!(tss.certificate.not_after(), Some(in_30_days));
    assert_eq!(stores(&proxy, "certificate=expiring").await, ["S-1"]);
    let fleet = proxy.get("/fleet").await;
    assert_eq!(fleet.ok()["stores_certificate_expiring"], 1);
    // Expiring is not expired: the store still signs.
    assert_eq!(stores(&proxy, "readiness=ready").await, ["S-1", "S-2"]);
    proxy
        .get("/stores?certificate=soon")
        .await
        .expect_error(400, "bad_request");
}

#[tokio::test]
async fn an_expired_certificate_is_why_the_store_and_its_terminals_cannot_sign() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, terminals) = proxy.ready_store("S-1", 1).await;
    certificate_until(&proxy, store, &tss_id, now() - 60).await;

    let summary = proxy.get("/stores").await.ok()["items"][0].clone();
    assert_eq!(summary["signing"]["readiness"], "certificate_expired");
    assert_eq!(
        stores(&proxy, "readiness=certificate_expired").await,
        ["S-1"]
    );
    assert_eq!(stores(&proxy, "certificate=expiring").await, ["S-1"]);
    let terminal = proxy.get(&format!("/terminals/{}", terminals[0])).await;
    assert_eq!(terminal.ok()["client"]["tss_certificate_expired"], true);
    let cannot_sign = proxy.get("/terminals?client=cannot_sign").await;
    assert_eq!(cannot_sign.ok()["total"], 1);

    // No new client at it: the refusal says what to do.
    let second = proxy.add_terminal(store, "K9").await;
    let refusal = proxy
        .post(&format!("/terminals/{second}/client"), json!({}))
        .await;
    let message = refusal.expect_error(409, "tss_out_of_service");
    assert!(message.contains("certificate"), "{message}");
}

#[tokio::test]
async fn a_certificate_whose_time_passes_stops_its_store_without_a_read() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    certificate_until(&proxy, store, &tss_id, now() + 1).await;
    let summary = |body: &Value| body["items"][0]["signing"]["readiness"].clone();
    assert_eq!(summary(proxy.get("/stores").await.ok()), "ready");

    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let mut readiness = Value::Null;
    for _ in 0..30 {
        readiness = summary(proxy.get("/stores").await.ok());
        if readiness == "certificate_expired" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(readiness, "certificate_expired");
}

#[tokio::test]
async fn a_till_at_a_tss_whose_certificate_expired_gets_a_client_at_another_from_its_card() {
    let proxy = TestProxy::start().await;
    let (store, expired, terminals) = proxy.ready_store("S-1", 1).await;
    let other = proxy.generate_additional(store).await.tss_id;
    certificate_until(&proxy, store, &expired, now() - 60).await;
    let path = format!("/terminals/{}/client", terminals[0]);
    let moved = proxy.post(&path, json!({})).await;
    assert_eq!(moved.ok()["client"]["tss_id"], other.as_str());
    assert_eq!(moved.ok()["client"]["state"], "REGISTERED");
    let named = proxy.post(&path, json!({"tss_id": expired})).await;
    assert!(named
        .expect_error(409, "tss_out_of_service")
        .contains("certificate of the TSS"));
}
