//! Why an operation did not happen or did not finish, in words for staff.

use crate::fiskaly::FiskalyError;

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
    /// The same work is already running.
    #[error("{0}")]
    AlreadyRunning(String),
    /// fiskaly refused or could not be reached.
    #[error("{}", .0.staff_message())]
    Fiskaly(#[from] FiskalyError),
    /// fiskaly has the TSS beyond CREATED, but its PUK never reached the console.
    #[error("fiskaly has this TSS beyond CREATED, but its admin PUK never reached the console, so it cannot be initialised or disabled here. Generate a new TSS for this store.")]
    PukNeverReceived,
    /// The database failed; details are logged.
    #[error("the console could not save its work; see the proxy's log")]
    Storage(#[from] sqlx::Error),
}

impl OperationError {
    /// The Error Text for the TSS entry and the operation.
    pub fn staff_message(&self) -> String {
        self.to_string()
    }
}

impl From<crate::storage::StartError> for OperationError {
    fn from(error: crate::storage::StartError) -> Self {
        match error {
            crate::storage::StartError::AlreadyRunning => OperationError::AlreadyRunning(
                "This action is already running for it; wait until it has finished.".into(),
            ),
            crate::storage::StartError::Storage(e) => OperationError::Storage(e),
        }
    }
}
