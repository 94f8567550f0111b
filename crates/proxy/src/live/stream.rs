//! One open `GET /api/events` stream: what the hub publishes, as Server-Sent Events, until the
//! session it was opened with ends.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::Event;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;
use tss_model::LiveEvent;

use super::hub::{Notice, Subscription};
use crate::storage::Storage;

/// How often an open stream checks that its session has not ended by itself (idle timeout);
/// a logout or a removed account is noticed at once.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(60);

/// The session a stream belongs to.
pub struct StreamSession {
    /// Where sessions are kept.
    pub storage: Storage,
    /// The session's token.
    pub token: String,
    /// How long a session may go unused.
    pub idle_seconds: i64,
}

impl StreamSession {
    /// Whether the session is still open (an open stream does not count as using it).
    async fn is_open(&self) -> bool {
        self.storage
            .session_is_open(&self.token, self.idle_seconds)
            .await
            .unwrap_or(true)
    }
}

struct Feed {
    pending: VecDeque<Event>,
    subscription: Subscription,
    session: StreamSession,
    session_check: tokio::time::Interval,
}

/// The events of `subscription` (first what it missed, or a reload when it missed too much),
/// ending when `session` does.
pub fn events(
    subscription: Subscription,
    session: StreamSession,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let mut pending: VecDeque<Event> = VecDeque::new();
    if subscription.gap {
        pending.push_back(event(None, &LiveEvent::Reload));
    }
    for notice in &subscription.missed {
        if let Notice::Change { id, event: change } = notice {
            pending.push_back(event(Some(*id), change));
        }
    }
    let start = tokio::time::Instant::now() + SESSION_CHECK_EVERY;
    let mut session_check = tokio::time::interval_at(start, SESSION_CHECK_EVERY);
    session_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let feed = Feed {
        pending,
        subscription,
        session,
        session_check,
    };
    futures_util::stream::unfold(feed, |mut feed| async move {
        let next = feed.next().await?;
        Some((Ok(next), feed))
    })
}

impl Feed {
    /// The next event to send; `None` once the session ended or the hub is gone.
    async fn next(&mut self) -> Option<Event> {
        if let Some(pending) = self.pending.pop_front() {
            return Some(pending);
        }
        loop {
            let received = tokio::select! {
                received = self.subscription.next.recv() => received,
                _ = self.session_check.tick() => {
                    if !self.session.is_open().await {
                        return None;
                    }
                    continue;
                }
            };
            match received {
                Ok(Notice::Change { id, event: change }) => return Some(event(Some(id), &change)),
                Ok(Notice::SessionsChanged) => {
                    if !self.session.is_open().await {
                        return None;
                    }
                }
                Ok(Notice::ShuttingDown) => return None,
                Ok(Notice::Missed) => return Some(event(None, &LiveEvent::Reload)),
                // Fell behind: what was skipped is unknown, so the page reads everything again.
                Err(RecvError::Lagged(_)) => return Some(event(None, &LiveEvent::Reload)),
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

/// `change` as a Server-Sent Event, with its number as the event ID.
fn event(id: Option<u64>, change: &LiveEvent) -> Event {
    let data = serde_json::to_string(change).expect("a live event serialises");
    let event = Event::default().data(data);
    match id {
        Some(id) => event.id(id.to_string()),
        None => event,
    }
}
