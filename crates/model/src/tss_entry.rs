//! A store's TSS as the console shows it (LS Central's "Fiskaly TSS Setup" lines), with the
//! operation running on it.

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, TssState};

/// One TSS of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TssEntry {
    /// fiskaly's TSS ID (UUID, lower case).
    pub tss_id: String,
    /// The store it belongs to.
    pub store_id: i64,
    /// The state, as last learnt from fiskaly.
    pub state: TssState,
    /// fiskaly's description of the TSS.
    pub description: Option<String>,
    /// What went wrong last, as English detail; `None` when all is well.
    pub error_text: Option<String>,
    /// The kind of that failure, which the app words in the staff's language.
    #[serde(default)]
    pub error_code: Option<ErrorCode>,
    /// How many clients are REGISTERED at it.
    pub registered_clients: usize,
    /// When fiskaly created it (unix seconds).
    pub time_creation: Option<i64>,
    /// When it was initialised (unix seconds).
    pub time_init: Option<i64>,
    /// When it was disabled (unix seconds).
    pub time_disable: Option<i64>,
    /// When the console last read it from fiskaly (unix seconds).
    pub last_synced_at: Option<i64>,
    /// The operation running on it, or the last one if that failed.
    pub operation: Option<OperationProgress>,
}

/// What the console is doing (or failed to do) to a TSS or terminal, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationProgress {
    /// Which action.
    pub kind: OperationKind,
    /// Running, done or failed.
    pub status: OperationStatus,
    /// The current step's name, e.g. `set_admin_pin`.
    pub step: String,
    /// The current step's number, from 1.
    pub step_number: u32,
    /// How many steps the operation has.
    pub total_steps: u32,
    /// When it started (unix seconds).
    pub started_at: i64,
    /// The last error, in words for staff.
    pub last_error: Option<String>,
}

/// The actions that run as durable operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// Generate New TSS.
    GenerateTss,
    /// Initial TSS: finish the setup of a CREATED or UNINITIALIZED TSS.
    InitializeTss,
    /// Disable TSS.
    DisableTss,
    /// Generate Client ID for a terminal.
    GenerateClient,
    /// Deregister a terminal's client.
    DeregisterClient,
}

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationStatus {
    /// Still working.
    Running,
    /// Finished.
    Succeeded,
    /// Stopped with an error; the action can be started again.
    Failed,
}

/// The body of `POST /api/stores/{id}/tss` (Generate New TSS); an empty object is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateTssRequest {
    /// The user confirmed that the store gets another TSS although it has an INITIALIZED one;
    /// without it the proxy refuses with `tss_already_active`.
    #[serde(default)]
    pub additional: bool,
}

/// The body of the irreversible actions (`disable`, `deregister`): must say `"confirm": true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    /// The user confirmed the action.
    #[serde(default)]
    pub confirm: bool,
}

/// What `Refresh TSS` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshReport {
    /// TSS read from fiskaly and updated.
    pub refreshed: usize,
    /// TSS that could not be read (their Error Text says why).
    pub failed: usize,
    /// TSS fiskaly has that the console does not know; reported, not adopted.
    pub unknown_at_fiskaly: Vec<String>,
}
