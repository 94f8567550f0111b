//! The proxy's command line; every flag can also come from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// `tss-proxy`: serves the tss-console SPA and its API.
#[derive(Debug, Clone, Parser)]
#[command(name = "tss-proxy", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TSS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder of the built SPA (Trunk's output).
    #[arg(long, env = "TSS_DIST", default_value = "dist")]
    pub dist: PathBuf,
}
