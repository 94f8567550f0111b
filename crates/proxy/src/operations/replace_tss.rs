//! Replace TSS: for a TSS fiskaly no longer takes (DISABLED, DEFECTIVE, DELETED, EVICTED, an
//! expired certificate), one whose certificate expires within 90 days, or a full one. One
//! durable operation:
//!
//! 1–6. the setup of a new TSS for the store (as Generate New TSS: its PUK is stored before it
//!      can leave CREATED)
//! 7. `register_clients`: every POS terminal whose client is at the old TSS is registered at
//!    the new one under its serial number (each terminal's client ID stored before the call)
//! 8. `disable_replaced`: only when the user confirmed it separately, the old TSS is still
//!    UNINITIALIZED or INITIALIZED and every terminal moved: its clients are deregistered and it
//!    is disabled.
//!
//! The audit log gets one row for the replacement and one per moved terminal.

use tss_model::OperationStep as Step;
use tss_model::{OperationKind, ReplaceTssRequest, TssEntry, TssState};
use uuid::Uuid;

use super::{Asked, OperationError, Operations, SetupStarted};
use crate::storage::{unix_now, ClientTarget, NewReplacement, OperationRecord};

/// Refuses the replacement of a TSS that works (see [`TssEntry::needs_replacement`]).
fn replaceable(entry: &TssEntry, now: i64) -> Result<(), OperationError> {
    if entry.needs_replacement(now) {
        Ok(())
    } else {
        Err(OperationError::Conflict(format!(
            "The TSS is {} and works: replace only a TSS that is disabled, defective, deleted or evicted, whose certificate expires within 90 days, or that is full.",
            entry.state
        )))
    }
}

impl Operations {
    /// Replace TSS `old_tss_id`, asked for by user `by`. Answers once fiskaly has created the new
    /// TSS and its PUK is stored; the rest goes on in the background, visible in the new TSS's
    /// entry (and awaitable through the answer).
    pub async fn replace_tss(
        &self,
        old_tss_id: &str,
        request: &ReplaceTssRequest,
        by: &str,
    ) -> Result<SetupStarted, OperationError> {
        let old_tss_id = old_tss_id.to_lowercase();
        let asked = Asked {
            kind: OperationKind::ReplaceTss,
            store_id: None,
            tss_id: Some(&old_tss_id),
            terminal_id: None,
            by,
        };
        let new_tss_id = Uuid::new_v4().to_string();
        let started = self
            .start_replace(&old_tss_id, &new_tss_id, request, by)
            .await;
        let operation = self.refusal_recorded(&asked, started).await?;
        self.create_at_fiskaly(&operation, &new_tss_id).await?;
        let operations = self.clone();
        let replacement = super::spawn_operation(async move {
            let _ = operations
                .continue_replacement(operation, Some(TssState::Created))
                .await;
        });
        Ok(SetupStarted::new(
            self.entry(&new_tss_id).await?,
            replacement,
            self.clone(),
        ))
    }

    /// Checks that the TSS may be replaced and records the operation with the new TSS's entry.
    async fn start_replace(
        &self,
        old_tss_id: &str,
        new_tss_id: &str,
        request: &ReplaceTssRequest,
        by: &str,
    ) -> Result<OperationRecord, OperationError> {
        let old = self.entry(old_tss_id).await?;
        replaceable(&old, unix_now())?;
        Ok(self
            .storage
            .start_replace(&NewReplacement {
                store_id: old.store_id,
                old_tss_id,
                new_tss_id,
                disable_old: request.disable_old,
                requested_by: by,
            })
            .await?)
    }

    /// Runs the replacement from where it stands (`known`: the new TSS's state, if just learnt)
    /// and records its outcome.
    pub(super) async fn continue_replacement(
        &self,
        operation: OperationRecord,
        known: Option<TssState>,
    ) -> Result<(), OperationError> {
        let result = self.replacement_steps(&operation, known).await;
        self.conclude(&operation, result).await
    }

    async fn replacement_steps(
        &self,
        operation: &OperationRecord,
        known: Option<TssState>,
    ) -> Result<(), OperationError> {
        // Repeating the setup of a TSS that is INITIALIZED already costs one read.
        self.setup_steps(operation, known).await?;
        let new_tss_id = operation.tss_id.clone().unwrap_or_default();
        let old_tss_id = operation.replaces_tss_id.clone().unwrap_or_default();

        self.step(operation, Step::RegisterClients).await?;
        let store_id = operation.store_id.unwrap_or_default();
        let targets: Vec<ClientTarget> = self
            .storage
            .terminals_of_store(store_id)
            .await?
            .into_iter()
            .filter(|t| t.client.as_ref().is_some_and(|c| c.tss_id == old_tss_id))
            .map(|t| ClientTarget {
                terminal_id: t.id,
                tss_id: new_tss_id.clone(),
            })
            .collect();
        self.storage.plan_clients(operation.id, &targets).await?;
        self.register_planned(operation).await?;

        if operation.disable_replaced {
            self.step(operation, Step::DisableReplaced).await?;
            let fiskaly = self.fiskaly.client();
            let old = fiskaly.tss(&old_tss_id).await?;
            self.apply(&old).await?;
            if old.state.allows_disable() {
                self.disable_at_fiskaly(operation, &old_tss_id, false)
                    .await?;
            }
        }
        Ok(())
    }
}
