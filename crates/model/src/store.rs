//! Stores: what staff call a "Filiale", with its TSS summary on the Store List.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Signing;

/// A store as the console keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// The console's ID of the store.
    pub id: i64,
    /// The store number staff use, e.g. `S-012`; unique.
    pub number: String,
    /// The store's name.
    pub name: String,
    /// Street and house number.
    pub street: String,
    /// City.
    pub city: String,
}

/// One row of the Store List: the store and how ready it is to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSummary {
    /// The store.
    #[serde(flatten)]
    pub store: Store,
    /// How many of its TSS are in each state, by fiskaly's spelling.
    pub tss_by_state: BTreeMap<String, usize>,
    /// Whether every POS terminal can sign, how many can, or what the store lacks.
    pub signing: Signing,
    /// When its TSS were last read from fiskaly (unix seconds): the oldest of their last
    /// reads; `None` while none was read.
    #[serde(default)]
    pub last_synced_at: Option<i64>,
    /// When the first certificate of its TSS in service (UNINITIALIZED or INITIALIZED) expires
    /// (unix seconds); `None` while none was read.
    #[serde(default)]
    pub certificate_expires_at: Option<i64>,
}

/// The body of `POST /api/stores` and, with every field, of `PATCH /api/stores/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreInput {
    /// The store number; unique.
    pub number: String,
    /// The store's name.
    pub name: String,
    /// Street and house number.
    pub street: String,
    /// City.
    pub city: String,
}
