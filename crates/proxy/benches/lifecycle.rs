//! The lifecycle actions on a whole store, printing numbers (not a test): Replace TSS for a store
//! of 20 POS terminals whose TSS fiskaly declared DEFECTIVE, and Generate Client IDs for all 20
//! terminals of a store, each at 50 ms per fiskaly call; wall time against the floor of the
//! fiskaly calls it made, one after the other.
//!
//! Run: `cargo bench -p tss-proxy --bench lifecycle` (or `cargo xtask bench lifecycle`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fiskaly_sim::{SimConfig, Simulator};
use tss_model::{
    Backend, GenerateClientRequest, GenerateTssRequest, ReplaceTssRequest, StoreInput,
    TerminalInput, TssState,
};
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::storage::{Location, Storage};
use tss_proxy::AppState;

const TERMINALS: usize = 20;
const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 5;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::start(SimConfig {
        live_tss_limit: 1_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let database = Location::Sqlite(dir.path().join("lifecycle.sqlite"));
    let storage = Storage::open(&database, &dir.path().join("lifecycle.key"))
        .await
        .unwrap();
    let state = AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(&sim),
        Backend::Simulator,
        RetryPolicy::default(),
        PathBuf::from("dist"),
    );
    let (mut replace, mut all_tills) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        replace.push(replace_wall_time(&state, &sim, run).await);
        all_tills.push(all_tills_wall_time(&state, &sim, run).await);
    }
    report("Replace TSS (DEFECTIVE, 20 POS terminals moved)", replace);
    report("Generate Client IDs for all 20 POS terminals", all_tills);
}

/// Prints the median wall time of `runs` (wall time, fiskaly calls) against its floor.
fn report(what: &str, mut runs: Vec<(Duration, usize)>) {
    runs.sort();
    let (median, calls) = runs[runs.len() / 2];
    let floor = LATENCY * calls as u32;
    println!(
        "{what} at {LATENCY:?} per call: median {median:.2?} over {RUNS} runs; {calls} fiskaly calls, floor {floor:.2?} ({:.0} % above it)",
        (median.as_secs_f64() / floor.as_secs_f64() - 1.0) * 100.0
    );
}

/// A store with a TSS and 20 registered terminals, set up without latency.
async fn store_with_terminals(state: &AppState, name: &str, register: bool) -> (i64, String) {
    let store = state
        .storage
        .insert_store(&StoreInput {
            number: name.into(),
            name: name.into(),
            street: "Weg 1".into(),
            city: "Kiel".into(),
        })
        .await
        .unwrap();
    let tss = state
        .operations
        .generate_tss(store.id, &GenerateTssRequest::default(), "bench")
        .await
        .unwrap()
        .to_the_end()
        .await
        .unwrap();
    assert_eq!(tss.state, TssState::Initialized);
    for k in 0..TERMINALS {
        let terminal = state
            .storage
            .insert_terminal(&TerminalInput {
                number: format!("K-{k:02}"),
                name: format!("Kasse {k}"),
                store_id: store.id,
                serial_number: format!("{name}-POS-{k:02}"),
                service: None,
            })
            .await
            .unwrap();
        if register {
            state
                .operations
                .generate_client(terminal.id, &GenerateClientRequest::default(), "bench")
                .await
                .unwrap();
        }
    }
    (store.id, tss.tss_id)
}

async fn replace_wall_time(state: &AppState, sim: &Simulator, run: usize) -> (Duration, usize) {
    let (store_id, old) = store_with_terminals(state, &format!("R-{run}"), true).await;
    let old_id = uuid::Uuid::parse_str(&old).unwrap();
    sim.force_state(old_id, fiskaly_sim::TssState::Defective)
        .unwrap();
    state.operations.refresh_store(store_id).await.unwrap();
    sim.control().reset_calls();
    sim.control().latency = LATENCY;
    let started = Instant::now();
    let new = state
        .operations
        .replace_tss(&old, &ReplaceTssRequest::default(), "bench")
        .await
        .unwrap()
        .to_the_end()
        .await
        .unwrap();
    let took = started.elapsed();
    sim.control().latency = Duration::ZERO;
    assert_eq!(new.state, TssState::Initialized, "{:?}", new.error_text);
    assert_eq!(new.registered_clients, TERMINALS);
    (took, sim.control().calls().len())
}

async fn all_tills_wall_time(state: &AppState, sim: &Simulator, run: usize) -> (Duration, usize) {
    let (store_id, _) = store_with_terminals(state, &format!("A-{run}"), false).await;
    sim.control().reset_calls();
    sim.control().latency = LATENCY;
    let started = Instant::now();
    let report = state
        .operations
        .generate_clients(store_id, "bench")
        .await
        .unwrap();
    let took = started.elapsed();
    sim.control().latency = Duration::ZERO;
    assert_eq!(report.counts.done as usize, TERMINALS, "{report:?}");
    (took, sim.control().calls().len())
}
