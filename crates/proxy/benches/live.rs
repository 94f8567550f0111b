//! Benchmark of the live updates (evidence, not a test): the `tss-proxy` binary in demo mode in
//! its own process, 500 open `GET /api/events` streams, then 40 store edits one after another.
//! Prints the time from sending an edit until its event arrived on every stream (p50, p99, max)
//! and the proxy's resident memory per open stream.
//!
//! Run: `cargo bench -p tss-proxy --bench live`.

mod support;

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

const STREAMS: usize = 500;
const EDITS: usize = 40;
const PASSWORD: &str = "bench-password-123";

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/api");
    let mut proxy = start_proxy(dir.path(), port).await;
    let pid = proxy.id().unwrap();
    wait_until_up(&base).await;
    let cookie = log_in(&base).await;

    let before = resident_kib(pid);
    let arrivals: Arc<Mutex<Vec<(usize, Instant)>>> = Arc::default();
    let mut streams = Vec::new();
    for _ in 0..STREAMS {
        streams.push(open_stream(&base, &cookie, arrivals.clone()).await);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = resident_kib(pid);
    println!(
        "{STREAMS} open streams: proxy resident memory {} KiB → {} KiB, {:.1} KiB per stream",
        before,
        after,
        (after - before) as f64 / STREAMS as f64
    );

    let http = support::api_client(&base, Some(&cookie));
    let mut delays = Vec::new();
    for edit in 0..EDITS {
        arrivals.lock().unwrap().clear();
        let sent = Instant::now();
        let body = serde_json::json!({
            "number": "S-001", "name": format!("Berlin Mitte {edit}"),
            "street": "Friedrichstraße 101", "city": "Berlin"
        });
        let answer = http
            .patch(format!("{base}/stores/1"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
        let deadline = Instant::now() + Duration::from_secs(10);
        while arrivals.lock().unwrap().len() < STREAMS {
            assert!(Instant::now() < deadline, "not every stream got the edit");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        delays.extend(
            arrivals
                .lock()
                .unwrap()
                .iter()
                .map(|(_, at)| at.duration_since(sent)),
        );
    }
    delays.sort();
    let at = |q: f64| delays[((delays.len() - 1) as f64 * q) as usize];
    println!(
        "{EDITS} edits × {STREAMS} streams: from sending the edit to its event on a stream \
         p50 {:.1?}, p99 {:.1?}, max {:.1?}",
        at(0.5),
        at(0.99),
        delays[delays.len() - 1]
    );
    for stream in streams {
        stream.abort();
    }
    let _ = proxy.kill().await;
}

async fn start_proxy(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
        .env("TSS_LISTEN", format!("127.0.0.1:{port}"))
        .env("TSS_DATABASE", dir.join("live.sqlite"))
        .env("TSS_DIST", dir)
        .env("TSS_ADMIN_PASSWORD", PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the tss-proxy binary")
}

async fn wait_until_up(base: &str) {
    let started = Instant::now();
    while reqwest::get(format!("{base}/health")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the proxy did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Logs in as the first administrator; answers the session cookie.
async fn log_in(base: &str) -> String {
    let answer = support::api_client(base, None)
        .post(format!("{base}/session"))
        .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
    answer.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Opens one stream on its own connection; every `store` event it reads is noted with the
/// time it arrived.
async fn open_stream(
    base: &str,
    cookie: &str,
    arrivals: Arc<Mutex<Vec<(usize, Instant)>>>,
) -> tokio::task::JoinHandle<()> {
    let mut response = support::api_client(base, Some(cookie))
        .get(format!("{base}/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let me = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tokio::spawn(async move {
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            let now = Instant::now();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if block.contains(r#""kind":"store""#) {
                    arrivals.lock().unwrap().push((me, now));
                }
            }
        }
    })
}

/// The resident memory of process `pid` in KiB.
fn resident_kib(pid: u32) -> i64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}
