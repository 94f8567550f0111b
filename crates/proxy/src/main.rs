//! The `tss-proxy` binary: reads its configuration, prepares, then serves until Ctrl-C.

use clap::Parser;
use tss_proxy::app;
use tss_proxy::config::Config;
use tss_proxy::startup::prepare;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    let prepared = prepare(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("tss-console is at http://{}/", listener.local_addr()?);
    axum::serve(listener, app(prepared.state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Some(simulator) = prepared.simulator {
        simulator.shutdown().await?;
    }
    Ok(())
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "cannot listen for Ctrl-C; stop the process another way");
        std::future::pending::<()>().await;
    }
    tracing::info!("shutting down");
}
