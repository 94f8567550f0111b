//! The `WHERE` clause of a filtered list, built from the filters a request sets, with its
//! parameters numbered in order (`$1`, `$2`, … in both dialects).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Row};

use super::search_text::{trigrams, words};
use super::{Dialect, Storage, StorageResult};

/// What a search looks through: the folded text's column, the row's ID, and the SQLite trigram
/// index (an FTS5 table whose rowid is that ID) with its table of trigram counts.
pub(super) struct Searched<'a> {
    /// The column of the folded search text.
    pub column: &'a str,
    /// The column of the row's ID.
    pub id: &'a str,
    /// The FTS5 table indexing the column on SQLite.
    pub sqlite_index: &'a str,
    /// Its `fts5vocab` table: in how many rows each trigram occurs.
    pub sqlite_terms: &'a str,
}

/// How few rows a word's rarest trigram must be in for the index to find it faster than reading
/// every row (measured with 10,000 stores, `benches/fleet.rs`: a store number whose rarest
/// trigram is in ~400 rows was found at 2,000 searches/s through the index and 1,200 reading
/// every row; "koln", ~1,250 rows, at 400 through the index and 1,700 reading every row).
pub const SELECTIVE_ROWS: i64 = 600;

/// In how many rows the rarest trigram of `form` (a form of a word) occurs, by the table of
/// trigram counts `terms`.
async fn rows_with_rarest_trigram(pool: &AnyPool, terms: &str, form: &str) -> StorageResult<i64> {
    let mut trigrams = trigrams(form);
    trigrams.sort();
    trigrams.dedup();
    let placeholders: Vec<String> = (1..=trigrams.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT doc FROM {terms} WHERE term IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for trigram in &trigrams {
        query = query.bind(trigram);
    }
    let counts = query.fetch_all(pool).await?;
    // A trigram in no row is not in the table: then the word is in no row either.
    if counts.len() < trigrams.len() {
        return Ok(0);
    }
    Ok(counts.into_iter().min().unwrap_or_default())
}

/// A parameter of a filter.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Number(i64),
}

/// Conditions that must all hold, with their parameters.
#[derive(Debug, Clone, Default)]
pub(super) struct Filter {
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Filter {
    /// Adds a text parameter; returns its placeholder.
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.values.push(Value::Text(value.into()));
        format!("${}", self.values.len())
    }

    /// Adds a number parameter; returns its placeholder.
    pub fn number(&mut self, value: i64) -> String {
        self.values.push(Value::Number(value));
        format!("${}", self.values.len())
    }

    /// Adds a condition (written with the placeholders [`Filter::text`] and [`Filter::number`]
    /// returned).
    pub fn and(&mut self, condition: impl Into<String>) {
        self.conditions.push(condition.into());
    }

    /// Adds a condition per word of `query`: that the searched text holds it. On Postgres, `LIKE`
    /// uses the column's trigram index when that pays (its planner knows). On SQLite, a word is
    /// looked up in the trigram index only when its rarest trigram is in at most
    /// [`SELECTIVE_ROWS`] rows; a word found in many rows (or too short for a trigram) is found
    /// faster by reading every row's text.
    pub async fn containing_words(
        &mut self,
        pool: &AnyPool,
        dialect: Dialect,
        searched: &Searched<'_>,
        query: &str,
    ) -> StorageResult<()> {
        for word in words(query) {
            let indexed = match (dialect, word.trigram_query()) {
                (Dialect::Sqlite, Some(phrase)) => {
                    let mut rows = 0;
                    for form in word.forms() {
                        rows += rows_with_rarest_trigram(pool, searched.sqlite_terms, form).await?;
                    }
                    (rows <= SELECTIVE_ROWS).then_some(phrase)
                }
                _ => None,
            };
            match indexed {
                Some(phrase) => {
                    let (id, index) = (searched.id, searched.sqlite_index);
                    let phrase = self.text(phrase);
                    self.and(format!(
                        "{id} IN (SELECT rowid FROM {index} WHERE {index} MATCH {phrase})"
                    ));
                }
                None => {
                    let any_form: Vec<String> = word
                        .like_patterns()
                        .into_iter()
                        .map(|pattern| {
                            let pattern = self.text(pattern);
                            format!("{} LIKE {pattern} ESCAPE '\\'", searched.column)
                        })
                        .collect();
                    self.and(format!("({})", any_form.join(" OR ")));
                }
            }
        }
        Ok(())
    }

    /// ` WHERE …` of every condition, or nothing.
    pub fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// `query` with the filter's parameters bound, in order.
    pub fn bind<'q>(
        &self,
        mut query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Value::Text(text) => query.bind(text.clone()),
                Value::Number(number) => query.bind(*number),
            };
        }
        query
    }
}

/// What a page reads: `columns` of `from` (which may join) ordered by `order`; rows are counted
/// in `counted` (the list's main table, with the alias the filters use).
pub(super) struct PageRead<'a> {
    /// The columns of a row.
    pub columns: &'a str,
    /// The tables, joined.
    pub from: &'a str,
    /// The table the filters count.
    pub counted: &'a str,
    /// The order of the list (ends with a unique column, so that a cursor is a position).
    pub order: &'a str,
}

impl PageRead<'_> {
    /// At most `limit` + 1 rows (the one more tells whether there is a next page) of `page`'s
    /// rows, and how many rows match `filter` in all, read as one snapshot. `page` is `filter`
    /// with the conditions of where the page starts added (so that they share their
    /// parameters); the same as `filter` on the first page, whose rows, when they are not more
    /// than `limit`, are all there is: then nothing is counted.
    pub async fn rows(
        &self,
        storage: &Storage,
        filter: &Filter,
        page: &Filter,
        limit: u32,
    ) -> StorageResult<(Vec<AnyRow>, i64)> {
        let sql = format!(
            "SELECT {} FROM {}{} ORDER BY {} LIMIT {}",
            self.columns,
            self.from,
            page.where_clause(),
            self.order,
            limit + 1
        );
        let count = format!(
            "SELECT COUNT(*) FROM {}{}",
            self.counted,
            filter.where_clause()
        );
        let mut snapshot = storage.snapshot().await?;
        let rows = page
            .bind(sqlx::query(&sql))
            .fetch_all(&mut *snapshot)
            .await?;
        let first_page = page.values.len() == filter.values.len();
        let total = if first_page && rows.len() <= limit as usize {
            rows.len() as i64
        } else {
            filter
                .bind(sqlx::query(&count))
                .fetch_one(&mut *snapshot)
                .await?
                .try_get(0)?
        };
        snapshot.commit().await?;
        Ok((rows, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_values_are_added() {
        let mut filter = Filter::default();
        assert_eq!(filter.where_clause(), "");
        let store = filter.number(7);
        filter.and(format!("store_id = {store}"));
        let x = filter.text("x");
        filter.and(format!("{x} IS NOT NULL"));
        assert_eq!(
            filter.where_clause(),
            " WHERE store_id = $1 AND $2 IS NOT NULL"
        );
    }
}
