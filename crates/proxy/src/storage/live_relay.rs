//! Live updates across replicas: on Postgres, each replica's changes go out as a `NOTIFY` on one
//! channel, numbered by one sequence, and every replica (the sender too) hands what it hears on
//! `LISTEN` to its own hub's streams. So a page follows every change, whichever replica its
//! stream or the change went through. A replica that lost its listening connection tells its
//! streams to reload: what was said meanwhile is gone.

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tss_model::LiveEvent;

use super::{Location, Storage, StorageResult};
use crate::live::{LiveHub, Outgoing};

/// The channel every replica listens on.
const CHANNEL: &str = "tss_console_live";
/// What a notification says when sessions changed (a change says `<number> <event JSON>`).
const SESSIONS_CHANGED: &str = "sessions";

/// The relay's two tasks; dropping it stops them (the hub then keeps its changes local).
#[derive(Debug)]
pub struct LiveRelay {
    speaking: JoinHandle<()>,
    listening: JoinHandle<()>,
}

impl Drop for LiveRelay {
    fn drop(&mut self) {
        self.speaking.abort();
        self.listening.abort();
    }
}

impl Storage {
    /// On Postgres: from now on, this replica's live updates go to every replica and it hears
    /// theirs. `None` on SQLite, where one process sees every change anyway.
    pub async fn relay_live_updates(&self) -> StorageResult<Option<LiveRelay>> {
        let Location::Postgres(url) = &self.location else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        let (sender, outgoing) = mpsc::unbounded_channel();
        self.live.relay_through(sender);
        Ok(Some(LiveRelay {
            speaking: tokio::spawn(speak(self.clone(), outgoing)),
            listening: tokio::spawn(listen(listener, self.live.clone())),
        }))
    }
}

/// Sends this replica's changes, in the order they were made.
async fn speak(storage: Storage, mut outgoing: mpsc::UnboundedReceiver<Outgoing>) {
    while let Some(message) = outgoing.recv().await {
        let sent = match &message {
            Outgoing::Change(event) => {
                let json = serde_json::to_string(event).expect("a live event serialises");
                sqlx::query("SELECT pg_notify($1, nextval('live_event_ids')::text || ' ' || $2)")
                    .bind(CHANNEL)
                    .bind(json)
                    .execute(&storage.pool)
                    .await
            }
            Outgoing::SessionsChanged => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(SESSIONS_CHANGED)
                    .execute(&storage.pool)
                    .await
            }
        };
        if let Err(error) = sent {
            tracing::warn!(%error, "could not tell the other replicas about a change");
            storage.live.missed();
        }
    }
}

/// Hands every notification to `hub`; after a lost connection (reconnected on the next
/// receive), tells the streams to reload.
async fn listen(mut listener: PgListener, hub: LiveHub) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => deliver(&hub, notification.payload()),
            Ok(None) => {
                tracing::warn!("lost the live-update connection to Postgres; reconnecting");
                hub.missed();
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for live updates; retrying");
                hub.missed();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Hands one notification's `payload` to `hub`.
fn deliver(hub: &LiveHub, payload: &str) {
    if payload == SESSIONS_CHANGED {
        hub.receive_sessions_changed();
        return;
    }
    let parsed = payload.split_once(' ').and_then(|(id, json)| {
        let id = id.parse().ok()?;
        let event = serde_json::from_str::<LiveEvent>(json).ok()?;
        Some((id, event))
    });
    match parsed {
        Some((id, event)) => hub.receive(id, event),
        None => tracing::warn!(payload, "an unreadable live-update notification"),
    }
}
