//! TSS entries, with the admin PUK and PIN that only the proxy ever sees.

use sqlx::Row;
use tss_model::{OperationStatus, TssCertificate, TssEntry, TssState};

use super::operations::{
    error_code_from, latest_operations_of_store, to_text, LeaseError, OperationRecord,
};
use super::{unix_now, Failure, Storage, StorageResult};

/// A TSS with its secrets, for the operations that need them. Its `Debug` never shows them.
#[derive(Clone)]
pub struct TssRecord {
    /// fiskaly's TSS ID.
    pub tss_id: String,
    /// The store it belongs to.
    pub store_id: i64,
    /// The state last learnt from fiskaly.
    pub state: TssState,
    /// The admin PUK; `None` until fiskaly's creation answer was stored.
    pub admin_puk: Option<String>,
    /// The admin PIN the proxy set; `None` until it chose one.
    pub admin_pin: Option<String>,
}

impl std::fmt::Debug for TssRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TssRecord")
            .field("tss_id", &self.tss_id)
            .field("store_id", &self.store_id)
            .field("state", &self.state)
            .field("admin_puk", &self.admin_puk.as_ref().map(|_| "<set>"))
            .field("admin_pin", &self.admin_pin.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// What the console keeps of fiskaly's answer about a TSS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiskalyTssFields {
    /// The state.
    pub state: TssState,
    /// The description.
    pub description: Option<String>,
    /// `time_creation`.
    pub time_creation: Option<i64>,
    /// `time_init`.
    pub time_init: Option<i64>,
    /// `time_disable`.
    pub time_disable: Option<i64>,
    /// The certificate; [`TssCertificate::Unknown`] (the answer had none) keeps the stored one.
    pub certificate: TssCertificate,
    /// Its serial number, for the tax office.
    pub serial_number: Option<String>,
    /// Its BSI certification ID, for the tax office.
    pub bsi_certification_id: Option<String>,
}

const SELECT_ENTRIES: &str = "
    SELECT tss.tss_id, tss.store_id, tss.state, tss.description, tss.error_text, tss.error_code,
           tss.time_creation,
           tss.time_init, tss.time_disable, tss.last_synced_at,
           tss.certificate_serial, tss.certificate_not_after, tss.certificate_unreadable,
           tss.replaced_by,
           (SELECT COUNT(*) FROM clients c
            WHERE c.tss_id = tss.tss_id AND c.state = 'REGISTERED') AS registered_clients
    FROM tss";

fn entry_from(row: &sqlx::any::AnyRow) -> TssEntry {
    TssEntry {
        tss_id: row.get("tss_id"),
        store_id: row.get("store_id"),
        state: TssState::from(row.get::<String, _>("state")),
        description: row.get("description"),
        error_text: row.get("error_text"),
        error_code: error_code_from(row.get("error_code")),
        registered_clients: row.get::<i64, _>("registered_clients") as usize,
        time_creation: row.get("time_creation"),
        time_init: row.get("time_init"),
        time_disable: row.get("time_disable"),
        last_synced_at: row.get("last_synced_at"),
        certificate: certificate_from(row),
        replaced_by: row.get("replaced_by"),
        operation: None,
    }
}

/// The certificate columns of a `tss` row.
fn certificate_from(row: &sqlx::any::AnyRow) -> TssCertificate {
    let serial: Option<String> = row.get("certificate_serial");
    let not_after: Option<i64> = row.get("certificate_not_after");
    match (serial, not_after) {
        (Some(serial), Some(not_after)) => TssCertificate::Read { serial, not_after },
        _ if row.get::<i64, _>("certificate_unreadable") != 0 => TssCertificate::Unreadable,
        _ => TssCertificate::Unknown,
    }
}

impl Storage {
    /// A TSS with its secrets.
    pub async fn tss_record(&self, tss_id: &str) -> StorageResult<Option<TssRecord>> {
        let row = sqlx::query(
            "SELECT tss_id, store_id, state, admin_puk, admin_pin FROM tss WHERE tss_id = $1",
        )
        .bind(tss_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let open = |column: &str, context: String| -> StorageResult<Option<String>> {
            row.get::<Option<String>, _>(column)
                .map(|sealed| self.sealer.open(&sealed, &context))
                .transpose()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))
        };
        Ok(Some(TssRecord {
            admin_puk: open("admin_puk", puk_context(tss_id))?,
            admin_pin: open("admin_pin", pin_context(tss_id))?,
            tss_id: row.get("tss_id"),
            store_id: row.get("store_id"),
            state: TssState::from(row.get::<String, _>("state")),
        }))
    }

    /// The TSS entries of a store, oldest first, each with its running or failed operation. The
    /// rows and the operations are read in one transaction, one snapshot: read apart, an
    /// operation that failed in between showed as failed on a row without its Error Text, and
    /// the page stopped polling before the text arrived.
    pub async fn tss_entries(&self, store_id: i64) -> StorageResult<Vec<TssEntry>> {
        let mut snapshot = self.snapshot().await?;
        let rows = sqlx::query(&format!(
            "{SELECT_ENTRIES} WHERE tss.store_id = $1 ORDER BY tss.created_at, tss.tss_id"
        ))
        .bind(store_id)
        .fetch_all(&mut *snapshot)
        .await?;
        let operations = latest_operations_of_store(&mut snapshot, store_id).await?;
        snapshot.commit().await?;
        Ok(rows
            .iter()
            .map(|row| with_operation(entry_from(row), &operations))
            .collect())
    }

    /// One TSS entry, read as one snapshot like [`Storage::tss_entries`].
    pub async fn tss_entry(&self, tss_id: &str) -> StorageResult<Option<TssEntry>> {
        let mut snapshot = self.snapshot().await?;
        let Some(row) = sqlx::query(&format!("{SELECT_ENTRIES} WHERE tss.tss_id = $1"))
            .bind(tss_id)
            .fetch_optional(&mut *snapshot)
            .await?
        else {
            return Ok(None);
        };
        let entry = entry_from(&row);
        let operations = latest_operations_of_store(&mut snapshot, entry.store_id).await?;
        snapshot.commit().await?;
        Ok(Some(with_operation(entry, &operations)))
    }

    /// The IDs of the TSS of one store, or of every store.
    pub async fn tss_ids(&self, store_id: Option<i64>) -> StorageResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT tss_id FROM tss WHERE $1 IS NULL OR store_id = $1 ORDER BY tss_id",
        )
        .bind(store_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Stores fiskaly's creation answer: the PUK and the TSS's fields, and advances the operation
    /// to its next step, in one transaction. The PUK is kept even when another replica took the
    /// operation over meanwhile ([`LeaseError::Lost`]): it is fiskaly's only copy.
    pub async fn store_created_tss(
        &self,
        tss_id: &str,
        admin_puk: &str,
        fields: &FiskalyTssFields,
        operation_id: i64,
        next_step: tss_model::NumberedStep,
    ) -> Result<(), LeaseError> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "UPDATE tss SET admin_puk = $1, error_text = NULL, error_code = NULL WHERE tss_id = $2",
        )
        .bind(self.sealer.seal(admin_puk, &puk_context(tss_id)))
        .bind(tss_id)
        .execute(&mut *transaction)
        .await?;
        apply_fields(&mut transaction, tss_id, fields).await?;
        let advanced =
            super::operations::advance(&mut transaction, operation_id, next_step, &self.replica)
                .await;
        if let Err(LeaseError::Storage(error)) = advanced {
            return Err(LeaseError::Storage(error));
        }
        transaction.commit().await?;
        self.tss_changed(tss_id).await;
        advanced
    }

    /// Remembers the admin PIN the proxy is about to set at fiskaly.
    pub async fn store_admin_pin(&self, tss_id: &str, admin_pin: &str) -> StorageResult<()> {
        sqlx::query("UPDATE tss SET admin_pin = $1 WHERE tss_id = $2")
            .bind(self.sealer.seal(admin_pin, &pin_context(tss_id)))
            .bind(tss_id)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// Stores what fiskaly says of a TSS and clears its Error Text and code.
    pub async fn apply_fiskaly_tss(
        &self,
        tss_id: &str,
        fields: &FiskalyTssFields,
    ) -> StorageResult<()> {
        let mut transaction = self.pool.begin().await?;
        apply_fields(&mut transaction, tss_id, fields).await?;
        sqlx::query("UPDATE tss SET error_text = NULL, error_code = NULL WHERE tss_id = $1")
            .bind(tss_id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        self.tss_changed(tss_id).await;
        Ok(())
    }

    /// Sets the Error Text staff see on the TSS entry, with the kind of failure.
    pub async fn set_tss_error(&self, tss_id: &str, failure: &Failure) -> StorageResult<()> {
        sqlx::query("UPDATE tss SET error_text = $1, error_code = $2 WHERE tss_id = $3")
            .bind(&failure.message)
            .bind(to_text(failure.code))
            .bind(tss_id)
            .execute(&self.pool)
            .await?;
        self.tss_changed(tss_id).await;
        Ok(())
    }

    /// Records that TSS `old_tss_id` was replaced by `new_tss_id` (Replace TSS succeeded).
    pub async fn mark_replaced(&self, old_tss_id: &str, new_tss_id: &str) -> StorageResult<()> {
        let store: Option<i64> = sqlx::query_scalar(
            "UPDATE tss SET replaced_by = $1 WHERE tss_id = $2 RETURNING store_id",
        )
        .bind(new_tss_id)
        .bind(old_tss_id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(store_id) = store {
            // Its certificate no longer counts for the store.
            sqlx::query("UPDATE stores SET status_stale = 1 WHERE id = $1")
                .bind(store_id)
                .execute(&self.pool)
                .await?;
            self.tss_of_store_changed(store_id, old_tss_id).await;
        }
        Ok(())
    }

    /// Forgets a TSS that fiskaly refused to create; only possible while no PUK was stored.
    pub async fn discard_uncreated_tss(&self, tss_id: &str) -> StorageResult<()> {
        let store: Option<i64> = sqlx::query_scalar(
            "DELETE FROM tss WHERE tss_id = $1 AND admin_puk IS NULL RETURNING store_id",
        )
        .bind(tss_id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(store_id) = store {
            self.tss_of_store_changed(store_id, tss_id).await;
        }
        Ok(())
    }
}

/// Writes the entry of a TSS about to be created at fiskaly (CREATED, no PUK yet), inside the
/// transaction that records the operation creating it.
pub(super) async fn insert_created_tss(
    transaction: &mut sqlx::AnyConnection,
    store_id: i64,
    tss_id: &str,
) -> StorageResult<()> {
    sqlx::query("INSERT INTO tss (tss_id, store_id, state, created_at) VALUES ($1, $2, $3, $4)")
        .bind(tss_id)
        .bind(store_id)
        .bind(TssState::Created.as_str())
        .bind(unix_now())
        .execute(transaction)
        .await
        .map(drop)
}

/// What a sealed PUK is bound to: it opens only as the PUK of this TSS.
pub(super) fn puk_context(tss_id: &str) -> String {
    format!("admin_puk:{tss_id}")
}

/// What a sealed PIN is bound to.
pub(super) fn pin_context(tss_id: &str) -> String {
    format!("admin_pin:{tss_id}")
}

/// Stores fiskaly's `fields` of TSS `tss_id` and when they were read, on `transaction`.
pub(super) async fn apply_fields(
    transaction: &mut sqlx::AnyConnection,
    tss_id: &str,
    fields: &FiskalyTssFields,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE tss SET state = $1, description = COALESCE($2, description),
                time_creation = COALESCE($3, time_creation), time_init = COALESCE($4, time_init),
                time_disable = COALESCE($5, time_disable), last_synced_at = $6,
                serial_number = COALESCE($7, serial_number),
                bsi_certification_id = COALESCE($8, bsi_certification_id)
         WHERE tss_id = $9",
    )
    .bind(fields.state.as_str())
    .bind(&fields.description)
    .bind(fields.time_creation)
    .bind(fields.time_init)
    .bind(fields.time_disable)
    .bind(unix_now())
    .bind(&fields.serial_number)
    .bind(&fields.bsi_certification_id)
    .bind(tss_id)
    .execute(&mut *transaction)
    .await?;
    apply_certificate(transaction, tss_id, &fields.certificate).await
}

/// Stores a TSS's certificate as read from fiskaly (an absent one keeps the stored one), and
/// whether it has expired by now.
async fn apply_certificate(
    transaction: &mut sqlx::AnyConnection,
    tss_id: &str,
    certificate: &TssCertificate,
) -> StorageResult<()> {
    let (serial, not_after, unreadable) = match certificate {
        TssCertificate::Unknown => return Ok(()),
        TssCertificate::Unreadable => (None, None, 1),
        TssCertificate::Read { serial, not_after } => (Some(serial), Some(*not_after), 0),
    };
    let expired = not_after.is_some_and(|at| at <= unix_now());
    sqlx::query(
        "UPDATE tss SET certificate_serial = $1, certificate_not_after = $2,
                certificate_unreadable = $3, certificate_expired = $4
         WHERE tss_id = $5",
    )
    .bind(serial)
    .bind(not_after)
    .bind(unreadable)
    .bind(i64::from(expired))
    .bind(tss_id)
    .execute(transaction)
    .await
    .map(drop)
}

fn with_operation(mut entry: TssEntry, operations: &[OperationRecord]) -> TssEntry {
    entry.operation = operations
        .iter()
        .find(|op| op.tss_id.as_deref() == Some(entry.tss_id.as_str()))
        .filter(|op| op.status != OperationStatus::Succeeded)
        .map(OperationRecord::progress);
    entry
}
