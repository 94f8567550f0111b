//! Generate Client ID and Deregister client for a POS terminal.

use crate::support;

use serde_json::json;
use support::TestProxy;
use uuid::Uuid;

#[tokio::test]
async fn a_terminal_gets_a_registered_client_at_the_stores_tss() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let terminal = proxy.add_terminal(store, "K1").await;
    let reply = proxy
        .post(&format!("/terminals/{terminal}/client"), json!({}))
        .await;
    let client = &reply.ok()["client"];
    assert_eq!(client["state"], "REGISTERED");
    assert_eq!(client["tss_id"], tss_id.as_str());
    assert_eq!(client["tss_state"], "INITIALIZED");
    let client_id = Uuid::parse_str(client["client_id"].as_str().unwrap()).unwrap();
    let at_fiskaly = proxy.sim.client(client_id).unwrap();
    assert_eq!(at_fiskaly["serial_number"], format!("SN-{store}-K1"));
    let stores = proxy.get("/stores").await;
    assert_eq!(stores.ok()["items"][0]["signing"]["readiness"], "ready");

    let again = proxy
        .post(&format!("/terminals/{terminal}/client"), json!({}))
        .await;
    assert_eq!(again.ok()["client"]["client_id"], client["client_id"]);
}

#[tokio::test]
async fn a_deregistered_client_is_registered_again_under_the_same_id() {
    let proxy = TestProxy::start().await;
    let (_, _, terminals) = proxy.ready_store("S-1", 1).await;
    let terminal = terminals[0];
    let before = proxy.get(&format!("/terminals/{terminal}")).await.ok()["client"].clone();

    proxy
        .post(
            &format!("/terminals/{terminal}/client/deregister"),
            json!({}),
        )
        .await
        .expect_error(400, "confirmation_required");
    let off = proxy
        .post(
            &format!("/terminals/{terminal}/client/deregister"),
            json!({"confirm": true}),
        )
        .await;
    assert_eq!(off.ok()["client"]["state"], "DEREGISTERED");
    proxy
        .post(
            &format!("/terminals/{terminal}/client/deregister"),
            json!({"confirm": true}),
        )
        .await
        .expect_error(409, "conflict");

    let on = proxy
        .post(&format!("/terminals/{terminal}/client"), json!({}))
        .await;
    assert_eq!(on.ok()["client"]["state"], "REGISTERED");
    assert_eq!(on.ok()["client"]["client_id"], before["client_id"]);
}

#[tokio::test]
async fn without_an_initialized_tss_the_answer_says_to_generate_one_first() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    let terminal = proxy.add_terminal(store, "K1").await;
    let none = proxy
        .post(&format!("/terminals/{terminal}/client"), json!({}))
        .await;
    assert!(none
        .expect_error(409, "conflict")
        .contains("generate a new TSS"));

    let (store, tss_id, terminals) = proxy.ready_store("S-2", 1).await;
    proxy
        .post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
        .await
        .ok();
    let disabled = proxy
        .post(
            &format!("/terminals/{}/client", terminals[0]),
            json!({"tss_id": tss_id}),
        )
        .await;
    let message = disabled.expect_error(409, "conflict");
    assert!(
        message.contains("DISABLED") && message.contains("generate a new TSS"),
        "{message}"
    );

    let fresh = proxy.generate(store).await;
    let moved = proxy
        .post(&format!("/terminals/{}/client", terminals[0]), json!({}))
        .await;
    assert_eq!(moved.ok()["client"]["tss_id"], fresh.tss_id.as_str());
    assert_eq!(moved.ok()["client"]["state"], "REGISTERED");
    proxy
        .post("/terminals/999/client", json!({}))
        .await
        .expect_error(404, "not_found");
}

/// Gives TSS `tss_id` of store `store_id` `count` more REGISTERED clients (with their
/// terminals), written straight into the database as many registrations would leave it.
pub async fn fill(proxy: &TestProxy, store_id: i64, tss_id: &str, count: usize) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&proxy.database.url()).await.unwrap();
    for n in 0..count {
        let terminal: i64 = sqlx::query_scalar(
            "INSERT INTO terminals (store_id, number, name, serial_number, created_at)
             VALUES ($1, $2, 'Kasse', $3, 0) RETURNING id",
        )
        .bind(store_id)
        .bind(format!("F-{n:03}"))
        .bind(format!("SN-F-{n:03}"))
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO clients (client_id, terminal_id, tss_id, state, created_at, updated_at)
             VALUES ($1, $2, $3, 'REGISTERED', 0, 0)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(terminal)
        .bind(tss_id)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

#[tokio::test]
async fn a_tss_takes_199_clients_and_generate_client_id_never_picks_a_full_one() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    fill(&proxy, store, &tss_id, 198).await;
    let last = proxy.add_terminal(store, "K-199").await;
    let registered = proxy
        .post(&format!("/terminals/{last}/client"), json!({}))
        .await;
    assert_eq!(
        registered.ok()["client"]["tss_id"],
        tss_id.as_str(),
        "the 199th"
    );
    assert_eq!(proxy.tss_of(store).await[0].registered_clients, 199);

    let one_more = proxy.add_terminal(store, "K-200").await;
    let path = format!("/terminals/{one_more}/client");
    let message = proxy
        .post(&path, json!({}))
        .await
        .expect_error(409, "conflict");
    assert!(message.contains("199 clients"), "{message}");
    assert!(message.contains("generate a new TSS"), "{message}");
    let named = proxy.post(&path, json!({"tss_id": tss_id})).await;
    assert!(named.expect_error(409, "conflict").contains("199 clients"));
    let again = proxy
        .post(&format!("/terminals/{last}/client"), json!({}))
        .await;
    assert_eq!(
        again.ok()["client"]["tss_id"],
        tss_id.as_str(),
        "a terminal registered at the full TSS needs nothing"
    );

    let fresh = proxy.generate_additional(store).await.tss_id;
    let moved_on = proxy.post(&path, json!({})).await;
    assert_eq!(moved_on.ok()["client"]["tss_id"], fresh.as_str());
}

#[tokio::test]
async fn a_client_registered_again_under_its_old_id_is_the_one_shown_and_kept() {
    let proxy = TestProxy::start().await;
    let (store, first, terminals) = proxy.ready_store("S-1", 1).await;
    let terminal = terminals[0];
    let second = proxy.generate_additional(store).await.tss_id;
    let client = format!("/terminals/{terminal}/client");
    let deregister = format!("{client}/deregister");
    let confirmed = json!({"confirm": true});
    proxy.post(&deregister, confirmed.clone()).await.ok();
    let at_second = proxy.post(&client, json!({"tss_id": second})).await;
    let newer_id = at_second.ok()["client"]["client_id"].clone();
    proxy.post(&deregister, confirmed).await.ok();

    // Back at the first TSS, under the first client ID: older than the deregistered one.
    let back = proxy.post(&client, json!({"tss_id": first})).await;
    assert_eq!(back.ok()["client"]["tss_id"], first.as_str());
    assert_eq!(back.ok()["client"]["state"], "REGISTERED");
    assert_ne!(back.ok()["client"]["client_id"], newer_id);
    let shown = proxy.get(&format!("/terminals/{terminal}")).await;
    assert_eq!(
        shown.ok()["client"]["state"],
        "REGISTERED",
        "{}",
        shown.body
    );
    let again = proxy.post(&client, json!({})).await;
    assert_eq!(
        again.ok()["client"]["tss_id"],
        first.as_str(),
        "nothing to do"
    );
    let store_row = proxy.get(&format!("/stores/{store}")).await;
    assert_eq!(store_row.ok()["signing"]["readiness"], "ready");
    let at_second = proxy.tss_of(store).await;
    let second_entry = at_second.iter().find(|e| e.tss_id == second).unwrap();
    assert_eq!(second_entry.registered_clients, 0, "no second registration");
}
