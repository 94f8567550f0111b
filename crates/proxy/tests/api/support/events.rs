//! Reading `GET /api/events` as a browser's `EventSource` does: event by event, by its text.

use std::time::Duration;

use tss_model::LiveEvent;

/// How long a test waits for the next event before it fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// One open stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

/// One event as sent: its ID (none for `reload`) and what changed.
pub type Received = (Option<u64>, LiveEvent);

impl EventStream {
    /// Opens the stream of the API at `api` (e.g. `http://127.0.0.1:4711/api`) with the session
    /// `cookie`, resuming after `last_event_id`; answers the HTTP status when the proxy refuses.
    pub async fn open(
        api: &str,
        cookie: Option<&str>,
        last_event_id: Option<u64>,
    ) -> Result<EventStream, u16> {
        let mut request = reqwest::Client::new().get(format!("{api}/events"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.unwrap();
        if response.status() != 200 {
            return Err(response.status().as_u16());
        }
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Ok(EventStream {
            response,
            buffer: String::new(),
        })
    }

    /// The next event; `None` when the proxy ended the stream. Fails the test after a while.
    pub async fn next(&mut self) -> Option<Received> {
        tokio::time::timeout(PATIENCE, self.read_event())
            .await
            .expect("no event arrived in time")
    }

    /// The next event that `wanted` picks, skipping others.
    pub async fn next_matching(&mut self, wanted: impl Fn(&LiveEvent) -> bool) -> Received {
        loop {
            let received = self.next().await.expect("the stream ended");
            if wanted(&received.1) {
                return received;
            }
        }
    }

    /// Whether the proxy ends the stream within a while (events before its end are skipped).
    pub async fn ends(&mut self) -> bool {
        let ended = async { while self.read_event().await.is_some() {} };
        tokio::time::timeout(PATIENCE, ended).await.is_ok()
    }

    async fn read_event(&mut self) -> Option<Received> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse(&block) {
                    return Some(event);
                }
                continue; // a heartbeat comment
            }
            let chunk = self.response.chunk().await.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// An event block's ID and data; `None` for a comment.
fn parse(block: &str) -> Option<Received> {
    let mut id = None;
    let mut data = None;
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("data:") {
            data = Some(serde_json::from_str(value.trim()).expect("an event's data is JSON"));
        }
    }
    data.map(|data| (id, data))
}
