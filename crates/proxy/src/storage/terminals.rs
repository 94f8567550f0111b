//! POS terminals, each with its current client.

use sqlx::error::ErrorKind;
use sqlx::Row;
use tss_model::{ClientEntry, ClientState, Terminal, TerminalInput, TssState};

use super::{unix_now, Storage, StorageResult};

/// Why a terminal could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TerminalWriteError {
    /// Another terminal of the store has that number.
    #[error("terminal number taken")]
    NumberTaken,
    /// The store does not exist.
    #[error("no such store")]
    NoSuchStore,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

fn write_error(error: sqlx::Error) -> TerminalWriteError {
    match &error {
        sqlx::Error::Database(e) if e.kind() == ErrorKind::UniqueViolation => {
            TerminalWriteError::NumberTaken
        }
        sqlx::Error::Database(e) if e.kind() == ErrorKind::ForeignKeyViolation => {
            TerminalWriteError::NoSuchStore
        }
        _ => TerminalWriteError::Storage(error),
    }
}

/// Every terminal with its store and its newest client (a terminal has one client ID at a time;
/// older ones stay as history).
const SELECT_TERMINALS: &str = "
    SELECT t.id, t.number, t.name, t.store_id, s.number AS store_number, s.name AS store_name,
           t.serial_number, c.client_id, c.tss_id, c.state AS client_state, x.state AS tss_state
    FROM terminals t
    JOIN stores s ON s.id = t.store_id
    LEFT JOIN clients c ON c.client_id = (
        SELECT client_id FROM clients WHERE terminal_id = t.id
        ORDER BY created_at DESC, seq DESC LIMIT 1)
    LEFT JOIN tss x ON x.tss_id = c.tss_id";

fn terminal_from(row: &sqlx::any::AnyRow) -> Terminal {
    let client_id: Option<String> = row.get("client_id");
    let client = client_id.map(|client_id| ClientEntry {
        client_id,
        tss_id: row.get("tss_id"),
        state: ClientState::from(row.get::<String, _>("client_state")),
        tss_state: TssState::from(row.get::<String, _>("tss_state")),
    });
    Terminal {
        id: row.get("id"),
        number: row.get("number"),
        name: row.get("name"),
        store_id: row.get("store_id"),
        store_number: row.get("store_number"),
        store_name: row.get("store_name"),
        serial_number: row.get("serial_number"),
        client,
    }
}

impl Storage {
    /// Adds a terminal.
    pub async fn insert_terminal(
        &self,
        input: &TerminalInput,
    ) -> Result<Terminal, TerminalWriteError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO terminals (store_id, number, name, serial_number, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(input.store_id)
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.serial_number)
        .bind(unix_now())
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?;
        self.terminal_changed(id, input.store_id);
        Ok(self.terminal(id).await?.expect("the terminal just written"))
    }

    /// Changes a terminal; `None` when there is no such terminal.
    pub async fn update_terminal(
        &self,
        id: i64,
        input: &TerminalInput,
    ) -> Result<Option<Terminal>, TerminalWriteError> {
        // Moved to another store, it leaves the old store's card: both are told.
        let moved_from: Option<i64> =
            sqlx::query_scalar("SELECT store_id FROM terminals WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let changed = sqlx::query(
            "UPDATE terminals SET store_id = $1, number = $2, name = $3, serial_number = $4 WHERE id = $5",
        )
        .bind(input.store_id)
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.serial_number)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        if changed.rows_affected() == 0 {
            return Ok(None);
        }
        self.terminal_changed(id, input.store_id);
        if let Some(old) = moved_from.filter(|old| *old != input.store_id) {
            self.terminal_changed(id, old);
        }
        Ok(self.terminal(id).await?)
    }

    /// One terminal.
    pub async fn terminal(&self, id: i64) -> StorageResult<Option<Terminal>> {
        let row = sqlx::query(&format!("{SELECT_TERMINALS} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(terminal_from))
    }

    /// The POS Terminal List: terminals of `store_id` (all stores when `None`) whose number, name,
    /// serial number or store contains `query`, by store and number.
    pub async fn terminals(
        &self,
        store_id: Option<i64>,
        query: &str,
    ) -> StorageResult<Vec<Terminal>> {
        let pattern = format!("%{}%", query.trim());
        let rows = sqlx::query(&format!(
            "{SELECT_TERMINALS}
             WHERE ($1 IS NULL OR t.store_id = $1)
               AND (LOWER(t.number) LIKE LOWER($2) OR LOWER(t.name) LIKE LOWER($2)
                    OR LOWER(t.serial_number) LIKE LOWER($2) OR LOWER(s.number) LIKE LOWER($2)
                    OR LOWER(s.name) LIKE LOWER($2))
             ORDER BY s.number, t.number"
        ))
        .bind(store_id)
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(terminal_from).collect())
    }
}
