//! The `tss-proxy` binary: reads its configuration, then serves until Ctrl-C.

use clap::Parser;
use tss_proxy::config::Config;
use tss_proxy::{app, AppState};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let config = Config::parse();
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no index.html in the SPA folder: only the API is served");
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("tss-console is at http://{}/", listener.local_addr()?);
    let state = AppState { dist: config.dist };
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "cannot listen for Ctrl-C; stop the process another way");
        std::future::pending::<()>().await;
    }
    tracing::info!("shutting down");
}
