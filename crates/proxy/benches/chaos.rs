//! Chaos run (evidence, not a test): 50 Generate New TSS while fiskaly misbehaves at random (5xx,
//! 429 with Retry-After, answers slower than the proxy's timeout, dropped connections before and
//! after the work) and the proxy is killed at random moments and restarted on the same database.
//! Then it counts what matters: TSS ending INITIALIZED, TSS left with an Error Text and Initial TSS
//! available, stored PUKs equal to fiskaly's, duplicates and lost PUKs (both must be 0).
//!
//! Given a Postgres server (`cargo xtask bench chaos` starts one), the same at fleet scale: three
//! replicas on one database, 100 Generate New TSS spread over them, and 20 times a replica killed
//! at a random moment and a new one started in its place (its operations are taken over by the
//! others once their lease runs out).
//!
//! Run: `cargo bench -p tss-proxy --bench chaos` (seeded, so a run can be repeated).

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use fiskaly_sim::{Effect, Fault, FaultRule, SimConfig, Simulator, When};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::runtime::Runtime;
use tss_model::{Backend, GenerateTssRequest, StoreInput, TssState};
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::replica::{self, Membership};
use tss_proxy::storage::{Location, Storage, TakeOver};
use tss_proxy::AppState;

const GENERATES: usize = 50;
/// Replicas sharing the Postgres database.
const REPLICAS: usize = 3;
/// Generate New TSS spread over them.
const FLEET_GENERATES: usize = 100;
/// Replicas killed (each replaced by a new one).
const FLEET_KILLS: usize = 20;
const SEED: u64 = 20261125;

fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        first_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        longest_retry_after: Duration::from_secs(2),
        timeout: Duration::from_millis(800),
        deploy_timeout: Duration::from_millis(1500),
    }
}

async fn proxy(database: &Path, sim: &Simulator) -> AppState {
    talking_to(Storage::open_sqlite(database).await.unwrap(), sim)
}

/// A proxy on `storage` talking to `sim` with the bench's retries.
fn talking_to(storage: Storage, sim: &Simulator) -> AppState {
    AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(sim),
        Backend::Simulator,
        policy(),
        "dist".into(),
    )
}

/// Injects up to two random fault rules, adds store `number` and starts its Generate New TSS on
/// `runtime`; answers how many rules it injected.
fn generate_under_faults(
    runtime: &Runtime,
    state: &AppState,
    sim: &Simulator,
    rng: &mut StdRng,
    number: String,
) -> usize {
    let faults = rng.random_range(0..=2);
    for _ in 0..faults {
        sim.control().inject(random_fault(rng));
    }
    let store_id = runtime.block_on(async {
        state
            .storage
            .insert_store(&StoreInput {
                name: format!("Chaos {number}"),
                number,
                street: "Weg 1".into(),
                city: "Kiel".into(),
            })
            .await
            .unwrap()
            .id
    });
    let operations = state.operations.clone();
    runtime.spawn(async move {
        let request = GenerateTssRequest::default();
        operations.generate_tss(store_id, &request, "chaos").await
    });
    faults
}

fn random_fault(rng: &mut StdRng) -> FaultRule {
    let paths = [
        ("PUT", "/api/v2/tss/*", None),
        ("PATCH", "/api/v2/tss/*", Some("UNINITIALIZED")),
        ("PATCH", "/api/v2/tss/*/admin", None),
        ("POST", "/api/v2/tss/*/admin/auth", None),
        ("PATCH", "/api/v2/tss/*", Some("INITIALIZED")),
        ("POST", "/api/v2/tss/*/admin/logout", None),
    ];
    let (method, path, state) = paths[rng.random_range(0..paths.len())];
    let when = if rng.random_bool(0.5) {
        When::Before
    } else {
        When::After
    };
    let effect = match rng.random_range(0..5) {
        0 => Effect::Status {
            status: 500,
            code: None,
            retry_after: None,
        },
        1 => Effect::Status {
            status: 503,
            code: Some("E_TSS_LOCKED".into()),
            retry_after: None,
        },
        2 => Effect::Status {
            status: 429,
            code: None,
            retry_after: Some(1),
        },
        3 => Effect::Delay { ms: 2_000 },
        _ => Effect::Drop,
    };
    FaultRule {
        method: Some(method.into()),
        path: path.into(),
        state: state.map(str::to_owned),
        count: rng.random_range(1..=3),
        every: None,
        fault: Fault { effect, when },
    }
}

fn main() {
    single_proxy_on_sqlite();
    match std::env::var("TSS_BENCH_POSTGRES") {
        Ok(server) => replicas_on_postgres(&server),
        Err(_) => println!("Replicas on Postgres: skipped (run `cargo xtask bench chaos`)"),
    }
}

/// The simulator the proxies talk to, on its own runtime (which outlives every killed proxy).
fn start_simulator(runtime: &Runtime) -> Simulator {
    runtime
        .block_on(Simulator::start(SimConfig {
            live_tss_limit: 1000,
            control: true,
            ..SimConfig::default()
        }))
        .unwrap()
}

fn single_proxy_on_sqlite() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let sim_runtime = Runtime::new().unwrap();
    let sim = start_simulator(&sim_runtime);
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("chaos.sqlite");
    let mut runtime = Runtime::new().unwrap();
    let mut state = runtime.block_on(proxy(&database, &sim));
    let mut restarts = 0;
    let mut faults = 0;
    for n in 0..GENERATES {
        faults += generate_under_faults(&runtime, &state, &sim, &mut rng, format!("C-{n:02}"));
        if rng.random_bool(0.3) {
            std::thread::sleep(Duration::from_millis(rng.random_range(0..1_500)));
            runtime.shutdown_background();
            restarts += 1;
            runtime = Runtime::new().unwrap();
            state = runtime.block_on(proxy(&database, &sim));
            runtime
                .block_on(state.operations.resume(TakeOver::Everything))
                .unwrap();
        } else {
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    sim.control().clear_faults();
    // Let everything running or resumed finish.
    runtime.block_on(settle(&state));
    println!("Chaos run: {GENERATES} × Generate New TSS, {faults} injected fault rules, {restarts} proxy kills (seed {SEED})");
    runtime.block_on(report(&state, &sim));
}

/// Waits until no operation runs any more (a dead replica's lease runs out first), at most 2 min.
async fn settle(state: &AppState) {
    for _ in 0..1200 {
        if state.storage.running_operations().await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Initial TSS for every TSS with an Error Text that allows it; answers how many.
async fn initialize_those_with_error_text(state: &AppState) -> usize {
    let mut retried = 0;
    for id in state.storage.tss_ids(None).await.unwrap() {
        let entry = state.storage.tss_entry(&id).await.unwrap().unwrap();
        if entry.error_text.is_some() && entry.state.allows_initialize() {
            state.operations.initialize_tss(&id, "staff").await.unwrap();
            retried += 1;
        }
    }
    settle(state).await;
    retried
}

/// One replica in this process, on its own runtime: killing it drops the runtime with every task
/// in it (no clean shutdown, leases left as they were).
struct Replica {
    runtime: Runtime,
    state: AppState,
    _membership: Membership,
}

impl Replica {
    /// Starts replica `name` on `database` with the key file `key`, talking to `sim`.
    fn start(name: &str, database: &Location, key: &Path, sim: &Simulator) -> Replica {
        let runtime = Runtime::new().unwrap();
        let (state, membership) = runtime.block_on(async {
            let storage = Storage::open(database, key).await.unwrap().serving_as(name);
            let state = talking_to(storage, sim);
            let membership = replica::join(&state.operations, false).await.unwrap();
            (state, membership)
        });
        Replica {
            runtime,
            state,
            _membership: membership,
        }
    }

    /// Kills it.
    fn kill(self) {
        self.runtime.shutdown_background();
    }
}

fn replicas_on_postgres(server: &str) {
    let mut rng = StdRng::seed_from_u64(SEED);
    let sim_runtime = Runtime::new().unwrap();
    let sim = start_simulator(&sim_runtime);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("chaos.key");
    let database = Location::Postgres(format!("{server}/chaos_{}", uuid::Uuid::new_v4().simple()));
    let started = Instant::now();
    let mut started_replicas = 0;
    let mut start = || {
        started_replicas += 1;
        Replica::start(
            &format!("replica-{started_replicas}"),
            &database,
            &key,
            &sim,
        )
    };
    let mut replicas: Vec<Replica> = (0..REPLICAS).map(|_| start()).collect();
    let kill_at = rand::seq::index::sample(&mut rng, FLEET_GENERATES, FLEET_KILLS).into_vec();
    let mut faults = 0;
    for n in 0..FLEET_GENERATES {
        let replica = &replicas[rng.random_range(0..REPLICAS)];
        let (runtime, state) = (&replica.runtime, &replica.state);
        faults += generate_under_faults(runtime, state, &sim, &mut rng, format!("F-{n:03}"));
        if kill_at.contains(&n) {
            std::thread::sleep(Duration::from_millis(rng.random_range(0..1_500)));
            let victim = rng.random_range(0..REPLICAS);
            let replacement = start();
            std::mem::replace(&mut replicas[victim], replacement).kill();
        } else {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    sim.control().clear_faults();
    // Let everything running or taken over finish (a dead replica's lease runs out first).
    let survivor = &replicas[0];
    survivor.runtime.block_on(settle(&survivor.state));
    println!(
        "Fleet chaos run: {REPLICAS} replicas on one Postgres, {FLEET_GENERATES} × Generate New TSS, \
         {faults} injected fault rules, {FLEET_KILLS} replicas killed and replaced, {:.0?} in all (seed {SEED})",
        started.elapsed()
    );
    survivor.runtime.block_on(report(&survivor.state, &sim));
}

/// Prints the count, then does what staff do with a TSS that shows an Error Text (Initial TSS,
/// now that fiskaly answers again) and prints the count again.
async fn report(state: &AppState, sim: &Simulator) {
    println!("{}", count(state, sim).await);
    let retried = initialize_those_with_error_text(state).await;
    if retried > 0 {
        println!(
            "After Initial TSS for the {retried} with an Error Text:\n{}",
            count(state, sim).await
        );
    }
}

async fn count(state: &AppState, sim: &Simulator) -> String {
    let ids = state.storage.tss_ids(None).await.unwrap();
    let (mut initialized, mut with_error, mut puk_equal, mut lost) = (0, 0, 0, 0);
    for id in &ids {
        let record = state.storage.tss_record(id).await.unwrap().unwrap();
        let entry = state.storage.tss_entry(id).await.unwrap().unwrap();
        let uuid = uuid::Uuid::parse_str(id).unwrap();
        let at_fiskaly = sim.tss(uuid);
        if record.state == TssState::Initialized {
            initialized += 1;
        } else if entry.error_text.is_some() && record.state.allows_initialize() {
            with_error += 1;
            println!(
                "  Error Text of {id}: {}",
                entry.error_text.unwrap_or_default()
            );
        }
        match (&record.admin_puk, sim.admin_puk(uuid)) {
            (Some(stored), Some(issued)) if *stored == issued => puk_equal += 1,
            (None, Some(_)) if at_fiskaly.as_ref().is_some_and(|t| t["state"] != "CREATED") => {
                lost += 1
            }
            _ => {}
        }
    }
    let known: HashSet<String> = ids.iter().cloned().collect();
    let created_at_fiskaly: HashSet<String> = sim
        .control()
        .calls()
        .iter()
        .filter(|c| c.method == "PUT")
        .map(|c| c.path.trim_start_matches("/api/v2/tss/").to_owned())
        .filter(|id| uuid::Uuid::parse_str(id).is_ok_and(|uuid| sim.tss(uuid).is_some()))
        .collect();
    let duplicates = created_at_fiskaly.difference(&known).count();
    format!(
        "| TSS entries | INITIALIZED | Error Text, Initial TSS available | PUK equal to fiskaly's | duplicates | lost PUKs |\n\
         |---|---|---|---|---|---|\n\
         | {} | {initialized} | {with_error} | {puk_equal} | {duplicates} | {lost} |",
        ids.len()
    )
}
