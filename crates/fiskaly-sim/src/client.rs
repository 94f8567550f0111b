//! A simulated client: one POS device registered at a TSS, and how fiskaly shows it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client_state::ClientState;
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
