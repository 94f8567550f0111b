//! Everything the proxy remembers, in one SQLite file or one PostgreSQL database shared by
//! several replicas; all SQL of the proxy lives below this module, and where the two dialects
//! differ is said in [`dialect`].

mod alerts;
mod audit;
mod changes;
mod clients;
mod cursor;
mod dialect;
mod filter;
mod fleet;
mod fleet_refresh;
mod import;
mod live_relay;
mod login_failures;
mod operation_items;
mod operations;
mod read_cache;
mod replicas;
mod report;
mod reseal;
mod sealing;
mod search_text;
mod sessions;
mod settings;
mod store_status;
mod stores;
mod terminals;
mod tss;
mod users;
mod webhooks;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::AnyPool;

pub use clients::ClientRecord;
pub use cursor::{BadCursor, PageError, Position};
pub use dialect::{Dialect, Location};
pub use fleet_refresh::RefreshResult;
pub use import::ImportError;
pub use live_relay::LiveRelay;
pub use operation_items::{ClientTarget, NewReplacement, PlannedClient};
pub use operations::{Failure, LeaseError, NewOperation, OperationRecord, Outcome, StartError};
pub use replicas::{OtherReplica, TakeOver, LEASE, REPLICA_GONE_AFTER};
pub use sealing::{Sealer, SealingError};
pub use stores::StoreWriteError;
pub use terminals::TerminalWriteError;
pub use tss::{FiskalyTssFields, TssRecord};
pub use users::{AdminGuarded, UserRecord, UserWriteError};
pub use webhooks::{Attempt, DueDelivery};

/// The proxy's database, with the key that seals its secrets.
#[derive(Debug, Clone)]
pub struct Storage {
    pool: AnyPool,
    /// Where the database is.
    location: Location,
    /// The pool of [`Storage::patient`].
    patient_pool: AnyPool,
    dialect: Dialect,
    sealer: Sealer,
    live: crate::live::LiveHub,
    /// The replica this process is: the owner of the operations it starts or takes over.
    replica: std::sync::Arc<str>,
    /// What the lists and the overview read, until the next change.
    reads: std::sync::Arc<read_cache::ReadCaches>,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The database or a migration failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The secret key file is missing or unusable.
    #[error(transparent)]
    Sealing(#[from] SealingError),
}

/// The setting that holds a value sealed with the database's key, to recognise the right key.
const KEY_CHECK: &str = "secret.key_check";

/// A storage failure; never shown to users in detail.
pub type StorageResult<T> = Result<T, sqlx::Error>;

impl Storage {
    /// Opens (creating if needed) the database at `location`, brings its schema up to date, and
    /// loads the key that seals its secrets from `key_file`: created only while the database holds
    /// no sealed secret; a key that cannot open the secrets it holds is refused (never re-sealed).
    pub async fn open(location: &Location, key_file: &Path) -> Result<Storage, OpenError> {
        let dialect::Pools {
            requests: pool,
            patient: patient_pool,
            dialect,
        } = dialect::open_pools(location).await?;
        let sealed: Vec<(String, String)> = sqlx::query_as(
            "SELECT 'admin_puk:' || tss_id, admin_puk FROM tss WHERE admin_puk IS NOT NULL
             UNION ALL SELECT key, value FROM settings WHERE key LIKE 'secret.%'
             LIMIT 1",
        )
        .fetch_all(&pool)
        .await?;
        let sealer = Sealer::load_or_create(key_file, sealed.is_empty())?;
        let wrong_key = |_| SealingError::WrongKey(key_file.to_owned());
        if let Some((context, value)) = sealed.first() {
            sealer.open(value, context).map_err(wrong_key)?;
        }
        // The first key to seal anything here also seals a check value: replicas that each made
        // a key for a new database at the same moment cannot both go on.
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(KEY_CHECK)
        .bind(sealer.seal(KEY_CHECK, KEY_CHECK))
        .execute(&pool)
        .await?;
        let check: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(KEY_CHECK)
            .fetch_one(&pool)
            .await?;
        sealer.open(&check, KEY_CHECK).map_err(wrong_key)?;
        let storage = Storage {
            pool,
            location: location.clone(),
            patient_pool,
            dialect,
            sealer,
            live: crate::live::LiveHub::new(),
            replica: std::sync::Arc::from(replicas::LOCAL),
            reads: Default::default(),
        };
        // After an upgrade every store is stale; after a crash, those it left so.
        storage.restate_stale_stores().await?;
        Ok(storage)
    }

    /// Opens the SQLite file at `path` with its key file next to it (`<name>.key`).
    pub async fn open_sqlite(path: &Path) -> Result<Storage, OpenError> {
        let location = Location::Sqlite(path.to_owned());
        Storage::open(&location, &path.with_extension("key")).await
    }

    /// This storage for operations: each call waits (up to minutes) for the database to come
    /// back instead of failing at once as a request does, so that an operation half done is
    /// finished rather than failed when Postgres restarts.
    pub fn patient(&self) -> Storage {
        Storage {
            pool: self.patient_pool.clone(),
            ..self.clone()
        }
    }

    /// Which SQL dialect the database speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// A transaction whose reads all see one snapshot.
    pub(super) async fn snapshot(&self) -> StorageResult<sqlx::Transaction<'static, sqlx::Any>> {
        dialect::begin_snapshot(&self.pool, self.dialect).await
    }

    /// Whether the database holds no store yet (a new database).
    pub async fn is_empty(&self) -> StorageResult<bool> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }
}

/// Seconds since the unix epoch.
pub fn unix_now() -> i64 {
    unix_now_ms() / 1000
}

/// Milliseconds since the unix epoch.
pub fn unix_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Whether a database error means the database cannot be reached right now (stopped,
/// restarting, no connection within the pool's wait), rather than a fault in a query: the
/// request may simply be tried again.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // Postgres: class 08 (connection exception), 57P01-57P03 (shutting down, cannot
        // connect now); SQLite: SQLITE_BUSY (5) after the busy timeout.
        sqlx::Error::Database(e) => e.code().is_some_and(|code| {
            code.starts_with("08") || ["57P01", "57P02", "57P03", "5"].contains(&code.as_ref())
        }),
        _ => false,
    }
}

/// Whether a database error means that the transaction met another one at the wrong moment (a
/// Postgres deadlock or serialization failure, a SQLite snapshot gone stale): the same
/// transaction, tried again, will do.
pub fn is_collision(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e)
        if e.code().is_some_and(|code| ["40P01", "40001", "517"].contains(&code.as_ref())))
}

/// Whether a database error is a violated UNIQUE constraint.
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
