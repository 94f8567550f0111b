//! What the benches that refresh every TSS share: start one and wait for its end.

use std::time::{Duration, Instant};

/// Starts a Refresh of every TSS through the console at `base` (its `/api` address) with `http`
/// (which sends the session and the same-origin headers) and waits until it ended; answers how
/// long it took and the run as `GET /api/refresh` ended it.
pub async fn refresh_every_tss(
    http: &reqwest::Client,
    base: &str,
) -> (Duration, serde_json::Value) {
    let started = Instant::now();
    let accepted = http.post(format!("{base}/refresh")).send().await.unwrap();
    assert_eq!(accepted.status(), 202, "{}", accepted.text().await.unwrap());
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let run: serde_json::Value = http
            .get(format!("{base}/refresh"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if run["status"] != "running" {
            return (started.elapsed(), run);
        }
    }
}
