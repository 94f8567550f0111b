//! Operations taken over from where they stood: after a crash or restart, and from a replica
//! that died (its lease ran out).

use tss_model::OperationKind;

use super::{OperationError, Operations};
use crate::storage::TakeOver;

impl Operations {
    /// Takes over the running operations `which` names and resumes each in the background;
    /// answers how many.
    pub async fn resume(&self, which: TakeOver) -> Result<usize, OperationError> {
        let taken = self.storage.take_over_operations(which).await?;
        let count = taken.len();
        for operation in taken {
            tracing::info!(operation = operation.id, kind = ?operation.kind, step = ?operation.step, "resuming an interrupted operation");
            let operations = self.clone();
            super::spawn_operation(async move {
                let _ = match operation.kind {
                    OperationKind::GenerateTss | OperationKind::InitializeTss => {
                        operations.continue_setup(operation, None).await
                    }
                    OperationKind::DisableTss => operations.finish_disable(operation, true).await,
                    OperationKind::GenerateClient | OperationKind::DeregisterClient => {
                        operations.finish_client_change(operation).await
                    }
                    OperationKind::RefreshAll => operations.continue_fleet_refresh(operation).await,
                    OperationKind::ReplaceTss => {
                        operations.continue_replacement(operation, None).await
                    }
                    OperationKind::GenerateClients => {
                        operations.finish_client_batch(operation).await
                    }
                };
            });
        }
        Ok(count)
    }
}
