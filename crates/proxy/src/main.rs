//! The `tss-proxy` binary: reads its configuration, prepares, then serves until Ctrl-C.

use clap::Parser;
use tss_proxy::app;
use tss_proxy::config::{Cli, Command, Config};
use tss_proxy::startup::{key_file, open_storage, prepare};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tss-proxy: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Reseal { new_key_file }) => reseal(&cli.config, &new_key_file).await,
        Some(Command::User { action }) => {
            let storage = open_storage(&cli.config).await?;
            println!(
                "{}",
                tss_proxy::users_command::run(&storage, &action).await?
            );
            Ok(())
        }
        None => serve(cli.config).await,
    }
}

async fn reseal(
    config: &Config,
    new_key_file: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let storage = open_storage(config).await?;
    let count = storage.reseal(new_key_file).await?;
    println!(
        "re-sealed {count} secrets of {} under {}; start the proxy with --secret-key-file {}          (or move it to {}), and back it up with the database",
        config.database,
        new_key_file.display(),
        new_key_file.display(),
        key_file(config)?.display()
    );
    Ok(())
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no index.html in the SPA folder: only the API is served");
    }
    let prepared = prepare(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("tss-console is at http://{}/", listener.local_addr()?);
    let live = prepared.state.storage.live().clone();
    let app = app(prepared.state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // Open live streams would keep the graceful shutdown waiting: they are ended first.
    let shutdown = async move {
        shutdown_signal().await;
        live.shut_down();
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    prepared.membership.leave().await;
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
