//! Operations on many POS terminals (Replace TSS, Generate Client IDs for all): each terminal's
//! TSS and client ID, chosen and stored before fiskaly is called, so that a resumed run
//! registers the very same client (fiskaly answers a repeated registration with the client it
//! has); each terminal's result, kept with its audit row and, for a failure, shown on it.

use sqlx::Row;
use tss_model::{AuditAction, ClientState, OperationKind, OperationStep, TerminalCounts};
use uuid::Uuid;

use super::clients::upsert_client;
use super::operations::{
    insert, insert_event, to_text, Failure, LeaseError, NewOperation, Outcome,
};
use super::replicas::renew_lease;
use super::{ClientRecord, OperationRecord, StartError, Storage, StorageResult};

/// A POS terminal an operation gives a client: at which TSS, under which client ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedClient {
    /// The terminal.
    pub terminal_id: i64,
    /// Its serial number, which fiskaly registers.
    pub serial_number: String,
    /// The TSS it is registered at.
    pub tss_id: String,
    /// The client ID, chosen before fiskaly was called.
    pub client_id: String,
}

/// A POS terminal an operation is to give a client at a TSS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientTarget {
    /// The terminal.
    pub terminal_id: i64,
    /// The TSS.
    pub tss_id: String,
}

/// What a Replace TSS is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct NewReplacement<'a> {
    /// The store.
    pub store_id: i64,
    /// The TSS to replace.
    pub old_tss_id: &'a str,
    /// The new TSS's ID, chosen before fiskaly is called.
    pub new_tss_id: &'a str,
    /// Whether the user confirmed that the old TSS be disabled.
    pub disable_old: bool,
    /// Who asked.
    pub requested_by: &'a str,
    /// The step it starts with: the setup's first for a new TSS; for the new TSS of an earlier
    /// replacement that failed, where that TSS stands.
    pub first_step: OperationStep,
    /// Whether the new TSS is that of an earlier replacement (its entry exists).
    pub again: bool,
}

impl Storage {
    /// Records a Replace TSS with its new TSS's entry (CREATED, no PUK yet; unless it is tried
    /// again) in one transaction, as Generate New TSS does: refused while another operation runs
    /// on the old TSS (a replacement of it too) or on many terminals of the store.
    pub async fn start_replace(
        &self,
        replacement: &NewReplacement<'_>,
    ) -> Result<OperationRecord, StartError> {
        let mut transaction = self.pool.begin().await?;
        let new = NewOperation {
            kind: OperationKind::ReplaceTss,
            store_id: Some(replacement.store_id),
            tss_id: Some(replacement.new_tss_id),
            terminal_id: None,
            client_id: None,
            first_step: replacement.first_step,
            requested_by: replacement.requested_by,
        };
        let id = insert(&mut transaction, &new, &self.replica).await?;
        let busy: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM operations WHERE (tss_id = $1 OR replaces_tss_id = $1)
                 AND status = 'running' AND id <> $2 LIMIT 1",
        )
        .bind(replacement.old_tss_id)
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await?;
        if busy.is_some() {
            transaction.rollback().await?;
            return Err(StartError::AlreadyRunning);
        }
        sqlx::query(
            "UPDATE operations SET replaces_tss_id = $1, disable_replaced = $2 WHERE id = $3",
        )
        .bind(replacement.old_tss_id)
        .bind(i64::from(replacement.disable_old))
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        if !replacement.again {
            super::tss::insert_created_tss(
                &mut transaction,
                replacement.store_id,
                replacement.new_tss_id,
            )
            .await?;
        }
        transaction.commit().await?;
        self.tss_changed(replacement.new_tss_id).await;
        self.started(id).await
    }

    /// Records an operation on many terminals (`new`) with its `targets` planned, in one
    /// transaction: a crash leaves either nothing or the whole plan.
    pub async fn start_client_batch(
        &self,
        new: &NewOperation<'_>,
        targets: &[ClientTarget],
    ) -> Result<OperationRecord, StartError> {
        let mut transaction = self.pool.begin().await?;
        let id = insert(&mut transaction, new, &self.replica).await?;
        plan(&mut transaction, id, targets).await?;
        transaction.commit().await?;
        self.started(id).await
    }

    /// The client ID an earlier operation on many terminals chose for `terminal_id` at `tss_id`:
    /// its registration may have reached fiskaly with its answer lost, and fiskaly takes one
    /// client per serial number and TSS.
    pub async fn planned_client_id(
        &self,
        terminal_id: i64,
        tss_id: &str,
    ) -> StorageResult<Option<String>> {
        sqlx::query_scalar(
            "SELECT client_id FROM operation_items WHERE terminal_id = $1 AND tss_id = $2
             ORDER BY operation_id DESC LIMIT 1",
        )
        .bind(terminal_id)
        .bind(tss_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// The new TSS of the last replacement of `old_tss_id` if it failed and that TSS can still
    /// be set up or take clients: trying the replacement again goes on with it.
    pub async fn failed_replacement_of(&self, old_tss_id: &str) -> StorageResult<Option<String>> {
        let last: Option<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT o.status, o.tss_id, t.state FROM operations o
             LEFT JOIN tss t ON t.tss_id = o.tss_id
             WHERE o.kind = 'replace_tss' AND o.replaces_tss_id = $1
             ORDER BY o.id DESC LIMIT 1",
        )
        .bind(old_tss_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(last.and_then(|(status, new_tss_id, state)| {
            let usable = matches!(
                state.as_deref(),
                Some("CREATED" | "UNINITIALIZED" | "INITIALIZED")
            );
            (status == "failed" && usable).then_some(new_tss_id)
        }))
    }

    /// Whether an operation on many terminals is about to give `terminal_id` a client.
    pub async fn terminal_in_running_batch(&self, terminal_id: i64) -> StorageResult<bool> {
        let running: Option<i64> = sqlx::query_scalar(
            "SELECT i.operation_id FROM operation_items i
             JOIN operations o ON o.id = i.operation_id
             WHERE i.terminal_id = $1 AND i.status = 'running' AND o.status = 'running' LIMIT 1",
        )
        .bind(terminal_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(running.is_some())
    }

    /// The terminals with an operation of their own running (Generate Client ID, Deregister).
    pub async fn terminals_with_running_operation(&self) -> StorageResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT terminal_id FROM operations
             WHERE status = 'running' AND terminal_id IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// The terminals with a REGISTERED client at `old_tss_id` and none at `new_tss_id`: those a
    /// disable of the old TSS would stop from signing.
    pub async fn terminals_left_at(
        &self,
        old_tss_id: &str,
        new_tss_id: &str,
    ) -> StorageResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT DISTINCT c.terminal_id FROM clients c
             WHERE c.tss_id = $1 AND c.state = 'REGISTERED'
               AND NOT EXISTS (SELECT 1 FROM clients n WHERE n.terminal_id = c.terminal_id
                               AND n.tss_id = $2 AND n.state = 'REGISTERED')
             ORDER BY c.terminal_id",
        )
        .bind(old_tss_id)
        .bind(new_tss_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Plans each of `targets` not planned yet by operation `operation_id`, and counts them all.
    /// Its client ID is the terminal's known client at that TSS, else the one an earlier
    /// operation chose for them (whose registration may have reached fiskaly unanswered), else
    /// a new one; a terminal planned before keeps its client ID.
    pub async fn plan_clients(
        &self,
        operation_id: i64,
        targets: &[ClientTarget],
    ) -> StorageResult<()> {
        let mut transaction = self.pool.begin().await?;
        plan(&mut transaction, operation_id, targets).await?;
        transaction.commit().await?;
        self.operation_changed(operation_id).await;
        Ok(())
    }

    /// The terminals operation `operation_id` planned and has not dealt with yet, by TSS.
    pub async fn clients_to_register(
        &self,
        operation_id: i64,
    ) -> StorageResult<Vec<PlannedClient>> {
        let rows = sqlx::query(
            "SELECT i.terminal_id, t.serial_number, i.tss_id, i.client_id
             FROM operation_items i JOIN terminals t ON t.id = i.terminal_id
             WHERE i.operation_id = $1 AND i.status = 'running'
             ORDER BY i.tss_id, i.terminal_id",
        )
        .bind(operation_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| PlannedClient {
                terminal_id: row.get("terminal_id"),
                serial_number: row.get("serial_number"),
                tss_id: row.get("tss_id"),
                client_id: row.get("client_id"),
            })
            .collect())
    }

    /// Records how `planned` ended: the client fiskaly registered, in its state, or the failure
    /// shown on the terminal; with the terminal's audit row, in one transaction.
    pub async fn planned_client_ended(
        &self,
        operation: &OperationRecord,
        planned: &PlannedClient,
        outcome: Result<&ClientState, &Failure>,
        fiskaly_request_id: Option<&str>,
    ) -> Result<(), LeaseError> {
        let mut transaction = self.pool.begin().await?;
        // Only while this replica holds the operation: another may have taken it over.
        renew_lease(&mut transaction, operation.id, &self.replica).await?;
        if let Ok(state) = outcome {
            let client = ClientRecord {
                client_id: planned.client_id.clone(),
                terminal_id: planned.terminal_id,
                tss_id: planned.tss_id.clone(),
                state: state.clone(),
            };
            upsert_client(&mut transaction, &client).await?;
        }
        let failure = outcome.err();
        self.end_item(
            &mut transaction,
            operation,
            planned,
            failure,
            fiskaly_request_id,
        )
        .await?;
        transaction.commit().await?;
        self.client_changed(planned.terminal_id).await;
        self.operation_changed(operation.id).await;
        Ok(())
    }

    async fn end_item(
        &self,
        transaction: &mut sqlx::AnyConnection,
        operation: &OperationRecord,
        planned: &PlannedClient,
        failure: Option<&Failure>,
        fiskaly_request_id: Option<&str>,
    ) -> StorageResult<()> {
        sqlx::query(
            "UPDATE operation_items SET status = $1, error_text = $2, error_code = $3
             WHERE operation_id = $4 AND terminal_id = $5",
        )
        .bind(if failure.is_some() {
            "failed"
        } else {
            "succeeded"
        })
        .bind(failure.map(|f| f.message.as_str()))
        .bind(failure.map(|f| to_text(f.code)))
        .bind(operation.id)
        .bind(planned.terminal_id)
        .execute(&mut *transaction)
        .await?;
        count_items(&mut *transaction, operation.id).await?;
        let event = Outcome {
            action: AuditAction::GenerateClient,
            store_id: operation.store_id,
            tss_id: Some(&planned.tss_id),
            terminal_id: Some(planned.terminal_id),
            account: None,
            actor: &operation.requested_by,
            fiskaly_request_id,
        };
        insert_event(transaction, event, failure).await
    }

    /// The terminals operation `operation_id` could not give a client, each with why.
    pub async fn item_failures(&self, operation_id: i64) -> StorageResult<Vec<(i64, Failure)>> {
        let rows = sqlx::query(
            "SELECT terminal_id, error_text, error_code FROM operation_items
             WHERE operation_id = $1 AND status = 'failed' ORDER BY terminal_id",
        )
        .bind(operation_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| {
                let code = super::operations::error_code_from(row.get("error_code"));
                let message: Option<String> = row.get("error_text");
                let failure = Failure::new(
                    message.unwrap_or_default(),
                    code.unwrap_or(tss_model::ErrorCode::Unknown),
                );
                (row.get("terminal_id"), failure)
            })
            .collect())
    }
}

/// Plans each of `targets` not planned yet by operation `operation_id` (see
/// [`Storage::plan_clients`]) and counts them all, on `connection`.
async fn plan(
    connection: &mut sqlx::AnyConnection,
    operation_id: i64,
    targets: &[ClientTarget],
) -> StorageResult<()> {
    for target in targets {
        sqlx::query(
            "INSERT INTO operation_items (operation_id, terminal_id, tss_id, client_id)
             VALUES ($1, $2, $3, COALESCE(
                 (SELECT client_id FROM clients WHERE terminal_id = $2 AND tss_id = $3
                  ORDER BY created_at DESC LIMIT 1),
                 (SELECT client_id FROM operation_items WHERE terminal_id = $2 AND tss_id = $3
                  ORDER BY operation_id DESC LIMIT 1),
                 $4))
             ON CONFLICT (operation_id, terminal_id) DO NOTHING",
        )
        .bind(operation_id)
        .bind(target.terminal_id)
        .bind(&target.tss_id)
        .bind(Uuid::new_v4().to_string())
        .execute(&mut *connection)
        .await?;
    }
    count_items(connection, operation_id).await
}

/// Writes operation `operation_id`'s terminal counts from its items.
async fn count_items(connection: &mut sqlx::AnyConnection, operation_id: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE operations SET
             items_total = (SELECT COUNT(*) FROM operation_items WHERE operation_id = $1),
             items_read = (SELECT COUNT(*) FROM operation_items
                           WHERE operation_id = $1 AND status = 'succeeded'),
             items_failed = (SELECT COUNT(*) FROM operation_items
                             WHERE operation_id = $1 AND status = 'failed')
         WHERE id = $1",
    )
    .bind(operation_id)
    .execute(connection)
    .await
    .map(drop)
}

/// The terminal counts of an operation row (`None` for an operation on one thing).
pub(super) fn terminal_counts_from(
    row: &sqlx::any::AnyRow,
    kind: OperationKind,
) -> Option<TerminalCounts> {
    if !matches!(
        kind,
        OperationKind::ReplaceTss | OperationKind::GenerateClients
    ) {
        return None;
    }
    let count = |column: &str| row.get::<Option<i64>, _>(column).unwrap_or(0).max(0) as u32;
    Some(TerminalCounts {
        total: count("items_total"),
        done: count("items_read"),
        failed: count("items_failed"),
    })
}
