//! Keeps server crates out of the SPA: the browser bundle must never pull in a runtime, a server or
//! a database driver, by accident through a shared crate.

use crate::shell::{cargo, root, Error};

/// Crates that belong to the proxy or the simulator, never to the wasm build.
const SERVER_CRATES: [&str; 8] = [
    "tokio",
    "axum",
    "hyper",
    "sqlx",
    "reqwest",
    "tower-http",
    "mio",
    "tss-proxy",
];

/// Fails when the SPA's wasm32 dependency graph holds a server crate.
pub fn check() -> Result<(), Error> {
    println!("==> checking that no server crate is in the SPA's wasm dependency graph");
    let output = cargo()
        .args([
            "tree",
            "--package",
            "tss-console",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["--edges", "normal", "--prefix", "none"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| SERVER_CRATES.contains(name))
        .collect();
    if found.is_empty() {
        println!("    none of {}", SERVER_CRATES.join(", "));
        Ok(())
    } else {
        Err(format!(
            "the SPA depends on server crates: {}",
            found.join(", ")
        ))
    }
}
