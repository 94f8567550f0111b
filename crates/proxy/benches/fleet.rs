//! The fleet at scale, printing numbers (not a test): 10,000 stores × 3 TSS × 4 POS terminals in
//! a SQLite file, the proxy serving it on loopback, and `wrk` (a separate process) loading
//!
//! - who is logged in (what every request does first: the floor),
//! - a page of 50 stores with a search term ("koln": one store in eight; "S-04211": one store),
//! - the stores that cannot sign, worst first,
//! - the fleet overview (`GET /api/fleet`),
//! - a page of the terminals that cannot sign,
//!
//! each the same request again and again (as the open Store Lists of many staff read their page
//! again after a change: from the page cache after the first); then searches that are each
//! different (never from the cache), including words too short for the trigram index. And how
//! long restating every store takes (what the first start after the upgrade does), and how long
//! a Refresh of all 30,000 TSS takes with the simulator answering each call in 50 ms, then with
//! one read in ten answered 429 (`Retry-After: 1`).
//!
//! Run: `cargo bench -p tss-proxy --bench fleet`, or `cargo xtask bench fleet` (it installs
//! `wrk` when missing).

mod refreshing;
mod serving;
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fiskaly_sim::{Effect, FaultRule, SimConfig, Simulator};
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Executor, SqlitePool};
use tss_model::Backend;
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::storage::{Location, Storage};
use tss_proxy::AppState;

const STORES: usize = 10_000;
const TSS_PER_STORE: usize = 3;
const TERMINALS_PER_STORE: usize = 4;
const CITIES: [&str; 8] = [
    "Köln",
    "München",
    "Düsseldorf",
    "Nürnberg",
    "Berlin",
    "Hamburg",
    "Frankfurt am Main",
    "Lübeck",
];

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.sqlite");
    let location = Location::Sqlite(path.clone());
    let key = dir.path().join("fleet.key");
    // The schema, then the fleet written straight into the file (the app's own writes would
    // need 30,000 TSS set up at a simulator).
    drop(Storage::open(&location, &key).await.unwrap());
    let started = Instant::now();
    seed(&path).await;
    println!(
        "seeded {STORES} stores × {TSS_PER_STORE} TSS × {TERMINALS_PER_STORE} POS terminals in {:.1?}",
        started.elapsed()
    );
    let started = Instant::now();
    let storage = Storage::open(&location, &key).await.unwrap();
    println!(
        "restating every store's readiness at the first start: {:.1?}",
        started.elapsed()
    );
    let started = Instant::now();
    let sim = simulator_knowing_the_fleet(&path, dir.path()).await;
    println!(
        "the simulator learnt the {} TSS in {:.1?}",
        STORES * TSS_PER_STORE,
        started.elapsed()
    );
    let state = AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(&sim),
        Backend::Simulator,
        RetryPolicy::default(),
        PathBuf::from("dist"),
    );
    let cookie = serving::session_cookie(&state).await;
    let base = serving::serve(state).await;
    let same = [
        ("who is logged in (every request's floor)", "/session"),
        (
            "a page of 50 stores, search \"koln\"",
            "/stores?q=koln&limit=50",
        ),
        ("one store by its number", "/stores?q=S-04211"),
        (
            "stores that cannot sign, worst first",
            "/stores?readiness=cannot_sign&sort=readiness",
        ),
        ("the fleet overview", "/fleet"),
        (
            "a page of terminals that cannot sign",
            "/terminals?client=cannot_sign",
        ),
    ];
    println!("-- the same request again and again (after the first, read from the page cache):");
    for (what, path) in same {
        load_from_wrk(what, &format!("{base}{path}"), &cookie, None).await;
    }
    // Each request a search of its own: the request ends with a number that grows by one.
    let script = dir.path().join("each_its_own.lua");
    std::fs::write(&script, EACH_ITS_OWN).unwrap();
    let different = [
        ("one store by its number", "/stores?limit=50&q=S-0"),
        ("\"koln\" and a number", "/stores?limit=50&q=koln%20"),
        (
            "\"k\" and a number (too short for the index)",
            "/stores?limit=50&q=k%20",
        ),
        (
            "terminals: \"kasse\" and a number",
            "/terminals?limit=50&q=kasse%20",
        ),
    ];
    println!("-- a different search each time (never read from the cache):");
    for (what, path) in different {
        load_from_wrk(what, &format!("{base}{path}"), &cookie, Some(&script)).await;
    }
    println!("-- Refresh of every TSS, fiskaly answering each call in {REFRESH_LATENCY:?}:");
    sim.control().latency = REFRESH_LATENCY;
    refresh_every_tss("every call answered", &base, &cookie).await;
    let refused = Effect::too_many_requests(1);
    let rule = FaultRule::every_nth("GET", "/api/v2/tss/*", 10, refused);
    sim.control().inject(rule);
    refresh_every_tss(
        "one read in ten answered 429, Retry-After: 1",
        &base,
        &cookie,
    )
    .await;
}

/// How long the simulator takes for each call in the refresh runs.
const REFRESH_LATENCY: Duration = Duration::from_millis(50);

/// A simulator that has every TSS of the SQLite file at `path`, in the state the file says:
/// one TSS created through its API serves as the pattern of the others, written into its
/// snapshot file (in `dir`) before it starts again.
async fn simulator_knowing_the_fleet(path: &std::path::Path, dir: &std::path::Path) -> Simulator {
    let snapshot = dir.join("simulator.json");
    let config = || SimConfig {
        live_tss_limit: 1_000_000,
        tss_creations_per_day: 1_000_000,
        snapshot: Some(snapshot.clone()),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config()).await.unwrap();
    let http = reqwest::Client::new();
    let auth: serde_json::Value = http
        .post(format!("{}/auth", sim.base_url()))
        .json(&serde_json::json!({"api_key": config().api_key, "api_secret": config().api_secret}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pattern_id = uuid::Uuid::new_v4().to_string();
    let created = http
        .put(format!("{}/tss/{pattern_id}", sim.base_url()))
        .bearer_auth(auth["access_token"].as_str().unwrap())
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    sim.shutdown().await.unwrap();

    let pool = SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT tss_id, state FROM tss")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    let mut world: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&snapshot).unwrap()).unwrap();
    let pattern = world["tss"][&pattern_id].clone();
    let every_tss: serde_json::Map<String, serde_json::Value> = rows
        .into_iter()
        .map(|(tss_id, state)| {
            let mut tss = pattern.clone();
            tss["id"] = tss_id.clone().into();
            tss["state"] = state.into();
            (tss_id, tss)
        })
        .collect();
    world["tss"] = every_tss.into();
    std::fs::write(&snapshot, serde_json::to_vec(&world).unwrap()).unwrap();
    Simulator::start(config()).await.unwrap()
}

/// Starts a Refresh of every TSS and waits until it ended: how long it took, what it counted.
async fn refresh_every_tss(what: &str, base: &str, cookie: &str) {
    let http = support::api_client(base, Some(cookie));
    let (took, run) = refreshing::refresh_every_tss(&http, base).await;
    println!(
        "{what}: {} TSS in {took:.1?} ({} read, {} failed, {})",
        run["total"], run["read"], run["failed"], run["status"]
    );
}

/// A `wrk` script: each request's path is the URL's with the next number appended.
const EACH_ITS_OWN: &str = "
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. string.format('%04d', counter % 10000))
end
";

/// Writes the fleet into the SQLite file at `path` in one transaction: one store in four has a
/// DISABLED TSS beside its two INITIALIZED ones, one in ten an UNINITIALIZED one; the terminals
/// have REGISTERED clients at the first TSS, but one in twenty has none and one in fifty is
/// DEREGISTERED.
async fn seed(path: &std::path::Path) {
    let pool: SqlitePool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut transaction = pool.begin().await.unwrap();
    for n in 0..STORES {
        let store_id: i64 = sqlx::query_scalar(
            "INSERT INTO stores (number, name, street, city, created_at)
             VALUES ($1, $2, 'Hauptstraße 1', $3, 0) RETURNING id",
        )
        .bind(format!("S-{n:05}"))
        .bind(format!("Filiale {n}"))
        .bind(CITIES[n % CITIES.len()])
        .fetch_one(&mut *transaction)
        .await
        .unwrap();
        let mut tss_ids = Vec::new();
        for t in 0..TSS_PER_STORE {
            let state = match (t, n % 4, n % 10) {
                (2, 0, _) => "DISABLED",
                (2, _, 0) => "UNINITIALIZED",
                _ => "INITIALIZED",
            };
            let tss_id = uuid::Uuid::new_v4().to_string();
            sqlx::query(
                "INSERT INTO tss (tss_id, store_id, state, created_at, last_synced_at,
                                  error_text)
                 VALUES ($1, $2, $3, 0, 0, $4)",
            )
            .bind(&tss_id)
            .bind(store_id)
            .bind(state)
            .bind((n % 97 == 0 && t == 0).then_some("E_TSS_NOT_REACHABLE: fiskaly busy"))
            .execute(&mut *transaction)
            .await
            .unwrap();
            tss_ids.push(tss_id);
        }
        for k in 0..TERMINALS_PER_STORE {
            let terminal_id: i64 = sqlx::query_scalar(
                "INSERT INTO terminals (store_id, number, name, serial_number, created_at)
                 VALUES ($1, $2, $3, $4, 0) RETURNING id",
            )
            .bind(store_id)
            .bind(format!("K-{k}"))
            .bind(format!("Kasse {k}"))
            .bind(format!("S-{n:05}-POS-{k}"))
            .fetch_one(&mut *transaction)
            .await
            .unwrap();
            let client = match (n * TERMINALS_PER_STORE + k) % 100 {
                0..=4 => None,
                5 | 6 => Some("DEREGISTERED"),
                _ => Some("REGISTERED"),
            };
            if let Some(state) = client {
                sqlx::query(
                    "INSERT INTO clients (client_id, terminal_id, tss_id, state, created_at,
                                          updated_at)
                     VALUES ($1, $2, $3, $4, 0, 0)",
                )
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(terminal_id)
                .bind(&tss_ids[0])
                .bind(state)
                .execute(&mut *transaction)
                .await
                .unwrap();
            }
        }
    }
    transaction.commit().await.unwrap();
    pool.execute("PRAGMA optimize").await.unwrap();
    pool.close().await;
}

/// `GET url` from `wrk` (1 thread, 8 connections, 10 s, after a 2 s warm-up), each request's URL
/// made by `script` if given: requests per second and the latency percentiles.
async fn load_from_wrk(what: &str, url: &str, cookie: &str, script: Option<&std::path::Path>) {
    let header = format!("Cookie: {cookie}");
    let script: Vec<String> = script
        .map(|s| vec!["-s".to_owned(), s.display().to_string()])
        .unwrap_or_default();
    let run = |seconds: &str| {
        tokio::process::Command::new("wrk")
            .args(["-t1", "-c8", "-d", seconds, "--latency", "-H", &header])
            .args(&script)
            .arg(url)
            .output()
    };
    let Ok(_warm_up) = run("2s").await else {
        println!("{what}: skipped (no wrk: `cargo xtask bench fleet` installs it)");
        return;
    };
    let output = run("10s").await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
            .unwrap_or_else(|| "?".into())
    };
    let errors = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .unwrap_or("no errors");
    println!(
        "{what}: {} req/s; p50 {}, p99 {} ({errors})",
        field("Requests/sec"),
        field("50%"),
        field("99%"),
    );
}
