//! Accounts: user name, role and the argon2 hash of the password (never the password).

use sqlx::Row;
use tss_model::Role;

use super::{is_unique_violation, unix_now, Storage, StorageResult};

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Its row ID.
    pub id: i64,
    /// The name it logs in with.
    pub username: String,
    /// What it may do.
    pub role: Role,
    /// The argon2 hash of its password (PHC string).
    pub password_hash: String,
    /// When it was created (unix seconds).
    pub created_at: i64,
}

/// Why an account could not be written.
#[derive(Debug, thiserror::Error)]
pub enum UserWriteError {
    /// Another account has that name.
    #[error("there is already a user with this name")]
    NameTaken,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl Storage {
    /// Creates an account; answers its ID.
    pub async fn insert_user(
        &self,
        username: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<i64, UserWriteError> {
        sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(unix_now())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                UserWriteError::NameTaken
            } else {
                UserWriteError::Storage(e)
            }
        })
    }

    /// The account named `username`, if any.
    pub async fn user(&self, username: &str) -> StorageResult<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Every account, by name.
    pub async fn users(&self) -> StorageResult<Vec<UserRecord>> {
        sqlx::query("SELECT * FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from)
            .collect()
    }

    /// Sets a new password hash and ends the account's sessions; `false` if there is no such user.
    pub async fn set_password_hash(
        &self,
        username: &str,
        password_hash: &str,
    ) -> StorageResult<bool> {
        let mut transaction = self.pool.begin().await?;
        let changed = sqlx::query("UPDATE users SET password_hash = ? WHERE username = ?")
            .bind(password_hash)
            .bind(username)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)",
        )
        .bind(username)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(changed == 1)
    }
}

fn user_from(row: &sqlx::sqlite::SqliteRow) -> StorageResult<UserRecord> {
    let role: String = row.get("role");
    Ok(UserRecord {
        id: row.get("id"),
        username: row.get("username"),
        role: Role::parse(&role).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown role {role:?} in the users table").into())
        })?,
        password_hash: row.get("password_hash"),
        created_at: row.get("created_at"),
    })
}
