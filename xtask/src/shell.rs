//! Running programs with a progress line, and the project's folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What went wrong in a step, in words for the person at the terminal.
pub type Error = String;

/// The workspace root (the folder with the top-level Cargo.toml).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the workspace root")
        .to_owned()
}

/// Prints `==> what`, runs `command` in the workspace root with its output shown, and fails with
/// `what` when it does not succeed.
pub fn step(what: &str, command: &mut Command) -> Result<(), Error> {
    println!("==> {what}");
    let started = Instant::now();
    let status = command
        .current_dir(root())
        .status()
        .map_err(|e| format!("{what}: cannot start {:?}: {e}", command.get_program()))?;
    if !status.success() {
        let disk = free_disk_space().map_or_else(String::new, |free| {
            format!("; {free} free on the build's disk (a full disk makes linkers crash)")
        });
        return Err(format!("{what} failed ({status}){disk}"));
    }
    println!("    {what}: done in {:.0?}", started.elapsed());
    Ok(())
}

/// The space left on the disk of the workspace (where `target/` grows), as `df` words it.
fn free_disk_space() -> Option<String> {
    let output = Command::new("df")
        .args(["-P", "-h"])
        .arg(root())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let columns: Vec<&str> = text.lines().nth(1)?.split_whitespace().collect();
    columns.get(3).map(|available| (*available).to_owned())
}

/// The first line a program prints for `args` (e.g. `--version`), or `None` when it cannot run.
pub fn first_line_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(|line| line.trim().to_owned())
}

/// `cargo` as the one running this task chose it.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}
