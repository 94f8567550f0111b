//! The project's own commands, run as `cargo xtask <command>` from anywhere in the checkout.
//!
//! - `run [--postgres]`: installs what is missing, builds the SPA in release and serves it with
//!   `tss-proxy` on <http://127.0.0.1:8080/> until Ctrl-C (on SQLite, or on a local Postgres
//!   cluster kept in `data/postgres`).
//! - `test`: installs what is missing, then runs every check: fmt, clippy, the native tests and the
//!   browser tests in headless Chromium, and the release bundle's size.
//! - `build`: installs what is missing and builds the SPA in release into `dist/`, precompressed
//!   (what `run` serves and the SPA bench loads).
//! - `bench <name>`: the proxy's bench `name`, with a throwaway Postgres server for the runs
//!   on replicas.
//! - `bootstrap`: only the installing part.

mod bootstrap;
mod bundle;
mod compress;
mod postgres;
mod shell;
mod tasks;
mod wasm_graph;

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "run" => tasks::run(std::env::args().any(|arg| arg == "--postgres")),
        "test" => tasks::test(),
        "build" => tasks::build(),
        "bench" => match std::env::args().nth(2) {
            Some(name) => tasks::bench(&name),
            None => Err("name the bench: cargo xtask bench <proxy|chaos|live>".into()),
        },
        "bootstrap" => bootstrap::ensure_tools().map(|_| ()),
        _ => {
            eprintln!("usage: cargo xtask <run [--postgres]|test|build|bench <name>|bootstrap>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {command}: {error}");
            ExitCode::FAILURE
        }
    }
}
