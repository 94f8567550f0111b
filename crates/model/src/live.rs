//! Live updates: what changed, as `GET /api/events` (Server-Sent Events) tells every open page,
//! so that what one user does shows on the others' screens without a reload.

use serde::{Deserialize, Serialize};

/// One change, naming what it concerns; a page reads again what it shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
    /// Changes were missed (the connection was away too long, or the server restarted): read
    /// again everything that is shown.
    Reload,
}

impl LiveEvent {
    /// Whether a page showing store `store_id` (its card: TSS, terminals, readiness) shows
    /// something this changed.
    pub fn concerns_store(&self, store_id: i64) -> bool {
        match self {
            LiveEvent::Tss { store_id: id, .. }
            | LiveEvent::Client { store_id: id, .. }
            | LiveEvent::Store { store_id: id }
            | LiveEvent::Terminal { store_id: id, .. } => *id == store_id,
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
        assert!(LiveEvent::Reload.concerns_store(1));
        assert!(LiveEvent::Reload.concerns_terminal(1, 1));
    }
}
