//! A store's TSS as the console shows it (LS Central's "Fiskaly TSS Setup" lines), with the
//! operation running on it.

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, TssCertificate, TssStanding, TssState};

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
    /// Its certificate, as last read from fiskaly.
    #[serde(default)]
    pub certificate: TssCertificate,
    /// The TSS that replaced it (Replace TSS succeeded); it is offered no second replacement.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// The operation running on it, or the last one if that failed.
    pub operation: Option<OperationProgress>,
}

/// The most clients fiskaly registers at one TSS (its `max_number_registered_clients`).
pub const TSS_CLIENT_LIMIT: usize = 199;
/// From this many clients a TSS is shown as nearly full.
pub const TSS_CLIENT_WARNING: usize = 180;

impl TssEntry {
    /// What of it decides, at `now` (unix seconds), whether its clients can sign.
    pub fn standing(&self, now: i64) -> TssStanding<'_> {
        TssStanding {
            state: &self.state,
            certificate_expired: self.certificate.is_expired(now),
        }
    }

    /// What Replace TSS does for it at `now`, if it is offered: not for a TSS replaced already,
    /// nor for one that works and has room.
    pub fn replacement(&self, now: i64) -> Option<Replacement> {
        if self.replaced_by.is_some() {
            return None;
        }
        let out_of_service = matches!(
            self.state,
            TssState::Disabled | TssState::Defective | TssState::Deleted | TssState::Evicted
        );
        let certificate_ending = self
            .certificate
            .expiry(now)
            .is_some_and(|expiry| expiry != crate::CertificateExpiry::Valid);
        if out_of_service || certificate_ending {
            Some(Replacement::MoveTerminals)
        } else if self.is_full() {
            Some(Replacement::AddRoom)
        } else {
            None
        }
    }

    /// Whether disabling it can be part of its replacement at `now`: fiskaly disables only an
    /// UNINITIALIZED or INITIALIZED TSS whose certificate has not expired, and only one whose
    /// terminals move.
    pub fn may_be_disabled_when_replaced(&self, now: i64) -> bool {
        self.replacement(now) == Some(Replacement::MoveTerminals)
            && self.state.allows_disable()
            && !self.certificate.is_expired(now)
    }

    /// Whether fiskaly registers no further client at it.
    pub fn is_full(&self) -> bool {
        self.registered_clients >= TSS_CLIENT_LIMIT
    }

    /// Whether it is nearly full or full (from [`TSS_CLIENT_WARNING`] clients).
    pub fn nearly_full(&self) -> bool {
        self.registered_clients >= TSS_CLIENT_WARNING
    }
}

/// What Replace TSS does for a TSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// fiskaly no longer takes it, or its certificate expires within
    /// [`crate::CERTIFICATE_WARNING_DAYS`] days: a new TSS, and every POS terminal whose client
    /// is at it gets one at the new TSS (then, if confirmed, it is disabled).
    MoveTerminals,
    /// It works but is full: a new TSS, and the store's POS terminals that cannot sign get their
    /// clients there; it stays as it is.
    AddRoom,
}

/// What the console is doing (or failed to do) to a TSS or terminal, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationProgress {
    /// Which action.
    pub kind: OperationKind,
    /// Running, done or failed.
    pub status: OperationStatus,
    /// The current step, e.g. `set_admin_pin`.
    pub step: OperationStep,
    /// The current step's number, from 1.
    pub step_number: u32,
    /// How many steps the operation has.
    pub total_steps: u32,
    /// When it started (unix seconds).
    pub started_at: i64,
    /// The last error, in words for staff.
    pub last_error: Option<String>,
    /// For an operation on many POS terminals: how far it got with them.
    #[serde(default)]
    pub terminals: Option<TerminalCounts>,
}

/// How far an operation on many POS terminals got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalCounts {
    /// How many terminals it concerns.
    pub total: u32,
    /// How many got their client.
    pub done: u32,
    /// How many failed (each shows why on its terminal).
    pub failed: u32,
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
    /// Refresh of every TSS of the fleet from fiskaly (one at a time for the whole fleet).
    RefreshAll,
    /// Replace TSS: a new TSS is set up, the old one's terminals are registered at it, and the
    /// old one is disabled if the user confirmed that.
    ReplaceTss,
    /// Generate Client IDs for every POS terminal of a store that cannot sign.
    GenerateClients,
}

impl OperationKind {
    /// Its steps, in the order they run; a step's number is its place here, from 1.
    pub fn steps(self) -> &'static [OperationStep] {
        use OperationStep::*;
        match self {
            OperationKind::GenerateTss | OperationKind::InitializeTss => &SETUP_STEPS,
            OperationKind::DisableTss => &[AdminLogin, DeregisterClients, Disable, Logout],
            OperationKind::GenerateClient => &[AdminLogin, RegisterClient, Logout],
            OperationKind::DeregisterClient => &[AdminLogin, DeregisterClient, Logout],
            OperationKind::RefreshAll => &[ReadEveryTss],
            OperationKind::ReplaceTss => &REPLACE_STEPS,
            OperationKind::GenerateClients => &[RegisterClients],
        }
    }

    /// `step` with its number in this operation; `None` for a step it does not have.
    pub fn numbered(self, step: OperationStep) -> Option<NumberedStep> {
        let index = self.steps().iter().position(|s| *s == step)?;
        Some(NumberedStep {
            step,
            number: index as u32 + 1,
        })
    }
}

/// The setup of a new TSS: Generate New TSS and Initial TSS.
const SETUP_STEPS: [OperationStep; 6] = [
    OperationStep::CreateTss,
    OperationStep::Deploy,
    OperationStep::SetAdminPin,
    OperationStep::AdminLogin,
    OperationStep::Initialize,
    OperationStep::Logout,
];

/// Replace TSS: the setup of the new TSS, then its terminals, then the old TSS.
const REPLACE_STEPS: [OperationStep; 8] = {
    let mut steps = [OperationStep::DisableReplaced; 8];
    let mut i = 0;
    while i < SETUP_STEPS.len() {
        steps[i] = SETUP_STEPS[i];
        i += 1;
    }
    steps[6] = OperationStep::RegisterClients;
    steps
};

/// One call (or a few of one kind) to fiskaly within an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationStep {
    /// The console logs in as the TSS's admin (every operation does).
    AdminLogin,
    /// The admin logs out (every operation ends so).
    Logout,
    /// fiskaly creates the TSS; its admin PUK is stored.
    CreateTss,
    /// fiskaly deploys the TSS (CREATED → UNINITIALIZED); slow.
    Deploy,
    /// The admin PIN is set with the PUK.
    SetAdminPin,
    /// The TSS is initialised (UNINITIALIZED → INITIALIZED).
    Initialize,
    /// Every client of the TSS is deregistered (before it is disabled).
    DeregisterClients,
    /// The TSS is disabled, for good.
    Disable,
    /// The terminal's client is registered at the TSS.
    RegisterClient,
    /// The terminal's client is deregistered.
    DeregisterClient,
    /// Every stored TSS is read from fiskaly (the fleet's refresh; no admin login).
    ReadEveryTss,
    /// Each POS terminal of the operation gets a client at its TSS (admin login and logout
    /// included).
    RegisterClients,
    /// The replaced TSS's clients are deregistered and it is disabled, as confirmed.
    DisableReplaced,
}

/// A step with its number in its operation (from 1), as the operation records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedStep {
    /// The step.
    pub step: OperationStep,
    /// Its place in the operation, from 1.
    pub number: u32,
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

impl OperationStatus {
    /// Its name on the wire: `running`, `succeeded` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationStatus::Running => "running",
            OperationStatus::Succeeded => "succeeded",
            OperationStatus::Failed => "failed",
        }
    }
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

/// The body of `POST /api/tss/{id}/replace` (Replace TSS).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaceTssRequest {
    /// Disable the old TSS once its terminals have moved (only an UNINITIALIZED or INITIALIZED
    /// one; irreversible, so the user confirms it separately). Off unless sent.
    #[serde(default)]
    pub disable_old: bool,
}

/// What `Generate Client IDs for all POS terminals that cannot sign` did, terminal by terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientBatchReport {
    /// How far it got.
    pub counts: TerminalCounts,
    /// The terminals that failed, with why.
    pub failures: Vec<TerminalFailure>,
}

/// A POS terminal an operation on many could not give a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalFailure {
    /// The terminal.
    pub terminal_id: i64,
    /// Why, in English detail.
    pub message: String,
    /// The kind of failure, which the app words in the staff's language.
    pub code: ErrorCode,
}

/// The body of the irreversible actions (`disable`, `deregister`): must say `"confirm": true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    /// The user confirmed the action.
    #[serde(default)]
    pub confirm: bool,
}

/// What `Refresh TSS` of a store found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshReport {
    /// TSS read from fiskaly and updated.
    pub refreshed: usize,
    /// TSS that could not be read (their Error Text says why).
    pub failed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_named_as_on_the_wire() {
        for status in [
            OperationStatus::Running,
            OperationStatus::Succeeded,
            OperationStatus::Failed,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn a_step_is_written_on_the_wire_as_its_snake_case_name() {
        let json = serde_json::to_value(OperationStep::SetAdminPin).unwrap();
        assert_eq!(json, "set_admin_pin");
        let back: OperationStep = serde_json::from_value(json).unwrap();
        assert_eq!(back, OperationStep::SetAdminPin);
        assert!(serde_json::from_str::<OperationStep>("\"reticulate_splines\"").is_err());
    }

    fn entry(state: TssState, registered_clients: usize) -> TssEntry {
        TssEntry {
            tss_id: "t".into(),
            store_id: 1,
            state,
            description: None,
            error_text: None,
            error_code: None,
            registered_clients,
            time_creation: None,
            time_init: None,
            time_disable: None,
            last_synced_at: None,
            certificate: TssCertificate::Unknown,
            replaced_by: None,
            operation: None,
        }
    }

    #[test]
    fn replace_is_offered_for_a_tss_out_of_service_ending_or_full_and_only_once() {
        let now = 1_800_000_000;
        assert_eq!(entry(TssState::Initialized, 3).replacement(now), None);
        for state in [
            TssState::Disabled,
            TssState::Defective,
            TssState::Deleted,
            TssState::Evicted,
        ] {
            assert_eq!(
                entry(state, 3).replacement(now),
                Some(Replacement::MoveTerminals)
            );
        }
        assert_eq!(
            entry(TssState::Initialized, TSS_CLIENT_LIMIT).replacement(now),
            Some(Replacement::AddRoom)
        );
        let mut ending = entry(TssState::Initialized, 3);
        ending.certificate = TssCertificate::Read {
            serial: "01".into(),
            not_after: now + 30 * 24 * 60 * 60,
        };
        assert_eq!(ending.replacement(now), Some(Replacement::MoveTerminals));
        assert!(ending.may_be_disabled_when_replaced(now));
        assert!(
            !ending.may_be_disabled_when_replaced(now + 31 * 24 * 60 * 60),
            "expired"
        );
        assert!(!entry(TssState::Defective, 3).may_be_disabled_when_replaced(now));
        assert!(!entry(TssState::Initialized, TSS_CLIENT_LIMIT).may_be_disabled_when_replaced(now));
        ending.replaced_by = Some("t-new".into());
        assert_eq!(ending.replacement(now), None);
    }

    #[test]
    fn every_operation_logs_in_first_or_creates_and_logs_out_last() {
        use OperationKind::*;
        for kind in [
            GenerateTss,
            InitializeTss,
            DisableTss,
            GenerateClient,
            DeregisterClient,
        ] {
            let steps = kind.steps();
            assert_eq!(steps.last(), Some(&OperationStep::Logout), "{kind:?}");
            let last = kind.numbered(OperationStep::Logout).unwrap();
            assert_eq!(last.number as usize, steps.len());
        }
        assert_eq!(
            GenerateTss.numbered(OperationStep::SetAdminPin),
            Some(NumberedStep {
                step: OperationStep::SetAdminPin,
                number: 3
            })
        );
        assert_eq!(DisableTss.numbered(OperationStep::Deploy), None);
    }
}
