//! Stores and their rows of the Store List, one page at a time.

use sqlx::Row;
use tss_model::{
    expiring_before, CertificateFilter, LiveEvent, Page, Readiness, Signing, Store, StoreInput,
    StoreQuery, StoreSort, StoreSummary,
};

use super::cursor::{BadCursor, PageError, Position};
use super::filter::{Filter, PageRead, Searched};
use super::store_status::{readiness_rank, tss_states_of};
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
        self.announce(LiveEvent::Store { store_id: store.id }).await;
        Ok(store)
    }

    /// Changes a store; `None` when there is no such store.
    pub async fn update_store(
        &self,
        id: i64,
        input: &StoreInput,
    ) -> Result<Option<Store>, StoreWriteError> {
        let row = sqlx::query(
            "UPDATE stores SET number = $1, name = $2, street = $3, city = $4, status_stale = 1
             WHERE id = $5
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
            self.announce(LiveEvent::Store { store_id: id }).await;
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

    /// One store's row of the Store List.
    pub async fn store_summary(&self, id: i64) -> StorageResult<Option<StoreSummary>> {
        self.restate_stale_stores_now_and_then().await;
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM stores WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(summary_from))
    }

    /// A page of the Store List: the stores whose number, name or city hold every word of
    /// `query.q`, of `query.readiness`, in `query.sort` order, after `after`; with how many
    /// stores match in all. The same request answers the same page until the next change (see
    /// [`super::read_cache`]).
    pub async fn store_page(
        &self,
        query: &StoreQuery,
        limit: u32,
        after: Option<Position>,
    ) -> Result<Page<StoreSummary>, PageError> {
        self.restate_stale_stores_now_and_then().await;
        let changes = self.live.changes();
        let request = format!("{:?} {limit} {after:?}", query.query_pairs());
        if let Some(page) = self.reads.store_pages.get(changes, &request) {
            return Ok(page);
        }
        let sort = query.sort.unwrap_or_default();
        let mut filter = Filter::default();
        filter
            .containing_words(
                &self.pool,
                self.dialect,
                &Searched {
                    column: "search_text",
                    id: "id",
                    sqlite_index: "store_search",
                    sqlite_terms: "store_search_terms",
                },
                &query.q,
            )
            .await?;
        match query.readiness.map(|r| (r, r.only())) {
            None => {}
            Some((_, Some(only))) => {
                let rank = filter.number(readiness_rank(only));
                filter.and(format!("readiness_rank = {rank}"));
            }
            Some((_, None)) => {
                let ready = filter.number(readiness_rank(Readiness::Ready));
                filter.and(format!("readiness_rank < {ready}"));
            }
        }
        if let Some(CertificateFilter::Expiring) = query.certificate {
            let before = filter.number(expiring_before(unix_now()));
            filter.and(format!("certificate_expires_at <= {before}"));
        }
        let mut page_filter = filter.clone();
        match (sort, after) {
            (_, None) => {}
            (StoreSort::Number, Some(Position::StoreNumber { number })) => {
                let number = page_filter.text(number);
                page_filter.and(format!("number > {number}"));
            }
            (StoreSort::Readiness, Some(Position::StoreReadiness { rank, number })) => {
                let (rank, number) = (page_filter.number(rank), page_filter.text(number));
                page_filter.and(format!("(readiness_rank, number) > ({rank}, {number})"));
            }
            (_, Some(_)) => return Err(BadCursor.into()),
        }
        let read = PageRead {
            columns: SUMMARY_COLUMNS,
            from: "stores",
            counted: "stores",
            order: match sort {
                StoreSort::Number => "number",
                StoreSort::Readiness => "readiness_rank, number",
            },
        };
        let (rows, total) = read.rows(self, &filter, &page_filter, limit).await?;
        let mut items: Vec<StoreSummary> = rows.iter().map(summary_from).collect();
        let next = (items.len() > limit as usize).then(|| {
            items.truncate(limit as usize);
            let last = items.last().expect("a full page has a last row");
            match sort {
                StoreSort::Number => Position::StoreNumber {
                    number: last.store.number.clone(),
                },
                StoreSort::Readiness => Position::StoreReadiness {
                    rank: readiness_rank(last.signing.readiness),
                    number: last.store.number.clone(),
                },
            }
            .cursor()
        });
        let page = Page {
            items,
            total: total as u64,
            next,
        };
        self.reads.store_pages.put(changes, request, &page);
        Ok(page)
    }
}

/// A store with its kept status (see [`super::store_status`]).
const SUMMARY_COLUMNS: &str = "id, number, name, street, city, readiness, signing_terminals,
    terminal_count, tss_states, certificate_expires_at,
    (SELECT MIN(last_synced_at) FROM tss WHERE tss.store_id = stores.id) AS last_synced_at";

fn summary_from(row: &sqlx::any::AnyRow) -> StoreSummary {
    let readiness: String = row.get("readiness");
    StoreSummary {
        store: store_from(row),
        tss_by_state: tss_states_of(&row.get::<String, _>("tss_states")),
        signing: Signing {
            readiness: Readiness::parse(&readiness).unwrap_or(Readiness::NoActiveTss),
            signing_terminals: row.get::<i64, _>("signing_terminals") as usize,
            terminals: row.get::<i64, _>("terminal_count") as usize,
        },
        last_synced_at: row.get("last_synced_at"),
        certificate_expires_at: row.get("certificate_expires_at"),
    }
}
