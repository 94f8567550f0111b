//! Demo mode: with no fiskaly credentials anywhere, the proxy runs the simulator in-process and,
//! on a new database, creates a dozen stores in German cities in every state staff meet.

use std::path::Path;
use std::time::Duration;

use fiskaly_sim::{Effect, Fault, FaultRule, SimConfig, Simulator, When};
use tss_model::{
    GenerateClientRequest, GenerateTssRequest, StoreInput, TerminalInput, TssEntry, TssState,
};
use uuid::Uuid;

use crate::fiskaly::Credentials;
use crate::operations::OperationError;
use crate::settings::FiskalyTarget;
use crate::AppState;

/// Who the audit log says set up the demo data.
const DEMO_ACTOR: &str = "demo";

/// How long every simulated call takes in the demo.
pub const DEMO_LATENCY: Duration = Duration::from_millis(40);
/// How much longer the deploy takes on top, as at fiskaly.
pub const DEMO_DEPLOY_LATENCY: Duration = Duration::from_millis(1500);

/// The address and credentials of a simulator started with its default credentials (the
/// built-in one, or one a test or bench starts).
pub fn simulator_target(simulator: &Simulator) -> FiskalyTarget {
    let config = SimConfig::default();
    FiskalyTarget {
        base_url: simulator.base_url(),
        credentials: Credentials {
            api_key: config.api_key,
            api_secret: config.api_secret,
        },
    }
}

/// Starts the simulator on a loopback port, keeping its state in `snapshot`. It allows more live
/// TSS than fiskaly's TEST organisations (the demo has a dozen stores).
pub async fn start_simulator(snapshot: &Path) -> std::io::Result<Simulator> {
    let simulator = Simulator::start(SimConfig {
        live_tss_limit: 1000,
        control: true,
        snapshot: Some(snapshot.to_owned()),
        latency: DEMO_LATENCY,
        deploy_latency: DEMO_DEPLOY_LATENCY,
        ..SimConfig::default()
    })
    .await?;
    Ok(simulator)
}

/// How far a demo store is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// An INITIALIZED TSS and every terminal registered.
    Ready,
    /// A TSS left UNINITIALIZED.
    Uninitialized,
    /// A DISABLED TSS, its clients DEREGISTERED.
    Disabled,
    /// A TSS fiskaly declared DEFECTIVE.
    Defective,
    /// Nothing at fiskaly yet.
    None,
}

const STORES: [(&str, &str, &str, &str, usize, Setup); 12] = [
    (
        "S-001",
        "Berlin Mitte",
        "Friedrichstraße 101",
        "Berlin",
        3,
        Setup::Ready,
    ),
    (
        "S-002",
        "Hamburg Altona",
        "Ottenser Hauptstraße 10",
        "Hamburg",
        2,
        Setup::Ready,
    ),
    (
        "S-003",
        "München Schwabing",
        "Leopoldstraße 44",
        "München",
        4,
        Setup::Ready,
    ),
    (
        "S-004",
        "Köln Ehrenfeld",
        "Venloer Straße 300",
        "Köln",
        2,
        Setup::Ready,
    ),
    (
        "S-005",
        "Frankfurt Zeil",
        "Zeil 90",
        "Frankfurt am Main",
        3,
        Setup::Ready,
    ),
    (
        "S-006",
        "Stuttgart Königstraße",
        "Königstraße 27",
        "Stuttgart",
        2,
        Setup::Ready,
    ),
    (
        "S-007",
        "Düsseldorf Schadowstraße",
        "Schadowstraße 11",
        "Düsseldorf",
        3,
        Setup::Ready,
    ),
    (
        "S-008",
        "Leipzig Hauptbahnhof",
        "Willy-Brandt-Platz 7",
        "Leipzig",
        2,
        Setup::Uninitialized,
    ),
    (
        "S-009",
        "Dresden Altmarkt",
        "Altmarkt 25",
        "Dresden",
        2,
        Setup::Disabled,
    ),
    (
        "S-010",
        "Hannover Kröpcke",
        "Georgstraße 12",
        "Hannover",
        3,
        Setup::Defective,
    ),
    (
        "S-011",
        "Nürnberg Lorenz",
        "Karolinenstraße 30",
        "Nürnberg",
        2,
        Setup::None,
    ),
    (
        "S-012",
        "Bremen Obernstraße",
        "Obernstraße 50",
        "Bremen",
        4,
        Setup::Ready,
    ),
];

/// Creates the demo stores through the same operations staff use.
pub async fn seed(state: &AppState, simulator: &Simulator) -> Result<(), OperationError> {
    tracing::info!("new database in demo mode: creating demo stores");
    let (latency, deploy_latency) = {
        let mut control = simulator.control();
        let saved = (control.latency, control.deploy_latency);
        control.latency = Duration::ZERO;
        control.deploy_latency = Duration::ZERO;
        saved
    };
    let result = seed_stores(state, simulator).await;
    let mut control = simulator.control();
    control.latency = latency;
    control.deploy_latency = deploy_latency;
    result
}

async fn seed_stores(state: &AppState, simulator: &Simulator) -> Result<(), OperationError> {
    for (number, name, street, city, terminals, setup) in STORES {
        let store = state
            .storage
            .insert_store(&StoreInput {
                number: number.into(),
                name: name.into(),
                street: street.into(),
                city: city.into(),
            })
            .await
            .map_err(|e| OperationError::Conflict(e.to_string()))?;
        let mut terminal_ids = Vec::new();
        for n in 1..=terminals {
            let terminal = state
                .storage
                .insert_terminal(&TerminalInput {
                    number: format!("K-{n:02}"),
                    name: format!("Kasse {n}"),
                    store_id: store.id,
                    serial_number: format!("{number}-POS-{n:02}"),
                    service: None,
                })
                .await
                .map_err(|e| OperationError::Conflict(e.to_string()))?;
            terminal_ids.push(terminal.id);
        }
        match setup {
            Setup::None => {}
            Setup::Uninitialized => stopped_before_initialising(state, simulator, store.id).await?,
            Setup::Ready | Setup::Disabled | Setup::Defective => {
                let entry = set_up_tss(state, store.id).await?;
                if entry.state != TssState::Initialized {
                    let why = entry.error_text.unwrap_or_default();
                    return Err(OperationError::Conflict(format!(
                        "the demo TSS of {number} is {}: {why}",
                        entry.state
                    )));
                }
                let tss_id = entry.tss_id;
                for terminal_id in &terminal_ids {
                    state
                        .operations
                        .generate_client(
                            *terminal_id,
                            &GenerateClientRequest::default(),
                            DEMO_ACTOR,
                        )
                        .await?;
                }
                if setup == Setup::Disabled {
                    state
                        .operations
                        .disable_tss(&tss_id, true, DEMO_ACTOR)
                        .await?;
                }
                if setup == Setup::Defective {
                    let id = Uuid::parse_str(&tss_id).expect("the console's TSS IDs are UUIDs");
                    simulator
                        .force_state(id, fiskaly_sim::TssState::Defective)
                        .map_err(|e| OperationError::Conflict(e.message))?;
                    state.operations.refresh_store(store.id).await?;
                }
            }
        }
    }
    Ok(())
}

/// Generate New TSS, answering once its setup has ended.
async fn set_up_tss(state: &AppState, store_id: i64) -> Result<TssEntry, OperationError> {
    state
        .operations
        .generate_tss(store_id, &GenerateTssRequest::default(), DEMO_ACTOR)
        .await?
        .to_the_end()
        .await
}

/// A TSS whose setup stopped half-way, as a store's would when fiskaly ran out of capacity
/// while it was initialised: UNINITIALIZED, with the Error Text that asks for Initial TSS.
async fn stopped_before_initialising(
    state: &AppState,
    simulator: &Simulator,
    store_id: i64,
) -> Result<(), OperationError> {
    let unavailable = Fault {
        effect: Effect::Status {
            status: 503,
            code: Some("E_SMAERS_GATEWAY_CAPACITIES_DEPLETED".into()),
            retry_after: Some(0),
        },
        when: When::Before,
    };
    simulator.control().inject(FaultRule {
        method: Some("PATCH".into()),
        path: "/api/v2/tss/*".into(),
        state: Some("INITIALIZED".into()),
        count: u32::MAX,
        every: None,
        fault: unavailable,
    });
    let entry = set_up_tss(state, store_id).await;
    simulator.control().clear_faults();
    match entry?.state {
        TssState::Uninitialized => Ok(()),
        other => Err(OperationError::Conflict(format!(
            "the demo TSS meant to stop half-way is {other}"
        ))),
    }
}
