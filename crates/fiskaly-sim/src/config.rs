//! How a simulator behaves: credentials, lifetimes, limits, latency and where it keeps its state.

use std::path::PathBuf;
use std::time::Duration;

/// The simulator's settings. [`SimConfig::default`] is what the binary uses without flags.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The one API key `/auth` accepts.
    pub api_key: String,
    /// The secret that goes with [`SimConfig::api_key`].
    pub api_secret: String,
    /// How long an access token is valid (fiskaly: about 24 h).
    pub access_token_lifetime: Duration,
    /// How long a refresh token is valid (fiskaly: about 48 h).
    pub refresh_token_lifetime: Duration,
    /// How many TSS may be live (CREATED, UNINITIALIZED or INITIALIZED) at once; fiskaly's TEST
    /// organisations allow 5.
    pub live_tss_limit: usize,
    /// How many TSS may be created per UTC day (fiskaly: 500).
    pub tss_creations_per_day: usize,
    /// `max_number_registered_clients` of every new TSS (fiskaly: 199).
    pub max_registered_clients: usize,
    /// How long a new TSS's certificate is valid, in seconds (default five years).
    pub certificate_validity: i64,
    /// Whether this host is the middleware. `false` simulates the other host, which serves only
    /// reads, `/auth` and TSS creation and answers everything else with 432 `E_USE_MIDDLEWARE`.
    pub middleware: bool,
    /// Whether the control API under `/_sim` is served.
    pub control: bool,
    /// Extra time every API call takes.
    pub latency: Duration,
    /// Extra time the deploy call (CREATED → UNINITIALIZED) takes on top, as at fiskaly.
    pub deploy_latency: Duration,
    /// A JSON file the state is kept in, so that the simulation survives a restart.
    pub snapshot: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            api_key: "test_sim_api_key".into(),
            api_secret: "test_sim_api_secret".into(),
            access_token_lifetime: Duration::from_secs(24 * 60 * 60),
            refresh_token_lifetime: Duration::from_secs(48 * 60 * 60),
            live_tss_limit: 5,
            tss_creations_per_day: 500,
            max_registered_clients: 199,
            certificate_validity: crate::certificate::DEFAULT_VALIDITY_SECONDS,
            middleware: true,
            control: false,
            latency: Duration::ZERO,
            deploy_latency: Duration::ZERO,
            snapshot: None,
        }
    }
}
