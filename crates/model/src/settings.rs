//! The Fiskaly Setup page: where the proxy reaches fiskaly, with which credentials.

use serde::{Deserialize, Serialize};

/// Which fiskaly the proxy talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The built-in simulator (demo mode: no credentials were given).
    Simulator,
    /// A fiskaly API at the configured URL.
    Fiskaly,
}

/// The connection settings as the API shows them; the secret is never sent, only whether it is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiskalySettings {
    /// fiskaly's API base URL.
    pub base_url: String,
    /// The API key (not secret: it names the organisation and its TEST/LIVE environment).
    pub api_key: String,
    /// Whether an API secret is stored.
    pub api_secret_set: bool,
    /// Which fiskaly the proxy talks to now.
    pub backend: Backend,
}

/// The body of `PUT /api/settings/fiskaly`. A missing `api_secret` keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiskalySettingsInput {
    /// fiskaly's API base URL.
    pub base_url: String,
    /// The API key.
    pub api_key: String,
    /// A new API secret; write-only.
    #[serde(default)]
    pub api_secret: Option<String>,
}

/// What `POST /api/settings/fiskaly/test` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionTest {
    /// `TEST` or `LIVE`, from fiskaly's token claims.
    pub env: String,
}

/// When the console refreshes every TSS by itself: daily at `time` (Europe/Berlin), unless
/// switched off. `GET`/`PUT /api/settings/schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshSchedule {
    /// Whether the nightly refresh runs.
    pub enabled: bool,
    /// The local time (Europe/Berlin) it starts at, `HH:MM`.
    pub time: String,
}

impl Default for RefreshSchedule {
    /// Daily at 03:00.
    fn default() -> Self {
        RefreshSchedule {
            enabled: true,
            time: "03:00".into(),
        }
    }
}

impl RefreshSchedule {
    /// `time` as hours and minutes; `None` unless it is a time of day written `HH:MM`.
    pub fn hour_minute(&self) -> Option<(u8, u8)> {
        let (hour, minute) = self.time.split_once(':')?;
        if hour.len() != 2 || minute.len() != 2 {
            return None;
        }
        let (hour, minute): (u8, u8) = (hour.parse().ok()?, minute.parse().ok()?);
        (hour < 24 && minute < 60).then_some((hour, minute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_runs_at_a_time_of_day_written_hh_mm() {
        let at = |time: &str| RefreshSchedule {
            enabled: true,
            time: time.into(),
        };
        assert_eq!(RefreshSchedule::default().hour_minute(), Some((3, 0)));
        assert_eq!(at("23:59").hour_minute(), Some((23, 59)));
        for bad in ["24:00", "3:00", "03:60", "03-00", "", "ab:cd"] {
            assert_eq!(at(bad).hour_minute(), None, "{bad}");
        }
    }
}
