//! Everything the proxy remembers, in one SQLite file; all SQL of the proxy lives below this
//! module, so that a Postgres backend can follow by replacing it.

mod audit;
mod changes;
mod clients;
mod operations;
mod reseal;
mod sealing;
mod sessions;
mod settings;
mod stores;
mod terminals;
mod tss;
mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use clients::ClientRecord;
pub use operations::{Failure, NewOperation, OperationRecord, Outcome, StartError};
pub use sealing::{Sealer, SealingError};
pub use stores::StoreWriteError;
pub use terminals::TerminalWriteError;
pub use tss::{FiskalyTssFields, TssRecord};
pub use users::{AdminGuarded, UserRecord, UserWriteError};

/// The proxy's database, with the key that seals its secrets.
#[derive(Debug, Clone)]
pub struct Storage {
    pool: SqlitePool,
    sealer: Sealer,
    live: crate::live::LiveHub,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// SQLite or a migration failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The secret key file is missing or unusable.
    #[error(transparent)]
    Sealing(#[from] SealingError),
}

/// A storage failure; never shown to users in detail.
pub type StorageResult<T> = Result<T, sqlx::Error>;

impl Storage {
    /// Opens the database at `path` with its key file next to it (`<name>.key`).
    pub async fn open(path: &Path) -> Result<Storage, OpenError> {
        Storage::open_with_key_file(path, &path.with_extension("key")).await
    }

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode, brings its schema up to
    /// date, and loads the key that seals its secrets from `key_file` (created only while the
    /// database holds no sealed secret).
    pub async fn open_with_key_file(path: &Path, key_file: &Path) -> Result<Storage, OpenError> {
        let pool = open_pool(path).await?;
        let has_secrets: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM tss WHERE admin_puk IS NOT NULL OR admin_pin IS NOT NULL)
                  + (SELECT COUNT(*) FROM settings WHERE key LIKE 'secret.%')",
        )
        .fetch_one(&pool)
        .await?;
        let sealer = Sealer::load_or_create(key_file, has_secrets == 0)?;
        Ok(Storage {
            pool,
            sealer,
            live: crate::live::LiveHub::new(),
        })
    }

    /// Whether the database holds no store yet (a new database).
    pub async fn is_empty(&self) -> StorageResult<bool> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }
}

async fn open_pool(path: &Path) -> StorageResult<SqlitePool> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(sqlx::Error::Io)?;
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Seconds since the unix epoch.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Whether a database error is a violated UNIQUE constraint.
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
