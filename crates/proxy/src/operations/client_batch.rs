//! Clients for many POS terminals in one operation: Generate Client IDs for all POS terminals of
//! a store that cannot sign, and the move of a replaced TSS's terminals. Each terminal's TSS and
//! client ID are stored before fiskaly is called; a terminal that fails gets its Error Text and
//! the others go on; a resumed run registers only the terminals still open, under the same IDs.

use std::collections::BTreeMap;

use tss_model::OperationStep as Step;
use tss_model::{
    ClientBatchReport, ClientState, OperationKind, TerminalFailure, TssEntry, TSS_CLIENT_LIMIT,
};

use super::{run_to_the_end, Asked, OperationError, Operations};
use crate::fiskaly::{request_ids, FiskalyClient};
use crate::storage::{
    unix_now, ClientTarget, Failure, NewOperation, OperationRecord, PlannedClient,
};

impl Operations {
    /// Generate Client IDs for every POS terminal of store `store_id` that cannot sign, asked for
    /// by user `by`: each at the store's INITIALIZED TSS with the fewest clients that still takes
    /// some. Answers how many got one and why the others did not.
    pub async fn generate_clients(
        &self,
        store_id: i64,
        by: &str,
    ) -> Result<ClientBatchReport, OperationError> {
        let asked = Asked {
            kind: OperationKind::GenerateClients,
            store_id: Some(store_id),
            tss_id: None,
            terminal_id: None,
            by,
        };
        let started = self.start_generate_clients(store_id, by).await;
        let Some(operation) = self.refusal_recorded(&asked, started).await? else {
            self.record_asked(&asked, None).await?;
            return Ok(ClientBatchReport::default());
        };
        let operations = self.clone();
        let id = operation.id;
        // The failures of single terminals are in the report; the operation's own end is too.
        let _ =
            run_to_the_end(async move { operations.finish_client_batch(operation).await }).await;
        self.client_batch_report(id).await
    }

    /// Plans a client for each terminal that cannot sign and records the operation; `None` when
    /// every terminal can sign.
    async fn start_generate_clients(
        &self,
        store_id: i64,
        by: &str,
    ) -> Result<Option<OperationRecord>, OperationError> {
        if self.storage.store(store_id).await?.is_none() {
            return Err(OperationError::NotFound(format!(
                "There is no store {store_id}."
            )));
        }
        let waiting: Vec<i64> = self
            .waiting_terminals(store_id)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        if waiting.is_empty() {
            return Ok(None);
        }
        let entries = self.storage.tss_entries(store_id).await?;
        let targets = spread_over_tss(&waiting, &entries, unix_now())?;
        let new = NewOperation {
            kind: OperationKind::GenerateClients,
            store_id: Some(store_id),
            tss_id: None,
            terminal_id: None,
            client_id: None,
            first_step: Step::RegisterClients,
            requested_by: by,
        };
        Ok(Some(self.storage.start_client_batch(&new, &targets).await?))
    }

    /// Registers the planned clients of a Generate Client IDs for all and records its end.
    pub(super) async fn finish_client_batch(
        &self,
        operation: OperationRecord,
    ) -> Result<(), OperationError> {
        let result = self.register_planned(&operation).await;
        self.conclude(&operation, result).await
    }

    /// Registers every planned client still open, TSS by TSS (one admin login each); a terminal
    /// that fails is recorded as failed and the others go on. Fails, after all were tried, when
    /// any terminal failed.
    pub(super) async fn register_planned(
        &self,
        operation: &OperationRecord,
    ) -> Result<(), OperationError> {
        let mut by_tss: BTreeMap<String, Vec<PlannedClient>> = BTreeMap::new();
        for planned in self.storage.clients_to_register(operation.id).await? {
            by_tss
                .entry(planned.tss_id.clone())
                .or_default()
                .push(planned);
        }
        let fiskaly = self.fiskaly.client();
        for (tss_id, planned) in by_tss {
            let mut record = self.record(&tss_id).await?;
            self.storage.check_lease(operation.id).await?;
            let login = match self.log_in_as_admin(&fiskaly, &mut record).await {
                Err(OperationError::LeaseLost) => return Err(OperationError::LeaseLost),
                Err(OperationError::Storage(error)) => return Err(error.into()),
                login => login,
            };
            for client in &planned {
                self.storage.check_lease(operation.id).await?;
                // A failed login fails each of its terminals, with its reason.
                let outcome = match &login {
                    Ok(()) => match self.register_one(&fiskaly, &mut record, client).await {
                        Ok(state) => Ok(state),
                        Err(OperationError::LeaseLost) => return Err(OperationError::LeaseLost),
                        Err(OperationError::Storage(error)) => return Err(error.into()),
                        Err(error) => Err(Failure::from(&error)),
                    },
                    Err(error) => Err(Failure::from(error)),
                };
                let request_id = request_ids::last_seen();
                self.storage
                    .planned_client_ended(
                        operation,
                        client,
                        outcome.as_ref(),
                        request_id.as_deref(),
                    )
                    .await?;
            }
            if login.is_ok() {
                self.log_out(&fiskaly, &tss_id).await;
            }
        }
        let failed = self.storage.item_failures(operation.id).await?.len();
        if failed == 0 {
            Ok(())
        } else {
            Err(OperationError::Conflict(format!(
                "{failed} POS terminal(s) got no client; each shows why. Try again on their cards."
            )))
        }
    }

    /// Registers one planned client: a new one, or the terminal's known client at that TSS
    /// registered again.
    async fn register_one(
        &self,
        fiskaly: &FiskalyClient,
        record: &mut crate::storage::TssRecord,
        planned: &PlannedClient,
    ) -> Result<ClientState, OperationError> {
        let known = self.storage.client(&planned.client_id).await?;
        let (tss_id, client_id) = (&planned.tss_id, &planned.client_id);
        let body = match known {
            Some(known) if known.state != ClientState::Registered => {
                self.as_admin(fiskaly, record, || {
                    fiskaly.set_client_state(tss_id, client_id, &ClientState::Registered)
                })
                .await?
            }
            _ => {
                self.as_admin(fiskaly, record, || {
                    fiskaly.register_client(tss_id, client_id, &planned.serial_number)
                })
                .await?
            }
        };
        Ok(body.state)
    }

    /// What a Generate Client IDs for all did, from its record.
    async fn client_batch_report(&self, id: i64) -> Result<ClientBatchReport, OperationError> {
        let counts = self
            .storage
            .operation(id)
            .await?
            .and_then(|op| op.terminals)
            .unwrap_or_default();
        let failures = self
            .storage
            .item_failures(id)
            .await?
            .into_iter()
            .map(|(terminal_id, failure)| TerminalFailure {
                terminal_id,
                message: failure.message,
                code: failure.code,
            })
            .collect();
        Ok(ClientBatchReport { counts, failures })
    }
}

/// Assigns each of `terminals` to the store's TSS that takes clients (INITIALIZED, certificate
/// valid at `now`, not full), the emptiest first; refused when none takes any, or too few.
pub(super) fn spread_over_tss(
    terminals: &[i64],
    entries: &[TssEntry],
    now: i64,
) -> Result<Vec<ClientTarget>, OperationError> {
    let mut room: Vec<(usize, &str)> = entries
        .iter()
        .filter(|e| e.standing(now).signs() && !e.is_full())
        .map(|e| (e.registered_clients, e.tss_id.as_str()))
        .collect();
    if room.is_empty() {
        return Err(OperationError::Conflict(
            "This store has no INITIALIZED TSS that takes further clients: generate a new TSS for this store first.".into(),
        ));
    }
    let mut targets = Vec::with_capacity(terminals.len());
    for terminal_id in terminals {
        let emptiest = room
            .iter_mut()
            .filter(|(clients, _)| *clients < TSS_CLIENT_LIMIT)
            .min_by_key(|(clients, _)| *clients)
            .ok_or_else(|| {
                OperationError::Conflict(format!(
                    "The store's active TSS have room for fewer than {} further clients: generate a new TSS for this store first.",
                    terminals.len()
                ))
            })?;
        emptiest.0 += 1;
        targets.push(ClientTarget {
            terminal_id: *terminal_id,
            tss_id: emptiest.1.to_owned(),
        });
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tss_model::{TssCertificate, TssState};

    fn entry(tss_id: &str, state: TssState, registered_clients: usize) -> TssEntry {
        TssEntry {
            tss_id: tss_id.into(),
            store_id: 1,
            state,
            description: None,
            error_text: None,
            error_code: None,
            registered_clients,
            time_creation: None,
            time_init: None,
            time_disable: None,
            last_synced_at: None,
            certificate: TssCertificate::Unknown,
            replaced_by: None,
            operation: None,
        }
    }

    #[test]
    fn a_tss_with_198_clients_takes_one_more_and_a_full_or_broken_one_none() {
        let entries = [
            entry("a", TssState::Initialized, 198),
            entry("full", TssState::Initialized, 199),
            entry("broken", TssState::Defective, 0),
        ];
        let targets = spread_over_tss(&[1], &entries, 0).unwrap();
        assert_eq!(targets[0].tss_id, "a");
        let refused = spread_over_tss(&[1, 2], &entries, 0).unwrap_err();
        assert!(
            refused.to_string().contains("generate a new TSS"),
            "{refused}"
        );
    }

    #[test]
    fn terminals_fill_the_emptiest_tss_first_and_skip_an_expired_certificate() {
        let mut expired = entry("expired", TssState::Initialized, 0);
        expired.certificate = TssCertificate::Read {
            serial: "01".into(),
            not_after: 10,
        };
        let entries = [
            entry("a", TssState::Initialized, 3),
            entry("b", TssState::Initialized, 1),
            expired,
        ];
        let targets = spread_over_tss(&[1, 2, 3], &entries, 100).unwrap();
        let at: Vec<&str> = targets.iter().map(|t| t.tss_id.as_str()).collect();
        assert_eq!(at, ["b", "b", "a"]);
        let only_expired = [entries[2].clone()];
        assert!(spread_over_tss(&[1], &only_expired, 100).is_err());
    }
}
