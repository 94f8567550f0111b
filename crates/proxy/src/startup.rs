//! Wiring a proxy from its configuration: storage, the fiskaly connection (or the built-in
//! simulator in demo mode), joining the replicas (which resumes interrupted operations), demo
//! data on a new database.

use std::path::PathBuf;
use std::time::Duration;

use fiskaly_sim::Simulator;
use tss_model::Backend;

use crate::auth::accounts::{self, AccountError};
use crate::config::Config;
use crate::fiskaly::RetryPolicy;
use crate::replica::{self, JoinError, Membership};
use crate::storage::{Location, Storage};
use crate::{demo, settings, AppState};

/// A proxy ready to serve, with its simulator when in demo mode (dropping it stops the simulator).
pub struct Prepared {
    /// The state for [`crate::app`].
    pub state: AppState,
    /// The built-in simulator, in demo mode.
    pub simulator: Option<Simulator>,
    /// Its place among the replicas sharing the database.
    pub membership: Membership,
}

/// Why the proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened or migrated, or its key file is missing.
    #[error("cannot open the database: {0}")]
    Open(#[from] crate::storage::OpenError),
    /// The database failed.
    #[error("the database failed: {0}")]
    Storage(#[from] sqlx::Error),
    /// A Postgres database without `--secret-key-file`.
    #[error(
        "a Postgres database needs --secret-key-file (TSS_SECRET_KEY_FILE): the key that seals \
         its PUKs and PINs, the same file on every replica"
    )]
    KeyFileNeeded,
    /// This replica cannot serve next to the others.
    #[error("cannot join the replicas: {0}")]
    Join(#[from] JoinError),
    /// The demo simulator could not start.
    #[error("cannot start the built-in fiskaly simulator: {0}")]
    Simulator(#[from] std::io::Error),
    /// The first administrator could not be created (e.g. TSS_ADMIN_PASSWORD too short).
    #[error("cannot create the first administrator: {0}")]
    FirstAdmin(#[from] AccountError),
    /// Demo data could not be created.
    #[error("cannot create the demo data: {0}")]
    Demo(#[from] crate::operations::OperationError),
}

/// Opens the database, picks the fiskaly to talk to, resumes interrupted operations and, in demo
/// mode on a new database, creates the demo stores.
pub async fn prepare(config: &Config) -> Result<Prepared, StartupError> {
    let storage = open_storage(config)
        .await?
        .serving_as(&replica_name(config));
    let target = match settings::from_config(config) {
        Some(target) => Some(target),
        None => settings::saved(&storage).await?,
    };
    replica::admit(&storage, target.is_none()).await?;
    let (target, backend, simulator) = match target {
        Some(target) => {
            tracing::info!(base_url = %target.base_url, "talking to fiskaly");
            (target, Backend::Fiskaly, None)
        }
        None => {
            let simulator = demo::start_simulator(&snapshot_path(config)?).await?;
            tracing::warn!(
                url = %simulator.base_url(),
                "no fiskaly credentials: DEMO MODE against the built-in fiskaly simulator"
            );
            let target = demo::simulator_target(&simulator);
            (target, Backend::Simulator, Some(simulator))
        }
    };
    let policy = RetryPolicy::default();
    let mut state = AppState::talking_to(
        storage.clone(),
        target,
        backend,
        policy,
        config.dist.clone(),
    );
    state.auth.idle_timeout = Duration::from_secs(config.session_idle_minutes.max(1) * 60);
    state.auth.secure_cookie = config.secure_cookie;
    state.auth.trusted_proxies = config.trusted_proxies.clone();
    accounts::ensure_first_admin(&storage, config.admin_password.as_deref()).await?;
    let mut membership = replica::join(&state.operations, simulator.is_some()).await?;
    membership.keep_watch(&state.operations);
    if membership.resumed > 0 {
        tracing::info!(
            resumed = membership.resumed,
            "resumed interrupted operations"
        );
    }
    if let Some(simulator) = &simulator {
        if storage.is_empty().await? {
            demo::seed(&state, simulator).await?;
        }
    }
    Ok(Prepared {
        state,
        simulator,
        membership,
    })
}

/// Opens the configured database with its key file.
pub async fn open_storage(config: &Config) -> Result<Storage, StartupError> {
    Ok(Storage::open(&config.database, &key_file(config)?).await?)
}

/// The key file sealing the database's secrets: configured, else for SQLite `<database name>.key`
/// beside it.
pub fn key_file(config: &Config) -> Result<PathBuf, StartupError> {
    config
        .secret_key_file
        .clone()
        .or_else(|| config.database.default_key_file())
        .ok_or(StartupError::KeyFileNeeded)
}

/// This replica's name: configured, else `<host name>:<port>`.
fn replica_name(config: &Config) -> String {
    config.replica_name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|name| name.trim().to_owned())
            .unwrap_or_else(|_| "proxy".into());
        format!("{host}:{}", config.listen.port())
    })
}

/// The simulator's snapshot lives next to the SQLite database (or the key file of a Postgres
/// one), so a restarted demo agrees with it.
fn snapshot_path(config: &Config) -> Result<PathBuf, StartupError> {
    let beside = match &config.database {
        Location::Sqlite(path) => path.clone(),
        Location::Postgres(_) => key_file(config)?,
    };
    let name = beside
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tss-console".into());
    Ok(beside.with_file_name(format!("{name}.fiskaly-sim.json")))
}
