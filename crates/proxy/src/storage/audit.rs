//! The audit log: appended by every change, read newest first with filters; never changed (the
//! database's triggers refuse it).

use sqlx::Row;
use tss_model::{AuditAction, AuditEvent, AuditFilter};

use super::operations::error_code_from;
use super::{Storage, StorageResult};

impl Storage {
    /// One page of the events matching `query`, newest first.
    pub async fn audit_events(&self, query: &AuditFilter) -> StorageResult<Vec<AuditEvent>> {
        let rows = sqlx::query(
            "SELECT * FROM events
             WHERE ($1 IS NULL OR action = $1) AND ($2 IS NULL OR store_id = $2)
               AND ($3 IS NULL OR tss_id = $3) AND ($4 IS NULL OR terminal_id = $4)
               AND ($5 IS NULL OR result = $5) AND ($6 IS NULL OR id < $6)
               AND ($8 IS NULL OR actor = $8)
             ORDER BY id DESC LIMIT $7",
        )
        .bind(query.action.map(AuditAction::as_str))
        .bind(query.store_id)
        .bind(&query.tss_id)
        .bind(query.terminal_id)
        .bind(&query.result)
        .bind(query.before_id)
        .bind(query.page_size())
        .bind(&query.actor)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let name: String = row.get("action");
                let action = AuditAction::parse(&name).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown audit action {name:?}").into())
                })?;
                Ok(AuditEvent {
                    id: row.get("id"),
                    at: row.get("at"),
                    actor: row.get("actor"),
                    fiskaly_request_id: row.get("fiskaly_request_id"),
                    action,
                    store_id: row.get("store_id"),
                    tss_id: row.get("tss_id"),
                    terminal_id: row.get("terminal_id"),
                    account: row.get("account"),
                    result: row.get("result"),
                    error: row.get("error"),
                    error_code: error_code_from(row.get("error_code")),
                })
            })
            .collect()
    }
}
