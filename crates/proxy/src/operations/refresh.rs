//! Refresh TSS of one store: reads each of its stored TSS from fiskaly, several at a time, and
//! stores state and Error Text. (Every TSS of the fleet: see `fleet_refresh`.)

use futures_util::stream::{self, StreamExt};
use tss_model::RefreshReport;

use super::{OperationError, Operations};
use crate::storage::Failure;

/// How many TSS of a store are read from fiskaly at once.
const PARALLEL_READS: usize = 16;

impl Operations {
    /// Refreshes the TSS of store `store_id`.
    pub async fn refresh_store(&self, store_id: i64) -> Result<RefreshReport, OperationError> {
        if self.storage.store(store_id).await?.is_none() {
            return Err(OperationError::NotFound(format!(
                "There is no store {store_id}."
            )));
        }
        let fiskaly = self.fiskaly.client();
        let ids = self.storage.tss_ids(Some(store_id)).await?;
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
        Ok(report)
    }
}
