//! Replicas sharing one database: each says it is alive, and holds the operations it runs
//! through a lease it renews; another replica takes over an operation whose lease ran out.

use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;

use super::operations::operation_from;
use super::{unix_now_ms, OperationRecord, Storage, StorageResult};

/// How long an operation stays leased to its replica without a renewal. A replica renews every
/// few seconds (see [`crate::replica`]), so another one takes over within about this long after
/// it died.
pub const LEASE: Duration = Duration::from_secs(10);

/// A replica not seen for this long counts as gone.
pub const REPLICA_GONE_AFTER: Duration = Duration::from_secs(15);

/// The name of a replica that was given none (tests, commands).
pub(super) const LOCAL: &str = "local";

/// When a lease taken or renewed now ends, in unix milliseconds.
pub(super) fn lease_end() -> i64 {
    unix_now_ms() + LEASE.as_millis() as i64
}

/// Renews the lease of running operation `id` held by `owner` (inside the caller's
/// transaction); refused with [`LeaseError::Lost`](super::LeaseError::Lost) when `owner` no
/// longer holds it.
pub(super) async fn renew_lease(
    connection: &mut sqlx::AnyConnection,
    id: i64,
    owner: &str,
) -> Result<(), super::LeaseError> {
    let held = sqlx::query(
        "UPDATE operations SET lease_until_ms = $1
         WHERE id = $2 AND owner = $3 AND status = 'running'",
    )
    .bind(lease_end())
    .bind(id)
    .bind(owner)
    .execute(connection)
    .await?
    .rows_affected();
    if held == 1 {
        Ok(())
    } else {
        Err(super::LeaseError::Lost)
    }
}

/// Which running operations a replica takes over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeOver {
    /// Every one: a SQLite file belongs to one process, so whatever runs was interrupted.
    Everything,
    /// At start: those whose lease ran out, and those this replica held before it restarted.
    AtStart,
    /// While running: those whose lease another replica let run out (it died).
    Orphaned,
}

/// Another replica serving the same database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherReplica {
    /// Its name.
    pub name: String,
    /// Whether it runs the in-process demo simulator.
    pub demo: bool,
}

impl Storage {
    /// This storage as replica `name`: operations it starts or takes over are leased to `name`.
    pub fn serving_as(mut self, name: &str) -> Storage {
        self.replica = Arc::from(name);
        self
    }

    /// The replica this storage serves as.
    pub fn replica_name(&self) -> &str {
        &self.replica
    }

    /// The other replicas seen alive on this database lately.
    pub async fn other_replicas(&self) -> StorageResult<Vec<OtherReplica>> {
        let seen_since = unix_now_ms() - REPLICA_GONE_AFTER.as_millis() as i64;
        let rows =
            sqlx::query("SELECT name, demo FROM replicas WHERE seen_at_ms >= $1 AND name <> $2")
                .bind(seen_since)
                .bind(&*self.replica)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|row| OtherReplica {
                name: row.get("name"),
                demo: row.get::<i64, _>("demo") != 0,
            })
            .collect())
    }

    /// Says this replica is alive (`demo`: with the in-process simulator) and renews the lease of
    /// every operation it runs.
    pub async fn keep_alive(&self, demo: bool) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO replicas (name, demo, seen_at_ms) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET demo = excluded.demo, seen_at_ms = excluded.seen_at_ms",
        )
        .bind(&*self.replica)
        .bind(i64::from(demo))
        .bind(unix_now_ms())
        .execute(&self.pool)
        .await?;
        sqlx::query(
            "UPDATE operations SET lease_until_ms = $1 WHERE owner = $2 AND status = 'running'",
        )
        .bind(lease_end())
        .bind(&*self.replica)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes over the running operations `which` names, in one statement: two replicas never
    /// both take the same operation.
    pub async fn take_over_operations(
        &self,
        which: TakeOver,
    ) -> StorageResult<Vec<OperationRecord>> {
        let (expired_before, mine_too) = match which {
            TakeOver::Everything => (i64::MAX, 1),
            TakeOver::AtStart => (unix_now_ms(), 1),
            TakeOver::Orphaned => (unix_now_ms(), 0),
        };
        let rows = sqlx::query(
            "UPDATE operations SET owner = $1, lease_until_ms = $2
             WHERE status = 'running'
               AND (owner IS NULL OR (owner = $1 AND $4 = 1)
                    OR (lease_until_ms < $3 AND owner <> $1))
             RETURNING *",
        )
        .bind(&*self.replica)
        .bind(lease_end())
        .bind(expired_before)
        .bind(mine_too)
        .fetch_all(&self.pool)
        .await?;
        let mut taken: Vec<OperationRecord> = rows
            .iter()
            .map(operation_from)
            .collect::<StorageResult<_>>()?;
        taken.sort_by_key(|operation| operation.id);
        Ok(taken)
    }

    /// Whether this replica still holds running operation `id` (checked before a fiskaly call
    /// inside a step that makes several).
    pub async fn check_lease(&self, id: i64) -> Result<(), super::LeaseError> {
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM operations WHERE id = $1 AND owner = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(&*self.replica)
        .fetch_optional(&self.pool)
        .await?;
        held.map(drop).ok_or(super::LeaseError::Lost)
    }

    /// Lets go of operation `id` this replica could not carry on (the database failed under
    /// it): any replica, this one too, takes it over and resumes it from its last step.
    pub async fn release_operation(&self, id: i64) -> StorageResult<()> {
        sqlx::query(
            "UPDATE operations SET owner = NULL, lease_until_ms = 0
             WHERE id = $1 AND owner = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(&*self.replica)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Leaves the replicas on a clean shutdown: its running operations are free for another
    /// replica at once.
    pub async fn leave(&self) -> StorageResult<()> {
        sqlx::query(
            "UPDATE operations SET lease_until_ms = 0 WHERE owner = $1 AND status = 'running'",
        )
        .bind(&*self.replica)
        .execute(&self.pool)
        .await?;
        sqlx::query("DELETE FROM replicas WHERE name = $1")
            .bind(&*self.replica)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
