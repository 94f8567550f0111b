//! Login sessions. The browser holds a random token; the database holds only its SHA-256, so a
//! copy of the database cannot be used to act as anybody.

use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::Row;
use tss_model::{Role, Session};

use super::{unix_now, Storage, StorageResult};

/// Random bytes in a session token.
const TOKEN_BYTES: usize = 32;

/// A session's last use is written at most this often.
pub const TOUCH_EVERY_SECONDS: i64 = 30;

impl Storage {
    /// Starts a session for user `user_id`; answers the token for the cookie.
    pub async fn open_session(&self, user_id: i64) -> StorageResult<String> {
        let bytes: [u8; TOKEN_BYTES] = rand::random();
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let now = unix_now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// Who holds `token`, if its session exists and was used within `idle_seconds`. Using it
    /// keeps it alive (written at most every [`TOUCH_EVERY_SECONDS`], so reads stay reads); an
    /// expired session is removed.
    pub async fn session(&self, token: &str, idle_seconds: i64) -> StorageResult<Option<Session>> {
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT users.username, users.role, sessions.last_seen_at
             FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE sessions.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = unix_now();
        let last_seen: i64 = row.get("last_seen_at");
        if now - last_seen > idle_seconds {
            self.close_session(token).await?;
            return Ok(None);
        }
        if now - last_seen >= TOUCH_EVERY_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        let role: String = row.get("role");
        Ok(Role::parse(&role).map(|role| Session {
            username: row.get("username"),
            role,
        }))
    }

    /// Removes every session idle for longer than `idle_seconds`; answers how many.
    pub async fn remove_idle_sessions(&self, idle_seconds: i64) -> StorageResult<u64> {
        let removed = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
            .bind(unix_now() - idle_seconds)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if removed > 0 {
            self.live.sessions_changed();
        }
        Ok(removed)
    }

    /// Ends the session of `token` (nothing happens if there is none).
    pub async fn close_session(&self, token: &str) -> StorageResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        self.live.sessions_changed();
        Ok(())
    }

    /// Whether the session of `token` exists and was used within `idle_seconds`, without
    /// counting this as a use (an open live stream keeps nobody logged in).
    pub async fn session_is_open(&self, token: &str, idle_seconds: i64) -> StorageResult<bool> {
        let last_seen: Option<i64> =
            sqlx::query_scalar("SELECT last_seen_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash(token))
                .fetch_optional(&self.pool)
                .await?;
        Ok(last_seen.is_some_and(|last_seen| unix_now() - last_seen <= idle_seconds))
    }
}

/// What the database keeps of a token.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
