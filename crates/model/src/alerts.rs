//! Alerts: what the console noticed that needs somebody — a store that stopped signing, a TSS
//! with Error Text, a certificate in its last 90 days, a TSS past 180 clients. One alert per
//! cause until the cause goes away; staff acknowledge them on the Alerts page, and webhooks
//! hear of each new one.

use serde::{Deserialize, Serialize};

use crate::Language;

/// Why an alert was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A store that could sign no longer can (its readiness worsened from ready).
    CannotSign,
    /// A TSS shows Error Text.
    TssError,
    /// A TSS certificate is in its last [`crate::CERTIFICATE_WARNING_DAYS`] days (or expired).
    CertificateExpiring,
    /// A TSS has [`crate::TSS_CLIENT_WARNING`] clients or more.
    TssNearlyFull,
}

impl AlertKind {
    /// Every kind.
    pub const ALL: [AlertKind; 4] = [
        AlertKind::CannotSign,
        AlertKind::TssError,
        AlertKind::CertificateExpiring,
        AlertKind::TssNearlyFull,
    ];

    /// The spelling on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CannotSign => "cannot_sign",
            AlertKind::TssError => "tss_error",
            AlertKind::CertificateExpiring => "certificate_expiring",
            AlertKind::TssNearlyFull => "tss_nearly_full",
        }
    }

    /// The kind spelled `text`.
    pub fn parse(text: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Its name for staff, in `language`.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (AlertKind::CannotSign, Language::De) => "Filiale kann nicht signieren",
            (AlertKind::CannotSign, Language::En) => "Store cannot sign",
            (AlertKind::TssError, Language::De) => "TSS mit Fehlertext",
            (AlertKind::TssError, Language::En) => "TSS with Error Text",
            (AlertKind::CertificateExpiring, Language::De) => "TSS-Zertifikat läuft ab",
            (AlertKind::CertificateExpiring, Language::En) => "TSS certificate expiring",
            (AlertKind::TssNearlyFull, Language::De) => "TSS fast voll",
            (AlertKind::TssNearlyFull, Language::En) => "TSS nearly full",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Its ID.
    pub id: i64,
    /// Why.
    pub kind: AlertKind,
    /// The store concerned.
    pub store_id: i64,
    /// That store's number.
    pub store_number: String,
    /// That store's name.
    pub store_name: String,
    /// The TSS concerned, if the cause is one.
    pub tss_id: Option<String>,
    /// What happened, in German.
    pub text_de: String,
    /// What happened, in English.
    pub text_en: String,
    /// When it was raised (unix seconds).
    pub raised_at: i64,
    /// When its cause went away (unix seconds); `None` while it lasts.
    pub resolved_at: Option<i64>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When (unix seconds).
    pub acknowledged_at: Option<i64>,
}

impl Alert {
    /// What happened, in `language`.
    pub fn text(&self, language: Language) -> &str {
        match language {
            Language::De => &self.text_de,
            Language::En => &self.text_en,
        }
    }

    /// Where it stands.
    pub fn status(&self) -> AlertStatus {
        if self.resolved_at.is_some() {
            AlertStatus::Resolved
        } else if self.acknowledged_at.is_some() {
            AlertStatus::Acknowledged
        } else {
            AlertStatus::Open
        }
    }
}

/// Which alerts the Alerts page shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Its cause lasts, nobody acknowledged it.
    #[default]
    Open,
    /// Its cause lasts, somebody acknowledged it.
    Acknowledged,
    /// Its cause went away.
    Resolved,
}

impl AlertStatus {
    /// Every status, in the page's order.
    pub const ALL: [AlertStatus; 3] = [
        AlertStatus::Open,
        AlertStatus::Acknowledged,
        AlertStatus::Resolved,
    ];

    /// The spelling in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Resolved => "resolved",
        }
    }

    /// The status spelled `text`.
    pub fn parse(text: &str) -> Option<AlertStatus> {
        AlertStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// `GET /api/alerts?status=`: open unless said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// Which alerts.
    #[serde(default)]
    pub status: AlertStatus,
}

/// What a new alert says, in both languages: for a store `store` ("S-001 Berlin Mitte") and,
/// where the cause is a TSS, its ID; `detail` is the cause's own words in German and English
/// (the readiness, the Error Text, the expiry date, the number of clients).
pub fn alert_text(
    kind: AlertKind,
    store: &str,
    tss_id: Option<&str>,
    detail: (&str, &str),
) -> (String, String) {
    let tss = tss_id.unwrap_or_default();
    let (detail_de, detail) = detail;
    match kind {
        AlertKind::CannotSign => (
            format!("Filiale {store} kann nicht mehr signieren: {detail_de}"),
            format!("Store {store} can no longer sign: {detail}"),
        ),
        AlertKind::TssError => (
            format!("TSS {tss} der Filiale {store} hat einen Fehlertext: {detail_de}"),
            format!("TSS {tss} of store {store} has Error Text: {detail}"),
        ),
        AlertKind::CertificateExpiring => (
            format!("Das Zertifikat der TSS {tss} der Filiale {store} endet am {detail_de}."),
            format!("The certificate of TSS {tss} of store {store} ends on {detail}."),
        ),
        AlertKind::TssNearlyFull => (
            format!("TSS {tss} der Filiale {store} hat {detail_de} von 199 Clients (Kassen)."),
            format!("TSS {tss} of store {store} has {detail} of 199 clients (POS terminals)."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_are_spelled_once() {
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_ne!(kind.label(Language::De), kind.label(Language::En));
        }
        for status in AlertStatus::ALL {
            assert_eq!(AlertStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn an_alert_says_what_happened_in_both_languages() {
        let (de, en) = alert_text(
            AlertKind::TssNearlyFull,
            "S-001 Berlin",
            Some("t-1"),
            ("185", "185"),
        );
        assert_eq!(
            de,
            "TSS t-1 der Filiale S-001 Berlin hat 185 von 199 Clients (Kassen)."
        );
        assert_eq!(
            en,
            "TSS t-1 of store S-001 Berlin has 185 of 199 clients (POS terminals)."
        );
    }
}
