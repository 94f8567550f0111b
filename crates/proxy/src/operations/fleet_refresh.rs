//! Refresh of every TSS: reads each stored TSS from fiskaly as one durable operation for the
//! whole fleet (one at a time), as many at once as fiskaly bears (see [`AdaptiveLimit`]),
//! storing the answers a batch at a time with the run's counts, so that everybody sees its
//! progress and a run interrupted by a crash or a replica's death goes on where it stood.
//! Meanwhile it counts the TSS fiskaly has that the console does not know (never adopted).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tss_model::{FleetRefresh, OperationKind};

use super::adaptive_limit::{AdaptiveLimit, Slot};
use super::{fields_of, Asked, OperationError, Operations};
use crate::fiskaly::congestion;
use crate::fiskaly::{FiskalyClient, FiskalyError, TssBody};
use crate::storage::{Failure, OperationRecord, RefreshResult};

/// Reads at once when a run starts; the limit grows from here while fiskaly keeps up.
const FIRST_LIMIT: usize = 8;
/// The most reads at once.
pub const MOST_AT_ONCE: usize = 64;
/// Reads stored in one transaction at most.
const BATCH: usize = 500;
/// The longest a read waits to be stored (and the progress to show it).
const FLUSH_EVERY: Duration = Duration::from_millis(300);

impl Operations {
    /// Starts a Refresh of every TSS asked for by user `by` and answers it as it stands; it
    /// runs on in the background. Refused with `already_running` while one runs.
    pub async fn refresh_every_tss(&self, by: &str) -> Result<FleetRefresh, OperationError> {
        let asked = Asked {
            kind: OperationKind::RefreshAll,
            store_id: None,
            tss_id: None,
            terminal_id: None,
            by,
        };
        let started = self.storage.start_fleet_refresh(by).await.map_err(|e| {
            match OperationError::from(e) {
                OperationError::AlreadyRunning(_) => OperationError::AlreadyRunning(
                    "A refresh of every TSS is already running; its progress shows on the Store List."
                        .into(),
                ),
                other => other,
            }
        });
        let run = self.refusal_recorded(&asked, started).await?;
        let operations = self.clone();
        super::spawn_operation(async move {
            let _ = operations.continue_fleet_refresh(run).await;
        });
        self.storage
            .latest_fleet_refresh()
            .await?
            .ok_or_else(|| OperationError::Conflict("The refresh could not be started.".into()))
    }

    /// Runs (or resumes) run `run` to its end and records how it ended.
    pub(super) async fn continue_fleet_refresh(
        &self,
        run: OperationRecord,
    ) -> Result<(), OperationError> {
        let result = self.read_every_tss(run.id).await;
        self.conclude(&run, result).await
    }

    /// Reads every TSS run `run` has not dealt with, and counts fiskaly's unknown TSS.
    async fn read_every_tss(&self, run: i64) -> Result<(), OperationError> {
        let left = self.storage.tss_left_to_refresh(run).await?;
        let fiskaly = self.fiskaly.client();
        let limit = AdaptiveLimit::new(FIRST_LIMIT, MOST_AT_ONCE);
        let work = async {
            let (reads, at_fiskaly) = tokio::join!(
                self.read_all(run, left, &fiskaly, &limit),
                every_tss_at_fiskaly(&fiskaly),
            );
            reads?;
            tracing::info!(run, reads_at_once = limit.current(), "every TSS read");
            self.record_unknown(run, at_fiskaly).await
        };
        congestion::observed_by(limit.clone(), work).await
    }

    /// Reads the TSS `ids` with as many at once as `limit` allows, storing the answers in
    /// batches.
    async fn read_all(
        &self,
        run: i64,
        ids: Vec<String>,
        fiskaly: &Arc<FiskalyClient>,
        limit: &Arc<AdaptiveLimit>,
    ) -> Result<(), OperationError> {
        let mut ids = ids.into_iter().peekable();
        let mut reading = FuturesUnordered::new();
        let mut batch = Vec::new();
        let mut flushed = Instant::now();
        loop {
            tokio::select! {
                Some(result) = reading.next(), if !reading.is_empty() => {
                    batch.push(result);
                    if batch.len() < BATCH {
                        continue;
                    }
                }
                slot = limit.slot(), if ids.peek().is_some() => {
                    let id = ids.next().expect("peeked");
                    reading.push(read_one(Arc::clone(fiskaly), id, slot));
                    continue;
                }
                () = tokio::time::sleep_until(flushed + FLUSH_EVERY), if !batch.is_empty() => {}
                else => break,
            }
            self.storage.record_refreshed(run, &batch).await?;
            batch.clear();
            flushed = Instant::now();
        }
        Ok(self.storage.record_refreshed(run, &batch).await?)
    }

    /// Records what the count of fiskaly's unknown TSS came to, or logs why it did not.
    async fn record_unknown(
        &self,
        run: i64,
        at_fiskaly: Result<Vec<String>, FiskalyError>,
    ) -> Result<(), OperationError> {
        let at_fiskaly = match at_fiskaly {
            Ok(ids) => ids,
            Err(error) => {
                tracing::warn!(%error, "could not list fiskaly's TSS for the refresh");
                return Ok(());
            }
        };
        let known: HashSet<String> = self.storage.tss_ids(None).await?.into_iter().collect();
        let unknown: Vec<String> = at_fiskaly
            .into_iter()
            .filter(|id| !known.contains(id))
            .collect();
        if !unknown.is_empty() {
            tracing::info!(?unknown, "fiskaly has TSS the console does not know");
        }
        Ok(self
            .storage
            .record_unknown_at_fiskaly(run, unknown.len() as u64)
            .await?)
    }
}

/// Reads TSS `tss_id` in `slot`, telling the limit when it succeeded.
async fn read_one(fiskaly: Arc<FiskalyClient>, tss_id: String, slot: Slot) -> RefreshResult {
    let outcome = match fiskaly.tss(&tss_id).await {
        Ok(body) => {
            slot.succeeded();
            Ok(fields_of(&body))
        }
        Err(error) => Err(Failure::from(&OperationError::from(error))),
    };
    drop(slot);
    RefreshResult { tss_id, outcome }
}

/// The IDs (lower case) of every TSS fiskaly has.
async fn every_tss_at_fiskaly(fiskaly: &FiskalyClient) -> Result<Vec<String>, FiskalyError> {
    Ok(fiskaly
        .all_tss()
        .await?
        .into_iter()
        .map(|tss: TssBody| tss.id.to_lowercase())
        .collect())
}
