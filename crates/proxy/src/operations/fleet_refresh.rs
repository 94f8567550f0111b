//! Refresh of every TSS: reads each stored TSS from fiskaly as one durable operation for the
//! whole fleet (one at a time), as many at once as fiskaly bears (see [`AdaptiveLimit`]),
//! while the answers are stored beside the reading, a batch at a time with the run's counts, so
//! that everybody sees its progress and a run interrupted by a crash or a replica's death goes
//! on where it stood.
//! Meanwhile it counts the TSS fiskaly has that the console does not know (never adopted).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc;
use tss_model::{FleetRefresh, OperationKind};

use super::adaptive_limit::{AdaptiveLimit, Slot};
use super::{fields_of, Asked, OperationError, Operations};
use crate::fiskaly::congestion;
use crate::fiskaly::{FiskalyClient, FiskalyError, TssBody};
use crate::storage::{is_collision, Failure, LeaseError, OperationRecord, RefreshResult};

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
            let listing = every_tss_at_fiskaly(&fiskaly);
            let reads = async {
                let (results, received) = mpsc::channel(2 * BATCH);
                let ((), stored) = tokio::join!(
                    read_all(left, &fiskaly, &limit, results),
                    self.store_all(run, received),
                );
                stored
            };
            tokio::pin!(listing, reads);
            // The listing ends with the reads at the latest: a run that failed lists no more.
            let mut at_fiskaly = None;
            let reads = loop {
                tokio::select! {
                    result = &mut reads => break result,
                    listed = &mut listing, if at_fiskaly.is_none() => at_fiskaly = Some(listed),
                }
            };
            reads?;
            tracing::info!(run, reads_at_once = limit.current(), "every TSS read");
            let at_fiskaly = match at_fiskaly {
                Some(listed) => listed,
                None => listing.await,
            };
            self.record_unknown(run, at_fiskaly).await
        };
        congestion::observed_by(limit.clone(), work).await
    }

    /// Stores the reads as they arrive, a batch at a time (at most [`BATCH`], at least every
    /// [`FLUSH_EVERY`]), until every read is in; a batch that met another transaction at the
    /// wrong moment is tried again.
    async fn store_all(
        &self,
        run: i64,
        mut received: mpsc::Receiver<RefreshResult>,
    ) -> Result<(), OperationError> {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let deadline = tokio::time::sleep(FLUSH_EVERY);
            tokio::pin!(deadline);
            let ended = loop {
                tokio::select! {
                    next = received.recv() => match next {
                        Some(result) => {
                            batch.push(result);
                            if batch.len() >= BATCH {
                                break false;
                            }
                        }
                        None => break true,
                    },
                    () = &mut deadline => break false,
                }
            };
            self.store_batch(run, &batch).await?;
            batch.clear();
            if ended {
                return Ok(());
            }
        }
    }

    /// Stores one batch, trying again (a few times) when it met another transaction.
    async fn store_batch(&self, run: i64, batch: &[RefreshResult]) -> Result<(), OperationError> {
        let mut tries = 0;
        loop {
            match self.storage.record_refreshed(run, batch).await {
                Err(LeaseError::Storage(error)) if is_collision(&error) && tries < 5 => {
                    tries += 1;
                    tracing::info!(run, %error, "a batch of the refresh met another write; again");
                    tokio::time::sleep(Duration::from_millis(50 * tries)).await;
                }
                result => return result.map_err(OperationError::from),
            }
        }
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
            let first: Vec<&String> = unknown.iter().take(20).collect();
            tracing::info!(
                count = unknown.len(),
                ?first,
                "fiskaly has TSS the console does not know"
            );
        }
        Ok(self
            .storage
            .record_unknown_at_fiskaly(run, unknown.len() as u64)
            .await?)
    }
}

/// Reads the TSS `ids` with as many at once as `limit` allows and hands each answer to
/// `results`; stops early when nobody stores them any more.
async fn read_all(
    ids: Vec<String>,
    fiskaly: &Arc<FiskalyClient>,
    limit: &Arc<AdaptiveLimit>,
    results: mpsc::Sender<RefreshResult>,
) {
    let mut ids = ids.into_iter().peekable();
    let mut reading = FuturesUnordered::new();
    loop {
        tokio::select! {
            Some(result) = reading.next(), if !reading.is_empty() => {
                if results.send(result).await.is_err() {
                    return;
                }
            }
            slot = limit.slot(), if ids.peek().is_some() => {
                let id = ids.next().expect("peeked");
                reading.push(read_one(Arc::clone(fiskaly), id, slot));
            }
            else => return,
        }
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
