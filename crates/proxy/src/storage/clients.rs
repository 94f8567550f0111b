//! Clients: which terminal is registered at which TSS, in which state.

use sqlx::Row;
use tss_model::ClientState;

use super::{unix_now, Storage, StorageResult};

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    /// fiskaly's client ID.
    pub client_id: String,
    /// The terminal.
    pub terminal_id: i64,
    /// The TSS.
    pub tss_id: String,
    /// Its state.
    pub state: ClientState,
}

fn client_from(row: &sqlx::any::AnyRow) -> ClientRecord {
    ClientRecord {
        client_id: row.get("client_id"),
        terminal_id: row.get("terminal_id"),
        tss_id: row.get("tss_id"),
        state: ClientState::from(row.get::<String, _>("state")),
    }
}

impl Storage {
    /// Records a client fiskaly registered, or updates its state when it is known.
    pub async fn save_client(&self, client: &ClientRecord) -> StorageResult<()> {
        let mut connection = self.pool.acquire().await?;
        upsert_client(&mut connection, client).await?;
        drop(connection);
        self.client_changed(client.terminal_id).await;
        Ok(())
    }

    /// Sets a known client's state.
    pub async fn set_client_state(
        &self,
        client_id: &str,
        state: &ClientState,
    ) -> StorageResult<()> {
        let terminal: Option<i64> = sqlx::query_scalar(
            "UPDATE clients SET state = $1, updated_at = $2 WHERE client_id = $3 RETURNING terminal_id",
        )
        .bind(state.as_str())
        .bind(unix_now())
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(terminal_id) = terminal {
            self.client_changed(terminal_id).await;
        }
        Ok(())
    }

    /// One client.
    pub async fn client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>> {
        let row = sqlx::query("SELECT * FROM clients WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(client_from))
    }

    /// The clients of a terminal: the REGISTERED one first, then the others newest first.
    pub async fn clients_of_terminal(&self, terminal_id: i64) -> StorageResult<Vec<ClientRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM clients WHERE terminal_id = $1
             ORDER BY CASE WHEN state = 'REGISTERED' THEN 0 ELSE 1 END, created_at DESC, seq DESC",
        )
        .bind(terminal_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(client_from).collect())
    }

    /// The clients of a TSS.
    pub async fn clients_of_tss(&self, tss_id: &str) -> StorageResult<Vec<ClientRecord>> {
        let rows = sqlx::query("SELECT * FROM clients WHERE tss_id = $1 ORDER BY seq")
            .bind(tss_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(client_from).collect())
    }
}

/// Writes `client` on `connection` (inside the caller's transaction, if any): a new one, or the
/// new state of a known one.
pub(super) async fn upsert_client(
    connection: &mut sqlx::AnyConnection,
    client: &ClientRecord,
) -> StorageResult<()> {
    let now = unix_now();
    sqlx::query(
        "INSERT INTO clients (client_id, terminal_id, tss_id, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (client_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(&client.client_id)
    .bind(client.terminal_id)
    .bind(&client.tss_id)
    .bind(client.state.as_str())
    .bind(now)
    .bind(now)
    .execute(connection)
    .await
    .map(drop)
}
