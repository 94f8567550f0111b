//! A simulated client (one POS device registered at a TSS) and fiskaly's serial-number rules.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tss_model::{serial_number_problem, ClientState, Language};
use uuid::Uuid;

use crate::error::{FiskalyError, SimResult};
use crate::tss::API_VERSION;

/// One client as the simulator keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Client {
    /// `_id`, lower case, unique across all TSS.
    pub id: Uuid,
    /// The TSS it is registered at.
    pub tss_id: Uuid,
    /// The POS device's serial number.
    pub serial_number: String,
    /// REGISTERED or DEREGISTERED.
    pub state: ClientState,
    /// Free-form metadata.
    pub metadata: crate::metadata::Metadata,
    /// `time_creation`.
    pub time_creation: i64,
    /// `time_update`.
    pub time_update: i64,
}

impl Client {
    /// The client as fiskaly answers it.
    pub fn to_json(&self) -> Value {
        json!({
            "_id": self.id,
            "_type": "CLIENT",
            "_env": "TEST",
            "_version": API_VERSION,
            "serial_number": self.serial_number,
            "state": self.state,
            "tss_id": self.tss_id,
            "metadata": self.metadata,
            "time_creation": self.time_creation,
            "time_update": self.time_update,
        })
    }
}

/// Checks a POS serial number against fiskaly's rules (see [`serial_number_problem`]);
/// 400 `E_ILLEGAL_CLIENT_SERIAL` otherwise.
pub fn validate_serial_number(serial: &str) -> SimResult<()> {
    match serial_number_problem(serial) {
        Some(problem) => Err(illegal_serial(format!(
            "serial_number {serial:?}: {}",
            problem.message(Language::En)
        ))),
        None => Ok(()),
    }
}

/// 400 `E_ILLEGAL_CLIENT_SERIAL`.
pub fn illegal_serial(message: String) -> FiskalyError {
    FiskalyError::new(400, "E_ILLEGAL_CLIENT_SERIAL", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_follow_dsfinv_k() {
        for good in [
            "KASSE-01",
            "a",
            "POS 7 (Filiale 12)",
            &"9".repeat(70),
            "x+y,z.:=?'",
        ] {
            assert!(validate_serial_number(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            " lead",
            "trail ",
            "with/slash",
            "with_underscore",
            &"9".repeat(71),
            "ümlaut",
        ] {
            let error = validate_serial_number(bad).unwrap_err();
            assert_eq!(error.code, "E_ILLEGAL_CLIENT_SERIAL", "{bad:?}");
        }
    }
}
