//! A simulated TSS: its fields, what each state means for its calls, and how fiskaly shows it.
//! Which state changes are allowed is [`crate::tss_state`]'s job.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::certificate;
use crate::error::{FiskalyError, SimResult};
use crate::metadata::Metadata;
use crate::tss_state::TssState;

/// Failed admin logins after which the PIN is blocked until it is reset with the PUK.
pub const MAX_FAILED_PIN_ATTEMPTS: u8 = 5;
/// The shortest admin PIN fiskaly accepts.
pub const MIN_PIN_CHARS: usize = 6;
/// The API version fiskaly reports in `_version`.
pub const API_VERSION: &str = "2.2.2";
const BSI_CERTIFICATION_ID: &str = "BSI-K-TR-0490-2021";

/// One TSS as the simulator keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tss {
    /// `_id`, lower case.
    pub id: Uuid,
    /// The lifecycle state.
    pub state: TssState,
    /// Set when the TSS is initialised.
    pub description: Option<String>,
    /// The certificate's serial number, hex.
    pub serial_number: String,
    /// The TSS certificate, base64.
    pub certificate: String,
    /// The signing key's public half, base64.
    pub public_key: String,
    /// The admin PUK, readable only while CREATED.
    pub admin_puk: String,
    /// The admin PIN; `None` while it is still blocked from creation.
    pub admin_pin: Option<String>,
    /// Failed admin logins since the PIN was last set.
    pub failed_pin_attempts: u8,
    /// Signed system logs (deploy, PIN change, admin login/logout, state changes, clients).
    pub signature_counter: u64,
    /// `max_number_registered_clients`.
    pub max_registered_clients: usize,
    /// Free-form metadata.
    pub metadata: Metadata,
    /// When the certificate expires (unix seconds): from then on every change gets 423
    /// `E_CERTIFICATE_EXPIRED`. Snapshots from before real certificates never expire.
    #[serde(default = "never")]
    pub certificate_not_after: i64,
    /// `time_creation`.
    pub time_creation: i64,
    /// `time_uninit`.
    pub time_uninit: Option<i64>,
    /// `time_init`.
    pub time_init: Option<i64>,
    /// `time_disable`.
    pub time_disable: Option<i64>,
    /// `time_defective`.
    pub time_defective: Option<i64>,
}

impl Tss {
    /// A new TSS in CREATED with a fresh PUK, serial number and key, and a certificate valid
    /// for `certificate_validity` seconds from `now`.
    pub fn create(
        id: Uuid,
        max_registered_clients: usize,
        metadata: Metadata,
        now: i64,
        certificate_validity: i64,
    ) -> Tss {
        let mut rng = rand::rng();
        let admin_puk: String = (0..10)
            .map(|_| rng.random_range(0..10).to_string())
            .collect();
        let serial: [u8; 32] = rng.random();
        let public_key = certificate::new_public_key();
        let certificate_not_after = now.saturating_add(certificate_validity);
        Tss {
            id,
            state: TssState::Created,
            description: None,
            serial_number: serial.iter().map(|b| format!("{b:02x}")).collect(),
            certificate: certificate::issue(id, &public_key, now, certificate_not_after),
            public_key: BASE64.encode(public_key),
            admin_puk,
            admin_pin: None,
            failed_pin_attempts: 0,
            signature_counter: 0,
            max_registered_clients,
            metadata,
            certificate_not_after,
            time_creation: now,
            time_uninit: None,
            time_init: None,
            time_disable: None,
            time_defective: None,
        }
    }

    /// The 423 error every state-changing call gets once fiskaly has taken the TSS out of service
    /// (DELETED, DEFECTIVE, EVICTED, or a certificate expired by `now`); `None` while it can
    /// still change.
    pub fn out_of_service(&self, now: i64) -> Option<FiskalyError> {
        let (code, what) = match self.state {
            TssState::Deleted => ("E_TSS_DELETED", "has been deleted"),
            TssState::Defective => ("E_TSS_DEFECTIVE", "is defective"),
            TssState::Evicted => ("E_TSS_EVICTED", "has been evicted"),
            _ if now >= self.certificate_not_after => {
                ("E_CERTIFICATE_EXPIRED", "has an expired certificate")
            }
            _ => return None,
        };
        Some(FiskalyError::new(
            423,
            code,
            format!("TSS {} {what}", self.id),
        ))
    }

    /// The error for an admin or client call on a TSS that is neither UNINITIALIZED nor
    /// INITIALIZED (and not out of service).
    pub fn not_ready_for_admin(&self) -> Option<FiskalyError> {
        match self.state {
            TssState::Uninitialized | TssState::Initialized => None,
            TssState::Disabled => Some(disabled_error(self.id)),
            _ => Some(not_initialized_error(self.id)),
        }
    }

    /// Gives the TSS a new certificate of its key, valid until `not_after` (unix seconds); from
    /// then on its changes get 423 `E_CERTIFICATE_EXPIRED`.
    pub fn reissue_certificate(&mut self, not_after: i64) {
        let public_key = BASE64
            .decode(&self.public_key)
            .expect("the simulator wrote the key");
        let not_before = self.time_creation.min(not_after);
        self.certificate = certificate::issue(self.id, &public_key, not_before, not_after);
        self.certificate_not_after = not_after;
    }

    /// Whether the admin PIN is blocked (never set, or too many failed logins).
    pub fn pin_blocked(&self) -> bool {
        self.admin_pin.is_none() || self.failed_pin_attempts >= MAX_FAILED_PIN_ATTEMPTS
    }

    /// Moves the TSS to `to` at `now`, setting the matching `time_*` field; the caller has checked
    /// that the change is allowed.
    pub fn enter(&mut self, to: TssState, description: Option<String>, now: i64) {
        match to {
            TssState::Uninitialized => self.time_uninit = Some(now),
            TssState::Initialized => {
                self.time_init = Some(now);
                self.description = Some(
                    description.unwrap_or_else(|| format!("fiskaly sign cloud-TSE ({})", self.id)),
                );
            }
            TssState::Disabled => self.time_disable = Some(now),
            TssState::Defective => self.time_defective = Some(now),
            _ => {}
        }
        self.state = to;
        self.signature_counter += 1;
    }

    /// The TSS as fiskaly answers it; `registered_clients` is its number of REGISTERED clients.
    pub fn to_json(&self, registered_clients: usize) -> Value {
        let mut body = json!({
            "_id": self.id,
            "_type": "TSS",
            "_env": "TEST",
            "_version": API_VERSION,
            "state": self.state,
            "serial_number": self.serial_number,
            "certificate": self.certificate,
            "public_key": self.public_key,
            "signature_algorithm": "ecdsa-plain-SHA256",
            "signature_timestamp_format": "unixTime",
            "transaction_data_encoding": "UTF-8",
            "max_number_registered_clients": self.max_registered_clients,
            "max_number_active_transactions": 2000,
            "supported_update_variants": "SIGNED",
            "signature_counter": self.signature_counter.to_string(),
            "transaction_counter": "0",
            "number_registered_clients": registered_clients,
            "number_active_transactions": 0,
            "metadata": self.metadata,
            "time_creation": self.time_creation,
        });
        let fields = body.as_object_mut().expect("a JSON object");
        let optional = [
            ("description", self.description.clone().map(Value::from)),
            ("time_uninit", self.time_uninit.map(Value::from)),
            ("time_init", self.time_init.map(Value::from)),
            ("time_disable", self.time_disable.map(Value::from)),
            ("time_defective", self.time_defective.map(Value::from)),
            (
                "bsi_certification_id",
                (self.state != TssState::Created).then(|| Value::from(BSI_CERTIFICATION_ID)),
            ),
            (
                "admin_puk",
                (self.state == TssState::Created).then(|| Value::from(self.admin_puk.clone())),
            ),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.insert(name.to_owned(), value);
            }
        }
        body
    }
}

/// The expiry of a certificate that never expires (snapshots from before real certificates).
fn never() -> i64 {
    i64::MAX
}

/// Checks a description against fiskaly's pattern `^[A-Za-z0-9 '()+,-./:=?]{0,100}$`.
pub fn validate_description(description: &str) -> SimResult<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c);
    if description.chars().count() <= 100 && description.chars().all(allowed) {
        Ok(())
    } else {
        Err(FiskalyError::schema(
            "description must match ^[A-Za-z0-9 '()+,-./:=?]{0,100}$",
        ))
    }
}

/// 400 `E_TSS_DISABLED`.
pub fn disabled_error(id: Uuid) -> FiskalyError {
    FiskalyError::new(400, "E_TSS_DISABLED", format!("TSS {id} is disabled"))
}

/// 400 `E_TSS_NOT_INITIALIZED`.
pub fn not_initialized_error(id: Uuid) -> FiskalyError {
    FiskalyError::new(
        400,
        "E_TSS_NOT_INITIALIZED",
        format!("TSS {id} is not initialized"),
    )
}
