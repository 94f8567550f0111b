//! A TSS's certificate as the console read it from fiskaly, and how soon it expires. Once it has
//! expired fiskaly refuses every change (`E_CERTIFICATE_EXPIRED`) and the TSS's clients cannot
//! sign: the remedy, as for a DEFECTIVE TSS, is a new TSS with new clients.

use serde::{Deserialize, Serialize};

use crate::Language;

/// From how many days before its expiry a certificate is shown with a warning.
pub const CERTIFICATE_WARNING_DAYS: i64 = 90;

const DAY_SECONDS: i64 = 24 * 60 * 60;

/// What the console knows of a TSS's certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TssCertificate {
    /// Not read yet, or fiskaly's answer held none.
    #[default]
    Unknown,
    /// fiskaly's answer held a certificate the console could not read as X.509.
    Unreadable,
    /// Read from fiskaly's answer.
    Read {
        /// The certificate's serial number, hex.
        serial: String,
        /// When it expires (`notAfter`, unix seconds).
        not_after: i64,
    },
}

/// How a read certificate stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateExpiry {
    /// More than [`CERTIFICATE_WARNING_DAYS`] left.
    Valid,
    /// It expires within [`CERTIFICATE_WARNING_DAYS`]; in this many whole days (0: today).
    ExpiresSoon {
        /// Whole days left.
        days_left: i64,
    },
    /// It has expired.
    Expired,
}

impl TssCertificate {
    /// When it expires (unix seconds), if it was read.
    pub fn not_after(&self) -> Option<i64> {
        match self {
            TssCertificate::Read { not_after, .. } => Some(*not_after),
            _ => None,
        }
    }

    /// How it stands at `now` (unix seconds); `None` unless it was read.
    pub fn expiry(&self, now: i64) -> Option<CertificateExpiry> {
        self.not_after().map(|not_after| expiry_at(not_after, now))
    }

    /// Whether it had expired by `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expiry(now) == Some(CertificateExpiry::Expired)
    }
}

/// How a certificate expiring at `not_after` stands at `now` (both unix seconds).
pub fn expiry_at(not_after: i64, now: i64) -> CertificateExpiry {
    if now >= not_after {
        CertificateExpiry::Expired
    } else if not_after - now <= CERTIFICATE_WARNING_DAYS * DAY_SECONDS {
        CertificateExpiry::ExpiresSoon {
            days_left: (not_after - now) / DAY_SECONDS,
        }
    } else {
        CertificateExpiry::Valid
    }
}

/// The latest expiry time the Store List's "certificate expires within 90 days" filter admits at
/// `now`: expired certificates pass it too.
pub fn expiring_before(now: i64) -> i64 {
    now + CERTIFICATE_WARNING_DAYS * DAY_SECONDS
}

impl CertificateExpiry {
    /// The warning staff read, in `language`; `None` while the certificate is simply valid.
    pub fn warning(self, language: Language) -> Option<String> {
        match (self, language) {
            (CertificateExpiry::Valid, _) => None,
            (CertificateExpiry::Expired, Language::En) => Some("Certificate expired".into()),
            (CertificateExpiry::Expired, Language::De) => Some("Zertifikat abgelaufen".into()),
            (CertificateExpiry::ExpiresSoon { days_left: 0 }, Language::En) => {
                Some("Certificate expires today".into())
            }
            (CertificateExpiry::ExpiresSoon { days_left: 0 }, Language::De) => {
                Some("Zertifikat läuft heute ab".into())
            }
            (CertificateExpiry::ExpiresSoon { days_left: 1 }, Language::En) => {
                Some("Certificate expires in 1 day".into())
            }
            (CertificateExpiry::ExpiresSoon { days_left: 1 }, Language::De) => {
                Some("Zertifikat läuft in 1 Tag ab".into())
            }
            (CertificateExpiry::ExpiresSoon { days_left }, Language::En) => {
                Some(format!("Certificate expires in {days_left} days"))
            }
            (CertificateExpiry::ExpiresSoon { days_left }, Language::De) => {
                Some(format!("Zertifikat läuft in {days_left} Tagen ab"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn read(not_after: i64) -> TssCertificate {
        TssCertificate::Read {
            serial: "0a".into(),
            not_after,
        }
    }

    #[test]
    fn a_certificate_warns_from_90_days_before_and_has_expired_at_its_not_after() {
        assert_eq!(
            read(NOW + 91 * DAY_SECONDS).expiry(NOW),
            Some(CertificateExpiry::Valid)
        );
        assert_eq!(
            read(NOW + 90 * DAY_SECONDS).expiry(NOW),
            Some(CertificateExpiry::ExpiresSoon { days_left: 90 })
        );
        assert_eq!(
            read(NOW + 30 * DAY_SECONDS + 5).expiry(NOW),
            Some(CertificateExpiry::ExpiresSoon { days_left: 30 })
        );
        assert!(!read(NOW + 1).is_expired(NOW));
        assert!(read(NOW).is_expired(NOW));
        assert_eq!(TssCertificate::Unreadable.expiry(NOW), None);
        assert!(!TssCertificate::Unknown.is_expired(NOW));
    }

    #[test]
    fn the_warning_counts_days_in_the_staffs_language() {
        let soon = read(NOW + 30 * DAY_SECONDS).expiry(NOW).unwrap();
        assert_eq!(
            soon.warning(Language::De).as_deref(),
            Some("Zertifikat läuft in 30 Tagen ab")
        );
        assert_eq!(
            soon.warning(Language::En).as_deref(),
            Some("Certificate expires in 30 days")
        );
        assert_eq!(CertificateExpiry::Valid.warning(Language::De), None);
        assert_eq!(
            CertificateExpiry::Expired.warning(Language::De).as_deref(),
            Some("Zertifikat abgelaufen")
        );
    }

    #[test]
    fn a_certificate_travels_tagged_by_kind() {
        let json = serde_json::to_value(read(5)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "read", "serial": "0a", "not_after": 5})
        );
        let unknown: TssCertificate = serde_json::from_str(r#"{"kind":"unknown"}"#).unwrap();
        assert_eq!(unknown, TssCertificate::Unknown);
    }
}
