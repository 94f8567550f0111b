//! Generate Client ID and Deregister client for a POS terminal.
//!
//! Generate Client ID registers the terminal's serial number at an INITIALIZED TSS of its store:
//! a new client (UUIDv4) there, or, if the terminal already has a DEREGISTERED client at that
//! same TSS, that client registered again (fiskaly keeps one client per serial number and TSS).
//! Steps: 1. `admin_login`  2. `register_client` / `deregister_client`  3. `logout`.

use tss_model::OperationStep as Step;
use tss_model::{
    ClientState, GenerateClientRequest, OperationKind, Terminal, TssEntry, TssState,
    TSS_CLIENT_LIMIT,
};
use uuid::Uuid;

use super::{run_to_the_end, Asked, OperationError, Operations};
use crate::storage::{unix_now, ClientRecord, NewOperation, OperationRecord};

impl Operations {
    /// Generate Client ID for a terminal, asked for by user `by`.
    pub async fn generate_client(
        &self,
        terminal_id: i64,
        request: &GenerateClientRequest,
        by: &str,
    ) -> Result<Terminal, OperationError> {
        let asked = Asked {
            kind: OperationKind::GenerateClient,
            store_id: None,
            tss_id: None,
            terminal_id: Some(terminal_id),
            by,
        };
        let started = self.start_generate_client(terminal_id, request, by).await;
        match self.refusal_recorded(&asked, started).await? {
            Some(operation) => {
                let operations = self.clone();
                run_to_the_end(async move { operations.finish_client_change(operation).await })
                    .await?;
            }
            // Registered at that TSS already: nothing to do, and nothing for an operation to record.
            None => self.record_asked(&asked, None).await?,
        }
        self.terminal(terminal_id).await
    }

    /// Chooses the TSS and the client ID and records the operation; `None` when the terminal is
    /// registered at that TSS already.
    async fn start_generate_client(
        &self,
        terminal_id: i64,
        request: &GenerateClientRequest,
        by: &str,
    ) -> Result<Option<OperationRecord>, OperationError> {
        let terminal = self.terminal(terminal_id).await?;
        self.refuse_while_in_batch(terminal_id).await?;
        let clients = self.storage.clients_of_terminal(terminal_id).await?;
        let current = clients
            .first()
            .filter(|c| c.state == ClientState::Registered);
        let now = unix_now();
        // A terminal that can sign where it is needs nothing (even at a full TSS), unless
        // another TSS is named.
        if let Some(current) = current {
            let other_named = request
                .tss_id
                .as_ref()
                .is_some_and(|id| id.to_lowercase() != current.tss_id);
            let signs = self.entry(&current.tss_id).await?.standing(now).signs();
            if !other_named && signs {
                return Ok(None);
            }
        }
        let tss = self.tss_for_client(&terminal, request, now).await?;
        if let Some(current) = current {
            if current.tss_id == tss.tss_id {
                return Ok(None);
            }
            if self.entry(&current.tss_id).await?.standing(now).signs() {
                return Err(OperationError::Conflict(format!(
                    "This terminal is registered at TSS {}; deregister it there first.",
                    current.tss_id
                )));
            }
        }
        // Its known client at that TSS, else the one an earlier operation on many terminals
        // chose (fiskaly may have it), else a new one.
        let known = clients
            .iter()
            .find(|c| c.tss_id == tss.tss_id)
            .map(|c| c.client_id.clone());
        let client_id = match known {
            Some(client_id) => client_id,
            None => self
                .storage
                .planned_client_id(terminal_id, &tss.tss_id)
                .await?
                .unwrap_or_else(|| Uuid::new_v4().to_string()),
        };
        let operation = self
            .storage
            .start_operation(&NewOperation {
                kind: OperationKind::GenerateClient,
                store_id: Some(terminal.store_id),
                tss_id: Some(&tss.tss_id),
                terminal_id: Some(terminal_id),
                client_id: Some(&client_id),
                first_step: Step::AdminLogin,
                requested_by: by,
            })
            .await?;
        Ok(Some(operation))
    }

    /// Refuses a change of a terminal's client while an operation on many terminals is about to
    /// give it one.
    async fn refuse_while_in_batch(&self, terminal_id: i64) -> Result<(), OperationError> {
        if self.storage.terminal_in_running_batch(terminal_id).await? {
            return Err(OperationError::AlreadyRunning(
                "This POS terminal is getting its client from an action on its whole store; wait until it has finished.".into(),
            ));
        }
        Ok(())
    }

    /// The TSS the request names, else the store's INITIALIZED TSS with the fewest clients; it
    /// must take clients at `now` (its certificate valid) and must not be full
    /// ([`TSS_CLIENT_LIMIT`]).
    async fn tss_for_client(
        &self,
        terminal: &Terminal,
        request: &GenerateClientRequest,
        now: i64,
    ) -> Result<TssEntry, OperationError> {
        let entries = self.storage.tss_entries(terminal.store_id).await?;
        let tss = match &request.tss_id {
            Some(id) => entries
                .into_iter()
                .find(|e| e.tss_id == id.to_lowercase())
                .ok_or_else(|| OperationError::NotFound(format!("The store has no TSS {id}.")))?,
            None => {
                let expired = entries
                    .iter()
                    .any(|e| e.state == TssState::Initialized && e.certificate.is_expired(now));
                let active: Vec<TssEntry> = entries
                    .into_iter()
                    .filter(|e| e.standing(now).signs())
                    .collect();
                if active.is_empty() && expired {
                    return Err(OperationError::OutOfService(
                        "The certificate of this store's TSS has expired: replace the TSS.".into(),
                    ));
                }
                if active.is_empty() {
                    return Err(OperationError::Conflict(
                        "This store has no INITIALIZED TSS: generate a new TSS for this store first.".into(),
                    ));
                }
                active
                    .into_iter()
                    .filter(|e| !e.is_full())
                    .min_by_key(|e| e.registered_clients)
                    .ok_or_else(|| {
                        OperationError::Conflict(format!(
                            "Every active TSS of this store has {TSS_CLIENT_LIMIT} clients, the most fiskaly registers: generate a new TSS for this store."
                        ))
                    })?
            }
        };
        if !tss.state.allows_client_generation() {
            return Err(OperationError::Conflict(format!(
                "The TSS is {}: generate a new TSS for this store first.",
                tss.state
            )));
        }
        if tss.certificate.is_expired(now) {
            return Err(OperationError::OutOfService(format!(
                "The certificate of the TSS {} has expired: replace the TSS.",
                tss.tss_id
            )));
        }
        if tss.is_full() {
            return Err(OperationError::Conflict(format!(
                "The TSS {} has {TSS_CLIENT_LIMIT} clients, the most fiskaly registers: choose another TSS or generate a new TSS for this store.",
                tss.tss_id
            )));
        }
        Ok(tss)
    }

    /// Deregisters a terminal's client after the caller (user `by`) confirmed it.
    pub async fn deregister_client(
        &self,
        terminal_id: i64,
        confirmed: bool,
        by: &str,
    ) -> Result<Terminal, OperationError> {
        let asked = Asked {
            kind: OperationKind::DeregisterClient,
            store_id: None,
            tss_id: None,
            terminal_id: Some(terminal_id),
            by,
        };
        let started = self.start_deregister(terminal_id, confirmed, by).await;
        let operation = self.refusal_recorded(&asked, started).await?;
        let operations = self.clone();
        run_to_the_end(async move { operations.finish_client_change(operation).await }).await?;
        self.terminal(terminal_id).await
    }

    /// Checks the confirmation and the client and records the operation.
    async fn start_deregister(
        &self,
        terminal_id: i64,
        confirmed: bool,
        by: &str,
    ) -> Result<OperationRecord, OperationError> {
        if !confirmed {
            return Err(OperationError::ConfirmationRequired(
                "Deregistering stops this POS terminal from signing: send \"confirm\": true to do it."
                    .into(),
            ));
        }
        let terminal = self.terminal(terminal_id).await?;
        self.refuse_while_in_batch(terminal_id).await?;
        let Some(client) = terminal
            .client
            .clone()
            .filter(|c| c.state == ClientState::Registered)
        else {
            return Err(OperationError::Conflict(
                "This POS terminal has no registered client.".into(),
            ));
        };
        if client.tss_certificate_expired {
            return Err(OperationError::OutOfService(
                "The certificate of this terminal's TSS has expired: fiskaly changes none of its clients. Replace the TSS.".into(),
            ));
        }
        if client.tss_state != TssState::Initialized {
            return Err(OperationError::Conflict(format!(
                "The TSS is {}: its clients cannot be changed.",
                client.tss_state
            )));
        }
        Ok(self
            .storage
            .start_operation(&NewOperation {
                kind: OperationKind::DeregisterClient,
                store_id: Some(terminal.store_id),
                tss_id: Some(&client.tss_id),
                terminal_id: Some(terminal_id),
                client_id: Some(&client.client_id),
                first_step: Step::AdminLogin,
                requested_by: by,
            })
            .await?)
    }

    /// Runs a Generate Client ID or Deregister operation and records its outcome.
    pub(super) async fn finish_client_change(
        &self,
        operation: OperationRecord,
    ) -> Result<(), OperationError> {
        let result = self.client_steps(&operation).await;
        self.conclude(&operation, result).await
    }

    async fn client_steps(&self, operation: &OperationRecord) -> Result<(), OperationError> {
        let tss_id = operation.tss_id.clone().unwrap_or_default();
        let client_id = operation.client_id.clone().unwrap_or_default();
        let terminal_id = operation.terminal_id.unwrap_or_default();
        let fiskaly = self.fiskaly.client();
        let mut record = self.record(&tss_id).await?;
        self.step(operation, Step::AdminLogin).await?;
        self.log_in_as_admin(&fiskaly, &mut record).await?;

        let known = self.storage.client(&client_id).await?;
        let target = match operation.kind {
            OperationKind::DeregisterClient => ClientState::Deregistered,
            _ => ClientState::Registered,
        };
        let step = match target {
            ClientState::Deregistered => Step::DeregisterClient,
            _ => Step::RegisterClient,
        };
        self.step(operation, step).await?;
        let body = if known.is_some() {
            self.as_admin(&fiskaly, &mut record, || {
                fiskaly.set_client_state(&tss_id, &client_id, &target)
            })
            .await?
        } else {
            let serial = self.terminal(terminal_id).await?.serial_number;
            self.as_admin(&fiskaly, &mut record, || {
                fiskaly.register_client(&tss_id, &client_id, &serial)
            })
            .await?
        };
        self.storage
            .save_client(&ClientRecord {
                client_id: client_id.clone(),
                terminal_id,
                tss_id: tss_id.clone(),
                state: body.state,
            })
            .await?;

        self.step(operation, Step::Logout).await?;
        self.log_out(&fiskaly, &tss_id).await;
        Ok(())
    }

    async fn terminal(&self, terminal_id: i64) -> Result<Terminal, OperationError> {
        self.storage.terminal(terminal_id).await?.ok_or_else(|| {
            OperationError::NotFound(format!("There is no POS terminal {terminal_id}."))
        })
    }
}
