//! Login throttling: after [`FAILURES_ALLOWED`] failed logins within [`WINDOW`] for one user name
//! or from one address, further attempts are refused until the oldest failure is a minute old.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per user name and per address within [`WINDOW`].
pub const FAILURES_ALLOWED: usize = 5;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Recent failed logins by key (`user:<name>`, `ip:<address>`); only the last minute is kept.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    /// How long to wait before any of `keys` may try again, or `None` if all may now.
    pub fn wait_before(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().expect("throttle lock");
        failures.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < WINDOW);
            !times.is_empty()
        });
        keys.iter()
            .filter_map(|key| failures.get(key))
            .filter(|times| times.len() >= FAILURES_ALLOWED)
            .filter_map(|times| times.first())
            .map(|oldest| WINDOW.saturating_sub(now.duration_since(*oldest)))
            .max()
    }

    /// Counts a failed login against every one of `keys`.
    pub fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().expect("throttle lock");
        for key in keys {
            failures.entry(key.clone()).or_default().push(now);
        }
    }

    /// Forgets the failures of `key` (after a successful login of that user).
    pub fn forget(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_within_a_minute_waits() {
        let throttle = LoginThrottle::default();
        let keys = ["user:anna".to_owned(), "ip:10.0.0.1".to_owned()];
        for _ in 0..FAILURES_ALLOWED {
            assert_eq!(throttle.wait_before(&keys), None);
            throttle.record_failure(&keys);
        }
        let wait = throttle.wait_before(&keys).expect("throttled");
        assert!(wait > Duration::from_secs(55) && wait <= WINDOW);
        assert!(throttle.wait_before(&["ip:10.0.0.1".to_owned()]).is_some());
        assert_eq!(throttle.wait_before(&["user:bert".to_owned()]), None);
        throttle.forget("user:anna");
        assert_eq!(throttle.wait_before(&["user:anna".to_owned()]), None);
    }
}
