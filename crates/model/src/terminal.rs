//! POS terminals and their client at a TSS (LS Central's "Sign DE V2" section).

use serde::{Deserialize, Serialize};

use crate::{ClientState, ErrorCode, TssStanding, TssState};

/// A POS terminal with its current client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terminal {
    /// The console's ID of the terminal.
    pub id: i64,
    /// The terminal number staff use, e.g. `K-01`; unique within its store.
    pub number: String,
    /// The terminal's name.
    pub name: String,
    /// The store it stands in.
    pub store_id: i64,
    /// The store's number, for lists.
    pub store_number: String,
    /// The store's name, for lists.
    pub store_name: String,
    /// The device serial number, sent to fiskaly as the client's `serial_number`.
    pub serial_number: String,
    /// The terminal's client at a TSS, if it has one.
    pub client: Option<ClientEntry>,
    /// What the tax office is told of it.
    #[serde(default)]
    pub service: TerminalService,
    /// Why the last operation on many terminals (Replace TSS, Generate Client IDs for all)
    /// could not give it a client, in English detail; `None` when it did, or none tried.
    #[serde(default)]
    pub error_text: Option<String>,
    /// The kind of that failure, which the app words in the staff's language.
    #[serde(default)]
    pub error_code: Option<ErrorCode>,
}

/// A terminal's client at a TSS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEntry {
    /// fiskaly's client ID (UUID, lower case).
    pub client_id: String,
    /// The TSS the client is registered at.
    pub tss_id: String,
    /// The client's state.
    pub state: ClientState,
    /// The state of that TSS.
    pub tss_state: TssState,
    /// Whether that TSS's certificate has expired.
    #[serde(default)]
    pub tss_certificate_expired: bool,
}

impl ClientEntry {
    /// What of its TSS decides whether it can sign.
    pub fn tss_standing(&self) -> TssStanding<'_> {
        TssStanding {
            state: &self.tss_state,
            certificate_expired: self.tss_certificate_expired,
        }
    }

    /// Whether the terminal can sign with this client: REGISTERED at an INITIALIZED TSS whose
    /// certificate has not expired.
    pub fn can_sign(&self) -> bool {
        crate::can_sign(&self.state, self.tss_standing())
    }
}

/// The body of `POST /api/terminals` and, with every field, of `PATCH /api/terminals/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalInput {
    /// The terminal number; unique within its store.
    pub number: String,
    /// The terminal's name.
    pub name: String,
    /// The store it stands in.
    pub store_id: i64,
    /// The device serial number; must follow fiskaly's rules (see [`crate::serial_number_problem`]).
    pub serial_number: String,
    /// What the tax office is told of it; left out, an edit keeps what is stored.
    #[serde(default)]
    pub service: Option<TerminalService>,
}

/// What the tax-office notification (§ 146a (4) AO) says of a POS terminal beyond its serial
/// number; every part optional. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalService {
    /// The model (and manufacturer), e.g. "Kasse 3000 (Muster GmbH)".
    #[serde(default)]
    pub model: Option<String>,
    /// The cash register software and its version.
    #[serde(default)]
    pub software: Option<String>,
    /// The day it was put into service.
    #[serde(default)]
    pub in_service_since: Option<String>,
    /// The day it was taken out of service.
    #[serde(default)]
    pub out_of_service_since: Option<String>,
}

/// The most characters of a [`TerminalService`] text.
pub const SERVICE_TEXT_MAX: usize = 100;

/// The body of `POST /api/terminals/{id}/client`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateClientRequest {
    /// The TSS to register at; the store's INITIALIZED TSS with the fewest clients when absent.
    #[serde(default)]
    pub tss_id: Option<String>,
}
