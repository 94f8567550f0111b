//! Postgres stopped for 5 s in the middle of a Refresh of every store, then started again:
//! requests answered in the outage are 503 `storage_unavailable`, none is a 500, the proxy
//! reconnects by itself and the refresh completes. Needs the second server `cargo xtask test`
//! starts for this (`TSS_TEST_OUTAGE_POSTGRES`, controlled by `TSS_TEST_OUTAGE_CONTROL`).

use std::process::Command;
use std::time::{Duration, Instant};

use fiskaly_sim::{Effect, Fault, FaultRule, When};
use reqwest::Method;

use crate::database::TestDatabase;
use crate::fleet::Fleet;
use crate::{add_store, admin_cookie, generate};

/// How long Postgres stays stopped.
const OUTAGE: Duration = Duration::from_secs(5);
/// Stores in the refresh, one TSS each: all read from fiskaly at once.
const STORES: usize = 12;

/// Runs `pg_ctl <action>` on the outage server.
fn pg_ctl(action: &[&str]) {
    let control = std::env::var("TSS_TEST_OUTAGE_CONTROL")
        .expect("TSS_TEST_OUTAGE_CONTROL says how to stop the server: run `cargo xtask test`");
    let mut words = control.split_whitespace();
    let output = Command::new(words.next().unwrap())
        .args(words)
        .args(action)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pg_ctl {action:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_stopped_during_a_refresh_of_every_store_answers_503_and_the_refresh_completes() {
    let server = std::env::var("TSS_TEST_OUTAGE_POSTGRES")
        .expect("TSS_TEST_OUTAGE_POSTGRES names a server: run `cargo xtask test`");
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh_postgres_on(&server, dir.path(), "outage").await;
    let fleet = Fleet::start_on(database, dir, &["a"], Duration::ZERO).await;
    let (replica, sim) = (&fleet.replicas[0], &fleet.sim);
    let cookie = admin_cookie(replica).await;
    for n in 0..STORES {
        let store_id = add_store(replica, &cookie, &format!("S-{n:02}")).await;
        generate(replica, &cookie, store_id).await;
    }
    // fiskaly answers the refresh's reads slowly, so that they land in the outage.
    sim.control().inject(FaultRule {
        method: Some("GET".into()),
        path: "/api/v2/tss/*".into(),
        state: None,
        count: STORES as u32,
        every: None,
        fault: Fault {
            effect: Effect::Delay { ms: 2_000 },
            when: When::Before,
        },
    });

    let refresh = async {
        let (status, started) = replica.call(Method::POST, "/refresh", &cookie, None).await;
        assert_eq!(status, 202, "{started}");
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let (status, run) = replica.call(Method::GET, "/refresh", &cookie, None).await;
            if status == 200 && run["status"] != "running" {
                return run;
            }
        }
    };
    let outage = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        pg_ctl(&["stop", "--mode=fast", "--wait"]);
        let stopped = Instant::now();
        let mut answers = Vec::new();
        while stopped.elapsed() < OUTAGE {
            let path = ["/stores", "/session", "/audit"][answers.len() % 3];
            let (status, body) = replica.call(Method::GET, path, &cookie, None).await;
            answers.push((path, status, body));
        }
        pg_ctl(&["start", "--wait"]);
        answers
    };
    let (run, in_outage) = tokio::join!(refresh, outage);

    assert!(
        in_outage.len() >= 2,
        "requests were answered in the outage: {in_outage:?}"
    );
    for (path, status, body) in &in_outage {
        assert_eq!(*status, 503, "GET {path} in the outage: {body}");
        assert_eq!(body["error"]["code"], "storage_unavailable", "{body}");
    }
    assert_eq!(run["status"], "succeeded", "the refresh completes: {run}");
    assert_eq!(run["read"], STORES, "{run}");
    assert_eq!(run["failed"], 0, "{run}");
    let (status, stores) = replica.call(Method::GET, "/stores", &cookie, None).await;
    assert_eq!(status, 200, "reconnected by itself: {stores}");
    let log = replica.log();
    assert!(!log.contains("panicked"), "no panic: {log}");
    assert!(
        !log.contains("request failed inside the proxy"),
        "no 500: {log}"
    );
}
