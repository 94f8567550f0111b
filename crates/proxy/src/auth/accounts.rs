//! Creating accounts and setting passwords, for the first start, the `tss-proxy user` command and
//! tests: names and passwords are checked here, hashing happens here, the database sees hashes.

use tss_model::{ErrorCode, Role};

use super::{hash_password, random_password};
use crate::storage::{AdminGuarded, Storage, UserWriteError};

/// The account a new database gets.
pub const FIRST_ADMIN: &str = "admin";
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest user name accepted.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Why an account could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The user name is empty, too long or has characters other than letters, digits and `.-_@`.
    #[error("a user name has 1 to {MAX_USERNAME_CHARS} letters, digits or . - _ @")]
    BadName,
    /// The password is too short.
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    ShortPassword,
    /// Another account has that name.
    #[error("there is already a user named {0}")]
    NameTaken(String),
    /// No account has that name.
    #[error("there is no user named {0}")]
    NoSuchUser(String),
    /// The change would leave no administrator.
    #[error("{0} is the only administrator; make another user an administrator first")]
    LastAdmin(String),
    /// The password could not be read.
    #[error("cannot read the password: {0}")]
    Input(#[from] std::io::Error),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl AccountError {
    /// The kind of failure, as the API answers it and the audit log keeps it.
    pub fn code(&self) -> ErrorCode {
        match self {
            AccountError::BadName | AccountError::ShortPassword => ErrorCode::Validation,
            AccountError::NameTaken(_) | AccountError::LastAdmin(_) => ErrorCode::Conflict,
            AccountError::NoSuchUser(_) => ErrorCode::NotFound,
            AccountError::Input(_) => ErrorCode::BadRequest,
            AccountError::Storage(e) if crate::storage::is_unavailable(e) => {
                ErrorCode::StorageUnavailable
            }
            AccountError::Storage(_) => ErrorCode::Internal,
        }
    }
}

/// Whether `username` is an acceptable user name.
pub fn is_valid_username(username: &str) -> bool {
    !username.is_empty()
        && username.chars().count() <= MAX_USERNAME_CHARS
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || ".-_@".contains(c))
}

fn checked_password(password: &str) -> Result<&str, AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::ShortPassword);
    }
    Ok(password)
}

/// The argon2 hash of `password`, computed off the async workers (it takes tens of milliseconds
/// of CPU, during which a worker would serve nothing else).
async fn hashed(password: &str) -> String {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .expect("hashing a password does not panic")
}

/// Creates the account `username` with `role` and `password`.
pub async fn add_user(
    storage: &Storage,
    username: &str,
    role: Role,
    password: &str,
) -> Result<(), AccountError> {
    if !is_valid_username(username) {
        return Err(AccountError::BadName);
    }
    let hash = hashed(checked_password(password)?).await;
    match storage.insert_user(username, role, &hash).await {
        Ok(_) => Ok(()),
        Err(UserWriteError::NameTaken) => Err(AccountError::NameTaken(username.to_owned())),
        Err(UserWriteError::Storage(e)) => Err(AccountError::Storage(e)),
    }
}

/// Sets `username`'s password and ends their sessions.
pub async fn reset_password(
    storage: &Storage,
    username: &str,
    password: &str,
) -> Result<(), AccountError> {
    let hash = hashed(checked_password(password)?).await;
    if storage.set_password_hash(username, &hash).await? {
        Ok(())
    } else {
        Err(AccountError::NoSuchUser(username.to_owned()))
    }
}

/// Gives `username` the role `role`, from their next request on; never takes the last
/// administrator's role away.
pub async fn change_role(
    storage: &Storage,
    username: &str,
    role: Role,
) -> Result<(), AccountError> {
    guarded(storage.set_role(username, role).await?, username)
}

/// Removes `username` and ends their sessions; never removes the last administrator.
pub async fn remove_user(storage: &Storage, username: &str) -> Result<(), AccountError> {
    guarded(storage.delete_user(username).await?, username)
}

fn guarded(outcome: AdminGuarded, username: &str) -> Result<(), AccountError> {
    match outcome {
        AdminGuarded::Done => Ok(()),
        AdminGuarded::NoSuchUser => Err(AccountError::NoSuchUser(username.to_owned())),
        AdminGuarded::LastAdmin => Err(AccountError::LastAdmin(username.to_owned())),
    }
}

/// On a database without accounts, creates [`FIRST_ADMIN`] with `password`, or with a random
/// one that is printed to the log this once. Answers whether it created the account.
pub async fn ensure_first_admin(
    storage: &Storage,
    password: Option<&str>,
) -> Result<bool, AccountError> {
    if !storage.users().await?.is_empty() {
        return Ok(false);
    }
    let (password, given) = match password {
        Some(password) => (password.to_owned(), true),
        None => (random_password(), false),
    };
    match add_user(storage, FIRST_ADMIN, Role::Admin, &password).await {
        // Another replica starting at the same moment created it.
        Err(AccountError::NameTaken(_)) => return Ok(false),
        added => added?,
    }
    if given {
        tracing::info!(
            user = FIRST_ADMIN,
            "created the first administrator with the password from TSS_ADMIN_PASSWORD"
        );
    } else {
        tracing::warn!(
            "created the first administrator: log in as \"{FIRST_ADMIN}\" with the password \
             {password} — it is shown only this once; change it with \
             `tss-proxy user reset-password {FIRST_ADMIN}`"
        );
    }
    Ok(true)
}
