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
//!
//! A store that has an INITIALIZED TSS gets another one only when the request says it is meant
//! as an additional TSS.

use tss_model::OperationStep as Step;
use tss_model::{tss_description, GenerateTssRequest, OperationKind, TssEntry, TssState};
use uuid::Uuid;

use super::{fields_of, numbered, Asked, OperationError, Operations};
use crate::fiskaly::FiskalyClient;
use crate::storage::{NewOperation, OperationRecord, TssRecord};

/// A Generate New TSS whose TSS fiskaly has created; the rest of its setup runs in the
/// background.
pub struct SetupStarted {
    /// The new TSS as it stands now, with the setup's progress.
    pub entry: TssEntry,
    setup: tokio::task::JoinHandle<()>,
    operations: Operations,
}

impl SetupStarted {
    /// A setup of `entry` running as `setup`.
    pub(super) fn new(
        entry: TssEntry,
        setup: tokio::task::JoinHandle<()>,
        operations: Operations,
    ) -> SetupStarted {
        SetupStarted {
            entry,
            setup,
            operations,
        }
    }

    /// Waits until the setup has ended; the entry then shows the TSS's state and, if the setup
    /// failed, why (for the demo's stores and the benches, which need the TSS ready first).
    pub async fn to_the_end(self) -> Result<TssEntry, OperationError> {
        // The outcome, a failure too, is recorded in the entry.
        let _ = self.setup.await;
        self.operations.entry(&self.entry.tss_id).await
    }
}

impl Operations {
    /// Generate New TSS for a store, asked for by user `by`. Answers once fiskaly has created the
    /// TSS and its PUK is stored; the rest of the setup goes on in the background, visible in
    /// the entry's progress (and awaitable through the answer). Refused while the store has an
    /// INITIALIZED TSS, unless `request` asks for an additional one.
    pub async fn generate_tss(
        &self,
        store_id: i64,
        request: &GenerateTssRequest,
        by: &str,
    ) -> Result<SetupStarted, OperationError> {
        let asked = Asked {
            kind: OperationKind::GenerateTss,
            store_id: Some(store_id),
            tss_id: None,
            terminal_id: None,
            by,
        };
        let tss_id = Uuid::new_v4().to_string();
        let started = self.start_generate(store_id, &tss_id, request, by).await;
        let operation = self.refusal_recorded(&asked, started).await?;
        self.create_then(operation, |operations, operation| async move {
            let _ = operations
                .continue_setup(operation, Some(TssState::Created))
                .await;
        })
        .await
    }

    /// Has fiskaly create the operation's TSS and then runs `rest`, both on a task of their own
    /// (a request that goes away leaves neither half done); answers once the TSS is created and
    /// its PUK stored, or why not.
    pub(super) async fn create_then<F, Fut>(
        &self,
        operation: OperationRecord,
        rest: F,
    ) -> Result<SetupStarted, OperationError>
    where
        F: FnOnce(Operations, OperationRecord) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let tss_id = operation.tss_id.clone().unwrap_or_default();
        let (created_tx, created_rx) = tokio::sync::oneshot::channel();
        let operations = self.clone();
        let task = super::spawn_operation(async move {
            let created = operations
                .create_at_fiskaly(&operation, &operation.tss_id.clone().unwrap_or_default())
                .await;
            let go_on = created.is_ok();
            let _ = created_tx.send(created);
            if go_on {
                rest(operations, operation).await;
            }
        });
        match created_rx.await {
            Ok(created) => created?,
            Err(_) => {
                return Err(OperationError::Conflict(
                    "The action stopped unexpectedly; it will be resumed when the proxy restarts."
                        .into(),
                ))
            }
        }
        Ok(SetupStarted::new(
            self.entry(&tss_id).await?,
            task,
            self.clone(),
        ))
    }

    /// Checks that the store may get a new TSS and records the operation with its entry.
    async fn start_generate(
        &self,
        store_id: i64,
        tss_id: &str,
        request: &GenerateTssRequest,
        by: &str,
    ) -> Result<OperationRecord, OperationError> {
        if self.storage.store(store_id).await?.is_none() {
            return Err(OperationError::NotFound(format!(
                "There is no store {store_id}."
            )));
        }
        Ok(self
            .storage
            .start_generate(store_id, tss_id, by, request.additional)
            .await?)
    }

    /// Step 1 of Generate New TSS: fiskaly creates the TSS and the PUK is stored. A failure ends
    /// the operation, recorded.
    async fn create_at_fiskaly(
        &self,
        operation: &OperationRecord,
        tss_id: &str,
    ) -> Result<(), OperationError> {
        let fiskaly = self.fiskaly.client();
        match fiskaly.create_tss(tss_id).await {
            Ok(body) => {
                let Some(puk) = body.admin_puk.clone() else {
                    let error = OperationError::Fiskaly(crate::fiskaly::FiskalyError::Malformed(
                        "the new TSS came without its admin PUK".into(),
                    ));
                    return self.conclude(operation, Err(error)).await;
                };
                self.storage
                    .store_created_tss(
                        tss_id,
                        &puk,
                        &fields_of(&body),
                        operation.id,
                        numbered(operation.kind, Step::Deploy),
                    )
                    .await?;
                Ok(())
            }
            Err(error) => {
                if error.is_refusal() {
                    // fiskaly refused to create it (e.g. the TSS limit): nothing exists there.
                    self.storage.discard_uncreated_tss(tss_id).await?;
                }
                // Otherwise it may or may not exist at fiskaly: the entry stays, and Initial TSS
                // repeats the PUT.
                self.conclude(operation, Err(error.into())).await
            }
        }
    }

    /// Initial TSS: finishes the setup of a CREATED or UNINITIALIZED TSS in the background;
    /// `by` names the user who asked for it. The progress starts at the step the setup really
    /// does first for this TSS.
    pub async fn initialize_tss(&self, tss_id: &str, by: &str) -> Result<TssEntry, OperationError> {
        let asked = Asked {
            kind: OperationKind::InitializeTss,
            store_id: None,
            tss_id: Some(tss_id),
            terminal_id: None,
            by,
        };
        let started = self.start_initialize(tss_id, by).await;
        let operation = self.refusal_recorded(&asked, started).await?;
        let operations = self.clone();
        super::spawn_operation(async move {
            let _ = operations.continue_setup(operation, None).await;
        });
        self.entry(tss_id).await
    }

    /// Checks that the TSS can be initialised and records the operation.
    async fn start_initialize(
        &self,
        tss_id: &str,
        by: &str,
    ) -> Result<OperationRecord, OperationError> {
        let record = self.record(tss_id).await?;
        if !record.state.allows_initialize() {
            return Err(OperationError::Conflict(format!(
                "The TSS is {}: only a CREATED or UNINITIALIZED TSS can be initialised.",
                record.state
            )));
        }
        Ok(self
            .storage
            .start_operation(&NewOperation {
                kind: OperationKind::InitializeTss,
                store_id: Some(record.store_id),
                tss_id: Some(tss_id),
                terminal_id: None,
                client_id: None,
                first_step: first_setup_step(&record),
                requested_by: by,
            })
            .await?)
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

    pub(super) async fn setup_steps(
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
            self.step(operation, Step::Deploy).await?;
            let body = fiskaly.deploy_tss(&tss_id).await?;
            self.apply(&body).await?;
            state = body.state;
        }
        if state == TssState::Uninitialized {
            if record.admin_pin.is_none() {
                self.step(operation, Step::SetAdminPin).await?;
                self.set_new_admin_pin(&fiskaly, &mut record).await?;
            }
            self.step(operation, Step::AdminLogin).await?;
            self.log_in_as_admin(&fiskaly, &mut record).await?;
            self.step(operation, Step::Initialize).await?;
            let description = self.description_for(record.store_id).await?;
            let body = self
                .as_admin(&fiskaly, &mut record, || {
                    fiskaly.initialize_tss(&tss_id, &description)
                })
                .await?;
            self.apply(&body).await?;
            state = body.state;
            self.step(operation, Step::Logout).await?;
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
        self.step(operation, Step::CreateTss).await?;
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
                numbered(operation.kind, Step::Deploy),
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

/// The step the setup of a TSS as stored does first: creating it again only while its PUK is
/// missing, deploying a CREATED one, then setting the PIN unless one is stored, else logging in.
pub(super) fn first_setup_step(record: &TssRecord) -> Step {
    if record.admin_puk.is_none() {
        Step::CreateTss
    } else if record.state == TssState::Created {
        Step::Deploy
    } else if record.admin_pin.is_none() {
        Step::SetAdminPin
    } else {
        Step::AdminLogin
    }
}
