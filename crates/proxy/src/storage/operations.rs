//! Durable operations: one row per Generate, Initial, Disable, Generate Client ID or Deregister,
//! written before the first fiskaly call and after each step.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::Row;
use tss_model::{
    ErrorCode, NumberedStep, OperationKind, OperationProgress, OperationStatus, OperationStep,
    TerminalCounts, TssState,
};

use super::replicas::{lease_end, renew_lease};
use super::{is_unique_violation, unix_now, Storage, StorageResult};

/// An operation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRecord {
    /// Its row ID.
    pub id: i64,
    /// Which action.
    pub kind: OperationKind,
    /// Running, done or failed.
    pub status: OperationStatus,
    /// The store it concerns.
    pub store_id: Option<i64>,
    /// The TSS it concerns.
    pub tss_id: Option<String>,
    /// The terminal it concerns.
    pub terminal_id: Option<i64>,
    /// The client ID chosen for a Generate Client ID, before fiskaly knows it.
    pub client_id: Option<String>,
    /// The current step.
    pub step: OperationStep,
    /// The current step's number, from 1.
    pub step_number: u32,
    /// How many steps it has.
    pub total_steps: u32,
    /// The last error, in words for staff.
    pub last_error: Option<String>,
    /// The user who asked for it (`system` for the proxy's own work).
    pub requested_by: String,
    /// When it started.
    pub started_at: i64,
    /// For Replace TSS: the TSS it replaces (its `tss_id` is the new one).
    pub replaces_tss_id: Option<String>,
    /// For Replace TSS: whether the user confirmed that the old TSS be disabled.
    pub disable_replaced: bool,
    /// For an operation on many POS terminals: how far it got with them.
    pub terminals: Option<TerminalCounts>,
}

impl OperationRecord {
    /// The operation as the API shows it.
    pub fn progress(&self) -> OperationProgress {
        OperationProgress {
            kind: self.kind,
            status: self.status,
            step: self.step,
            step_number: self.step_number,
            total_steps: self.total_steps,
            started_at: self.started_at,
            last_error: self.last_error.clone(),
            terminals: self.terminals,
        }
    }
}

/// What a new operation is about.
#[derive(Debug, Clone)]
pub struct NewOperation<'a> {
    /// Which action.
    pub kind: OperationKind,
    /// The store, if it concerns one (Refresh of every TSS does not).
    pub store_id: Option<i64>,
    /// The TSS, if it concerns one.
    pub tss_id: Option<&'a str>,
    /// The terminal, if it concerns one.
    pub terminal_id: Option<i64>,
    /// The client ID chosen up front, if any.
    pub client_id: Option<&'a str>,
    /// The first step (a resumed setup starts past step 1); one of `kind`'s.
    pub first_step: OperationStep,
    /// The user who asked for it.
    pub requested_by: &'a str,
}

/// Why an operation could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The same kind of work is already running for that TSS, terminal or store.
    #[error("already running")]
    AlreadyRunning,
    /// The store has this INITIALIZED TSS and no additional one was asked for.
    #[error("the store has an active TSS")]
    TssAlreadyActive(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

pub(super) fn to_text<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => unreachable!("operation kinds, steps and statuses serialise to strings"),
    }
}

pub(super) fn from_text<T: DeserializeOwned>(text: String) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(text))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A stored error code; one this version does not know reads as [`ErrorCode::Unknown`].
pub(super) fn error_code_from(text: Option<String>) -> Option<ErrorCode> {
    text.map(|text| from_text(text).unwrap_or(ErrorCode::Unknown))
}

pub(super) fn operation_from(row: &sqlx::any::AnyRow) -> StorageResult<OperationRecord> {
    let kind = from_text(row.get("kind"))?;
    Ok(OperationRecord {
        id: row.get("id"),
        kind,
        status: from_text(row.get("status"))?,
        store_id: row.get("store_id"),
        tss_id: row.get("tss_id"),
        terminal_id: row.get("terminal_id"),
        client_id: row.get("client_id"),
        step: from_text(row.get("step"))?,
        step_number: row.get::<i64, _>("step_number") as u32,
        total_steps: row.get::<i64, _>("total_steps") as u32,
        last_error: row.get("last_error"),
        requested_by: row.get("requested_by"),
        started_at: row.get("started_at"),
        replaces_tss_id: row.get("replaces_tss_id"),
        disable_replaced: row.get::<i64, _>("disable_replaced") != 0,
        terminals: super::operation_items::terminal_counts_from(row, kind),
    })
}

/// Why an operation's next step or end was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// Another replica took the operation over (this one was thought dead): it must stop.
    #[error("another replica took this operation over")]
    Lost,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// Records a new running operation, leased to `owner`.
pub(super) async fn insert(
    connection: &mut sqlx::AnyConnection,
    new: &NewOperation<'_>,
    owner: &str,
) -> Result<i64, StartError> {
    let now = unix_now();
    let first = new
        .kind
        .numbered(new.first_step)
        .expect("an operation starts with one of its own steps");
    sqlx::query_scalar(
        "INSERT INTO operations (kind, status, store_id, tss_id, terminal_id, client_id, step,
                                 step_number, total_steps, started_at, updated_at, requested_by,
                                 owner, lease_until_ms)
         VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(to_text(new.kind))
    .bind(new.store_id)
    .bind(new.tss_id)
    .bind(new.terminal_id)
    .bind(new.client_id)
    .bind(to_text(first.step))
    .bind(i64::from(first.number))
    .bind(new.kind.steps().len() as i64)
    .bind(now)
    .bind(now)
    .bind(new.requested_by)
    .bind(owner)
    .bind(lease_end())
    .fetch_one(connection)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            StartError::AlreadyRunning
        } else {
            StartError::Storage(e)
        }
    })
}

/// Moves an operation to its next step and renews its lease (inside a caller's transaction);
/// refused with [`LeaseError::Lost`] when `owner` no longer holds it.
pub(super) async fn advance(
    connection: &mut sqlx::AnyConnection,
    operation_id: i64,
    step: NumberedStep,
    owner: &str,
) -> Result<(), LeaseError> {
    renew_lease(&mut *connection, operation_id, owner).await?;
    sqlx::query(
        "UPDATE operations SET step = $1, step_number = $2, last_error = NULL, updated_at = $3
         WHERE id = $4",
    )
    .bind(to_text(step.step))
    .bind(i64::from(step.number))
    .bind(unix_now())
    .bind(operation_id)
    .execute(connection)
    .await?;
    Ok(())
}

impl Storage {
    /// Records a new running operation; fails with [`StartError::AlreadyRunning`] when one is
    /// already running for the same TSS or terminal.
    pub async fn start_operation(
        &self,
        new: &NewOperation<'_>,
    ) -> Result<OperationRecord, StartError> {
        let mut connection = self.pool.acquire().await?;
        let id = insert(&mut connection, new, &self.replica).await?;
        drop(connection);
        self.started(id).await
    }

    /// Records a Generate New TSS and its TSS entry (CREATED, no PUK yet) in one transaction,
    /// before fiskaly is called: whatever happens next, the console knows the TSS ID, and
    /// fiskaly's PUT is safe to repeat while the TSS is CREATED. Unless `additional`, refused
    /// with [`StartError::TssAlreadyActive`] while the store has an INITIALIZED TSS.
    pub async fn start_generate(
        &self,
        store_id: i64,
        tss_id: &str,
        requested_by: &str,
        additional: bool,
    ) -> Result<OperationRecord, StartError> {
        let mut transaction = self.pool.begin().await?;
        let new = NewOperation {
            kind: OperationKind::GenerateTss,
            store_id: Some(store_id),
            tss_id: Some(tss_id),
            terminal_id: None,
            client_id: None,
            first_step: OperationStep::CreateTss,
            requested_by,
        };
        // The insert comes first: it makes this a write transaction (writers wait for each
        // other), so the check below sees every setup that finished before it.
        let id = insert(&mut transaction, &new, &self.replica).await?;
        if !additional {
            let active: Option<String> = sqlx::query_scalar(
                "SELECT tss_id FROM tss WHERE store_id = $1 AND state = $2 LIMIT 1",
            )
            .bind(store_id)
            .bind(TssState::Initialized.as_str())
            .fetch_optional(&mut *transaction)
            .await?;
            if let Some(active) = active {
                transaction.rollback().await?;
                return Err(StartError::TssAlreadyActive(active));
            }
        }
        super::tss::insert_created_tss(&mut transaction, store_id, tss_id).await?;
        transaction.commit().await?;
        self.started(id).await
    }

    /// Tells the open pages of operation `id`, just written, and answers it as stored.
    pub(super) async fn started(&self, id: i64) -> Result<OperationRecord, StartError> {
        self.operation_changed(id).await;
        Ok(self
            .operation(id)
            .await?
            .expect("the operation just written"))
    }

    /// One operation.
    pub async fn operation(&self, id: i64) -> StorageResult<Option<OperationRecord>> {
        let row = sqlx::query("SELECT * FROM operations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(operation_from).transpose()
    }

    /// Moves an operation this replica holds to its next step.
    pub async fn advance_operation(&self, id: i64, step: NumberedStep) -> Result<(), LeaseError> {
        let mut connection = self.pool.acquire().await?;
        advance(&mut connection, id, step, &self.replica).await?;
        drop(connection);
        self.operation_changed(id).await;
        Ok(())
    }

    /// Ends an operation this replica holds with `status` and, for a failure, what went wrong,
    /// which becomes its TSS's Error Text and code, and appends its audit row `event`, all in one
    /// transaction: nobody sees the error while it still runs, nor the end before its audit row.
    pub async fn end_operation(
        &self,
        id: i64,
        status: OperationStatus,
        failure: Option<&Failure>,
        event: Outcome<'_>,
    ) -> Result<(), LeaseError> {
        let mut transaction = self.pool.begin().await?;
        let ended = sqlx::query(
            "UPDATE operations SET status = $1, last_error = $2, updated_at = $3, owner = NULL
             WHERE id = $4 AND owner = $5 AND status = 'running'",
        )
        .bind(to_text(status))
        .bind(failure.map(|f| f.message.as_str()))
        .bind(unix_now())
        .bind(id)
        .bind(&*self.replica)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if ended != 1 {
            return Err(LeaseError::Lost);
        }
        if let Some(failure) = failure {
            sqlx::query(
                "UPDATE tss SET error_text = $1, error_code = $2
                 WHERE tss_id = (SELECT tss_id FROM operations WHERE id = $3)",
            )
            .bind(&failure.message)
            .bind(to_text(failure.code))
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        }
        insert_event(&mut transaction, event, failure).await?;
        transaction.commit().await?;
        self.operation_changed(id).await;
        Ok(())
    }

    /// Removes an operation that was refused before it did anything.
    pub async fn abandon_operation(&self, id: i64) -> StorageResult<()> {
        let about: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
            "DELETE FROM operations WHERE id = $1 AND step_number = 1 RETURNING tss_id, terminal_id",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some((tss_id, terminal_id)) = about {
            self.operation_subject_changed(tss_id.as_deref(), terminal_id)
                .await;
        }
        Ok(())
    }

    /// Every operation still marked running, on any replica.
    pub async fn running_operations(&self) -> StorageResult<Vec<OperationRecord>> {
        sqlx::query("SELECT * FROM operations WHERE status = 'running' ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(operation_from)
            .collect()
    }

    /// Appends an event to the audit log: `failed` with its `failure`, else `succeeded`.
    pub async fn record_outcome(
        &self,
        event: Outcome<'_>,
        failure: Option<&Failure>,
    ) -> StorageResult<()> {
        let mut connection = self.pool.acquire().await?;
        insert_event(&mut connection, event, failure).await
    }
}

/// Appends `event` to the audit log on `connection` (inside the caller's transaction, if any).
pub(super) async fn insert_event(
    connection: &mut sqlx::AnyConnection,
    event: Outcome<'_>,
    failure: Option<&Failure>,
) -> StorageResult<()> {
    let result = if failure.is_some() {
        "failed"
    } else {
        "succeeded"
    };
    sqlx::query(
        "INSERT INTO events (at, action, store_id, tss_id, terminal_id, result, error, actor,
                             fiskaly_request_id, account, error_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(unix_now())
    .bind(event.action.as_str())
    .bind(event.store_id)
    .bind(event.tss_id)
    .bind(event.terminal_id)
    .bind(result)
    .bind(failure.map(|f| f.message.as_str()))
    .bind(event.actor)
    .bind(event.fiskaly_request_id)
    .bind(event.account)
    .bind(failure.map(|f| to_text(f.code)))
    .execute(connection)
    .await
    .map(drop)
}

/// What went wrong, as stored with an Error Text or a failed audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// English detail; never holds a secret.
    pub message: String,
    /// The kind of failure, which the app words in the staff's language.
    pub code: ErrorCode,
}

impl Failure {
    /// A failure of kind `code` described by `message`; a NUL the message quotes (from a request
    /// or from fiskaly) is written out, since Postgres cannot store one.
    pub fn new(message: impl Into<String>, code: ErrorCode) -> Failure {
        Failure {
            message: message.into().replace('\0', "\\0"),
            code,
        }
    }
}

/// What an audit event is about.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<'a> {
    /// What was done.
    pub action: tss_model::AuditAction,
    /// The store concerned.
    pub store_id: Option<i64>,
    /// The TSS concerned.
    pub tss_id: Option<&'a str>,
    /// The terminal concerned.
    pub terminal_id: Option<i64>,
    /// The user account concerned.
    pub account: Option<&'a str>,
    /// Who asked for it.
    pub actor: &'a str,
    /// fiskaly's request-id of the last answer, if fiskaly was called.
    pub fiskaly_request_id: Option<&'a str>,
}

/// The newest operation of each TSS of a store, read on `connection` (inside the caller's read
/// transaction, so that it matches the TSS rows read there).
pub(super) async fn latest_operations_of_store(
    connection: &mut sqlx::AnyConnection,
    store_id: i64,
) -> StorageResult<Vec<OperationRecord>> {
    sqlx::query(
        "SELECT * FROM operations WHERE id IN (
             SELECT MAX(id) FROM operations WHERE store_id = $1 AND tss_id IS NOT NULL
             GROUP BY tss_id)",
    )
    .bind(store_id)
    .fetch_all(connection)
    .await?
    .iter()
    .map(operation_from)
    .collect()
}
