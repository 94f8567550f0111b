//! Benchmarks of the proxy against the simulator on loopback, printing numbers (not a test):
//!
//! - `GET /api/stores` with 1,000 stores: requests per second and latency percentiles, on
//!   SQLite (one proxy) and, given a Postgres server, on two replicas sharing one database with
//!   the same data;
//! - Generate New TSS wall time against its floor of six sequential fiskaly calls × latency;
//! - Refresh of 1,000 stores × 2 TSS with 50 ms per fiskaly call.
//!
//! Run: `cargo bench -p tss-proxy --bench proxy`, or `cargo xtask bench proxy` to include the
//! replicas on Postgres (it starts a throwaway server and names it in `TSS_BENCH_POSTGRES`).

mod refreshing;
mod serving;
mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fiskaly_sim::{SimConfig, Simulator};
use tss_model::{
    Backend, GenerateTssRequest, StoreInput, StoreQuery, TerminalInput, TssState, MAX_PAGE_SIZE,
};
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::storage::{Location, Storage};
use tss_proxy::AppState;

const STORES: usize = 1_000;
const LOAD_SECONDS: u64 = 10;
const LOAD_WORKERS: usize = 16;
const LATENCY: Duration = Duration::from_millis(50);

#[tokio::main]
async fn main() {
    let sim = Simulator::start(SimConfig {
        live_tss_limit: 10_000,
        tss_creations_per_day: 10_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Location::Sqlite(dir.path().join("bench.sqlite"));
    let state = proxy_state(&sqlite, &dir.path().join("bench.key"), "one", &sim).await;
    let base = serving::serve(state.clone()).await;

    let started = Instant::now();
    seed(&state).await;
    println!(
        "seeded {STORES} stores × 2 terminals × 2 TSS on SQLite in {:.1?}",
        started.elapsed()
    );

    let cookie = serving::session_cookie(&state).await;
    let http = support::api_client(&base, Some(&cookie));
    list_read_time("SQLite", &state).await;
    list_throughput("1 proxy on SQLite", &cookie, &[&base]).await;
    list_throughput_from_wrk(&base, &cookie).await;
    match std::env::var("TSS_BENCH_POSTGRES") {
        Ok(server) => list_throughput_of_replicas(&server, dir.path(), &sim).await,
        Err(_) => println!(
            "GET /api/stores on 2 replicas on Postgres: skipped (run `cargo xtask bench proxy`)"
        ),
    }
    generate_wall_time(&state, &sim).await;
    refresh_wall_time(&http, &base, &sim).await;
}

/// The same Store List from two replicas sharing one new Postgres database on `server`, with the
/// same data, the load spread over both.
async fn list_throughput_of_replicas(server: &str, dir: &std::path::Path, sim: &Simulator) {
    let url = format!("{server}/bench_{}", uuid::Uuid::new_v4().simple());
    let database = Location::Postgres(url);
    let key = dir.join("replicas.key");
    let first = proxy_state(&database, &key, "a", sim).await;
    let started = Instant::now();
    seed(&first).await;
    println!("seeded the same on Postgres in {:.1?}", started.elapsed());
    let second = proxy_state(&database, &key, "b", sim).await;
    let cookie = serving::session_cookie(&first).await;
    list_read_time("Postgres", &first).await;
    let bases = [serving::serve(first).await, serving::serve(second).await];
    list_throughput("2 replicas on Postgres", &cookie, &[&bases[0], &bases[1]]).await;
}

/// Replica `name` on `database` sealed with the key file `key`, talking to `sim`.
async fn proxy_state(
    database: &Location,
    key: &std::path::Path,
    name: &str,
    sim: &Simulator,
) -> AppState {
    let storage = Storage::open(database, key).await.unwrap().serving_as(name);
    AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(sim),
        Backend::Simulator,
        RetryPolicy::default(),
        PathBuf::from("dist"),
    )
}

/// 1,000 stores with two terminals and two TSS each, the TSS set up by the app's own Generate
/// New TSS at the simulator (so that a refresh reads real answers), 32 stores at a time.
async fn seed(state: &AppState) {
    let mut stores = tokio::task::JoinSet::new();
    for n in 0..STORES {
        if stores.len() == 32 {
            stores.join_next().await.unwrap().unwrap();
        }
        stores.spawn(seed_store(state.clone(), n));
    }
    while let Some(done) = stores.join_next().await {
        done.unwrap();
    }
}

async fn seed_store(state: AppState, n: usize) {
    let store = state
        .storage
        .insert_store(&StoreInput {
            number: format!("S-{n:04}"),
            name: format!("Filiale {n}"),
            street: "Hauptstraße 1".into(),
            city: ["Berlin", "Hamburg", "München", "Köln"][n % 4].into(),
        })
        .await
        .unwrap();
    for k in 0..2 {
        state
            .storage
            .insert_terminal(&TerminalInput {
                number: format!("K-{k}"),
                name: format!("Kasse {k}"),
                store_id: store.id,
                serial_number: format!("S-{n:04}-POS-{k}"),
                service: None,
            })
            .await
            .unwrap();
        set_up_another_tss(&state, store.id).await;
    }
}

/// Generate New TSS for a store that may have an active one, waiting until it is INITIALIZED.
async fn set_up_another_tss(state: &AppState, store_id: i64) {
    let another = GenerateTssRequest { additional: true };
    let entry = state
        .operations
        .generate_tss(store_id, &another, "bench")
        .await
        .unwrap()
        .to_the_end()
        .await
        .unwrap();
    assert_eq!(entry.state, TssState::Initialized, "{:?}", entry.error_text);
}

/// How long the storage takes to read the Store List, one read after the other (no HTTP).
async fn list_read_time(database: &str, state: &AppState) {
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        state
            .storage
            .store_page(&StoreQuery::default(), MAX_PAGE_SIZE, None)
            .await
            .unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "the Store List read from {database} ({STORES} stores), storage alone: median {:.1?}",
        times[times.len() / 2]
    );
}

/// `GET /api/stores` from [`LOAD_WORKERS`] connections for [`LOAD_SECONDS`], the connections
/// spread over `bases` (one proxy, or several replicas).
async fn list_throughput(what: &str, cookie: &str, bases: &[&str]) {
    let http = support::api_client(bases[0], Some(cookie));
    let body = http
        .get(format!("{}/stores", bases[0]))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(LOAD_SECONDS);
    let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    // One client per proxy, shared by its connections (as one browser process would).
    let clients: Vec<_> = bases
        .iter()
        .map(|base| {
            (
                support::api_client(base, Some(cookie)),
                format!("{base}/stores"),
            )
        })
        .collect();
    for worker in 0..LOAD_WORKERS {
        let (http, url) = clients[worker % clients.len()].clone();
        let latencies = latencies.clone();
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let started = Instant::now();
                let response = http.get(&url).send().await.unwrap();
                assert!(response.status().is_success());
                response.bytes().await.unwrap();
                latencies.lock().unwrap().push(started.elapsed());
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    let percentile =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "GET /api/stores, {what} ({STORES} stores, {} KB): {:.0} req/s with {LOAD_WORKERS} connections; p50 {:.1?}, p99 {:.1?}",
        body.len() / 1024,
        latencies.len() as f64 / LOAD_SECONDS as f64,
        percentile(0.50),
        percentile(0.99),
    );
}

/// The same from a separate load process, `wrk` (Debian package `wrk`), if it is installed.
async fn list_throughput_from_wrk(base: &str, cookie: &str) {
    let url = format!("{base}/stores");
    let header = format!("Cookie: {cookie}");
    let output = tokio::process::Command::new("wrk")
        .args(["-t2", "-c16", "-d10s", "--latency", "-H", &header, &url])
        .output()
        .await;
    let Ok(output) = output else {
        println!("GET /api/stores from wrk: skipped (apt-get install wrk)");
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    println!(
        "GET /api/stores from wrk (2 threads, 16 connections, 10 s): {}; latency {}; {}",
        line("Requests/sec"),
        line("50%"),
        line("99%")
    );
}

async fn generate_wall_time(state: &AppState, sim: &Simulator) {
    sim.control().latency = LATENCY;
    let store = state
        .storage
        .insert_store(&StoreInput {
            number: "G-1".into(),
            name: "Generate".into(),
            street: "Weg 1".into(),
            city: "Kiel".into(),
        })
        .await
        .unwrap();
    // The same store gets five TSS, each after the last is INITIALIZED: additional ones.
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        set_up_another_tss(state, store.id).await;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "Generate New TSS at {LATENCY:?} per call: median {:.0?} (floor: 6 calls × {LATENCY:?} = {:.0?})",
        times[times.len() / 2],
        LATENCY * 6
    );
    sim.control().latency = Duration::ZERO;
}

async fn refresh_wall_time(http: &reqwest::Client, base: &str, sim: &Simulator) {
    sim.control().latency = LATENCY;
    let (took, run) = refreshing::refresh_every_tss(http, base).await;
    println!(
        "Refresh of every TSS ({STORES} stores × 2 TSS) at {LATENCY:?} per call: {took:.1?} ({} read, {} failed)",
        run["read"],
        run["failed"]
    );
    sim.control().latency = Duration::ZERO;
}
