//! Saved settings, such as the fiskaly connection.

use super::{Storage, StorageResult};

impl Storage {
    /// A saved setting.
    pub async fn setting(&self, key: &str) -> StorageResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    /// Saves a setting, replacing an earlier value.
    pub async fn save_setting(&self, key: &str, value: &str) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// A saved secret setting (e.g. the fiskaly API secret), opened.
    pub async fn secret_setting(&self, name: &str) -> StorageResult<Option<String>> {
        let key = format!("secret.{name}");
        self.setting(&key)
            .await?
            .map(|sealed| self.sealer.open(&sealed, &key))
            .transpose()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    /// Saves a secret setting sealed; it never reaches the database in clear.
    pub async fn save_secret_setting(&self, name: &str, value: &str) -> StorageResult<()> {
        let key = format!("secret.{name}");
        let sealed = self.sealer.seal(value, &key);
        self.save_setting(&key, &sealed).await
    }

    /// Claims the nightly refresh of local day `day` for this replica; `false` when one
    /// (this or another) claimed it already.
    pub async fn claim_scheduled_run(&self, day: &str, now: i64) -> StorageResult<bool> {
        let claimed = sqlx::query(
            "INSERT INTO scheduled_runs (day, started_at) VALUES ($1, $2)
             ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// Gives up the claim of local day `day` (its run could not be started).
    pub async fn release_scheduled_run(&self, day: &str) -> StorageResult<()> {
        sqlx::query("DELETE FROM scheduled_runs WHERE day = $1")
            .bind(day)
            .execute(&self.pool)
            .await
            .map(drop)
    }
}
