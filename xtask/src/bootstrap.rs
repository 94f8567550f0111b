//! Installs, from package registries only, every tool the build and the tests need, each at the
//! version the project pins; a tool already at that version is left alone.
//!
//! | tool | from | pinned by |
//! |---|---|---|
//! | wasm32-unknown-unknown target | rustup | — |
//! | the release wasm's nightly, with rust-src and the wasm target | rustup | [`RELEASE_NIGHTLY`] |
//! | trunk | crates.io (`cargo install --locked`) | [`TRUNK_VERSION`] |
//! | wasm-bindgen-cli | crates.io (`cargo install`) | the `wasm-bindgen` entry of Cargo.lock |
//! | wasm-opt (binaryen) | npm package `binaryen` | [`BINARYEN_VERSION`], also in Trunk.toml |
//! | chromium, chromium-driver | Debian (`apt-get`, as root) | Debian |
//! | postgresql (server for the tests and `run --postgres`), nginx (the replicas' test) | Debian (`apt-get`, as root) | Debian |

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::shell::{cargo, first_line_of, root, step, Error};

/// The Trunk release that builds with the project's rustc (0.22 needs a newer one).
const TRUNK_VERSION: &str = "0.21.14";
/// The binaryen release whose wasm-opt Trunk runs; Debian's binaryen 108 breaks the output.
const BINARYEN_VERSION: &str = "132";
/// The nightly that builds the release wasm only (its own standard library, panics that abort at
/// once: 8 % smaller); everything else, the browser tests too, builds with the stable toolchain.
pub const RELEASE_NIGHTLY: &str = "nightly-2026-05-20";

/// What the installed tools need from the caller's environment.
pub struct Tools {
    /// `PATH` with the pinned wasm-opt first, for running Trunk.
    pub path: OsString,
    /// Whether [`RELEASE_NIGHTLY`] is installed; without it the release wasm is built with the
    /// stable toolchain (larger, with its own bundle cap).
    pub release_nightly: bool,
}

/// Installs whatever is missing and says what it did.
pub fn ensure_tools() -> Result<Tools, Error> {
    println!("==> checking tools");
    let mut installed = 0;
    installed += ensure_wasm_target()?;
    installed += ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
    let bindgen = wasm_bindgen_version_in_lock()?;
    check_trunk_toml(&bindgen)?;
    installed += ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, &[])?;
    installed += ensure_chromium()?;
    installed += ensure_servers()?;
    let (wasm_opt_bin, count) = ensure_wasm_opt()?;
    installed += count;
    let (release_nightly, count) = ensure_release_nightly();
    installed += count;
    if installed == 0 {
        println!("    every tool is installed at its pinned version: nothing to install");
    } else {
        println!("    installed {installed} tool(s)");
    }
    let mut path = OsString::from(wasm_opt_bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    Ok(Tools {
        path,
        release_nightly,
    })
}

/// Installs [`RELEASE_NIGHTLY`] with rust-src and the wasm target; answers whether it is there
/// (and whether it was installed now). A machine that cannot fetch it builds with stable, and
/// says so.
fn ensure_release_nightly() -> (bool, usize) {
    let ready = || {
        Command::new("rustup")
            .args([
                "+".to_owned() + RELEASE_NIGHTLY,
                "component".into(),
                "list".into(),
                "--installed".into(),
            ])
            .output()
            .is_ok_and(|o| {
                let listed = String::from_utf8_lossy(&o.stdout);
                o.status.success()
                    && listed.contains("rust-src")
                    && listed.contains("rust-std-wasm32-unknown-unknown")
            })
    };
    if ready() {
        println!("    ✓ {RELEASE_NIGHTLY} (rust-src, wasm32) for the release wasm");
        return (fetch_std_dependencies(), 0);
    }
    let install = step(
        &format!("installing {RELEASE_NIGHTLY} with rust-src and wasm32 for the release wasm"),
        Command::new("rustup").args([
            "toolchain",
            "install",
            RELEASE_NIGHTLY,
            "--profile",
            "minimal",
            "--component",
            "rust-src",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    );
    match install {
        Ok(()) => (fetch_std_dependencies(), 1),
        Err(error) => {
            println!(
                "    ! {RELEASE_NIGHTLY} could not be installed ({error}): the release wasm is \
                 built with the stable toolchain, about 8 % larger"
            );
            (false, 0)
        }
    }
}

/// Fetches the crates the release nightly's standard library depends on (build-std compiles
/// it, and Trunk builds offline); answers whether they are there. Without them the release wasm
/// is built with the stable toolchain.
fn fetch_std_dependencies() -> bool {
    let sysroot = first_line_of(
        "rustc",
        &[&format!("+{RELEASE_NIGHTLY}"), "--print", "sysroot"],
    );
    let Some(sysroot) = sysroot else {
        return false;
    };
    let library = std::path::Path::new(&sysroot).join("lib/rustlib/src/rust/library/Cargo.toml");
    let fetched = step(
        "fetching the standard library's dependencies for build-std",
        Command::new("cargo")
            .env("RUSTUP_TOOLCHAIN", RELEASE_NIGHTLY)
            .arg("fetch")
            .arg("--manifest-path")
            .arg(&library),
    );
    if let Err(error) = &fetched {
        println!(
            "    ! the standard library's dependencies could not be fetched ({error}): the \
             release wasm is built with the stable toolchain, about 8 % larger"
        );
    }
    fetched.is_ok()
}

fn ensure_wasm_target() -> Result<usize, Error> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));
    if installed {
        println!("    ✓ rustup target wasm32-unknown-unknown");
        return Ok(0);
    }
    step(
        "installing the wasm32-unknown-unknown target",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )?;
    Ok(1)
}

/// Installs `krate` at `version` with cargo unless `binary --version` already names that version.
fn ensure_cargo_tool(
    binary: &str,
    krate: &str,
    version: &str,
    extra: &[&str],
) -> Result<usize, Error> {
    if let Some(line) = first_line_of(binary, &["--version"]) {
        if line.split_whitespace().nth(1) == Some(version) {
            println!("    ✓ {binary} {version}");
            return Ok(0);
        }
        println!("    {binary} is {line:?}, the project needs {version}");
    }
    step(
        &format!("installing {krate} {version} from crates.io (minutes on 2 cores)"),
        cargo()
            .args(["install", krate, "--version", version])
            .args(extra),
    )?;
    Ok(1)
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
fn wasm_bindgen_version_in_lock() -> Result<String, Error> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Trunk must use the same wasm-bindgen and wasm-opt the bootstrap installs, or it would try to
/// download its own.
fn check_trunk_toml(bindgen: &str) -> Result<(), Error> {
    let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    for expected in [
        format!("wasm_bindgen = \"{bindgen}\""),
        format!("wasm_opt = \"version_{BINARYEN_VERSION}\""),
    ] {
        if !trunk_toml.contains(&expected) {
            return Err(format!(
                "Trunk.toml must say {expected} under [tools] (it must match Cargo.lock and the bootstrap)"
            ));
        }
    }
    Ok(())
}

fn ensure_chromium() -> Result<usize, Error> {
    let browser = first_line_of("chromium", &["--version"]);
    let driver = first_line_of("chromedriver", &["--version"]);
    if let (Some(browser), Some(driver)) = (&browser, &driver) {
        println!(
            "    ✓ {browser}; {}",
            driver.split(" (").next().unwrap_or(driver)
        );
        return Ok(0);
    }
    install_debian_packages(&["chromium", "chromium-driver"])?;
    Ok(1)
}

/// Debian's `wrk`, the separate process that loads the proxy in the benchmarks.
pub fn ensure_load_generator() -> Result<(), Error> {
    // `wrk` has no version flag that exits 0: its file tells.
    if std::path::Path::new("/usr/bin/wrk").exists() {
        return Ok(());
    }
    install_debian_packages(&["wrk"])
}

/// Debian's PostgreSQL server and nginx, which the tests start on loopback.
fn ensure_servers() -> Result<usize, Error> {
    let postgres = std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|mut versions| {
        versions.any(|v| v.is_ok_and(|v| v.path().join("bin/initdb").exists()))
    });
    let nginx = first_line_of("nginx", &["-v"]).is_some()
        || std::path::Path::new("/usr/sbin/nginx").exists();
    let missing: Vec<&str> = [("postgresql", postgres), ("nginx", nginx)]
        .into_iter()
        .filter(|(_, present)| !present)
        .map(|(package, _)| package)
        .collect();
    if missing.is_empty() {
        println!("    ✓ PostgreSQL server and nginx");
        return Ok(0);
    }
    install_debian_packages(&missing)?;
    Ok(missing.len())
}

fn install_debian_packages(packages: &[&str]) -> Result<(), Error> {
    let command = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    );
    if !running_as_root() {
        return Err(format!(
            "{} missing; install as root, then run this again:\n    sudo sh -c '{command}'",
            packages.join(" and ")
        ));
    }
    step(
        &format!("installing {} from Debian", packages.join(", ")),
        Command::new("sh")
            .args(["-c", &command])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn running_as_root() -> bool {
    first_line_of("id", &["-u"]).as_deref() == Some("0")
}

/// The folder the pinned binaryen goes to, shared by every checkout of the project on this machine.
fn binaryen_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| root().join("target"));
    cache
        .join("tss-console")
        .join(format!("binaryen-{BINARYEN_VERSION}"))
}

/// Installs binaryen's wasm-opt from npm unless present; returns the folder holding `wasm-opt`.
fn ensure_wasm_opt() -> Result<(PathBuf, usize), Error> {
    let dir = binaryen_dir();
    let bin = dir.join("node_modules").join(".bin");
    let wasm_opt = bin.join("wasm-opt");
    let version = first_line_of(&wasm_opt.to_string_lossy(), &["--version"]);
    if version
        .as_deref()
        .is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
    {
        println!("    ✓ wasm-opt (binaryen {BINARYEN_VERSION})");
        return Ok((bin, 0));
    }
    if first_line_of("npm", &["--version"]).is_none() {
        install_debian_packages(&["nodejs", "npm"])?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    step(
        &format!("installing wasm-opt (npm binaryen@{BINARYEN_VERSION})"),
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
    )?;
    Ok((bin, 1))
}
