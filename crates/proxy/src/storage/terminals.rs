//! POS terminals, each with its current client; the POS Terminal List one page at a time.

use sqlx::error::ErrorKind;
use sqlx::Row;
use tss_model::{
    ClientEntry, ClientFilter, ClientState, Page, Terminal, TerminalInput, TerminalQuery,
    TerminalService, TssState,
};

use super::cursor::{BadCursor, PageError, Position};
use super::filter::{Filter, PageRead, Searched};
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

/// Every terminal with its store and its client: the REGISTERED one, else the newest (a terminal
/// is registered at one TSS at a time; other clients stay as history, and one registered again
/// under its old ID is older than the one it replaced).
const TERMINAL_COLUMNS: &str = "
    t.id, t.number, t.name, t.store_id, s.number AS store_number, s.name AS store_name,
    t.serial_number, t.list_key, t.model, t.software, t.in_service_since,
    t.out_of_service_since, c.client_id, c.tss_id, c.state AS client_state,
    x.state AS tss_state, x.certificate_expired, x.certificate_not_after,
    (SELECT i.error_text FROM operation_items i WHERE i.terminal_id = t.id
     ORDER BY i.operation_id DESC LIMIT 1) AS item_error_text,
    (SELECT i.error_code FROM operation_items i WHERE i.terminal_id = t.id
     ORDER BY i.operation_id DESC LIMIT 1) AS item_error_code";

/// The tables of [`TERMINAL_COLUMNS`].
const TERMINAL_TABLES: &str = "
    terminals t
    JOIN stores s ON s.id = t.store_id
    LEFT JOIN clients c ON c.client_id = (
        SELECT client_id FROM clients WHERE terminal_id = t.id
        ORDER BY CASE WHEN state = 'REGISTERED' THEN 0 ELSE 1 END, created_at DESC, seq DESC
        LIMIT 1)
    LEFT JOIN tss x ON x.tss_id = c.tss_id";

fn terminal_from(row: &sqlx::any::AnyRow) -> Terminal {
    let client_id: Option<String> = row.get("client_id");
    let client = client_id.map(|client_id| ClientEntry {
        client_id,
        tss_id: row.get("tss_id"),
        state: ClientState::from(row.get::<String, _>("client_state")),
        tss_state: TssState::from(row.get::<String, _>("tss_state")),
        // (Marked, or its time passed since the last mark: a terminal card reads no list.)
        tss_certificate_expired: row.get::<Option<i64>, _>("certificate_expired") == Some(1)
            || row
                .get::<Option<i64>, _>("certificate_not_after")
                .is_some_and(|at| at <= unix_now()),
    });
    // The last operation on many terminals that failed for this one: shown until it can sign.
    let failed = !client.as_ref().is_some_and(ClientEntry::can_sign);
    let error_text: Option<String> = row.get("item_error_text");
    let error_code = super::operations::error_code_from(row.get("item_error_code"));
    Terminal {
        service: TerminalService {
            model: row.get("model"),
            software: row.get("software"),
            in_service_since: row.get("in_service_since"),
            out_of_service_since: row.get("out_of_service_since"),
        },
        error_text: error_text.filter(|_| failed),
        error_code: error_code.filter(|_| failed),
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
        let service = input.service.clone().unwrap_or_default();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO terminals (store_id, number, name, serial_number, created_at, model,
                                    software, in_service_since, out_of_service_since)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(input.store_id)
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.serial_number)
        .bind(unix_now())
        .bind(service.model)
        .bind(service.software)
        .bind(service.in_service_since)
        .bind(service.out_of_service_since)
        .fetch_one(&self.pool)
        .await
        .map_err(write_error)?;
        self.terminal_changed(id, input.store_id).await;
        Ok(self.terminal(id).await?.expect("the terminal just written"))
    }

    /// Changes a terminal; `None` when there is no such terminal.
    pub async fn update_terminal(
        &self,
        id: i64,
        input: &TerminalInput,
    ) -> Result<Option<Terminal>, TerminalWriteError> {
        let service = input.service.clone().unwrap_or_default();
        // Moved to another store, it leaves the old store's card: both are told.
        let moved_from: Option<i64> =
            sqlx::query_scalar("SELECT store_id FROM terminals WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let changed = sqlx::query(
            "UPDATE terminals SET store_id = $1, number = $2, name = $3, serial_number = $4,
                 model = CASE WHEN $10 = 1 THEN $5 ELSE model END,
                 software = CASE WHEN $10 = 1 THEN $6 ELSE software END,
                 in_service_since = CASE WHEN $10 = 1 THEN $7 ELSE in_service_since END,
                 out_of_service_since = CASE WHEN $10 = 1 THEN $8 ELSE out_of_service_since END
             WHERE id = $9",
        )
        .bind(input.store_id)
        .bind(&input.number)
        .bind(&input.name)
        .bind(&input.serial_number)
        .bind(service.model)
        .bind(service.software)
        .bind(service.in_service_since)
        .bind(service.out_of_service_since)
        .bind(id)
        // (Left out: keep what is stored.)
        .bind(i64::from(input.service.is_some()))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        if changed.rows_affected() == 0 {
            return Ok(None);
        }
        self.terminal_changed(id, input.store_id).await;
        if let Some(old) = moved_from.filter(|old| *old != input.store_id) {
            self.terminal_changed(id, old).await;
        }
        Ok(self.terminal(id).await?)
    }

    /// One terminal.
    pub async fn terminal(&self, id: i64) -> StorageResult<Option<Terminal>> {
        let row = sqlx::query(&format!(
            "SELECT {TERMINAL_COLUMNS} FROM {TERMINAL_TABLES} WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(terminal_from))
    }

    /// Every terminal of store `store_id`, each with its client, in number order.
    pub async fn terminals_of_store(&self, store_id: i64) -> StorageResult<Vec<Terminal>> {
        let rows = sqlx::query(&format!(
            "SELECT {TERMINAL_COLUMNS} FROM {TERMINAL_TABLES} WHERE t.store_id = $1
             ORDER BY t.list_key, t.id"
        ))
        .bind(store_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(terminal_from).collect())
    }

    /// Every terminal whose current client is at TSS `tss_id`, in any store.
    pub async fn terminals_with_client_at(&self, tss_id: &str) -> StorageResult<Vec<Terminal>> {
        let rows = sqlx::query(&format!(
            "SELECT {TERMINAL_COLUMNS} FROM {TERMINAL_TABLES} WHERE c.tss_id = $1
             ORDER BY t.list_key, t.id"
        ))
        .bind(tss_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(terminal_from).collect())
    }

    /// A page of the POS Terminal List: the terminals of `query.store_id` (every store when
    /// `None`) whose number, name, serial number or store hold every word of `query.q`, whose
    /// client passes `query.client`, by store number and terminal number, after `after`; with
    /// how many match in all; the same request answers the same page until the next change.
    pub async fn terminal_page(
        &self,
        query: &TerminalQuery,
        limit: u32,
        after: Option<Position>,
    ) -> Result<Page<Terminal>, PageError> {
        self.restate_stale_stores_now_and_then().await;
        let changes = self.live.changes();
        let request = format!("{:?} {limit} {after:?}", query.query_pairs());
        if let Some(page) = self.reads.terminal_pages.get(changes, &request) {
            return Ok(page);
        }
        let mut filter = Filter::default();
        if let Some(store_id) = query.store_id {
            let store = filter.number(store_id);
            filter.and(format!("t.store_id = {store}"));
        }
        match query.client {
            None => {}
            Some(ClientFilter::CannotSign) => filter.and("t.can_sign = 0"),
            Some(ClientFilter::NoClient) => filter.and("t.client_state IS NULL"),
            Some(ClientFilter::Registered) => {
                let state = filter.text(ClientState::Registered.to_string());
                filter.and(format!("t.client_state = {state}"));
            }
            Some(ClientFilter::Deregistered) => {
                let state = filter.text(ClientState::Deregistered.to_string());
                filter.and(format!("t.client_state = {state}"));
            }
        }
        filter
            .containing_words(
                &self.pool,
                self.dialect,
                &Searched {
                    column: "t.search_text",
                    id: "t.id",
                    sqlite_index: "terminal_search",
                    sqlite_terms: "terminal_search_terms",
                },
                &query.q,
            )
            .await?;
        let mut page_filter = filter.clone();
        match after {
            None => {}
            Some(Position::Terminal { key, id }) => {
                let (key, id) = (page_filter.text(key), page_filter.number(id));
                page_filter.and(format!("(t.list_key, t.id) > ({key}, {id})"));
            }
            Some(_) => return Err(BadCursor.into()),
        }
        let read = PageRead {
            columns: TERMINAL_COLUMNS,
            from: TERMINAL_TABLES,
            counted: "terminals t",
            order: "t.list_key, t.id",
        };
        let (rows, total) = read.rows(self, &filter, &page_filter, limit).await?;
        let mut keys: Vec<(String, i64)> = rows
            .iter()
            .map(|row| (row.get("list_key"), row.get("id")))
            .collect();
        let mut items: Vec<Terminal> = rows.iter().map(terminal_from).collect();
        let next = (items.len() > limit as usize).then(|| {
            items.truncate(limit as usize);
            keys.truncate(limit as usize);
            let (key, id) = keys.pop().expect("a full page has a last row");
            Position::Terminal { key, id }.cursor()
        });
        let page = Page {
            items,
            total: total as u64,
            next,
        };
        self.reads.terminal_pages.put(changes, request, &page);
        Ok(page)
    }
}
