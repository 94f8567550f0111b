//! Disable TSS: only with an explicit confirmation, only from UNINITIALIZED or INITIALIZED, clients
//! deregistered first, and never twice.

use crate::support;

use std::sync::Arc;

use serde_json::json;
use support::TestProxy;
use uuid::Uuid;

#[tokio::test]
async fn disabling_needs_an_explicit_confirmation() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    for body in [json!({}), json!({"confirm": false})] {
        let reply = proxy.post(&format!("/tss/{tss_id}/disable"), body).await;
        assert!(reply
            .expect_error(400, "confirmation_required")
            .contains("cannot be undone"));
    }
    let id = Uuid::parse_str(&tss_id).unwrap();
    assert_eq!(proxy.sim.tss(id).unwrap()["state"], "INITIALIZED");
    assert_eq!(
        support::calls(&proxy.sim, "PATCH", &format!("/api/v2/tss/{tss_id}")),
        2
    );
}

#[tokio::test]
async fn disabling_deregisters_the_clients_then_disables_the_tss() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, terminals) = proxy.ready_store("S-1", 2).await;
    let reply = proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await;
    assert_eq!(reply.ok()["state"], "DISABLED");
    assert_eq!(reply.ok()["registered_clients"], 0);

    let id = Uuid::parse_str(&tss_id).unwrap();
    assert_eq!(proxy.sim.tss(id).unwrap()["state"], "DISABLED");
    for terminal in terminals {
        let shown = proxy.get(&format!("/terminals/{terminal}")).await;
        let client = &shown.ok()["client"];
        assert_eq!(client["state"], "DEREGISTERED");
        assert_eq!(client["tss_state"], "DISABLED");
        let client_id = Uuid::parse_str(client["client_id"].as_str().unwrap()).unwrap();
        assert_eq!(
            proxy.sim.client(client_id).unwrap()["state"],
            "DEREGISTERED"
        );
    }
    let stores = proxy.get("/stores").await;
    let row = stores.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == store)
        .unwrap()
        .clone();
    assert_eq!(row["signing"]["readiness"], "no_active_tss");
    assert_eq!(row["tss_by_state"]["DISABLED"], 1);
}

#[tokio::test]
async fn a_tss_that_cannot_be_disabled_is_refused_naming_its_state() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await
        .ok();
    let again = proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await;
    assert!(again.expect_error(409, "conflict").contains("DISABLED"));
    proxy
        .post(
            &format!("/tss/{}/disable", Uuid::new_v4()),
            json!({"confirm": true}),
        )
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn fifty_concurrent_disables_make_exactly_one_disable_call() {
    let proxy = Arc::new(TestProxy::start().await);
    let (_, tss_id, _) = proxy.ready_store("S-1", 1).await;
    let mut requests = Vec::new();
    for _ in 0..50 {
        let proxy = proxy.clone();
        let path = format!("/tss/{tss_id}/disable");
        requests.push(tokio::spawn(async move {
            proxy.post(&path, json!({"confirm": true})).await
        }));
    }
    let mut succeeded = 0;
    for request in requests {
        let reply = request.await.unwrap();
        match reply.status {
            200 => succeeded += 1,
            409 => assert!(["already_running", "conflict"]
                .contains(&reply.body["error"]["code"].as_str().unwrap())),
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert_eq!(succeeded, 1);
    let disables = proxy
        .sim
        .control()
        .calls()
        .iter()
        .filter(|c| {
            c.path == format!("/api/v2/tss/{tss_id}") && c.state.as_deref() == Some("DISABLED")
        })
        .count();
    assert_eq!(disables, 1);
}
