//! The tax-office notification (§ 146a (4) AO): per establishment (store) its electronic
//! recording systems (POS terminals) and their TSE (TSS), with what the notification asks of each,
//! and which rows changed since the report last marked as submitted.

use serde::{Deserialize, Serialize};

/// The organisation that notifies its tax office, as the settings keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The business's name.
    pub name: String,
    /// Its tax number (Steuernummer).
    pub tax_number: String,
}

/// The kind of every TSS the console sets up, as the notification names it.
pub const TSE_KIND: &str = "Cloud-TSE";

/// The report: the organisation, every store asked for with its terminals and TSS, and the last
/// submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxReport {
    /// Who notifies.
    pub organisation: Organisation,
    /// The establishments.
    pub stores: Vec<ReportStore>,
    /// The report last marked as submitted, if any.
    pub last_submitted: Option<Submission>,
}

/// One establishment of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStore {
    /// The console's ID.
    pub store_id: i64,
    /// The store number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Street and house number.
    pub street: String,
    /// City.
    pub city: String,
    /// Its POS terminals.
    pub terminals: Vec<ReportTerminal>,
    /// Its TSS (those set up at fiskaly: from UNINITIALIZED on).
    pub tss: Vec<ReportTss>,
}

/// A POS terminal in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTerminal {
    /// The console's ID.
    pub terminal_id: i64,
    /// The terminal number.
    pub number: String,
    /// The serial number.
    pub serial_number: String,
    /// Model, software and dates.
    pub service: crate::TerminalService,
    /// New or changed since the last submitted report.
    pub changed: bool,
}

/// A TSS in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTss {
    /// fiskaly's TSS ID.
    pub tss_id: String,
    /// The TSS's serial number (fiskaly's `serial_number`), once read.
    pub serial_number: Option<String>,
    /// Its BSI certification ID, once read.
    pub bsi_certification_id: Option<String>,
    /// When it was initialised (put into service; unix seconds).
    pub initialized_at: Option<i64>,
    /// When it was disabled (taken out of service; unix seconds).
    pub disabled_at: Option<i64>,
    /// New or changed since the last submitted report.
    pub changed: bool,
}

/// A report marked as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// When (unix seconds).
    pub at: i64,
    /// Who marked it.
    pub by: String,
}

/// `GET /api/report?store_id=`: one store, or every store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Only this store.
    #[serde(default)]
    pub store_id: Option<i64>,
}
