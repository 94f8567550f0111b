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

/// How a change that must leave at least one administrator went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminGuarded {
    /// Done.
    Done,
    /// No account has that name.
    NoSuchUser,
    /// Refused: it would leave no administrator.
    LastAdmin,
}

/// Leaves the row alone when it is the only administrator's and `?1` is not `admin` (a new role).
const KEEPS_AN_ADMIN: &str = "(role <> 'admin' OR $1 = 'admin'
                              OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)";

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
             VALUES ($1, $2, $3, $4) RETURNING id",
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
        let row = sqlx::query("SELECT * FROM users WHERE username = $1")
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
        let changed = sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
            .bind(password_hash)
            .bind(username)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)",
        )
        .bind(username)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        self.live.sessions_changed();
        Ok(changed == 1)
    }

    /// Gives `username` the role `role`, unless that leaves no administrator. One statement in
    /// a transaction that changes administrators one at a time, so two administrators demoting
    /// each other at once cannot both succeed (on any replica).
    pub async fn set_role(&self, username: &str, role: Role) -> StorageResult<AdminGuarded> {
        let mut transaction = super::dialect::begin_admin_change(&self.pool, self.dialect).await?;
        let changed = sqlx::query(&format!(
            "UPDATE users SET role = $1 WHERE username = $2 AND {KEEPS_AN_ADMIN}"
        ))
        .bind(role.as_str())
        .bind(username)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        transaction.commit().await?;
        self.guarded_outcome(changed, username).await
    }

    /// Removes `username` and (by the foreign key's cascade) their sessions, unless that leaves
    /// no administrator. The audit log keeps their name in the rows of what they did.
    pub async fn delete_user(&self, username: &str) -> StorageResult<AdminGuarded> {
        let mut transaction = super::dialect::begin_admin_change(&self.pool, self.dialect).await?;
        let removed = sqlx::query(&format!(
            "DELETE FROM users WHERE username = $2 AND {KEEPS_AN_ADMIN}"
        ))
        .bind("") // no new role: only the admin count decides
        .bind(username)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        transaction.commit().await?;
        if removed > 0 {
            self.live.sessions_changed();
        }
        self.guarded_outcome(removed, username).await
    }

    async fn guarded_outcome(&self, rows: u64, username: &str) -> StorageResult<AdminGuarded> {
        Ok(if rows == 1 {
            AdminGuarded::Done
        } else if self.user(username).await?.is_some() {
            AdminGuarded::LastAdmin
        } else {
            AdminGuarded::NoSuchUser
        })
    }
}

fn user_from(row: &sqlx::any::AnyRow) -> StorageResult<UserRecord> {
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
