//! The one place where SQLite and PostgreSQL differ for the proxy. Every query is written once,
//! in the SQL both understand (`$1` parameters, `RETURNING`, `ON CONFLICT`, partial unique
//! indexes, `COALESCE`, no `rowid`), and runs through sqlx's `Any` driver. What differs:
//!
//! - **Migrations**: `migrations/sqlite` and `migrations/postgres`, with the same version numbers
//!   from 0007 on (Postgres starts with the schema SQLite reached in 0006). Types (`INTEGER`
//!   rowid keys vs `BIGINT` identities), the append-only trigger (SQLite's `RAISE(ABORT)` vs a
//!   PL/pgSQL function, which also refuses `TRUNCATE`) and the clients' insertion number (a
//!   trigger copying `rowid` vs an identity column) are written in each dialect.
//! - **Connections**: SQLite runs in WAL mode with `synchronous = FULL`, foreign keys on and a
//!   busy timeout, set on every connection; Postgres needs nothing per connection.
//! - **Snapshots**: a SQLite transaction reads one snapshot anyway; on Postgres a read that must
//!   be one snapshot asks for `REPEATABLE READ`.
//! - **Replicas**: a SQLite file belongs to one proxy process, which at start takes over every
//!   running operation; replicas on Postgres take over only operations whose lease ran out.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::{AnyPool, Executor, Transaction};

use super::StorageResult;

/// SQLite's migrations.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
/// PostgreSQL's migrations.
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Postgres's code for "database does not exist".
const DATABASE_MISSING: &str = "3D000";

/// Postgres's code for "database already exists".
const DATABASE_EXISTS: &str = "42P04";

/// Connections of the requests' pool: SQLite has one writer anyway; Postgres is shared by
/// every replica.
const MAX_CONNECTIONS: u32 = 8;
/// How long a request waits for a connection before the database counts as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// Connections of the operations' pool.
const PATIENT_CONNECTIONS: u32 = 4;
/// How long an operation waits for the database to come back before its step fails: an
/// operation half done is better finished than failed.
const PATIENT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(600);

/// The two pools on one database: requests wait a moment for a connection (then answer
/// `storage_unavailable`); operations wait for the database to come back.
pub(super) struct Pools {
    /// For requests.
    pub requests: AnyPool,
    /// For operations.
    pub patient: AnyPool,
    /// The dialect both speak.
    pub dialect: Dialect,
}

/// Where the database is: a SQLite file, or a PostgreSQL database given by its URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A `postgres://` (or `postgresql://`) URL.
    Postgres(String),
}

impl FromStr for Location {
    type Err = String;

    fn from_str(text: &str) -> Result<Location, String> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Location::Postgres(text.to_owned()))
        } else if text.contains("://") {
            Err("the database is a file path (SQLite) or a postgres:// URL".into())
        } else if text.is_empty() {
            Err("name a database file or a postgres:// URL".into())
        } else {
            Ok(Location::Sqlite(PathBuf::from(text)))
        }
    }
}

/// Shows the location without a password that a Postgres URL may hold.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    // Its query may hold a password too.
                    parsed.set_query(None);
                    write!(f, "{parsed}")
                }
                Err(_) => f.write_str("postgres://… (not a readable URL)"),
            },
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({self})")
    }
}

impl Location {
    /// Which dialect the database at this location speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            Location::Sqlite(_) => Dialect::Sqlite,
            Location::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The key file used when none is configured: `<name>.key` beside a SQLite file; a Postgres
    /// database has none, since every replica must name the same file.
    pub fn default_key_file(&self) -> Option<PathBuf> {
        match self {
            Location::Sqlite(path) => Some(path.with_extension("key")),
            Location::Postgres(_) => None,
        }
    }
}

/// The SQL dialect of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// One SQLite file, one proxy process.
    Sqlite,
    /// PostgreSQL, shared by any number of replicas.
    Postgres,
}

impl Dialect {
    /// Whether other proxy processes may share the database.
    pub fn is_shared(self) -> bool {
        self == Dialect::Postgres
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// Opens the pools on `location` and brings its schema up to date.
pub(super) async fn open_pools(location: &Location) -> StorageResult<Pools> {
    sqlx::any::install_default_drivers();
    let dialect = location.dialect();
    let url = match location {
        Location::Sqlite(path) => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(sqlx::Error::Io)?;
            }
            let url = format!("sqlite://{}?mode=rwc", path.display());
            // Persistent, and taken once before other connections exist: switching the journal
            // needs a lock that a busy timeout cannot wait for.
            let mut first = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await?;
            first.execute("PRAGMA journal_mode = WAL").await?;
            sqlx::Connection::close(first).await?;
            url
        }
        Location::Postgres(url) => url.clone(),
    };
    let requests = match pool(dialect, MAX_CONNECTIONS, ACQUIRE_TIMEOUT)
        .connect(&url)
        .await
    {
        // A new Postgres database is created, as a new SQLite file is (given the right).
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(DATABASE_MISSING) => {
            match sqlx::Any::create_database(&url).await {
                // Another replica created it first.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(DATABASE_EXISTS) => {}
                created => created?,
            }
            pool(dialect, MAX_CONNECTIONS, ACQUIRE_TIMEOUT)
                .connect(&url)
                .await?
        }
        connected => connected?,
    };
    dialect.migrator().run(&requests).await?;
    let patient = pool(dialect, PATIENT_CONNECTIONS, PATIENT_ACQUIRE_TIMEOUT).connect_lazy(&url)?;
    Ok(Pools {
        requests,
        patient,
        dialect,
    })
}

/// The options of a pool of at most `connections`, each waited for at most `acquire_timeout`.
fn pool(dialect: Dialect, connections: u32, acquire_timeout: Duration) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(acquire_timeout)
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    connection
                        .execute(
                            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
                             PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                }
                Ok(())
            })
        })
}

/// The Postgres advisory lock that puts changes to the administrators in a row.
const ADMIN_CHANGES: i64 = 0x7453_5341_646d_696e;

/// Begins a transaction in which the administrators are changed one at a time: SQLite has one
/// writer anyway; two Postgres transactions could otherwise each count the other's
/// administrator and both remove their own.
pub(super) async fn begin_admin_change(
    pool: &AnyPool,
    dialect: Dialect,
) -> StorageResult<Transaction<'static, sqlx::Any>> {
    let mut transaction = pool.begin().await?;
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ADMIN_CHANGES)
            .execute(&mut *transaction)
            .await?;
    }
    Ok(transaction)
}

/// Begins a transaction whose reads all see one snapshot of the database.
pub(super) async fn begin_snapshot(
    pool: &AnyPool,
    dialect: Dialect,
) -> StorageResult<Transaction<'static, sqlx::Any>> {
    let mut transaction = pool.begin().await?;
    if dialect == Dialect::Postgres {
        transaction
            .execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .await?;
    }
    Ok(transaction)
}
