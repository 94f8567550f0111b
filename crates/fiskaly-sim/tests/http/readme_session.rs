//! The curl session of the crate README runs as written against the binary with its defaults.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Stops the simulator process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn readme_session() -> String {
    let readme = include_str!("../../README.md");
    let after_marker = readme
        .split("<!-- curl-session -->")
        .nth(1)
        .expect("README marks the curl session");
    let block = after_marker
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block after the marker");
    block.to_owned()
}

#[test]
fn the_readme_curl_session_runs_against_the_binary_with_its_defaults() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fiskaly-sim"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("FISKALY_SIM_")) {
        command.env_remove(name);
    }
    let _sim = Running(command.stdout(Stdio::null()).spawn().unwrap());
    let started = Instant::now();
    while TcpStream::connect("127.0.0.1:8900").is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "fiskaly-sim did not start on 8900"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &readme_session()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "session failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "UNINITIALIZED",
            "{}",
            "{}",
            "INITIALIZED",
            "REGISTERED",
            "{}"
        ]
    );
}
