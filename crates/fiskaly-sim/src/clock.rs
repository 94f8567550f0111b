//! The simulator's idea of now, in fiskaly's unit: unix seconds.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the unix epoch.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The UTC day of a unix time, for per-day limits.
pub fn day_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(24 * 60 * 60)
}
