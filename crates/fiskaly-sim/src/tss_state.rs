//! The TSS lifecycle as the reference states it, in fiskaly's own spelling: the seven states, the
//! changes a caller may ask for with `PATCH /tss/{id}`, the ones that need an admin login, and the
//! ones only fiskaly itself makes. Written from the reference, not from the console's model, so
//! that a misreading in one can be caught by the other.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A TSS's state, spelled on the wire as fiskaly spells it (`"INITIALIZED"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TssState {
    /// `CREATED`: made by `PUT /tss/{id}`, not yet deployed; the only state that shows the PUK.
    Created,
    /// `UNINITIALIZED`: deployed; the admin PIN can be set.
    Uninitialized,
    /// `INITIALIZED`: ready to register clients and sign.
    Initialized,
    /// `DISABLED`: taken out of service by the caller, for good.
    Disabled,
    /// `DELETED`: wiped by fiskaly (TEST only).
    Deleted,
    /// `DEFECTIVE`: an irrecoverable error at fiskaly.
    Defective,
    /// `EVICTED`: left in CREATED for three months or more with nothing signed.
    Evicted,
}

impl TssState {
    /// Every state, in lifecycle order.
    pub const ALL: [TssState; 7] = [
        TssState::Created,
        TssState::Uninitialized,
        TssState::Initialized,
        TssState::Disabled,
        TssState::Deleted,
        TssState::Defective,
        TssState::Evicted,
    ];

    /// fiskaly's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TssState::Created => "CREATED",
            TssState::Uninitialized => "UNINITIALIZED",
            TssState::Initialized => "INITIALIZED",
            TssState::Disabled => "DISABLED",
            TssState::Deleted => "DELETED",
            TssState::Defective => "DEFECTIVE",
            TssState::Evicted => "EVICTED",
        }
    }

    /// The state spelled exactly `wire`; `None` for anything else (lower case included).
    pub fn from_wire(wire: &str) -> Option<TssState> {
        TssState::ALL
            .into_iter()
            .find(|state| state.as_str() == wire)
    }

    /// Whether a caller may ask for `self → to` with `PATCH /tss/{id}`: "`CREATED -> UNINITIALIZED`",
    /// "`UNINITIALIZED -> INITIALIZED`", "`UNINITIALIZED -> DISABLED`, `INITIALIZED -> DISABLED`";
    /// "anything else: 400 `E_ILLEGAL_TSS_STATE_CHANGE`".
    pub fn caller_may_change_to(self, to: TssState) -> bool {
        matches!(
            (self, to),
            (TssState::Created, TssState::Uninitialized)
                | (TssState::Uninitialized, TssState::Initialized)
                | (TssState::Uninitialized, TssState::Disabled)
                | (TssState::Initialized, TssState::Disabled)
        )
    }

    /// Whether entering this state at the caller's request needs an admin login: INITIALIZED and
    /// DISABLED do ("admin login required"), the deploy to UNINITIALIZED does not.
    pub fn needs_admin_to_enter(self) -> bool {
        matches!(self, TssState::Initialized | TssState::Disabled)
    }

    /// Whether only fiskaly puts a TSS in this state ("Set by fiskaly, never by the caller").
    pub fn set_by_fiskaly(self) -> bool {
        matches!(
            self,
            TssState::Deleted | TssState::Defective | TssState::Evicted
        )
    }

    /// Whether a TSS in this state counts against a TEST organisation's limit of TSS "in
    /// CREATED/UNINITIALIZED/INITIALIZED".
    pub fn is_live(self) -> bool {
        matches!(
            self,
            TssState::Created | TssState::Uninitialized | TssState::Initialized
        )
    }
}

impl fmt::Display for TssState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
