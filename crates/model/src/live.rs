//! Live updates: what changed, as `GET /api/events` (Server-Sent Events) tells every open page,
//! so that what one user does shows on the others' screens without a reload.

use serde::{Deserialize, Serialize};

/// One change, naming what it concerns; a page reads again what it shows of it. On the wire a
/// flat object, `{"kind": "tss", "store_id": 3, "tss_id": "…"}` (read through [`LiveWire`]:
/// an internally tagged enum would cost the SPA 11 KB of wasm to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LiveWire", into = "LiveWire")]
pub enum LiveEvent {
    /// A TSS changed: its state, its Error Text, or the progress of an operation on it (each
    /// step), or it was created.
    Tss {
        /// Its store.
        store_id: i64,
        /// The TSS.
        tss_id: String,
    },
    /// A terminal's client changed (registered, deregistered, an operation on it).
    Client {
        /// The terminal's store.
        store_id: i64,
        /// The terminal.
        terminal_id: i64,
    },
    /// A store was created or edited.
    Store {
        /// The store.
        store_id: i64,
    },
    /// A terminal was created or edited.
    Terminal {
        /// Its store (after the edit).
        store_id: i64,
        /// The terminal.
        terminal_id: i64,
    },
    /// The Refresh of every TSS started, moved on, or ended: read `GET /api/refresh` again, and
    /// when it `ended`, what is shown too (every TSS may have been read anew).
    FleetRefresh {
        /// The run has ended.
        ended: bool,
    },
    /// Changes were missed (the connection was away too long, or the server restarted): read
    /// again everything that is shown.
    Reload,
}

/// Which kind of change, on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum LiveKind {
    Tss,
    Client,
    Store,
    Terminal,
    Refresh,
    Reload,
}

/// A [`LiveEvent`] as it travels: its kind and the IDs that kind names.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LiveWire {
    kind: LiveKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    store_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tss_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terminal_id: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    ended: bool,
}

impl TryFrom<LiveWire> for LiveEvent {
    type Error = &'static str;

    fn try_from(wire: LiveWire) -> Result<LiveEvent, Self::Error> {
        let store_id = wire.store_id.ok_or("a change names its store");
        Ok(match wire.kind {
            LiveKind::Tss => LiveEvent::Tss {
                store_id: store_id?,
                tss_id: wire.tss_id.ok_or("a TSS change names its TSS")?,
            },
            LiveKind::Client => LiveEvent::Client {
                store_id: store_id?,
                terminal_id: wire
                    .terminal_id
                    .ok_or("a client change names its terminal")?,
            },
            LiveKind::Store => LiveEvent::Store {
                store_id: store_id?,
            },
            LiveKind::Terminal => LiveEvent::Terminal {
                store_id: store_id?,
                terminal_id: wire.terminal_id.ok_or("a terminal change names it")?,
            },
            LiveKind::Refresh => LiveEvent::FleetRefresh { ended: wire.ended },
            LiveKind::Reload => LiveEvent::Reload,
        })
    }
}

impl From<LiveEvent> for LiveWire {
    fn from(event: LiveEvent) -> LiveWire {
        let wire = |kind, store_id, tss_id, terminal_id| LiveWire {
            kind,
            store_id,
            tss_id,
            terminal_id,
            ended: false,
        };
        match event {
            LiveEvent::Tss { store_id, tss_id } => {
                wire(LiveKind::Tss, Some(store_id), Some(tss_id), None)
            }
            LiveEvent::Client {
                store_id,
                terminal_id,
            } => wire(LiveKind::Client, Some(store_id), None, Some(terminal_id)),
            LiveEvent::Store { store_id } => wire(LiveKind::Store, Some(store_id), None, None),
            LiveEvent::Terminal {
                store_id,
                terminal_id,
            } => wire(LiveKind::Terminal, Some(store_id), None, Some(terminal_id)),
            LiveEvent::FleetRefresh { ended } => LiveWire {
                ended,
                ..wire(LiveKind::Refresh, None, None, None)
            },
            LiveEvent::Reload => wire(LiveKind::Reload, None, None, None),
        }
    }
}

impl LiveEvent {
    /// Whether this only says that the Refresh of every TSS moved on (its counts, nothing a
    /// list shows: the TSS it changes come as changes of their own).
    pub fn is_refresh_progress(&self) -> bool {
        *self == LiveEvent::FleetRefresh { ended: false }
    }

    /// Whether a page showing store `store_id` (its card: TSS, terminals, readiness) shows
    /// something this changed.
    pub fn concerns_store(&self, store_id: i64) -> bool {
        match self {
            LiveEvent::Tss { store_id: id, .. }
            | LiveEvent::Client { store_id: id, .. }
            | LiveEvent::Store { store_id: id }
            | LiveEvent::Terminal { store_id: id, .. } => *id == store_id,
            LiveEvent::FleetRefresh { ended } => *ended,
            LiveEvent::Reload => true,
        }
    }

    /// Whether a page showing terminal `terminal_id` of store `store_id` (its card: client, the
    /// store's name and TSS) shows something this changed.
    pub fn concerns_terminal(&self, terminal_id: i64, store_id: i64) -> bool {
        match self {
            LiveEvent::Client {
                terminal_id: id, ..
            }
            | LiveEvent::Terminal {
                terminal_id: id, ..
            } => *id == terminal_id,
            LiveEvent::Tss { store_id: id, .. } | LiveEvent::Store { store_id: id } => {
                *id == store_id
            }
            LiveEvent::FleetRefresh { ended } => *ended,
            LiveEvent::Reload => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_travels_as_tagged_json() {
        let event = LiveEvent::Tss {
            store_id: 3,
            tss_id: "t-1".into(),
        };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(json, r#"{"kind":"tss","store_id":3,"tss_id":"t-1"}"#);
        assert_eq!(serde_json::from_str::<LiveEvent>(&json).unwrap(), event);
        assert_eq!(
            serde_json::to_string(&LiveEvent::Reload).unwrap(),
            r#"{"kind":"reload"}"#
        );
        let moving = LiveEvent::FleetRefresh { ended: false };
        let json = serde_json::to_string(&moving).unwrap();
        assert_eq!(json, r#"{"kind":"refresh"}"#);
        assert_eq!(serde_json::from_str::<LiveEvent>(&json).unwrap(), moving);
        let ended = LiveEvent::FleetRefresh { ended: true };
        let json = serde_json::to_string(&ended).unwrap();
        assert_eq!(json, r#"{"kind":"refresh","ended":true}"#);
        assert_eq!(serde_json::from_str::<LiveEvent>(&json).unwrap(), ended);
    }

    #[test]
    fn a_page_follows_the_changes_of_what_it_shows() {
        let tss = LiveEvent::Tss {
            store_id: 3,
            tss_id: "t-1".into(),
        };
        assert!(tss.concerns_store(3));
        assert!(!tss.concerns_store(4));
        assert!(
            tss.concerns_terminal(9, 3),
            "a terminal card shows its store's TSS"
        );
        let client = LiveEvent::Client {
            store_id: 3,
            terminal_id: 9,
        };
        assert!(client.concerns_terminal(9, 3));
        assert!(!client.concerns_terminal(10, 3));
        assert!(
            client.concerns_store(3),
            "the store card shows whether each till can sign"
        );
        assert!(LiveEvent::Store { store_id: 3 }.concerns_terminal(9, 3));
        assert!(!LiveEvent::Store { store_id: 4 }.concerns_terminal(9, 3));
        let (moving, ended) = (
            LiveEvent::FleetRefresh { ended: false },
            LiveEvent::FleetRefresh { ended: true },
        );
        assert!(!moving.concerns_store(3) && !moving.concerns_terminal(9, 3));
        assert!(moving.is_refresh_progress() && !ended.is_refresh_progress());
        assert!(
            ended.concerns_store(3) && ended.concerns_terminal(9, 3),
            "an ended refresh may have read every TSS anew"
        );
        assert!(LiveEvent::Reload.concerns_store(1));
        assert!(LiveEvent::Reload.concerns_terminal(1, 1));
    }
}
