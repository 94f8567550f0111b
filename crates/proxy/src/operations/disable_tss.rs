//! Disable TSS: permanent, so it needs an explicit confirmation, runs once at a time per TSS, and
//! deregisters the TSS's clients first (afterwards fiskaly refuses client changes).
//!
//! 1. `admin_login`  2. `deregister_clients`  3. `disable`  4. `logout`

use tss_model::OperationStep as Step;
use tss_model::{ClientState, OperationKind, TssEntry, TssState};

use super::{run_to_the_end, Asked, OperationError, Operations};
use crate::storage::{NewOperation, OperationRecord};

impl Operations {
    /// Disables a TSS after the caller (user `by`) confirmed it.
    pub async fn disable_tss(
        &self,
        tss_id: &str,
        confirmed: bool,
        by: &str,
    ) -> Result<TssEntry, OperationError> {
        let asked = Asked {
            kind: OperationKind::DisableTss,
            store_id: None,
            tss_id: Some(tss_id),
            terminal_id: None,
            by,
        };
        let started = self.start_disable(tss_id, confirmed, by).await;
        let operation = self.refusal_recorded(&asked, started).await?;
        let operations = self.clone();
        run_to_the_end(async move { operations.finish_disable(operation, false).await }).await?;
        self.entry(tss_id).await
    }

    /// Checks the confirmation and records the operation, which then holds the TSS; refuses a
    /// TSS that cannot be disabled (any more).
    async fn start_disable(
        &self,
        tss_id: &str,
        confirmed: bool,
        by: &str,
    ) -> Result<OperationRecord, OperationError> {
        if !confirmed {
            return Err(OperationError::ConfirmationRequired(
                "Disabling a TSS cannot be undone: send \"confirm\": true to disable it.".into(),
            ));
        }
        let record = self.record(tss_id).await?;
        let operation = self
            .storage
            .start_operation(&NewOperation {
                kind: OperationKind::DisableTss,
                store_id: Some(record.store_id),
                tss_id: Some(tss_id),
                terminal_id: None,
                client_id: None,
                first_step: Step::AdminLogin,
                requested_by: by,
            })
            .await?;
        // Read again now that this request holds the TSS: an earlier request may have disabled it.
        let record = self.record(tss_id).await?;
        if !record.state.allows_disable() {
            self.storage.abandon_operation(operation.id).await?;
            return Err(OperationError::Conflict(format!(
                "The TSS is {}: only an UNINITIALIZED or INITIALIZED TSS can be disabled.",
                record.state
            )));
        }
        Ok(operation)
    }

    /// Runs the disable steps; `resumed` after a crash, when fiskaly may already have disabled it.
    pub(super) async fn finish_disable(
        &self,
        operation: OperationRecord,
        resumed: bool,
    ) -> Result<(), OperationError> {
        let result = self.disable_steps(&operation, resumed).await;
        self.conclude(&operation, result).await
    }

    async fn disable_steps(
        &self,
        operation: &OperationRecord,
        resumed: bool,
    ) -> Result<(), OperationError> {
        let tss_id = operation.tss_id.clone().unwrap_or_default();
        if resumed {
            let body = self.fiskaly.client().tss(&tss_id).await?;
            self.apply(&body).await?;
            if body.state == TssState::Disabled {
                return self.mark_clients_deregistered(&tss_id).await;
            }
        }
        self.disable_at_fiskaly(operation, &tss_id, true).await
    }

    /// Deregisters the clients of TSS `tss_id` and disables it, within `operation`; with
    /// `own_steps` each part shows as a step of its own (Disable TSS), else the operation stays
    /// at the step it is at (Replace TSS's `disable_replaced`).
    pub(super) async fn disable_at_fiskaly(
        &self,
        operation: &OperationRecord,
        tss_id: &str,
        own_steps: bool,
    ) -> Result<(), OperationError> {
        let fiskaly = self.fiskaly.client();
        let step = |step| async move {
            if own_steps {
                self.step(operation, step).await
            } else {
                self.storage
                    .check_lease(operation.id)
                    .await
                    .map_err(Into::into)
            }
        };
        let mut record = self.record(tss_id).await?;
        step(Step::AdminLogin).await?;
        self.log_in_as_admin(&fiskaly, &mut record).await?;

        step(Step::DeregisterClients).await?;
        for client in fiskaly.registered_clients(tss_id).await? {
            self.storage.check_lease(operation.id).await?;
            let client_id = client.id.to_lowercase();
            self.as_admin(&fiskaly, &mut record, || {
                fiskaly.set_client_state(tss_id, &client_id, &ClientState::Deregistered)
            })
            .await?;
            self.storage
                .set_client_state(&client_id, &ClientState::Deregistered)
                .await?;
        }

        step(Step::Disable).await?;
        let body = self
            .as_admin(&fiskaly, &mut record, || fiskaly.disable_tss(tss_id))
            .await?;
        self.apply(&body).await?;
        self.mark_clients_deregistered(tss_id).await?;

        step(Step::Logout).await?;
        self.log_out(&fiskaly, tss_id).await;
        Ok(())
    }

    /// A disabled TSS signs nothing: its clients are shown as deregistered.
    pub(super) async fn mark_clients_deregistered(
        &self,
        tss_id: &str,
    ) -> Result<(), OperationError> {
        for client in self.storage.clients_of_tss(tss_id).await? {
            if client.state != ClientState::Deregistered {
                self.storage
                    .set_client_state(&client.client_id, &ClientState::Deregistered)
                    .await?;
            }
        }
        Ok(())
    }
}
