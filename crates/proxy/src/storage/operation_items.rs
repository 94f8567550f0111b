//! Operations on many POS terminals (Replace TSS, Generate Client IDs for all): each terminal's
//! TSS and client ID, chosen and stored before fiskaly is called, so that a resumed run
//! registers the very same client (fiskaly answers a repeated registration with the client it
//! has); each terminal's result, kept with its audit row and, for a failure, shown on it.

use sqlx::Row;
use tss_model::{AuditAction, ClientState, OperationKind, OperationStep, TerminalCounts};
use uuid::Uuid;

use super::clients::upsert_client;
use super::operations::{insert, insert_event, to_text, Failure, NewOperation, Outcome};
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
}

impl Storage {
    /// Records a Replace TSS with its new TSS's entry (CREATED, no PUK yet) in one transaction,
    /// as Generate New TSS does: refused while another operation runs on the old TSS or on many
    /// terminals of the store.
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
            first_step: OperationStep::CreateTss,
            requested_by: replacement.requested_by,
        };
        let id = insert(&mut transaction, &new, &self.replica).await?;
        let busy: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM operations WHERE tss_id = $1 AND status = 'running' LIMIT 1",
        )
        .bind(replacement.old_tss_id)
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
        super::tss::insert_created_tss(
            &mut transaction,
            replacement.store_id,
            replacement.new_tss_id,
        )
        .await?;
        transaction.commit().await?;
        self.tss_changed(replacement.new_tss_id).await;
        self.started(id).await
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
            .execute(&mut *transaction)
            .await?;
        }
        count_items(&mut transaction, operation_id).await?;
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
    ) -> StorageResult<()> {
        let mut transaction = self.pool.begin().await?;
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
