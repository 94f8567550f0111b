//! Several proxy replicas on one PostgreSQL database, as processes: an operation survives the
//! death of the replica that ran it, "never twice at once" holds across replicas, logins and
//! their throttling are shared, a change made through one replica reaches the live streams of
//! every replica, the demo simulator serves one replica only, and a replica with
//! the wrong key file refuses to start; a Postgres outage answers 503 and loses nothing
//! ([`outage`]). Needs the Postgres servers `cargo xtask test` starts.

#[allow(dead_code)] // shared with the API suite; these tests need only its Postgres databases
#[path = "../api/support/database.rs"]
mod database;
#[allow(dead_code)] // shared with the API suite
#[path = "../api/support/events.rs"]
mod events;
mod fleet;
mod outage;

use std::collections::HashSet;
use std::time::Duration;

use database::TestDatabase;
use events::EventStream;
use fleet::{Fleet, Launch, Replica, ADMIN_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use tss_model::LiveEvent;
use tss_proxy::storage::Storage;
use uuid::Uuid;

/// Logs in as `admin` on `replica`; answers the session cookie.
async fn admin_cookie(replica: &Replica) -> String {
    let (status, cookie) = replica.log_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, 200, "{}", replica.log());
    cookie.unwrap()
}

/// Adds a store through `replica`; answers its ID.
async fn add_store(replica: &Replica, cookie: &str, number: &str) -> i64 {
    let body =
        json!({"number": number, "name": "Filiale", "street": "Hauptstraße 1", "city": "Köln"});
    let (status, store) = replica
        .call(Method::POST, "/stores", cookie, Some(body))
        .await;
    assert_eq!(status, 201, "{store}");
    store["id"].as_i64().unwrap()
}

/// Waits until the store's TSS `tss_id` has no running operation, as seen through `replica`.
async fn settled(replica: &Replica, cookie: &str, store_id: i64, tss_id: &str) -> Value {
    for _ in 0..1200 {
        let (status, entries) = replica
            .call(
                Method::GET,
                &format!("/stores/{store_id}/tss"),
                cookie,
                None,
            )
            .await;
        assert_eq!(status, 200, "{entries}");
        let entry = entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["tss_id"] == tss_id)
            .cloned()
            .expect("the TSS entry");
        if entry["operation"]["status"] != "running" {
            return entry;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the operation on {tss_id} did not end: {}", replica.log());
}

/// Generate New TSS through `replica` for `store_id`, waited for until its setup ended; answers
/// the TSS ID and its entry.
async fn generate(replica: &Replica, cookie: &str, store_id: i64) -> (String, Value) {
    let tss_id = start_generate(replica, cookie, store_id).await;
    let entry = settled(replica, cookie, store_id, &tss_id).await;
    assert_eq!(entry["state"], "INITIALIZED", "{entry}");
    (tss_id, entry)
}

/// Starts Generate New TSS through `replica` (202); answers the TSS ID.
async fn start_generate(replica: &Replica, cookie: &str, store_id: i64) -> String {
    let path = format!("/stores/{store_id}/tss");
    let (status, started) = replica
        .call(Method::POST, &path, cookie, Some(json!({})))
        .await;
    assert_eq!(status, 202, "{started}");
    started["tss_id"].as_str().unwrap().to_owned()
}

fn tss_created_at_fiskaly(sim: &fiskaly_sim::Simulator) -> usize {
    sim.control()
        .calls()
        .iter()
        .filter(|c| c.method == "PUT" && c.path.starts_with("/api/v2/tss/"))
        .map(|c| c.path.clone())
        .collect::<HashSet<_>>()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generate_is_finished_by_another_replica_when_its_own_dies_during_deploy() {
    let mut fleet = Fleet::start(&["a", "b", "c"], Duration::from_secs(3)).await;
    let cookie = admin_cookie(&fleet.replicas[0]).await;
    let store_id = add_store(&fleet.replicas[0], &cookie, "S-1").await;

    let tss_id = start_generate(&fleet.replicas[0], &cookie, store_id).await;
    let sim = &fleet.sim;
    let deploying = || {
        sim.control()
            .calls()
            .iter()
            .any(|c| c.method == "PATCH" && c.state.as_deref() == Some("UNINITIALIZED"))
    };
    for _ in 0..400 {
        if deploying() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        deploying(),
        "the deploy was called: {}",
        fleet.replicas[0].log()
    );
    fleet.replicas[0].kill();
    let killed_at = std::time::Instant::now();

    let replicas = &fleet.replicas;
    let entry = settled(&replicas[1], &cookie, store_id, &tss_id).await;
    assert_eq!(entry["state"], "INITIALIZED", "{entry}");
    assert!(
        killed_at.elapsed() < Duration::from_secs(30),
        "taken over within 30 s ({:?})",
        killed_at.elapsed()
    );
    let took_over = replicas[1..]
        .iter()
        .filter(|r| r.log().contains("resuming an interrupted operation"))
        .count();
    assert_eq!(took_over, 1, "exactly one of b and c took it over");
    assert_eq!(
        tss_created_at_fiskaly(&fleet.sim),
        1,
        "fiskaly has one TSS for it"
    );
    let database = &fleet.database;
    let storage = Storage::open(&database.location, &database.key_file)
        .await
        .unwrap();
    let stored = storage.tss_record(&tss_id).await.unwrap().unwrap();
    let fiskaly_puk = fleet.sim.admin_puk(Uuid::parse_str(&tss_id).unwrap());
    assert!(fiskaly_puk.is_some());
    assert_eq!(stored.admin_puk, fiskaly_puk, "the stored PUK is fiskaly's");
    let (_, audit) = replicas[2]
        .call(Method::GET, "/audit?action=generate_tss", &cookie, None)
        .await;
    let row = &audit.as_array().unwrap()[0];
    assert_eq!(row["actor"], "admin", "{row}");
    assert_eq!(row["result"], "succeeded", "{row}");
    assert_eq!(row["tss_id"], tss_id.as_str(), "{row}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_disables_spread_over_three_replicas_disable_the_tss_once() {
    let fleet = Fleet::start(&["a", "b", "c"], Duration::ZERO).await;
    let replicas = &fleet.replicas;
    let cookie = admin_cookie(&replicas[0]).await;
    let store_id = add_store(&replicas[0], &cookie, "S-1").await;
    let (tss_id, _) = generate(&replicas[0], &cookie, store_id).await;

    let path = format!("/tss/{tss_id}/disable");
    let requests = (0..50).map(|n| {
        replicas[n % 3].call(Method::POST, &path, &cookie, Some(json!({"confirm": true})))
    });
    let answers = futures_util::future::join_all(requests).await;

    let disabled_at_fiskaly = fleet
        .sim
        .control()
        .calls()
        .iter()
        .filter(|c| c.method == "PATCH" && c.state.as_deref() == Some("DISABLED"))
        .count();
    assert_eq!(disabled_at_fiskaly, 1, "exactly one PATCH DISABLED");
    let succeeded = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(succeeded, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 409, "{body}");
        let code = body["error"]["code"].as_str().unwrap();
        assert!(["already_running", "conflict"].contains(&code), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_through_one_replica_reaches_the_live_streams_of_every_replica() {
    let fleet = Fleet::start(&["a", "b"], Duration::ZERO).await;
    let replicas = &fleet.replicas;
    let cookie = admin_cookie(&replicas[0]).await;
    let mut on_a = EventStream::open(&replicas[0].url, Some(&cookie), None)
        .await
        .unwrap();
    let mut on_b = EventStream::open(&replicas[1].url, Some(&cookie), None)
        .await
        .unwrap();

    let store_id = add_store(&replicas[0], &cookie, "S-1").await;
    let wanted = |event: &LiveEvent| *event == LiveEvent::Store { store_id };
    let (id_on_b, _) = on_b.next_matching(wanted).await;
    let (id_on_a, _) = on_a.next_matching(wanted).await;
    assert!(id_on_b.is_some());
    assert_eq!(
        id_on_a, id_on_b,
        "one number for one change, on every replica"
    );

    let later = add_store(&replicas[1], &cookie, "S-2").await;
    let (id, _) = on_a
        .next_matching(|event| *event == LiveEvent::Store { store_id: later })
        .await;
    assert!(id > id_on_a, "numbers grow across replicas");

    // A stream that reconnects to the other replica gets exactly what it missed.
    drop(on_b);
    let missed = add_store(&replicas[0], &cookie, "S-3").await;
    let mut again = EventStream::open(&replicas[1].url, Some(&cookie), id)
        .await
        .unwrap();
    let (_, event) = again.next().await.unwrap();
    assert_eq!(event, LiveEvent::Store { store_id: missed });

    // A password reset through b ends the stream open on a.
    let (status, _) = replicas[1]
        .call(
            Method::PUT,
            "/users/admin/password",
            &cookie,
            Some(json!({"password": "another-password-456"})),
        )
        .await;
    assert_eq!(status, 204);
    assert!(on_a.ends().await, "the session ended on every replica");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_holds_on_every_replica_and_failures_count_on_all_of_them() {
    let fleet = Fleet::start(&["a", "b", "c"], Duration::ZERO).await;
    let replicas = &fleet.replicas;
    let cookie = admin_cookie(&replicas[0]).await;
    let (status, session) = replicas[1]
        .call(Method::GET, "/session", &cookie, None)
        .await;
    assert_eq!(status, 200, "a login on a is valid on b: {session}");
    assert_eq!(session["username"], "admin");

    for n in 0..5 {
        let (status, _) = replicas[n % 2].log_in("admin", "wrong-password-123").await;
        assert_eq!(status, 401);
    }
    let (status, _) = replicas[2].log_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        status, 429,
        "five failures over a and b lock the name on c too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_built_in_demo_simulator_serves_one_replica_only() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh_postgres(dir.path(), "demo").await;
    let demo = Launch {
        database: &database,
        fiskaly_url: None,
        dir: dir.path(),
    };
    let _first = Replica::start("demo-a", &demo).await.unwrap();
    let refused = Replica::start("demo-b", &demo)
        .await
        .err()
        .expect("refused");
    assert!(
        refused.contains("the built-in demo simulator is for one replica only")
            && refused.contains("--fiskaly-url"),
        "{refused}"
    );

    let sim = fleet::simulator(Duration::ZERO).await;
    let sim_url = sim.base_url();
    let real = Launch {
        fiskaly_url: Some(&sim_url),
        ..demo
    };
    let refused = Replica::start("real-b", &real)
        .await
        .err()
        .expect("refused");
    assert!(
        refused.contains("serves this database with its built-in demo simulator"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replica_whose_key_file_cannot_open_the_secrets_refuses_to_start() {
    let fleet = Fleet::start(&["a"], Duration::ZERO).await;
    let first = &fleet.replicas[0];
    let cookie = admin_cookie(first).await;
    let store_id = add_store(first, &cookie, "S-1").await;
    let (tss_id, _) = generate(first, &cookie, store_id).await;
    let database = &fleet.database;
    let sealed = std::fs::read(&database.key_file).unwrap();

    let other_key = fleet.dir().join("other.key");
    tss_proxy::storage::Sealer::load_or_create(&other_key, true).unwrap();
    let stranger = database.with_key_file(&other_key);
    let refused = Replica::start(
        "b",
        &Launch {
            database: &stranger,
            ..fleet.launch()
        },
    )
    .await
    .err()
    .expect("refused");
    assert!(
        refused.contains("does not open the PUKs and PINs"),
        "{refused}"
    );
    assert_eq!(
        std::fs::read(&database.key_file).unwrap(),
        sealed,
        "the key file is untouched"
    );
    let storage = Storage::open(&database.location, &database.key_file)
        .await
        .unwrap();
    let record = storage.tss_record(&tss_id).await.unwrap().unwrap();
    assert!(record.admin_puk.is_some(), "the secrets were not re-sealed");
}
