//! Failed logins by key (`user:<name>`, `ip:<address>`), shared by every replica; rows older
//! than the throttle's window are removed as new ones come.

use super::{Storage, StorageResult};

impl Storage {
    /// When `key`'s failures since `since_ms` happened, oldest first (unix milliseconds).
    pub async fn login_failures_since(&self, key: &str, since_ms: i64) -> StorageResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT at_ms FROM login_failures WHERE key = $1 AND at_ms >= $2 ORDER BY at_ms",
        )
        .bind(key)
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await
    }

    /// Records a failed login at `at_ms` against each of `keys`, and forgets every failure
    /// before `forget_before_ms`.
    pub async fn record_login_failure(
        &self,
        keys: &[String],
        at_ms: i64,
        forget_before_ms: i64,
    ) -> StorageResult<()> {
        let mut transaction = self.pool.begin().await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at_ms) VALUES ($1, $2)")
                .bind(key)
                .bind(at_ms)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE at_ms < $1")
            .bind(forget_before_ms)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await
    }

    /// Forgets `key`'s failures.
    pub async fn forget_login_failures(&self, key: &str) -> StorageResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map(drop)
    }
}
