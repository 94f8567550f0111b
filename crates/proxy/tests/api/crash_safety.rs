//! Crash safety of Generate New TSS: the proxy is killed right after each step's fiskaly call took
//! effect (its runtime dropped while fiskaly's answer is still on its way), then started again on
//! the same database. The operation resumes, ends INITIALIZED, and the stored PUK is fiskaly's.
//! A Refresh of every TSS killed half-way goes on where it stood and reads each TSS once.

use crate::support;

use std::time::Duration;

use fiskaly_sim::{Effect, Simulator, When};
use support::{inject, proxy_state, start_simulator, wait_until_settled, TestDatabase};
use tokio::runtime::Runtime;
use tss_model::{GenerateTssRequest, StoreInput};
use tss_proxy::storage::TakeOver;
use uuid::Uuid;

/// The six calls of the setup sequence, as simulator patterns: (method, path, requested state).
const STEPS: [(&str, &str, Option<&str>); 6] = [
    ("PUT", "/api/v2/tss/*", None),
    ("PATCH", "/api/v2/tss/*", Some("UNINITIALIZED")),
    ("PATCH", "/api/v2/tss/*/admin", None),
    ("POST", "/api/v2/tss/*/admin/auth", None),
    ("PATCH", "/api/v2/tss/*", Some("INITIALIZED")),
    ("POST", "/api/v2/tss/*/admin/logout", None),
];

/// Waits (up to 5 s) until the simulator received `method` on a path matching `pattern` with
/// `state`: the step that is to be cut short.
fn wait_until_called(
    sim: &Simulator,
    method: &str,
    pattern: &str,
    state: Option<&str>,
    step: usize,
) {
    let received = || {
        sim.control()
            .calls()
            .iter()
            .any(|c| c.method == method && c.state.as_deref() == state && matches(pattern, &c.path))
    };
    for _ in 0..500 {
        if received() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("step {step} never called");
}

/// Adds store `number` (in Köln).
async fn new_store(storage: &tss_proxy::storage::Storage, number: &str) -> tss_model::Store {
    storage
        .insert_store(&StoreInput {
            number: number.into(),
            name: "Köln".into(),
            street: "Hauptstraße 1".into(),
            city: "Köln".into(),
        })
        .await
        .unwrap()
}

/// Whether `path` matches the simulator pattern `pattern` (`*` stands for one segment).
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len() && pattern.iter().zip(&path).all(|(p, s)| *p == "*" || p == s)
}

#[test]
fn generate_new_tss_resumes_after_a_crash_right_after_each_step() {
    let sim_runtime = Runtime::new().unwrap();
    for (number, (method, path, state)) in STEPS.into_iter().enumerate() {
        let sim = sim_runtime.block_on(start_simulator());
        // The step's call takes effect at fiskaly, but its answer is held back for a minute.
        let hold = Effect::Delay { ms: 60_000 };
        inject(&sim, method, path, state, 1, hold, When::After);
        let dir = tempfile::tempdir().unwrap();
        let database = sim_runtime.block_on(TestDatabase::fresh(dir.path(), "tss"));

        let doomed = Runtime::new().unwrap();
        let store_id = doomed.block_on(async {
            let proxy = proxy_state(&database, &sim).await;
            let store = new_store(&proxy.storage, "S-1").await;
            let operations = proxy.operations.clone();
            tokio::spawn(async move {
                let request = GenerateTssRequest::default();
                operations.generate_tss(store.id, &request, "test").await
            });
            store.id
        });
        wait_until_called(&sim, method, path, state, number + 1);
        std::thread::sleep(Duration::from_millis(200));
        doomed.shutdown_background();

        sim_runtime.block_on(async {
            let proxy = proxy_state(&database, &sim).await;
            let resumed = proxy.operations.resume(TakeOver::AtStart).await.unwrap();
            assert_eq!(resumed, 1, "step {}", number + 1);
            let tss_id = proxy
                .storage
                .tss_ids(Some(store_id))
                .await
                .unwrap()
                .remove(0);
            let entry = wait_until_settled(&proxy.storage, store_id, &tss_id).await;
            assert_eq!(
                entry.state.as_str(),
                "INITIALIZED",
                "after a crash at step {}: {entry:?}",
                number + 1
            );
            let id = Uuid::parse_str(&tss_id).unwrap();
            let stored = proxy.storage.tss_record(&tss_id).await.unwrap().unwrap();
            assert_eq!(stored.admin_puk, sim.admin_puk(id), "step {}", number + 1);
            assert_eq!(sim.tss(id).unwrap()["state"], "INITIALIZED");
            let created: usize = tss_created_at_fiskaly(&sim);
            assert_eq!(
                created,
                1,
                "no duplicate TSS after a crash at step {}",
                number + 1
            );
        });
        drop(sim);
    }
}

fn tss_created_at_fiskaly(sim: &Simulator) -> usize {
    sim.control()
        .calls()
        .iter()
        .filter(|c| c.method == "PUT")
        .map(|c| c.path.clone())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Polls the Refresh of every TSS stored in `storage` until `done` holds, at most ~30 s.
async fn refresh_reaches(
    storage: &tss_proxy::storage::Storage,
    done: impl Fn(&tss_model::FleetRefresh) -> bool,
) -> tss_model::FleetRefresh {
    for _ in 0..600 {
        if let Some(run) = storage.latest_fleet_refresh().await.unwrap() {
            if done(&run) {
                return run;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the refresh of every TSS never got there");
}

#[test]
fn a_refresh_of_every_tss_cut_short_by_a_crash_goes_on_where_it_stood() {
    let sim_runtime = Runtime::new().unwrap();
    let sim = sim_runtime.block_on(start_simulator());
    let dir = tempfile::tempdir().unwrap();
    let database = sim_runtime.block_on(TestDatabase::fresh(dir.path(), "tss"));
    let tss_ids = sim_runtime.block_on(async {
        let proxy = proxy_state(&database, &sim).await;
        for n in 0..12 {
            let store = new_store(&proxy.storage, &format!("S-{n}")).await;
            let request = GenerateTssRequest::default();
            let setup = proxy.operations.generate_tss(store.id, &request, "test");
            setup.await.unwrap().to_the_end().await.unwrap();
        }
        proxy.storage.tss_ids(None).await.unwrap()
    });
    // The run reads in ID order: the last four reads get no answer before the crash.
    for tss_id in &tss_ids[8..] {
        let hold = Effect::Delay { ms: 60_000 };
        let path = format!("/api/v2/tss/{tss_id}");
        inject(&sim, "GET", &path, None, 1, hold, When::Before);
    }

    let doomed = Runtime::new().unwrap();
    doomed.block_on(async {
        let proxy = proxy_state(&database, &sim).await;
        proxy.operations.refresh_every_tss("anna").await.unwrap();
        refresh_reaches(&proxy.storage, |run| run.read == 8).await;
    });
    doomed.shutdown_background();

    sim_runtime.block_on(async {
        sim.control().clear_faults();
        let proxy = proxy_state(&database, &sim).await;
        let resumed = proxy.operations.resume(TakeOver::AtStart).await.unwrap();
        assert_eq!(resumed, 1);
        let run = refresh_reaches(&proxy.storage, |run| !run.is_running()).await;
        assert_eq!(run.status, tss_model::OperationStatus::Succeeded, "{run:?}");
        assert_eq!((run.total, run.read, run.failed), (12, 12, 0), "{run:?}");
        assert_eq!(run.requested_by, "anna");
        for tss_id in &tss_ids[..8] {
            let path = format!("/api/v2/tss/{tss_id}");
            assert_eq!(support::calls(&sim, "GET", &path), 1, "read once: {tss_id}");
        }
    });
}

/// The calls of a Replace TSS with the old TSS disabled, as simulator patterns: the new TSS's
/// setup, the registration of a moved terminal, the old TSS's clients deregistered, the old TSS
/// disabled.
const REPLACE_STEPS: [(&str, &str, Option<&str>); 7] = [
    ("PUT", "/api/v2/tss/*", None),
    ("PATCH", "/api/v2/tss/*", Some("UNINITIALIZED")),
    ("PATCH", "/api/v2/tss/*/admin", None),
    ("PATCH", "/api/v2/tss/*", Some("INITIALIZED")),
    ("PUT", "/api/v2/tss/*/client/*", None),
    ("PATCH", "/api/v2/tss/*/client/*", Some("DEREGISTERED")),
    ("PATCH", "/api/v2/tss/*", Some("DISABLED")),
];

#[test]
fn replace_tss_resumes_after_a_crash_right_after_each_step() {
    let sim_runtime = Runtime::new().unwrap();
    for (number, (method, path, state)) in REPLACE_STEPS.into_iter().enumerate() {
        let sim = sim_runtime.block_on(start_simulator());
        let dir = tempfile::tempdir().unwrap();
        let database = sim_runtime.block_on(TestDatabase::fresh(dir.path(), "tss"));
        // A store whose TSS's certificate expires in 30 days, with two registered tills.
        let (store_id, old, terminals) = sim_runtime.block_on(async {
            let proxy = proxy_state(&database, &sim).await;
            let store = new_store(&proxy.storage, "S-1").await;
            let request = GenerateTssRequest::default();
            let setup = proxy.operations.generate_tss(store.id, &request, "test");
            let old = setup.await.unwrap().to_the_end().await.unwrap().tss_id;
            let mut terminals = Vec::new();
            for n in 0..2 {
                let terminal = proxy
                    .storage
                    .insert_terminal(&tss_model::TerminalInput {
                        number: format!("K{n}"),
                        name: "Kasse".into(),
                        store_id: store.id,
                        serial_number: format!("SN-{n}"),
                        service: None,
                    })
                    .await
                    .unwrap();
                let request = tss_model::GenerateClientRequest::default();
                proxy
                    .operations
                    .generate_client(terminal.id, &request, "test")
                    .await
                    .unwrap();
                terminals.push(terminal.id);
            }
            let in_30_days = tss_proxy::storage::unix_now() + 30 * 24 * 60 * 60;
            sim.set_certificate_expiry(Uuid::parse_str(&old).unwrap(), in_30_days)
                .unwrap();
            proxy.operations.refresh_store(store.id).await.unwrap();
            (store.id, old, terminals)
        });
        sim.control().reset_calls();
        let hold = Effect::Delay { ms: 60_000 };
        inject(&sim, method, path, state, 1, hold, When::After);

        let doomed = Runtime::new().unwrap();
        doomed.block_on(async {
            let proxy = proxy_state(&database, &sim).await;
            let operations = proxy.operations.clone();
            let old = old.clone();
            tokio::spawn(async move {
                let request = tss_model::ReplaceTssRequest { disable_old: true };
                operations.replace_tss(&old, &request, "test").await
            });
        });
        wait_until_called(&sim, method, path, state, number + 1);
        std::thread::sleep(Duration::from_millis(200));
        doomed.shutdown_background();

        sim_runtime.block_on(async {
            let proxy = proxy_state(&database, &sim).await;
            let resumed = proxy.operations.resume(TakeOver::AtStart).await.unwrap();
            assert_eq!(resumed, 1, "step {}", number + 1);
            let new = proxy
                .storage
                .tss_ids(Some(store_id))
                .await
                .unwrap()
                .into_iter()
                .find(|id| *id != old)
                .expect("the new TSS");
            let replacement = wait_until_settled(&proxy.storage, store_id, &new).await;
            let step = number + 1;
            assert_eq!(
                replacement.state.as_str(),
                "INITIALIZED",
                "step {step}: {replacement:?}"
            );
            assert_eq!(replacement.operation, None, "step {step}: {replacement:?}");
            let new_id = Uuid::parse_str(&new).unwrap();
            let stored = proxy.storage.tss_record(&new).await.unwrap().unwrap();
            assert_eq!(stored.admin_puk, sim.admin_puk(new_id), "step {step}");
            let old_id = Uuid::parse_str(&old).unwrap();
            assert_eq!(sim.tss(old_id).unwrap()["state"], "DISABLED", "step {step}");
            assert_eq!(
                sim.tss(new_id).unwrap()["number_registered_clients"],
                2,
                "step {step}"
            );
            let creations = sim
                .control()
                .calls()
                .iter()
                .filter(|c| c.method == "PUT" && !c.path.contains("/client/"))
                .map(|c| c.path.clone())
                .collect::<std::collections::HashSet<_>>()
                .len();
            assert_eq!(
                creations, 1,
                "no second new TSS after a crash at step {step}"
            );
            for terminal_id in &terminals {
                let terminal = proxy.storage.terminal(*terminal_id).await.unwrap().unwrap();
                let client = terminal.client.expect("a client");
                assert_eq!(client.tss_id, new, "step {step}");
                assert!(client.can_sign(), "step {step}: {client:?}");
            }
        });
        drop(sim);
    }
}
