//! The fleet overview: counts over every store, TSS and terminal, from their indexes.

use sqlx::Row;
use tss_model::{expiring_before, FleetOverview, Readiness};

use super::{Storage, StorageResult};

/// Every count of the overview as `(kind, key, n)` rows, in one statement (one snapshot).
const COUNTS: &str = "
    SELECT 'readiness' AS kind, readiness AS key, COUNT(*) AS n FROM stores GROUP BY readiness
    UNION ALL SELECT 'tss', state, COUNT(*) FROM tss GROUP BY state
    UNION ALL SELECT 'client', client_state, COUNT(*) FROM terminals
        WHERE client_state IS NOT NULL GROUP BY client_state
    UNION ALL SELECT 'terminals', NULL, COUNT(*) FROM terminals
    UNION ALL SELECT 'cannot_sign', NULL, COUNT(*) FROM terminals WHERE can_sign = 0
    UNION ALL SELECT 'errors', NULL, COUNT(*) FROM tss WHERE error_text IS NOT NULL
    UNION ALL SELECT 'synced', NULL, MAX(last_synced_at) FROM tss
    UNION ALL SELECT 'certificate_expiring', NULL, COUNT(*) FROM stores
        WHERE certificate_expires_at <= $1";

impl Storage {
    /// Stores by readiness, TSS by state, terminals and their clients by state, TSS with Error
    /// Text, stores with a certificate expiring within 90 days, and the last refresh. Counted again only when a change was heard of since the last
    /// count (the counts read every row's index entry: milliseconds with 10,000 stores); while
    /// one request counts, the others wait for its answer rather than count too (see
    /// [`super::read_cache`]).
    pub async fn fleet_overview(&self) -> StorageResult<FleetOverview> {
        self.restate_stale_stores_now_and_then().await;
        let mut last = self.reads.fleet.lock().await;
        let changes = self.live.changes();
        if let Some((counted_at, when, overview)) = last.as_ref() {
            if *counted_at == changes && when.elapsed() <= super::read_cache::MAX_AGE {
                return Ok(overview.clone());
            }
        }
        let overview = self.count_fleet().await?;
        *last = Some((changes, std::time::Instant::now(), overview.clone()));
        Ok(overview)
    }

    async fn count_fleet(&self) -> StorageResult<FleetOverview> {
        let mut overview = FleetOverview::default();
        let rows = sqlx::query(COUNTS)
            .bind(expiring_before(super::unix_now()))
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let key: Option<String> = row.try_get("key")?;
            let n: Option<i64> = row.try_get("n")?;
            let count = n.unwrap_or_default().max(0) as u64;
            match (kind.as_str(), key) {
                ("readiness", Some(key)) => {
                    overview.stores += count;
                    if let Some(readiness) = Readiness::parse(&key) {
                        overview.stores_by_readiness.insert(readiness, count);
                    }
                }
                ("tss", Some(state)) => {
                    overview.tss_by_state.insert(state, count);
                }
                ("client", Some(state)) => {
                    overview.clients_by_state.insert(state, count);
                }
                ("terminals", _) => overview.terminals = count,
                ("cannot_sign", _) => overview.terminals_cannot_sign = count,
                ("errors", _) => overview.tss_with_error = count,
                ("synced", _) => overview.last_refresh = n,
                ("certificate_expiring", _) => overview.stores_certificate_expiring = count,
                _ => {}
            }
        }
        Ok(overview)
    }
}
