//! Refresh of every TSS as stored: one `refresh_all` operation with its counts, and on each TSS
//! the run that last dealt with it. Results are written a batch at a time, each batch in one
//! transaction with the run's counts, so that a run resumed after a crash reads only the TSS
//! it had not dealt with and counts each TSS once.

use std::collections::HashMap;

use sqlx::Row;
use tss_model::{FleetRefresh, LiveEvent, OperationKind, OperationStep};

use super::operations::{from_text, insert, to_text};
use super::replicas::renew_lease;
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
    /// Records a new Refresh of every TSS asked for by `requested_by`, with the count of TSS it
    /// will read; refused with [`StartError::AlreadyRunning`] while one runs (on any replica).
    pub async fn start_fleet_refresh(
        &self,
        requested_by: &str,
    ) -> Result<OperationRecord, StartError> {
        let new = NewOperation {
            kind: OperationKind::RefreshAll,
            store_id: None,
            tss_id: None,
            terminal_id: None,
            client_id: None,
            first_step: OperationStep::ReadEveryTss,
            requested_by,
        };
        let mut transaction = self.pool.begin().await?;
        let id = insert(&mut transaction, &new, &self.replica).await?;
        sqlx::query(
            "UPDATE operations SET items_total = (SELECT COUNT(*) FROM tss), items_read = 0,
                                   items_failed = 0
             WHERE id = $1",
        )
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        self.started(id).await
    }

    /// The TSS run `run` has not dealt with yet, in ID order; its total becomes what it dealt
    /// with plus these (a run resumed later also reads the TSS added meanwhile).
    pub async fn tss_left_to_refresh(&self, run: i64) -> Result<Vec<String>, LeaseError> {
        let mut transaction = self.pool.begin().await?;
        // The write comes first: it makes this a write transaction (on SQLite one that no
        // other writer can make stale between its read and its write).
        renew_lease(&mut transaction, run, &self.replica).await?;
        let left: Vec<String> = sqlx::query_scalar(
            "SELECT tss_id FROM tss WHERE refresh_run IS NULL OR refresh_run <> $1 ORDER BY tss_id",
        )
        .bind(run)
        .fetch_all(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE operations SET items_total = items_read + items_failed + $1 WHERE id = $2",
        )
        .bind(left.len() as i64)
        .bind(run)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        self.announce(LiveEvent::FleetRefresh { ended: false })
            .await;
        Ok(left)
    }

    /// Stores a batch of run `run`'s reads and counts them, in one transaction that also
    /// renews the run's lease; refused with [`LeaseError::Lost`] (nothing written) when this
    /// replica no longer holds the run. A TSS an operation is changing meanwhile keeps what
    /// that operation stores (the read may be older). Announces the TSS whose state or Error
    /// Text changed.
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
        let mut results: Vec<&RefreshResult> = results.iter().collect();
        // Rows locked in one order by every batch.
        results.sort_by(|a, b| a.tss_id.cmp(&b.tss_id));
        let mut transaction = self.pool.begin().await?;
        renew_lease(&mut transaction, run, &self.replica).await?;
        sqlx::query(
            "UPDATE operations SET items_read = items_read + $1, items_failed = items_failed + $2,
                                   updated_at = $3
             WHERE id = $4",
        )
        .bind(read)
        .bind(failed)
        .bind(unix_now())
        .bind(run)
        .execute(&mut *transaction)
        .await?;
        let before = shown_of(&mut transaction, &results).await?;
        let mut changed = Vec::new();
        for result in results {
            let Some(shown) = before.get(&result.tss_id) else {
                continue;
            };
            sqlx::query("UPDATE tss SET refresh_run = $1 WHERE tss_id = $2")
                .bind(run)
                .bind(&result.tss_id)
                .execute(&mut *transaction)
                .await?;
            if shown.busy {
                continue;
            }
            let now = match &result.outcome {
                Ok(fields) => {
                    apply_fields(&mut transaction, &result.tss_id, fields).await?;
                    set_error(&mut transaction, &result.tss_id, None).await?;
                    (fields.state.as_str(), None)
                }
                Err(failure) => {
                    set_error(&mut transaction, &result.tss_id, Some(failure)).await?;
                    (shown.state.as_str(), Some(failure.message.as_str()))
                }
            };
            if (shown.state.as_str(), shown.error_text.as_deref()) != now {
                changed.push((shown.store_id, result.tss_id.as_str()));
            }
        }
        transaction.commit().await?;
        for (store_id, tss_id) in changed {
            self.tss_of_store_changed(store_id, tss_id).await;
        }
        self.announce(LiveEvent::FleetRefresh { ended: false })
            .await;
        Ok(())
    }

    /// Records how many TSS fiskaly has that the console does not know, for run `run` this
    /// replica holds.
    pub async fn record_unknown_at_fiskaly(&self, run: i64, count: u64) -> Result<(), LeaseError> {
        let mut transaction = self.pool.begin().await?;
        renew_lease(&mut transaction, run, &self.replica).await?;
        sqlx::query("UPDATE operations SET unknown_at_fiskaly = $1 WHERE id = $2")
            .bind(count as i64)
            .bind(run)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        self.announce(LiveEvent::FleetRefresh { ended: false })
            .await;
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

/// Sets (or with `None` clears) the Error Text of TSS `tss_id`.
async fn set_error(
    connection: &mut sqlx::AnyConnection,
    tss_id: &str,
    failure: Option<&Failure>,
) -> StorageResult<()> {
    sqlx::query("UPDATE tss SET error_text = $1, error_code = $2 WHERE tss_id = $3")
        .bind(failure.map(|f| f.message.as_str()))
        .bind(failure.map(|f| to_text(f.code)))
        .bind(tss_id)
        .execute(connection)
        .await
        .map(drop)
}

/// What a TSS entry shows that a read may change, before the read is stored.
struct Shown {
    store_id: i64,
    state: String,
    error_text: Option<String>,
    /// An operation is changing the TSS (it stores fiskaly's answers itself).
    busy: bool,
}

/// The shown fields of the TSS `results` name, read on `connection` (in the writing
/// transaction), by TSS ID.
async fn shown_of(
    connection: &mut sqlx::AnyConnection,
    results: &[&RefreshResult],
) -> StorageResult<HashMap<String, Shown>> {
    let placeholders: Vec<String> = (1..=results.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT tss_id, store_id, state, error_text,
                (SELECT COUNT(*) FROM operations o
                 WHERE o.tss_id = tss.tss_id AND o.status = 'running') AS busy
         FROM tss WHERE tss_id IN ({})",
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
                    busy: row.get::<i64, _>("busy") > 0,
                },
            )
        })
        .collect())
}
