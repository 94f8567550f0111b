//! The `fiskaly-sim` binary: a simulated fiskaly SIGN DE v2 on a loopback port.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use fiskaly_sim::{SimConfig, Simulator};

/// An offline simulator of fiskaly's SIGN DE API v2, serving the API under /api/v2.
#[derive(Debug, Parser)]
#[command(name = "fiskaly-sim", version, about)]
struct Args {
    /// Loopback port to listen on.
    #[arg(long, env = "FISKALY_SIM_PORT", default_value_t = 8900)]
    port: u16,
    /// The API key `/auth` accepts.
    #[arg(long, env = "FISKALY_SIM_API_KEY", default_value = "test_sim_api_key")]
    api_key: String,
    /// The API secret `/auth` accepts.
    #[arg(
        long,
        env = "FISKALY_SIM_API_SECRET",
        default_value = "test_sim_api_secret"
    )]
    api_secret: String,
    /// Serve the control API under /_sim (faults, latency, events, call counters).
    #[arg(long, env = "FISKALY_SIM_CONTROL")]
    control: bool,
    /// Keep the state in this JSON file, so that it survives a restart.
    #[arg(long, env = "FISKALY_SIM_SNAPSHOT")]
    snapshot: Option<PathBuf>,
    /// TSS that may be live at once (fiskaly's TEST organisations: 5).
    #[arg(long, default_value_t = 5)]
    live_tss_limit: usize,
    /// Access token lifetime in seconds.
    #[arg(long, default_value_t = 24 * 60 * 60)]
    access_token_seconds: u64,
    /// Refresh token lifetime in seconds.
    #[arg(long, default_value_t = 48 * 60 * 60)]
    refresh_token_seconds: u64,
    /// Extra milliseconds every call takes.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Extra milliseconds the deploy call (CREATED → UNINITIALIZED) takes.
    #[arg(long, default_value_t = 0)]
    deploy_latency_ms: u64,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let config = SimConfig {
        api_key: args.api_key,
        api_secret: args.api_secret,
        access_token_lifetime: Duration::from_secs(args.access_token_seconds),
        refresh_token_lifetime: Duration::from_secs(args.refresh_token_seconds),
        live_tss_limit: args.live_tss_limit,
        control: args.control,
        latency: Duration::from_millis(args.latency_ms),
        deploy_latency: Duration::from_millis(args.deploy_latency_ms),
        snapshot: args.snapshot,
        ..SimConfig::default()
    };
    let sim = Simulator::start_on(SocketAddr::from(([127, 0, 0, 1], args.port)), config).await?;
    tracing::info!("fiskaly-sim serves SIGN DE v2 at {}", sim.base_url());
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "cannot listen for Ctrl-C");
    }
    sim.shutdown().await
}
