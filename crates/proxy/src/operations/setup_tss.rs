//! Generate New TSS and Initial TSS: fiskaly's setup sequence, continued from wherever the TSS
//! stands.
//!
//! 1. `create_tss`: `PUT /tss/{new uuid4}`; the PUK is stored in the transaction that records
//!    the step, before the TSS can leave CREATED
//! 2. `deploy`: CREATED → UNINITIALIZED (slow; long timeout)
//! 3. `set_admin_pin`: a random PIN, stored first, then set with the PUK
//! 4. `admin_login`
//! 5. `initialize`: UNINITIALIZED → INITIALIZED with a description from the store
//! 6. `logout`

use tss_model::{tss_description, OperationKind, TssEntry, TssState};
use uuid::Uuid;

use super::{fields_of, OperationError, Operations};
use crate::fiskaly::FiskalyClient;
use crate::storage::{NewOperation, OperationRecord, TssRecord};

/// Steps of the setup sequence.
const SETUP_STEPS: u32 = 6;

impl Operations {
    /// Generate New TSS for a store. Answers once fiskaly has created the TSS and its PUK is
    /// stored; the rest of the setup goes on in the background, visible in the entry's progress.
    /// `by` names the user who asked for it, for the audit log.
    pub async fn generate_tss(&self, store_id: i64, by: &str) -> Result<TssEntry, OperationError> {
        if self.storage.store(store_id).await?.is_none() {
            return Err(OperationError::NotFound(format!(
                "There is no store {store_id}."
            )));
        }
        let tss_id = Uuid::new_v4().to_string();
        let operation = self
            .storage
            .start_generate(store_id, &tss_id, SETUP_STEPS, by)
            .await?;
        let fiskaly = self.fiskaly.client();
        match fiskaly.create_tss(&tss_id).await {
            Ok(body) => {
                let Some(puk) = body.admin_puk.clone() else {
                    let error = OperationError::Fiskaly(crate::fiskaly::FiskalyError::Malformed(
                        "the new TSS came without its admin PUK".into(),
                    ));
                    return Err(self.conclude(&operation, Err(error)).await.unwrap_err());
                };
                self.storage
                    .store_created_tss(
                        &tss_id,
                        &puk,
                        &fields_of(&body),
                        operation.id,
                        ("deploy", 2),
                    )
                    .await?;
            }
            Err(error) if error.is_refusal() => {
                // fiskaly refused to create it (e.g. the TSS limit): nothing exists there.
                self.storage.discard_uncreated_tss(&tss_id).await?;
                return Err(self
                    .conclude(&operation, Err(error.into()))
                    .await
                    .unwrap_err());
            }
            Err(error) => {
                // It may or may not exist at fiskaly: keep the entry; Initial TSS repeats the PUT.
                return Err(self
                    .conclude(&operation, Err(error.into()))
                    .await
                    .unwrap_err());
            }
        }
        let operations = self.clone();
        super::spawn_operation(async move {
            let _ = operations
                .continue_setup(operation, Some(TssState::Created))
                .await;
        });
        self.entry(&tss_id).await
    }

    /// Initial TSS: finishes the setup of a CREATED or UNINITIALIZED TSS in the background;
    /// `by` names the user who asked for it.
    pub async fn initialize_tss(&self, tss_id: &str, by: &str) -> Result<TssEntry, OperationError> {
        let record = self.record(tss_id).await?;
        if !record.state.allows_initialize() {
            return Err(OperationError::Conflict(format!(
                "The TSS is {}: only a CREATED or UNINITIALIZED TSS can be initialised.",
                record.state
            )));
        }
        let operation = self
            .storage
            .start_operation(&NewOperation {
                kind: OperationKind::InitializeTss,
                store_id: record.store_id,
                tss_id: Some(tss_id),
                terminal_id: None,
                client_id: None,
                first_step: "create_tss",
                total_steps: SETUP_STEPS,
                requested_by: by,
            })
            .await?;
        let operations = self.clone();
        super::spawn_operation(async move {
            let _ = operations.continue_setup(operation, None).await;
        });
        self.entry(tss_id).await
    }

    /// Runs the setup from where the TSS stands (`known`: its state, if just learnt; otherwise
    /// it is read from fiskaly first) and records the outcome.
    pub(super) async fn continue_setup(
        &self,
        operation: OperationRecord,
        known: Option<TssState>,
    ) -> Result<(), OperationError> {
        let result = self.setup_steps(&operation, known).await;
        self.conclude(&operation, result).await
    }

    async fn setup_steps(
        &self,
        operation: &OperationRecord,
        known: Option<TssState>,
    ) -> Result<(), OperationError> {
        let tss_id = operation.tss_id.clone().unwrap_or_default();
        let fiskaly = self.fiskaly.client();
        let mut record = self.record(&tss_id).await?;
        let mut state = match (record.admin_puk.is_some(), known) {
            (false, _) => self.create_again(&fiskaly, operation, &mut record).await?,
            (true, Some(state)) => state,
            (true, None) => {
                let body = fiskaly.tss(&tss_id).await?;
                self.apply(&body).await?;
                body.state
            }
        };
        if state == TssState::Created {
            self.step(operation, "deploy", 2).await?;
            let body = fiskaly.deploy_tss(&tss_id).await?;
            self.apply(&body).await?;
            state = body.state;
        }
        if state == TssState::Uninitialized {
            if record.admin_pin.is_none() {
                self.step(operation, "set_admin_pin", 3).await?;
                self.set_new_admin_pin(&fiskaly, &mut record).await?;
            }
            self.step(operation, "admin_login", 4).await?;
            self.log_in_as_admin(&fiskaly, &mut record).await?;
            self.step(operation, "initialize", 5).await?;
            let description = self.description_for(record.store_id).await?;
            let body = self
                .as_admin(&fiskaly, &mut record, || {
                    fiskaly.initialize_tss(&tss_id, &description)
                })
                .await?;
            self.apply(&body).await?;
            state = body.state;
            self.step(operation, "logout", 6).await?;
            self.log_out(&fiskaly, &tss_id).await;
        }
        if state == TssState::Initialized {
            Ok(())
        } else {
            Err(OperationError::Conflict(format!(
                "The TSS is {state}: it cannot be initialised. Generate a new TSS for this store."
            )))
        }
    }

    /// Repeats the creation of a TSS whose PUK the console does not have yet (the first PUT's
    /// answer was lost): fiskaly answers the same TSS with its PUK while it is CREATED.
    async fn create_again(
        &self,
        fiskaly: &FiskalyClient,
        operation: &OperationRecord,
        record: &mut TssRecord,
    ) -> Result<TssState, OperationError> {
        self.step(operation, "create_tss", 1).await?;
        let body = match fiskaly.create_tss(&record.tss_id).await {
            Err(error) if error.code() == Some("E_TSS_CONFLICT") => {
                return Err(OperationError::PukNeverReceived)
            }
            other => other?,
        };
        let puk = body
            .admin_puk
            .clone()
            .ok_or(OperationError::PukNeverReceived)?;
        self.storage
            .store_created_tss(
                &record.tss_id,
                &puk,
                &fields_of(&body),
                operation.id,
                ("deploy", 2),
            )
            .await?;
        record.admin_puk = Some(puk);
        Ok(body.state)
    }

    async fn description_for(&self, store_id: i64) -> Result<String, OperationError> {
        let store = self.storage.store(store_id).await?;
        Ok(store
            .map(|s| tss_description(&format!("{} {}", s.number, s.name)))
            .unwrap_or_default())
    }

    /// A TSS with its secrets, or 404.
    pub(super) async fn record(&self, tss_id: &str) -> Result<TssRecord, OperationError> {
        self.storage
            .tss_record(tss_id)
            .await?
            .ok_or_else(|| OperationError::NotFound(format!("There is no TSS {tss_id}.")))
    }

    /// A TSS entry as the API shows it, or 404.
    pub(super) async fn entry(&self, tss_id: &str) -> Result<TssEntry, OperationError> {
        self.storage
            .tss_entry(tss_id)
            .await?
            .ok_or_else(|| OperationError::NotFound(format!("There is no TSS {tss_id}.")))
    }
}
