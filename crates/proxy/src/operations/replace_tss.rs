//! Replace TSS: for a TSS fiskaly no longer takes (DISABLED, DEFECTIVE, DELETED, EVICTED, an
//! expired certificate) or whose certificate expires within 90 days — its terminals move — and
//! for a full one — the store's terminals that cannot sign get room (see
//! [`tss_model::Replacement`]). One durable operation:
//!
//! 1–6. the setup of a new TSS for the store (as Generate New TSS: its PUK is stored before it
//!      can leave CREATED)
//! 7. `register_clients`: each of those terminals gets a client at the new TSS under its serial
//!    number (each terminal's client ID stored before the call)
//! 8. `disable_replaced`: only when an administrator confirmed it separately, the old TSS can be
//!    disabled (UNINITIALIZED or INITIALIZED, certificate valid) and no terminal signs only there
//!    any more: its clients are deregistered and it is disabled.
//!
//! A replacement that failed is tried again with its new TSS (never a second one). The audit log
//! has one row for the replacement, one per terminal, and one for the disable.

use tss_model::OperationStep as Step;
use tss_model::{
    AuditAction, OperationKind, ReplaceTssRequest, Replacement, Terminal, TssEntry, TssState,
};
use uuid::Uuid;

use super::setup_tss::first_setup_step;
use super::{Asked, OperationError, Operations, SetupStarted};
use crate::fiskaly::request_ids;
use crate::storage::{unix_now, ClientTarget, NewReplacement, OperationRecord, Outcome};

impl Operations {
    /// Replace TSS `old_tss_id`, asked for by user `by`. Answers once fiskaly has created the new
    /// TSS and its PUK is stored (or, tried again, at once); the rest goes on in the background,
    /// visible in the new TSS's entry (and awaitable through the answer).
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
        let started = self.start_replace(&old_tss_id, request, by).await;
        let (operation, again) = self.refusal_recorded(&asked, started).await?;
        if again {
            let operations = self.clone();
            let new_tss_id = operation.tss_id.clone().unwrap_or_default();
            let task = super::spawn_operation(async move {
                let _ = operations.continue_replacement(operation, None).await;
            });
            return Ok(SetupStarted::new(
                self.entry(&new_tss_id).await?,
                task,
                self.clone(),
            ));
        }
        self.create_then(operation, |operations, operation| async move {
            let _ = operations
                .continue_replacement(operation, Some(TssState::Created))
                .await;
        })
        .await
    }

    /// Checks that the TSS may be replaced (as asked) and records the operation; answers it and
    /// whether it tries an earlier replacement's new TSS again.
    async fn start_replace(
        &self,
        old_tss_id: &str,
        request: &ReplaceTssRequest,
        by: &str,
    ) -> Result<(OperationRecord, bool), OperationError> {
        let old = self.entry(old_tss_id).await?;
        let now = unix_now();
        refuse_unless_replaceable(&old, now)?;
        if request.disable_old && !old.may_be_disabled_when_replaced(now) {
            return Err(OperationError::Conflict(format!(
                "The TSS {} cannot be disabled (it is {}, or full, or its certificate has expired): replace it without disabling it.",
                old.tss_id, old.state
            )));
        }
        let earlier = self.storage.failed_replacement_of(old_tss_id).await?;
        let (new_tss_id, first_step, again) = match earlier {
            Some(new_tss_id) => {
                let record = self.record(&new_tss_id).await?;
                let first = if record.state == TssState::Initialized {
                    Step::RegisterClients
                } else {
                    first_setup_step(&record)
                };
                (new_tss_id, first, true)
            }
            None => (Uuid::new_v4().to_string(), Step::CreateTss, false),
        };
        let operation = self
            .storage
            .start_replace(&NewReplacement {
                store_id: old.store_id,
                old_tss_id,
                new_tss_id: &new_tss_id,
                disable_old: request.disable_old,
                requested_by: by,
                first_step,
                again,
            })
            .await?;
        Ok((operation, again))
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
        let old = self.entry(&old_tss_id).await?;

        self.step(operation, Step::RegisterClients).await?;
        let terminals = match old.replacement(unix_now()) {
            Some(Replacement::AddRoom) => self.waiting_terminals(old.store_id).await?,
            _ => self.storage.terminals_with_client_at(&old_tss_id).await?,
        };
        let targets: Vec<ClientTarget> = terminals
            .into_iter()
            .map(|t| ClientTarget {
                terminal_id: t.id,
                tss_id: new_tss_id.clone(),
            })
            .collect();
        self.storage.plan_clients(operation.id, &targets).await?;
        self.register_planned(operation).await?;

        if operation.disable_replaced {
            self.step(operation, Step::DisableReplaced).await?;
            self.disable_replaced(operation, &old_tss_id, &new_tss_id)
                .await
                .map_err(|error| {
                    OperationError::Conflict(format!(
                        "The POS terminals have their clients at the new TSS, but the old TSS {old_tss_id} was not disabled: {}",
                        error.staff_message()
                    ))
                })?;
        }
        self.storage.mark_replaced(&old_tss_id, &new_tss_id).await?;
        Ok(())
    }

    /// The terminals of store `store_id` that cannot sign and have no operation of their own
    /// running.
    pub(super) async fn waiting_terminals(
        &self,
        store_id: i64,
    ) -> Result<Vec<Terminal>, OperationError> {
        let busy = self.storage.terminals_with_running_operation().await?;
        Ok(self
            .storage
            .terminals_of_store(store_id)
            .await?
            .into_iter()
            .filter(|t| !t.client.as_ref().is_some_and(|c| c.can_sign()))
            .filter(|t| !busy.contains(&t.id))
            .collect())
    }

    /// Disables the replaced TSS, unless fiskaly has already (a resumed run) or it cannot be
    /// (its state or certificate); refused while a terminal would lose its only signing client.
    async fn disable_replaced(
        &self,
        operation: &OperationRecord,
        old_tss_id: &str,
        new_tss_id: &str,
    ) -> Result<(), OperationError> {
        let body = self.fiskaly.client().tss(old_tss_id).await?;
        self.apply(&body).await?;
        if body.state == TssState::Disabled {
            return self.mark_clients_deregistered(old_tss_id).await;
        }
        let old = self.entry(old_tss_id).await?;
        if !old.state.allows_disable() || old.certificate.is_expired(unix_now()) {
            return Ok(());
        }
        let left = self
            .storage
            .terminals_left_at(old_tss_id, new_tss_id)
            .await?;
        if !left.is_empty() {
            return Err(OperationError::Conflict(format!(
                "{} POS terminal(s) sign only at the old TSS (terminal IDs {left:?}).",
                left.len()
            )));
        }
        self.disable_at_fiskaly(operation, old_tss_id, false)
            .await?;
        let request_id = request_ids::last_seen();
        let event = Outcome {
            action: AuditAction::DisableTss,
            store_id: operation.store_id,
            tss_id: Some(old_tss_id),
            terminal_id: None,
            account: None,
            actor: &operation.requested_by,
            fiskaly_request_id: request_id.as_deref(),
        };
        Ok(self.storage.record_outcome(event, None).await?)
    }
}

/// Refuses the replacement of a TSS that works and has room, or that was replaced already.
fn refuse_unless_replaceable(entry: &TssEntry, now: i64) -> Result<(), OperationError> {
    if let Some(new) = &entry.replaced_by {
        return Err(OperationError::Conflict(format!(
            "The TSS {} was replaced by the TSS {new} already.",
            entry.tss_id
        )));
    }
    match entry.replacement(now) {
        Some(_) => Ok(()),
        None => Err(OperationError::Conflict(format!(
            "The TSS is {} and works: replace only a TSS that is disabled, defective, deleted or evicted, whose certificate expires within 90 days, or that is full.",
            entry.state
        ))),
    }
}
