//! Refresh of every TSS as stored: one `refresh_all` operation with its counts, and on each TSS
//! the run that last dealt with it. Results are written a batch at a time, each batch in one
//! transaction with the run's counts, so that a run resumed after a crash reads only the TSS
//! it had not dealt with and counts each TSS once.

use std::collections::HashMap;

use sqlx::Row;
use tss_model::{FleetRefresh, LiveEvent, OperationKind, OperationStep};

use super::operations::{from_text, to_text};
use super::replicas::lease_end;
use super::tss::{apply_fields, FiskalyTssFields};
use super::{
    unix_now, Failure, LeaseError, NewOperation, OperationRecord, StartError, Storage,
    StorageResult,
};

/// What one read of a run brought: the TSS's fields as fiskaly has them, or why it could not be
/// read.
#[derive(Debug, Clone)]
pub struct RefreshResult {
    /// The TSS read.
    pub tss_id: String,
    /// fiskaly's answer, or the failure that becomes the TSS's Error Text.
    pub outcome: Result<FiskalyTssFields, Failure>,
}

impl Storage {
    /// Records a new Refresh of every TSS asked for by `requested_by`; refused with
    /// [`StartError::AlreadyRunning`] while one runs (on any replica).
    pub async fn start_fleet_refresh(
        &self,
        requested_by: &str,
    ) -> Result<OperationRecord, StartError> {
        self.start_operation(&NewOperation {
            kind: OperationKind::RefreshAll,
            store_id: None,
            tss_id: None,
            terminal_id: None,
            client_id: None,
            first_step: OperationStep::ReadEveryTss,
            requested_by,
        })
        .await
    }

    /// The TSS run `run` has not dealt with yet, in ID order; its total becomes what it dealt
    /// with plus these (TSS added since it started are read too).
    pub async fn tss_left_to_refresh(&self, run: i64) -> Result<Vec<String>, LeaseError> {
        let mut transaction = self.pool.begin().await?;
        let left: Vec<String> = sqlx::query_scalar(
            "SELECT tss_id FROM tss WHERE refresh_run IS NULL OR refresh_run <> $1 ORDER BY tss_id",
        )
        .bind(run)
        .fetch_all(&mut *transaction)
        .await?;
        let held = sqlx::query(
            "UPDATE operations
             SET items_total = COALESCE(items_read, 0) + COALESCE(items_failed, 0) + $1,
                 items_read = COALESCE(items_read, 0), items_failed = COALESCE(items_failed, 0),
                 lease_until_ms = $2
             WHERE id = $3 AND owner = $4 AND status = 'running'",
        )
        .bind(left.len() as i64)
        .bind(lease_end())
        .bind(run)
        .bind(&*self.replica)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if held != 1 {
            return Err(LeaseError::Lost);
        }
        transaction.commit().await?;
        self.announce(LiveEvent::FleetRefresh).await;
        Ok(left)
    }

    /// Stores a batch of run `run`'s reads and counts them, in one transaction that also
    /// renews the run's lease; refused with [`LeaseError::Lost`] (nothing written) when this
    /// replica no longer holds the run. Announces the TSS whose state or Error Text changed.
    pub async fn record_refreshed(
        &self,
        run: i64,
        results: &[RefreshResult],
    ) -> Result<(), LeaseError> {
        if results.is_empty() {
            return Ok(());
        }
        let failed = results.iter().filter(|r| r.outcome.is_err()).count() as i64;
        let read = results.len() as i64 - failed;
        let mut transaction = self.pool.begin().await?;
        let held = sqlx::query(
            "UPDATE operations SET items_read = items_read + $1, items_failed = items_failed + $2,
                                   updated_at = $3, lease_until_ms = $4
             WHERE id = $5 AND owner = $6 AND status = 'running'",
        )
        .bind(read)
        .bind(failed)
        .bind(unix_now())
        .bind(lease_end())
        .bind(run)
        .bind(&*self.replica)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if held != 1 {
            return Err(LeaseError::Lost);
        }
        let before = shown_of(&mut transaction, results).await?;
        for result in results {
            match &result.outcome {
                Ok(fields) => {
                    apply_fields(&mut transaction, &result.tss_id, fields).await?;
                    sqlx::query(
                        "UPDATE tss SET error_text = NULL, error_code = NULL, refresh_run = $1
                         WHERE tss_id = $2",
                    )
                    .bind(run)
                    .bind(&result.tss_id)
                    .execute(&mut *transaction)
                    .await?;
                }
                Err(failure) => {
                    sqlx::query(
                        "UPDATE tss SET error_text = $1, error_code = $2, refresh_run = $3
                         WHERE tss_id = $4",
                    )
                    .bind(&failure.message)
                    .bind(to_text(failure.code))
                    .bind(run)
                    .bind(&result.tss_id)
                    .execute(&mut *transaction)
                    .await?;
                }
            }
        }
        transaction.commit().await?;
        for result in results {
            let Some(shown) = before.get(&result.tss_id) else {
                continue;
            };
            let now = match &result.outcome {
                Ok(fields) => (fields.state.as_str(), None),
                Err(failure) => (shown.state.as_str(), Some(failure.message.as_str())),
            };
            if (shown.state.as_str(), shown.error_text.as_deref()) != now {
                self.tss_of_store_changed(shown.store_id, &result.tss_id)
                    .await;
            }
        }
        self.announce(LiveEvent::FleetRefresh).await;
        Ok(())
    }

    /// Records how many TSS fiskaly has that the console does not know, for run `run`.
    pub async fn record_unknown_at_fiskaly(&self, run: i64, count: u64) -> StorageResult<()> {
        sqlx::query("UPDATE operations SET unknown_at_fiskaly = $1 WHERE id = $2")
            .bind(count as i64)
            .bind(run)
            .execute(&self.pool)
            .await?;
        self.announce(LiveEvent::FleetRefresh).await;
        Ok(())
    }

    /// The running Refresh of every TSS, or the last one; `None` before the first.
    pub async fn latest_fleet_refresh(&self) -> StorageResult<Option<FleetRefresh>> {
        let row = sqlx::query(
            "SELECT status, items_total, items_read, items_failed, unknown_at_fiskaly,
                    requested_by, started_at, updated_at, last_error
             FROM operations WHERE kind = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to_text(OperationKind::RefreshAll))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let count = |column: &str| row.get::<Option<i64>, _>(column).unwrap_or(0).max(0) as u64;
        Ok(Some(FleetRefresh {
            status: from_text(row.get("status"))?,
            total: count("items_total"),
            read: count("items_read"),
            failed: count("items_failed"),
            unknown_at_fiskaly: row
                .get::<Option<i64>, _>("unknown_at_fiskaly")
                .map(|n| n.max(0) as u64),
            requested_by: row.get("requested_by"),
            started_at: row.get("started_at"),
            updated_at: row.get("updated_at"),
            last_error: row.get("last_error"),
        }))
    }
}

/// What a TSS entry shows that a read may change, before the read is stored.
struct Shown {
    store_id: i64,
    state: String,
    error_text: Option<String>,
}

/// The shown fields of the TSS `results` name, read on `connection` (in the writing
/// transaction), by TSS ID.
async fn shown_of(
    connection: &mut sqlx::AnyConnection,
    results: &[RefreshResult],
) -> StorageResult<HashMap<String, Shown>> {
    let placeholders: Vec<String> = (1..=results.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT tss_id, store_id, state, error_text FROM tss WHERE tss_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for result in results {
        query = query.bind(&result.tss_id);
    }
    let rows = query.fetch_all(connection).await?;
    Ok(rows
        .iter()
        .map(|row| {
            (
                row.get::<String, _>("tss_id"),
                Shown {
                    store_id: row.get("store_id"),
                    state: row.get("state"),
                    error_text: row.get("error_text"),
                },
            )
        })
        .collect())
}
