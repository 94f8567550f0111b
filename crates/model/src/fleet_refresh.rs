//! Refresh of every TSS: one durable run for the whole fleet, whose progress everybody sees on
//! the Store List (`GET /api/refresh`; `POST /api/refresh` starts one).

use serde::{Deserialize, Serialize};

use crate::OperationStatus;

/// A run of Refresh of every TSS: running, or how the last one ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetRefresh {
    /// Running, finished, or stopped with an error.
    pub status: OperationStatus,
    /// How many TSS it reads.
    pub total: u64,
    /// How many were read and stored.
    pub read: u64,
    /// How many could not be read (each one's Error Text says why).
    pub failed: u64,
    /// How many TSS fiskaly has that the console does not know (reported, never adopted);
    /// `None` until fiskaly's list was read.
    pub unknown_at_fiskaly: Option<u64>,
    /// Who started it.
    pub requested_by: String,
    /// When it started (unix seconds).
    pub started_at: i64,
    /// When it last moved on, or ended (unix seconds).
    pub updated_at: i64,
    /// Why it stopped, for a failed run.
    pub last_error: Option<String>,
}

impl FleetRefresh {
    /// How many TSS it has dealt with so far, read or failed.
    pub fn finished(&self) -> u64 {
        self.read + self.failed
    }

    /// Whether it still runs.
    pub fn is_running(&self) -> bool {
        self.status == OperationStatus::Running
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_counts_read_and_failed_as_finished() {
        let run = FleetRefresh {
            status: OperationStatus::Running,
            total: 30_000,
            read: 1_201,
            failed: 3,
            unknown_at_fiskaly: None,
            requested_by: "anna".into(),
            started_at: 1,
            updated_at: 2,
            last_error: None,
        };
        assert_eq!(run.finished(), 1_204);
        assert!(run.is_running());
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["status"], "running");
        assert_eq!(serde_json::from_value::<FleetRefresh>(json).unwrap(), run);
    }
}
