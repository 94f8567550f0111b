//! Live updates: while somebody is logged in, the app follows the proxy's changes through one
//! feed (`GET /api/events`, opened by the [`crate::api::Api`]); each page subscribes with
//! [`Live::on_change`] and reads again what a change concerns. After a lost connection comes
//! back, every page reads again all it shows (changes may have been missed meanwhile).

use std::rc::Rc;

use leptos::prelude::*;
use tss_model::LiveEvent;

use crate::api::{use_api, LiveSignal};
use crate::session::use_session;

/// Whether the app follows the changes right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    /// The feed is being opened.
    Connecting,
    /// Changes arrive as they happen.
    Live,
    /// The connection was lost; the browser is opening it again.
    Reconnecting,
}

type Listener = Rc<dyn Fn(&LiveEvent)>;

/// The app's live feed, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    status: RwSignal<LiveStatus>,
    listeners: StoredValue<Vec<(u64, Listener)>, LocalStorage>,
    next_listener: StoredValue<u64>,
}

impl Live {
    fn new() -> Live {
        Live {
            status: RwSignal::new(LiveStatus::Connecting),
            listeners: StoredValue::new_local(Vec::new()),
            next_listener: StoredValue::new(0),
        }
    }

    /// Whether the app follows the changes right now.
    pub fn status(&self) -> Signal<LiveStatus> {
        self.status.into()
    }

    /// Runs `listener` on every change for as long as the calling component lives.
    pub fn on_change(&self, listener: impl Fn(&LiveEvent) + 'static) {
        let id = self.next_listener.get_value();
        self.next_listener.set_value(id + 1);
        let listener: Listener = Rc::new(listener);
        self.listeners.update_value(|all| all.push((id, listener)));
        let listeners = self.listeners;
        on_cleanup(move || {
            listeners.try_update_value(|all| all.retain(|(other, _)| *other != id));
        });
    }

    /// Takes what the feed reports: a change goes to every listener; a connection that comes
    /// back after it was lost makes every page read again.
    pub fn receive(&self, signal: LiveSignal) {
        match signal {
            LiveSignal::Open => {
                let was_lost = self.status.get_untracked() == LiveStatus::Reconnecting;
                self.status.set(LiveStatus::Live);
                if was_lost {
                    self.dispatch(&LiveEvent::Reload);
                }
            }
            LiveSignal::Lost => self.status.set(LiveStatus::Reconnecting),
            LiveSignal::Change(event) => self.dispatch(&event),
        }
    }

    fn dispatch(&self, event: &LiveEvent) {
        // Listeners may subscribe or leave while they run (a page reloads): call a copy.
        let listeners: Vec<Listener> = self
            .listeners
            .with_value(|all| all.iter().map(|(_, l)| l.clone()).collect());
        for listener in listeners {
            listener(event);
        }
    }
}

/// How long a list waits after a change before it reads again, so that a burst of changes (a
/// refresh of many TSS) costs one read.
const BURST: std::time::Duration = std::time::Duration::from_millis(250);

/// Bumps `version` (so the list that tracks it reads again) once, a moment after the first
/// change of a burst.
pub fn reload_after_burst(version: RwSignal<u32>) -> impl Fn() + Copy + 'static {
    let pending = StoredValue::new(false);
    move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.try_set_value(false);
                version.try_update(|v| *v += 1);
            },
            BURST,
        );
    }
}

/// Provides the app's live feed (closed until [`follow_changes`] opens it).
pub fn provide_live() -> Live {
    let live = Live::new();
    provide_context(live);
    live
}

/// The app's live feed.
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(provide_live)
}

/// Follows the proxy's changes for as long as the calling component (the logged-in pages)
/// lives. A feed refused for an ended session logs the app out.
pub fn follow_changes() {
    let live = use_live();
    let api = use_api();
    let session = use_session();
    let check = api.clone();
    let following = api.follow_changes(Rc::new(move |signal: LiveSignal| {
        if signal == LiveSignal::Lost {
            let ask = check.session();
            leptos::task::spawn_local(async move {
                if let Err(error) = ask.await {
                    session.notice(&error);
                }
            });
        }
        live.receive(signal);
    }));
    let following = StoredValue::new_local(Some(following));
    on_cleanup(move || {
        following.try_update_value(|f| f.take());
    });
}
