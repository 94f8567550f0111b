//! The database a test's proxy runs on: a SQLite file in the test's folder, or, when
//! `TSS_TEST_BACKEND=postgres` (as `cargo xtask test` sets it for the second run of the API
//! suite), a fresh database of its own on the PostgreSQL server `TSS_TEST_POSTGRES` names.

use std::path::{Path, PathBuf};

use sqlx::Connection;
use tss_proxy::storage::Location;

/// The variable naming the Postgres server, e.g. `postgres://postgres@127.0.0.1:5433`.
pub const POSTGRES_VARIABLE: &str = "TSS_TEST_POSTGRES";
/// The variable choosing the API suite's backend: `postgres`, else SQLite.
pub const BACKEND_VARIABLE: &str = "TSS_TEST_BACKEND";

/// A test's database and the key file that seals its secrets.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    /// Where it is.
    pub location: Location,
    /// Its key file (in the test's folder, created on first open).
    pub key_file: PathBuf,
}

/// The Postgres server the tests may use (`cargo xtask test` starts one and names it).
pub fn postgres_server() -> String {
    std::env::var(POSTGRES_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| {
            panic!(
                "{POSTGRES_VARIABLE} names no PostgreSQL server: run the tests with \
                 `cargo xtask test`, which starts a throwaway one"
            )
        })
}

/// Whether the API suite runs on Postgres this time.
pub fn on_postgres() -> bool {
    std::env::var(BACKEND_VARIABLE).is_ok_and(|backend| backend == "postgres")
}

impl TestDatabase {
    /// A new, empty database called `name` on the suite's backend, with its key file in `dir`.
    pub async fn fresh(dir: &Path, name: &str) -> TestDatabase {
        if on_postgres() {
            TestDatabase::fresh_postgres(dir, name).await
        } else {
            TestDatabase {
                location: Location::Sqlite(dir.join(format!("{name}.sqlite"))),
                key_file: dir.join(format!("{name}.key")),
            }
        }
    }

    /// A new, empty Postgres database on the suite's server, with its key file `name.key` in
    /// `dir`.
    pub async fn fresh_postgres(dir: &Path, name: &str) -> TestDatabase {
        TestDatabase::fresh_postgres_on(&postgres_server(), dir, name).await
    }

    /// A new, empty database on the Postgres server `server`, with its key file in `dir`.
    pub async fn fresh_postgres_on(server: &str, dir: &Path, name: &str) -> TestDatabase {
        let database = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
            .await
            .expect("the test Postgres server answers");
        sqlx::query(&format!("CREATE DATABASE {database}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        TestDatabase {
            location: Location::Postgres(format!("{server}/{database}")),
            key_file: dir.join(format!("{name}.key")),
        }
    }

    /// The same database opened with another key file.
    pub fn with_key_file(&self, key_file: &Path) -> TestDatabase {
        TestDatabase {
            location: self.location.clone(),
            key_file: key_file.to_owned(),
        }
    }

    /// The `--database` argument naming it.
    pub fn argument(&self) -> String {
        match &self.location {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// The sqlx URL of the database, for a test that reaches past the proxy.
    pub fn url(&self) -> String {
        match &self.location {
            Location::Sqlite(path) => format!("sqlite://{}", path.display()),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// Every byte the database keeps: its SQLite files (database, WAL, journal), or a `pg_dump`
    /// of the Postgres database.
    pub fn bytes_at_rest(&self) -> Vec<u8> {
        match &self.location {
            Location::Sqlite(path) => {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let mut bytes = Vec::new();
                for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
                    let entry = entry.unwrap();
                    if entry.file_name().to_string_lossy().starts_with(&name) {
                        bytes.extend(std::fs::read(entry.path()).unwrap());
                    }
                }
                bytes
            }
            Location::Postgres(url) => {
                let output = std::process::Command::new(pg_dump())
                    .args(["--data-only", "--inserts", "--dbname", url])
                    .output()
                    .expect("pg_dump runs");
                assert!(
                    output.status.success(),
                    "pg_dump: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                output.stdout
            }
        }
    }
}

/// Debian's `pg_dump` of the newest installed server version, else the one on the `PATH`.
fn pg_dump() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .map(|d| d.path().join("bin/pg_dump"))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|path| path.exists());
    versions.sort();
    versions.pop().unwrap_or_else(|| PathBuf::from("pg_dump"))
}
