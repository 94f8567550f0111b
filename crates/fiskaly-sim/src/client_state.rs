//! A client's state as the reference states it: `REGISTERED` or `DEREGISTERED`, either way at any
//! time ("Deregistering is not permanent"). Independent of the console's model.

use serde::{Deserialize, Serialize};

/// A client's state, spelled on the wire as fiskaly spells it (`"REGISTERED"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClientState {
    /// `REGISTERED`: the POS device may sign at its TSS; counts against the client limit.
    Registered,
    /// `DEREGISTERED`: the POS device may not sign; it can be registered again.
    Deregistered,
}

impl ClientState {
    /// fiskaly's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientState::Registered => "REGISTERED",
            ClientState::Deregistered => "DEREGISTERED",
        }
    }

    /// The state spelled exactly `wire`; `None` for anything else (lower case included).
    pub fn from_wire(wire: &str) -> Option<ClientState> {
        [ClientState::Registered, ClientState::Deregistered]
            .into_iter()
            .find(|state| state.as_str() == wire)
    }
}
