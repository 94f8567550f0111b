//! Stores and their Store List summary.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;
use tss_model::{ClientState, LiveEvent, Signing, Store, StoreInput, StoreSummary, TssState};

use super::{is_unique_violation, unix_now, Storage, StorageResult};

/// Why a store could not be written.
#[derive(Debug, thiserror::Error)]
pub enum StoreWriteError {
    /// Another store has that number.
    #[error("store number taken")]
    NumberTaken,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

fn store_from(row: &sqlx::any::AnyRow) -> Store {
    Store {
        id: row.get("id"),
        number: row.get("number"),
        name: row.get("name"),
        street: row.get("street"),
        city: row.get("city"),
    }
}

fn write_error(error: sqlx::Error) -> StoreWriteError {
    if is_unique_violation(&error) {
        StoreWriteError::NumberTaken
    } else {
        StoreWriteError::Storage(error)
    }
}

impl Storage {
    /// Adds a store.
    pub async fn insert_store(&self, input: &StoreInput) -> Result<Store, StoreWriteError> {
        let row = sqlx::query(
            "INSERT INTO stores (number, name, street, city, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id, number, name, street, city",
        )
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.street)
        .bind(&input.city)
        .bind(unix_now())
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?;
        let store = store_from(&row);
        self.live.publish(LiveEvent::Store { store_id: store.id });
        Ok(store)
    }

    /// Changes a store; `None` when there is no such store.
    pub async fn update_store(
        &self,
        id: i64,
        input: &StoreInput,
    ) -> Result<Option<Store>, StoreWriteError> {
        let row = sqlx::query(
            "UPDATE stores SET number = $1, name = $2, street = $3, city = $4 WHERE id = $5
             RETURNING id, number, name, street, city",
        )
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.street)
        .bind(&input.city)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(write_error)?;
        if row.is_some() {
            self.live.publish(LiveEvent::Store { store_id: id });
        }
        Ok(row.as_ref().map(store_from))
    }

    /// One store.
    pub async fn store(&self, id: i64) -> StorageResult<Option<Store>> {
        let row = sqlx::query("SELECT id, number, name, street, city FROM stores WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(store_from))
    }

    /// The Store List: every store whose number, name or city contains `query` (any case), by
    /// number, each with its TSS counts, terminal count and readiness, read as one snapshot.
    pub async fn store_summaries(&self, query: &str) -> StorageResult<Vec<StoreSummary>> {
        let pattern = format!("%{}%", query.trim());
        let mut snapshot = self.snapshot().await?;
        let stores: Vec<Store> = sqlx::query(
            "SELECT id, number, name, street, city FROM stores
             WHERE LOWER(number) LIKE LOWER($1) OR LOWER(name) LIKE LOWER($1)
                OR LOWER(city) LIKE LOWER($1)
             ORDER BY number",
        )
        .bind(&pattern)
        .fetch_all(&mut *snapshot)
        .await?
        .iter()
        .map(store_from)
        .collect();

        let mut tss_states: HashMap<i64, Vec<TssState>> = HashMap::new();
        for row in sqlx::query("SELECT store_id, state FROM tss")
            .fetch_all(&mut *snapshot)
            .await?
        {
            let state: String = row.get("state");
            tss_states
                .entry(row.get("store_id"))
                .or_default()
                .push(TssState::from(state));
        }
        // Each terminal with its newest client (older ones are history) and that client's TSS.
        let mut terminals: HashMap<i64, Vec<Option<(ClientState, TssState)>>> = HashMap::new();
        for row in sqlx::query(
            "SELECT t.store_id, c.state AS client_state, x.state AS tss_state
             FROM terminals t
             LEFT JOIN clients c ON c.client_id = (
                 SELECT client_id FROM clients WHERE terminal_id = t.id
                 ORDER BY created_at DESC, seq DESC LIMIT 1)
             LEFT JOIN tss x ON x.tss_id = c.tss_id",
        )
        .fetch_all(&mut *snapshot)
        .await?
        {
            let client: Option<String> = row.get("client_state");
            let tss: Option<String> = row.get("tss_state");
            let client = client
                .zip(tss)
                .map(|(client, tss)| (ClientState::from(client), TssState::from(tss)));
            terminals
                .entry(row.get("store_id"))
                .or_default()
                .push(client);
        }
        snapshot.commit().await?;

        Ok(stores
            .into_iter()
            .map(|store| {
                let states = tss_states.remove(&store.id).unwrap_or_default();
                let store_terminals = terminals.remove(&store.id).unwrap_or_default();
                let mut tss_by_state = BTreeMap::new();
                for state in &states {
                    *tss_by_state.entry(state.to_string()).or_default() += 1;
                }
                let signing = Signing::of(
                    &states,
                    store_terminals
                        .iter()
                        .map(|c| c.as_ref().map(|(c, t)| (c, t))),
                );
                StoreSummary {
                    store,
                    tss_by_state,
                    signing,
                }
            })
            .collect())
    }
}
