//! The two commands of the README.

use std::process::Command;
use std::time::Instant;

use crate::bootstrap::{ensure_tools, Tools};
use crate::postgres::Cluster;
use crate::shell::root;
use crate::shell::{cargo, step, Error};
use crate::{bundle, wasm_graph};

/// Where `cargo xtask run` serves the app.
const LISTEN: &str = "127.0.0.1:8080";

/// `cargo xtask run [--postgres]`: build the SPA in release and serve it with the proxy until
/// Ctrl-C, on the SQLite file `data/tss-console.sqlite` or, with `--postgres`, on a local
/// PostgreSQL cluster kept in `data/postgres` (its key file `data/tss-console-postgres.key`).
pub fn run(postgres: bool) -> Result<(), Error> {
    let tools = ensure_tools()?;
    build_spa(&tools)?;
    let mut proxy = cargo();
    proxy.args(["run", "--release", "--package", "tss-proxy", "--"]);
    proxy.args(["--listen", LISTEN, "--dist", "dist"]);
    let cluster = if postgres {
        let cluster = Cluster::kept(&root().join("data/postgres"))?;
        // The proxy creates the database on its first start.
        let database = format!("{}/tss_console", cluster.server_url());
        println!("==> on PostgreSQL: {database}");
        proxy.args(["--database", &database]);
        proxy.args(["--secret-key-file", "data/tss-console-postgres.key"]);
        Some(cluster)
    } else {
        None
    };
    println!("==> tss-console will be at http://{LISTEN}/ (Ctrl-C stops it)");
    let served = step("running tss-proxy", &mut proxy);
    drop(cluster);
    served
}

/// `cargo xtask bench <name>`: the proxy's bench `name` (`proxy`, `chaos`, `live`), with a
/// throwaway Postgres server for its runs of replicas (`TSS_BENCH_POSTGRES`).
pub fn bench(name: &str) -> Result<(), Error> {
    crate::bootstrap::ensure_load_generator()?;
    let postgres = Cluster::throwaway(&root().join("target/pg-bench"))?;
    step(
        &format!("running the bench {name} (with replicas on Postgres)"),
        cargo()
            .args(["bench", "--package", "tss-proxy", "--bench", name])
            .env("TSS_BENCH_POSTGRES", postgres.server_url()),
    )
}

/// `cargo xtask build`: the SPA in release into `dist/`, precompressed, with the pinned tools.
pub fn build() -> Result<(), Error> {
    build_spa(&ensure_tools()?)
}

/// `cargo xtask test`: every check the project has, cheapest first; stops at the first failure.
pub fn test() -> Result<(), Error> {
    let started = Instant::now();
    let tools = ensure_tools()?;
    step(
        "checking formatting (cargo fmt)",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    wasm_graph::check()?;
    step(
        "linting the native crates (clippy -D warnings)",
        cargo()
            .args([
                "clippy",
                "--workspace",
                "--exclude",
                "tss-console",
                "--all-targets",
            ])
            .args(["--", "-D", "warnings"]),
    )?;
    step(
        "linting the SPA for wasm32 (clippy -D warnings)",
        cargo()
            .args(["clippy", "--package", "tss-console", "--all-targets"])
            .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]),
    )?;
    // Stopped when this task ends, also when a test fails.
    let postgres = Cluster::throwaway(&root().join("target/pg-test"))?;
    let server = postgres.server_url();
    // A second one, which a test stops and starts again.
    let outage = Cluster::throwaway(&root().join("target/pg-outage"))?;
    step(
        "testing the native crates (the proxy's API on SQLite; replicas on Postgres)",
        cargo()
            .args([
                "test",
                "--workspace",
                "--exclude",
                "tss-console",
                "--exclude",
                "tss-e2e",
            ])
            .env("TSS_TEST_POSTGRES", &server)
            .env("TSS_TEST_OUTAGE_POSTGRES", outage.server_url())
            .env("TSS_TEST_OUTAGE_CONTROL", outage.control_command()),
    )?;
    drop(outage);
    step(
        "testing the proxy's API on Postgres",
        cargo()
            .args(["test", "--package", "tss-proxy", "--test", "api"])
            .env("TSS_TEST_POSTGRES", &server)
            .env("TSS_TEST_BACKEND", "postgres"),
    )?;
    step(
        "testing the SPA in headless Chromium (wasm-bindgen-test)",
        cargo()
            .args([
                "test",
                "--package",
                "tss-console",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    build_spa(&tools)?;
    bundle::check_size(tools.release_nightly)?;
    step(
        "testing every how-to end to end (built SPA; the demo proxy, and two replicas on \
         Postgres behind nginx; headless Chromium)",
        cargo()
            .args(["test", "--package", "tss-e2e", "--", "--test-threads=1"])
            .env("TSS_E2E_DIST", crate::shell::root().join("dist"))
            .env("TSS_TEST_POSTGRES", &server),
    )?;
    println!("==> every check passed in {:.0?}", started.elapsed());
    Ok(())
}

/// Builds the SPA in release into `dist/` with the pinned tools, and precompresses it. With the
/// release nightly the wasm gets its own standard library, built for size, and panics that abort
/// at once (no panic messages in the browser's console, 8 % less to download); its artefacts
/// live in their own target folder, so the stable builds stay warm.
fn build_spa(tools: &Tools) -> Result<(), Error> {
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release"]).env("PATH", &tools.path);
    let what = if tools.release_nightly {
        trunk
            .env("RUSTUP_TOOLCHAIN", crate::bootstrap::RELEASE_NIGHTLY)
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort",
            )
            .env(
                "CARGO_TARGET_DIR",
                crate::shell::root().join("target/release-nightly"),
            );
        "building the SPA in release (trunk, release nightly with build-std)"
    } else {
        "building the SPA in release (trunk, stable toolchain)"
    };
    step(what, &mut trunk)?;
    crate::compress::precompress(&crate::shell::root().join("dist"))
}
