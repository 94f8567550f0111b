//! The hub every change passes through: it numbers each [`LiveEvent`], keeps the most recent
//! ones for a stream that reconnects (`Last-Event-ID`), and hands them to every open stream.
//! One hub per process: with one proxy on SQLite it sees every change. Replicas on Postgres
//! relay their changes through the database (see `storage::live_relay`): then a change goes out
//! to every replica's hub, this one too, numbered by the database.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::{broadcast, mpsc};
use tss_model::LiveEvent;

/// How many recent events a reconnecting stream can catch up on.
const KEPT: usize = 4096;
/// How many events a slow stream may fall behind before it is told to reload.
const QUEUE: usize = 1024;

/// What passes through the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A change, with its number.
    Change {
        /// Its number: larger than every earlier one, also across restarts.
        id: u64,
        /// What changed.
        event: LiveEvent,
    },
    /// A session ended or a user's account changed: each stream checks its session again.
    SessionsChanged,
    /// The proxy is stopping: every stream ends (the browser reconnects to the next process).
    ShuttingDown,
    /// Changes may have been missed (the relay lost its connection): every page reads again.
    Missed,
}

/// What a hub hands its relay to tell every replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// A change this replica made.
    Change(LiveEvent),
    /// A session ended or an account changed here.
    SessionsChanged,
}

/// A stream's start: what it missed, and what comes next.
pub struct Subscription {
    /// The events after the one the stream last saw, oldest first.
    pub missed: Vec<Notice>,
    /// Whether more was missed than the hub kept: the stream must tell its page to reload.
    pub gap: bool,
    /// Every notice from now on.
    pub next: broadcast::Receiver<Notice>,
}

/// The hub; cheap to clone.
#[derive(Debug, Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    sender: broadcast::Sender<Notice>,
    /// Grows with every change this hub hears of (published here or relayed from a replica).
    changes: std::sync::atomic::AtomicU64,
    recent: Mutex<Recent>,
    relay: OnceLock<mpsc::UnboundedSender<Outgoing>>,
}

#[derive(Debug)]
struct Recent {
    next_id: u64,
    events: VecDeque<Notice>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub::new()
    }
}

impl LiveHub {
    /// A hub whose numbers start above every number an earlier process handed out (they start
    /// at the current time in microseconds).
    pub fn new() -> LiveHub {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_micros() as u64);
        let (sender, _) = broadcast::channel(QUEUE);
        LiveHub {
            inner: Arc::new(Inner {
                sender,
                changes: std::sync::atomic::AtomicU64::new(0),
                recent: Mutex::new(Recent {
                    next_id: now,
                    events: VecDeque::with_capacity(KEPT),
                }),
                relay: OnceLock::new(),
            }),
        }
    }

    /// From now on, hands changes to `relay` (which tells every replica, this one too) instead
    /// of to this hub's own streams.
    pub fn relay_through(&self, relay: mpsc::UnboundedSender<Outgoing>) {
        let _ = self.inner.relay.set(relay);
    }

    /// Tells the relay, if there is one running; answers whether it took `message`.
    fn relayed(&self, message: Outgoing) -> bool {
        self.inner
            .relay
            .get()
            .is_some_and(|relay| relay.send(message).is_ok())
    }

    /// Numbers `event`, keeps it and hands it to every open stream (through the relay, when
    /// replicas share the database).
    pub fn publish(&self, event: LiveEvent) {
        self.count_change();
        if !self.relayed(Outgoing::Change(event.clone())) {
            self.deliver(None, event);
        }
    }

    /// A change the relay heard, numbered `id` by the database.
    pub fn receive(&self, id: u64, event: LiveEvent) {
        self.count_change();
        self.deliver(Some(id), event);
    }

    /// How many changes this hub has heard of: what was read before a change is stale when this
    /// has grown since.
    pub fn changes(&self) -> u64 {
        self.inner.changes.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn count_change(&self) {
        self.inner
            .changes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Keeps `event` with its number (the next one of this hub when `None`) and hands it to
    /// every open stream.
    fn deliver(&self, id: Option<u64>, event: LiveEvent) {
        let mut recent = self.lock();
        let id = id.unwrap_or(recent.next_id);
        let notice = Notice::Change { id, event };
        // Relayed numbers may arrive slightly out of order: the next one never goes back.
        recent.next_id = recent.next_id.max(id + 1);
        if recent.events.len() == KEPT {
            recent.events.pop_front();
        }
        recent.events.push_back(notice.clone());
        // Sent under the lock, so that streams receive events in the order of their numbers.
        let _ = self.inner.sender.send(notice);
    }

    /// Tells every stream (of every replica, through the relay) to check its session again.
    pub fn sessions_changed(&self) {
        if !self.relayed(Outgoing::SessionsChanged) {
            self.receive_sessions_changed();
        }
    }

    /// Sessions changed on some replica: every stream here checks its session again.
    pub fn receive_sessions_changed(&self) {
        let _ = self.inner.sender.send(Notice::SessionsChanged);
    }

    /// Changes may have been missed: every stream tells its page to read again.
    pub fn missed(&self) {
        self.count_change();
        let _ = self.inner.sender.send(Notice::Missed);
    }

    /// Ends every open stream, so that a graceful shutdown does not wait for them.
    pub fn shut_down(&self) {
        let _ = self.inner.sender.send(Notice::ShuttingDown);
    }

    /// A new stream that last saw event `last_seen` (none: a new page, which loads its data
    /// itself).
    pub fn subscribe(&self, last_seen: Option<u64>) -> Subscription {
        let recent = self.lock();
        let next = self.inner.sender.subscribe();
        let Some(last_seen) = last_seen else {
            return Subscription {
                missed: Vec::new(),
                gap: false,
                next,
            };
        };
        let oldest_kept = match recent.events.front() {
            Some(Notice::Change { id, .. }) => *id,
            _ => recent.next_id,
        };
        let gap = last_seen.saturating_add(1) < oldest_kept || last_seen >= recent.next_id;
        let missed = if gap {
            Vec::new()
        } else {
            recent
                .events
                .iter()
                .filter(|n| matches!(n, Notice::Change { id, .. } if *id > last_seen))
                .cloned()
                .collect()
        };
        Subscription { missed, gap, next }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.inner
            .recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(store_id: i64) -> LiveEvent {
        LiveEvent::Store { store_id }
    }

    fn ids(notices: &[Notice]) -> Vec<u64> {
        notices
            .iter()
            .filter_map(|n| match n {
                Notice::Change { id, .. } => Some(*id),
                Notice::SessionsChanged | Notice::ShuttingDown | Notice::Missed => None,
            })
            .collect()
    }

    #[tokio::test]
    async fn a_reconnecting_stream_gets_exactly_what_it_missed_in_order() {
        let hub = LiveHub::new();
        let mut first = hub.subscribe(None).next;
        for n in 0..5 {
            hub.publish(store(n));
        }
        let mut seen = Vec::new();
        for _ in 0..2 {
            seen.push(first.recv().await.unwrap());
        }
        let last = ids(&seen)[1];
        let again = hub.subscribe(Some(last));
        assert!(!again.gap);
        let missed = ids(&again.missed);
        assert_eq!(missed, [last + 1, last + 2, last + 3]);
        hub.publish(store(9));
        let mut next = again.next;
        assert_eq!(ids(&[next.recv().await.unwrap()]), [last + 4]);
    }

    #[test]
    fn a_stream_away_longer_than_the_hub_remembers_or_from_an_earlier_process_must_reload() {
        let hub = LiveHub::new();
        for n in 0..(KEPT as i64 + 10) {
            hub.publish(store(n));
        }
        let oldest = match hub.lock().events.front() {
            Some(Notice::Change { id, .. }) => *id,
            _ => unreachable!(),
        };
        assert!(hub.subscribe(Some(oldest - 5)).gap);
        assert!(!hub.subscribe(Some(oldest - 1)).gap);
        assert!(
            hub.subscribe(Some(u64::MAX - 1)).gap,
            "a number this hub never gave"
        );
        assert!(!hub.subscribe(None).gap);
    }

    #[test]
    fn numbers_grow_across_hubs_as_across_restarts() {
        let first = LiveHub::new();
        first.publish(store(1));
        let last_of_first = first.lock().next_id - 1;
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = LiveHub::new();
        assert!(second.lock().next_id > last_of_first);
    }
}
