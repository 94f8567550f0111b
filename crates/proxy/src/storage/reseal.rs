//! Re-sealing every secret under a new key (key rotation, or after the key file may have leaked).

use std::path::Path;

use sqlx::Row;

use super::sealing::Sealer;
use super::{OpenError, Storage};

impl Storage {
    /// Creates a new key file at `new_key_file` and re-seals every PUK, PIN and secret setting
    /// under it in one transaction; answers how many values were re-sealed. Afterwards the proxy
    /// must be started with the new key file (`--secret-key-file`); the old key opens nothing.
    pub async fn reseal(&self, new_key_file: &Path) -> Result<usize, OpenError> {
        let new = Sealer::create_new(new_key_file)?;
        let mut transaction = self.pool.begin().await?;
        let mut count = 0;
        let rows = sqlx::query("SELECT tss_id, admin_puk, admin_pin FROM tss")
            .fetch_all(&mut *transaction)
            .await?;
        for row in rows {
            let tss_id: String = row.get("tss_id");
            for (column, context) in [
                ("admin_puk", super::tss::puk_context(&tss_id)),
                ("admin_pin", super::tss::pin_context(&tss_id)),
            ] {
                let Some(sealed) = row.get::<Option<String>, _>(column) else {
                    continue;
                };
                let secret = self.sealer.open(&sealed, &context)?;
                sqlx::query(&format!("UPDATE tss SET {column} = $1 WHERE tss_id = $2"))
                    .bind(new.seal(&secret, &context))
                    .bind(&tss_id)
                    .execute(&mut *transaction)
                    .await?;
                count += 1;
            }
        }
        let settings = sqlx::query("SELECT key, value FROM settings WHERE key LIKE 'secret.%'")
            .fetch_all(&mut *transaction)
            .await?;
        for row in settings {
            let key: String = row.get("key");
            let secret = self.sealer.open(&row.get::<String, _>("value"), &key)?;
            sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
                .bind(new.seal(&secret, &key))
                .bind(&key)
                .execute(&mut *transaction)
                .await?;
            count += 1;
        }
        transaction.commit().await?;
        Ok(count)
    }
}
