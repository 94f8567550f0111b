//! Why an operation did not happen or did not finish, in words for staff.

use tss_model::ErrorCode;

use crate::fiskaly::FiskalyError;
use crate::storage::Failure;

/// An operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// The store, terminal or TSS does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An irreversible action without `"confirm": true`.
    #[error("{0}")]
    ConfirmationRequired(String),
    /// Not allowed in the current state.
    #[error("{0}")]
    Conflict(String),
    /// The TSS is one fiskaly no longer takes (its certificate expired, say): only a
    /// replacement helps.
    #[error("{0}")]
    OutOfService(String),
    /// The same work is already running.
    #[error("{0}")]
    AlreadyRunning(String),
    /// Generate New TSS for a store that has this INITIALIZED TSS, without asking for an
    /// additional one.
    #[error("The store already has the active (INITIALIZED) TSS {0}. Generate another one only if it is meant as an additional TSS, and say so.")]
    TssAlreadyActive(String),
    /// fiskaly refused or could not be reached.
    #[error("{}", .0.staff_message())]
    Fiskaly(#[from] FiskalyError),
    /// fiskaly has the TSS beyond CREATED, but its PUK never reached the console.
    #[error("fiskaly has this TSS beyond CREATED, but its admin PUK never reached the console, so it cannot be initialised or disabled here. Generate a new TSS for this store.")]
    PukNeverReceived,
    /// Another replica took the operation over (this one was thought dead); it continues there.
    #[error("Another console server took this action over; it continues there.")]
    LeaseLost,
    /// The database failed; details are logged.
    #[error("the console could not save its work; see the proxy's log")]
    Storage(#[from] sqlx::Error),
}

impl OperationError {
    /// The Error Text for the TSS entry and the operation.
    pub fn staff_message(&self) -> String {
        self.to_string()
    }

    /// The kind of failure, as the API answers it and the audit log and the TSS entry keep it.
    pub fn code(&self) -> ErrorCode {
        match self {
            OperationError::NotFound(_) => ErrorCode::NotFound,
            OperationError::ConfirmationRequired(_) => ErrorCode::ConfirmationRequired,
            OperationError::Conflict(_) | OperationError::PukNeverReceived => ErrorCode::Conflict,
            OperationError::OutOfService(_) => ErrorCode::TssOutOfService,
            OperationError::AlreadyRunning(_) | OperationError::LeaseLost => {
                ErrorCode::AlreadyRunning
            }
            OperationError::TssAlreadyActive(_) => ErrorCode::TssAlreadyActive,
            OperationError::Fiskaly(e) if e.takes_tss_out_of_service() => {
                ErrorCode::TssOutOfService
            }
            OperationError::Fiskaly(e) if e.code() == Some("E_CLIENT_LIMIT_REACHED") => {
                ErrorCode::TssFull
            }
            OperationError::Fiskaly(e) if e.is_refusal() => ErrorCode::Fiskaly,
            OperationError::Fiskaly(_) => ErrorCode::FiskalyUnavailable,
            OperationError::Storage(e) if crate::storage::is_unavailable(e) => {
                ErrorCode::StorageUnavailable
            }
            OperationError::Storage(_) => ErrorCode::Internal,
        }
    }
}

impl From<&OperationError> for Failure {
    fn from(error: &OperationError) -> Failure {
        Failure::new(error.staff_message(), error.code())
    }
}

impl From<crate::storage::LeaseError> for OperationError {
    fn from(error: crate::storage::LeaseError) -> Self {
        match error {
            crate::storage::LeaseError::Lost => OperationError::LeaseLost,
            crate::storage::LeaseError::Storage(e) => OperationError::Storage(e),
        }
    }
}

impl From<crate::storage::StartError> for OperationError {
    fn from(error: crate::storage::StartError) -> Self {
        match error {
            crate::storage::StartError::AlreadyRunning => OperationError::AlreadyRunning(
                "This action is already running for it; wait until it has finished.".into(),
            ),
            crate::storage::StartError::TssAlreadyActive(tss_id) => {
                OperationError::TssAlreadyActive(tss_id)
            }
            crate::storage::StartError::Storage(e) => OperationError::Storage(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: u16, code: &str) -> OperationError {
        OperationError::Fiskaly(FiskalyError::Api {
            status,
            code: code.into(),
            message: "refused".into(),
            request_id: None,
        })
    }

    #[test]
    fn fiskalys_codes_for_a_finished_or_full_tss_say_what_helps() {
        for code in [
            "E_CERTIFICATE_EXPIRED",
            "E_TSS_DEFECTIVE",
            "E_TSS_DELETED",
            "E_TSS_EVICTED",
        ] {
            assert_eq!(
                refusal(423, code).code(),
                ErrorCode::TssOutOfService,
                "{code}"
            );
        }
        let full = refusal(403, "E_CLIENT_LIMIT_REACHED");
        assert_eq!(full.code(), ErrorCode::TssFull);
        assert_eq!(
            refusal(400, "E_ILLEGAL_CLIENT_SERIAL").code(),
            ErrorCode::Fiskaly
        );
    }
}
