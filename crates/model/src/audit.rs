//! The audit log as the API shows it.

use serde::{Deserialize, Serialize};

/// One change made through the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Its position in the log (newest is highest).
    pub id: i64,
    /// When (unix seconds).
    pub at: i64,
    /// Who: the user name of the person who asked for it (`system` for the proxy's own work).
    pub actor: String,
    /// What was done, e.g. `disable_tss`, `create_store`.
    pub action: String,
    /// The store concerned.
    pub store_id: Option<i64>,
    /// The TSS concerned.
    pub tss_id: Option<String>,
    /// The terminal concerned.
    pub terminal_id: Option<i64>,
    /// `succeeded` or `failed`.
    pub result: String,
    /// What went wrong, in words for staff.
    pub error: Option<String>,
}
