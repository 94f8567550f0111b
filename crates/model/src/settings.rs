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
