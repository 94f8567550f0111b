//! The staff's actions as durable, multi-step fiskaly sequences: each is recorded before its
//! first fiskaly call, advanced after each step, resumed after a crash, never run twice at once
//! for the same TSS or terminal, and safe to repeat because fiskaly's PUT and PATCH are
//! idempotent.

mod adaptive_limit;
mod admin;
mod client_batch;
mod clients;
mod disable_tss;
mod error;
mod fleet_refresh;
mod refresh;
mod replace_tss;
mod resume;
mod setup_tss;

use std::future::Future;

use tss_model::{NumberedStep, OperationKind, OperationStatus, OperationStep};

use crate::fiskaly::{request_ids, FiskalyConnection, TssBody};
use crate::storage::{Failure, FiskalyTssFields, OperationRecord, Outcome, Storage};
use tss_model::AuditAction;

pub use error::OperationError;
pub use setup_tss::SetupStarted;

/// Who asked for which operation on what: the audit row of a request that ends before an
/// operation starts (refused, or with nothing to do), which no operation records.
#[derive(Debug, Clone, Copy)]
struct Asked<'a> {
    kind: OperationKind,
    store_id: Option<i64>,
    tss_id: Option<&'a str>,
    terminal_id: Option<i64>,
    by: &'a str,
}

/// Runs the operations against the current fiskaly connection and the storage.
#[derive(Debug, Clone)]
pub struct Operations {
    storage: Storage,
    fiskaly: FiskalyConnection,
}

impl Operations {
    /// Operations on `storage` through `fiskaly`.
    pub fn new(storage: Storage, fiskaly: FiskalyConnection) -> Operations {
        Operations { storage, fiskaly }
    }

    /// The storage the operations record in.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Shows the operation at `step` (its name and number) before that step's fiskaly call.
    async fn step(
        &self,
        operation: &OperationRecord,
        step: OperationStep,
    ) -> Result<(), OperationError> {
        self.storage
            .advance_operation(operation.id, numbered(operation.kind, step))
            .await
            .map_err(OperationError::from)
    }

    /// Hands `result` on; a refusal (an operation that never started) is recorded as the
    /// request's audit row first.
    async fn refusal_recorded<T>(
        &self,
        asked: &Asked<'_>,
        result: Result<T, OperationError>,
    ) -> Result<T, OperationError> {
        if let Err(error) = &result {
            self.record_asked(asked, Some(error)).await?;
        }
        result
    }

    /// Appends the audit row of a request no operation records: refused with `error`, or
    /// succeeded with nothing to do.
    async fn record_asked(
        &self,
        asked: &Asked<'_>,
        error: Option<&OperationError>,
    ) -> Result<(), OperationError> {
        let event = Outcome {
            action: AuditAction::from(asked.kind),
            store_id: asked.store_id,
            tss_id: asked.tss_id,
            terminal_id: asked.terminal_id,
            account: None,
            actor: asked.by,
            fiskaly_request_id: None,
        };
        let failure = error.map(Failure::from);
        Ok(self.storage.record_outcome(event, failure.as_ref()).await?)
    }

    /// Stores what fiskaly answered about a TSS.
    async fn apply(&self, body: &TssBody) -> Result<(), OperationError> {
        self.storage
            .apply_fiskaly_tss(&body.id.to_lowercase(), &fields_of(body))
            .await
            .map_err(OperationError::from)
    }

    /// Records how an operation ended: its status, the TSS's Error Text, an audit event.
    async fn conclude(
        &self,
        operation: &OperationRecord,
        result: Result<(), OperationError>,
    ) -> Result<(), OperationError> {
        let (status, failure) = match &result {
            Ok(()) => (OperationStatus::Succeeded, None),
            Err(e) => (OperationStatus::Failed, Some(Failure::from(e))),
        };
        match &result {
            Err(OperationError::LeaseLost) => {
                tracing::warn!(
                    operation = operation.id,
                    "another replica took this operation over"
                );
                return result;
            }
            Err(OperationError::Storage(error)) if crate::storage::is_unavailable(error) => {
                tracing::warn!(operation = operation.id, %error, "the database failed under a running operation; it will be resumed");
                self.storage.release_operation(operation.id).await?;
                return result;
            }
            _ => {}
        }
        if let Some(Failure { message, .. }) = &failure {
            tracing::warn!(operation = operation.id, kind = ?operation.kind, %message, "operation failed");
        }
        let fiskaly_request_id = request_ids::last_seen();
        let event = Outcome {
            action: AuditAction::from(operation.kind),
            store_id: operation.store_id,
            tss_id: operation.tss_id.as_deref(),
            terminal_id: operation.terminal_id,
            account: None,
            actor: &operation.requested_by,
            fiskaly_request_id: fiskaly_request_id.as_deref(),
        };
        self.storage
            .end_operation(operation.id, status, failure.as_ref(), event)
            .await?;
        result
    }
}

/// Runs `work` on its own task and waits for it: if the caller goes away (a closed browser tab),
/// the operation still runs to its end instead of stopping between two fiskaly calls.
async fn run_to_the_end<F>(work: F) -> Result<(), OperationError>
where
    F: Future<Output = Result<(), OperationError>> + Send + 'static,
{
    match spawn_operation(work).await {
        Ok(result) => result,
        Err(panic) => {
            tracing::error!(%panic, "an operation task panicked");
            Err(OperationError::Conflict(
                "The action stopped unexpectedly; it will be resumed when the proxy restarts."
                    .into(),
            ))
        }
    }
}

/// Runs an operation's `work` on its own task, noting fiskaly's request-ids for its audit row.
fn spawn_operation<F>(work: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(request_ids::recording(work))
}

/// The fields of fiskaly's answer the console keeps.
fn fields_of(body: &TssBody) -> FiskalyTssFields {
    FiskalyTssFields {
        state: body.state.clone(),
        description: body.description.clone(),
        time_creation: body.time_creation,
        time_init: body.time_init,
        time_disable: body.time_disable,
        certificate: crate::fiskaly::read_certificate(body.certificate.as_deref()),
        serial_number: body.serial_number.clone(),
        bsi_certification_id: body.bsi_certification_id.clone(),
    }
}

/// `step` with its number in an operation of `kind`.
fn numbered(kind: OperationKind, step: OperationStep) -> NumberedStep {
    kind.numbered(step)
        .expect("an operation runs only the steps its kind lists")
}
