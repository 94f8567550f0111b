//! Demo mode: without fiskaly credentials the proxy runs the simulator in-process, seeds demo
//! stores on a new database, and after a restart still agrees with the simulator.

use std::net::SocketAddr;

use tss_model::{Backend, Readiness};
use tss_proxy::config::Config;
use tss_proxy::startup::prepare;

use crate::support::TestDatabase;

fn demo_config(database: &TestDatabase) -> Config {
    Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: database.location.clone(),
        dist: "dist".into(),
        fiskaly_url: None,
        fiskaly_api_key: None,
        fiskaly_api_secret: None,
        secret_key_file: Some(database.key_file.clone()),
        replica_name: None,
        admin_password: Some("first-admin-password".into()),
        session_idle_minutes: 30,
        secure_cookie: false,
        trusted_proxies: Vec::new(),
    }
}

#[tokio::test]
async fn without_credentials_the_demo_seeds_stores_in_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path(), "demo").await;
    let prepared = prepare(&demo_config(&database)).await.unwrap();
    assert!(prepared.simulator.is_some());
    assert_eq!(prepared.state.fiskaly.backend(), Backend::Simulator);
    let stores = every_store(&prepared.state.storage).await;
    assert_eq!(stores.len(), 12);
    let ready = stores
        .iter()
        .filter(|s| s.signing.readiness == Readiness::Ready)
        .count();
    assert_eq!(ready, 8);
    for state in ["UNINITIALIZED", "DISABLED", "DEFECTIVE"] {
        assert!(
            stores.iter().any(|s| s.tss_by_state.get(state) == Some(&1)),
            "a store with a {state} TSS"
        );
    }
    assert!(stores
        .iter()
        .any(|s| s.tss_by_state.is_empty() && s.signing.terminals > 0));
    assert!(stores
        .iter()
        .all(|s| (2..=4).contains(&s.signing.terminals)));
}

#[tokio::test]
async fn a_restarted_demo_still_agrees_with_its_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path(), "demo").await;
    let first = prepare(&demo_config(&database)).await.unwrap();
    let tss_count = first.state.storage.tss_ids(None).await.unwrap().len();
    first.simulator.unwrap().shutdown().await.unwrap();

    let second = prepare(&demo_config(&database)).await.unwrap();
    assert_eq!(
        every_store(&second.state.storage).await.len(),
        12,
        "seeded once"
    );
    let storage = &second.state.storage;
    second
        .state
        .operations
        .refresh_every_tss("test")
        .await
        .unwrap();
    let mut run = storage.latest_fleet_refresh().await.unwrap().unwrap();
    while run.is_running() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        run = storage.latest_fleet_refresh().await.unwrap().unwrap();
    }
    assert_eq!(run.read as usize, tss_count, "{run:?}");
    assert_eq!(
        run.failed, 0,
        "every stored TSS is known to the restarted simulator"
    );
    assert_eq!(run.unknown_at_fiskaly, Some(0));
}

/// Every store's row of the Store List.
async fn every_store(storage: &tss_proxy::storage::Storage) -> Vec<tss_model::StoreSummary> {
    let query = tss_model::StoreQuery::default();
    storage.store_page(&query, 500, None).await.unwrap().items
}
