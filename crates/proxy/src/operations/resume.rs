//! After a crash or restart: every operation still marked running is picked up where it stood.

use tss_model::OperationKind;

use super::{OperationError, Operations};

impl Operations {
    /// Resumes every running operation in the background; answers how many.
    pub async fn resume_all(&self) -> Result<usize, OperationError> {
        let running = self.storage.running_operations().await?;
        let count = running.len();
        for operation in running {
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
                };
            });
        }
        Ok(count)
    }
}
