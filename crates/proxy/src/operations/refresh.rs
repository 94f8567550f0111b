//! Refresh TSS: reads every stored TSS of a store (or of all stores) from fiskaly, several at a
//! time, and stores state and Error Text; TSS that fiskaly has and the console does not are
//! reported, never adopted silently.

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt};
use tss_model::RefreshReport;

use super::{OperationError, Operations};
use crate::storage::Failure;

/// How many TSS are read from fiskaly at once.
const PARALLEL_READS: usize = 16;

impl Operations {
    /// Refreshes the TSS of `store_id`, or of every store when `None`.
    pub async fn refresh(&self, store_id: Option<i64>) -> Result<RefreshReport, OperationError> {
        if let Some(id) = store_id {
            if self.storage.store(id).await?.is_none() {
                return Err(OperationError::NotFound(format!("There is no store {id}.")));
            }
        }
        let fiskaly = self.fiskaly.client();
        let ids = self.storage.tss_ids(store_id).await?;
        let reads: Vec<_> = stream::iter(ids)
            .map(|id| {
                let fiskaly = fiskaly.clone();
                async move {
                    let result = fiskaly.tss(&id).await;
                    (id, result)
                }
            })
            .buffer_unordered(PARALLEL_READS)
            .collect()
            .await;
        let mut report = RefreshReport::default();
        for (id, result) in reads {
            match result {
                Ok(body) => {
                    self.apply(&body).await?;
                    report.refreshed += 1;
                }
                Err(error) => {
                    let failure = Failure::from(&OperationError::from(error));
                    self.storage.set_tss_error(&id, &failure).await?;
                    report.failed += 1;
                }
            }
        }
        let known: HashSet<String> = self.storage.tss_ids(None).await?.into_iter().collect();
        match fiskaly.all_tss().await {
            Ok(all) => {
                report.unknown_at_fiskaly = all
                    .into_iter()
                    .map(|t| t.id.to_lowercase())
                    .filter(|id| !known.contains(id))
                    .collect();
            }
            Err(error) => {
                tracing::warn!(%error, "could not list fiskaly's TSS for the refresh report")
            }
        }
        Ok(report)
    }
}
