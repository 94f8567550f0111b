//! Everything the proxy remembers, in one SQLite file; all SQL of the proxy lives below this
//! module, so that a Postgres backend can follow by replacing it.

mod clients;
mod operations;
mod settings;
mod stores;
mod terminals;
mod tss;

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use clients::ClientRecord;
pub use operations::{Event, NewOperation, OperationRecord, StartError};
pub use stores::StoreWriteError;
pub use terminals::TerminalWriteError;
pub use tss::{FiskalyTssFields, TssRecord};

/// The proxy's database.
#[derive(Debug, Clone)]
pub struct Storage {
    pool: SqlitePool,
}

/// A storage failure; never shown to users in detail.
pub type StorageResult<T> = Result<T, sqlx::Error>;

impl Storage {
    /// Opens (creating if needed) the SQLite file at `path` in WAL mode and brings its schema up
    /// to date.
    pub async fn open(path: &Path) -> StorageResult<Storage> {
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
        Ok(Storage { pool })
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
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Whether a database error is a violated UNIQUE constraint.
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
