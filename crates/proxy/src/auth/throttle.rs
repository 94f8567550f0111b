//! Login throttling: after [`FAILURES_ALLOWED`] failed logins within [`WINDOW`] for one user name
//! or from one address, further attempts are refused until the oldest failure is a minute old.
//! The failures live in the database, so every replica counts the same ones.

use std::time::Duration;

use crate::storage::{unix_now_ms, Storage, StorageResult};

/// Failed logins allowed per user name and per address within [`WINDOW`].
pub const FAILURES_ALLOWED: usize = 5;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);

/// How long to wait before any of `keys` (`user:<name>`, `ip:<address>`) may try again, or
/// `None` if all may now.
pub async fn wait_before(storage: &Storage, keys: &[String]) -> StorageResult<Option<Duration>> {
    let now = unix_now_ms();
    let window = WINDOW.as_millis() as i64;
    let mut wait = None;
    for key in keys {
        let recent = storage.login_failures_since(key, now - window).await?;
        if recent.len() >= FAILURES_ALLOWED {
            let oldest = recent[recent.len() - FAILURES_ALLOWED];
            let left = Duration::from_millis((oldest + window - now).max(0) as u64);
            wait = wait.max(Some(left));
        }
    }
    Ok(wait)
}

/// Counts a failed login against every one of `keys`.
pub async fn record_failure(storage: &Storage, keys: &[String]) -> StorageResult<()> {
    let now = unix_now_ms();
    storage
        .record_login_failure(keys, now, now - WINDOW.as_millis() as i64)
        .await
}

/// Forgets the failures of `key` (after a successful login of that user).
pub async fn forget(storage: &Storage, key: &str) -> StorageResult<()> {
    storage.forget_login_failures(key).await
}
