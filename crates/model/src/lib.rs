//! The one definition of the contract between the tss-console SPA and the tss-proxy.
//!
//! Everything that crosses the wire between the two lives here, in the spelling fiskaly's SIGN DE v2
//! API uses, together with the rules staff act on (which action is allowed in which state). The crate
//! depends on serde alone so that it compiles to wasm32 and to native code.

mod account;
mod alerts;
mod api_error;
mod audit;
mod certificate;
mod client_state;
mod fleet;
mod fleet_refresh;
mod health;
mod import;
mod language;
mod live;
mod meaning;
mod readiness;
mod report;
mod serial_number;
mod session;
mod settings;
mod store;
mod terminal;
mod tss_entry;
mod tss_state;
mod webhooks;
mod wire_state;

pub use account::{NewPassword, NewUser, RoleChange, UserAccount};
pub use alerts::{alert_text, Alert, AlertKind, AlertQuery, AlertStatus};
pub use api_error::{ApiError, ApiErrorBody, ErrorCode, FieldProblem};
pub use audit::{AuditAction, AuditEvent, AuditFilter};
pub use certificate::{
    expiring_before, expiry_at, CertificateExpiry, TssCertificate, CERTIFICATE_WARNING_DAYS,
};
pub use client_state::ClientState;
pub use fleet::{
    CertificateFilter, ClientFilter, FleetOverview, Page, ReadinessFilter, StoreQuery, StoreSort,
    TerminalQuery, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
pub use fleet_refresh::FleetRefresh;
pub use health::Health;
pub use import::{
    ImportColumn, ImportCounts, ImportProblem, ImportReason, ImportReport, CITY_MAX,
    IMPORT_MAX_LINES, NAME_MAX, STORE_NUMBER_MAX, STREET_MAX, TERMINAL_NUMBER_MAX,
};
pub use language::Language;
pub use live::LiveEvent;
pub use readiness::{can_sign, Readiness, Signing, TssStanding};
pub use report::{
    Organisation, ReportQuery, ReportStore, ReportTerminal, ReportTss, Submission, TaxReport,
    TSE_KIND,
};
pub use serial_number::{serial_number_problem, tss_description, SerialProblem};
pub use session::{LoginRequest, Role, Session};
pub use settings::{
    Backend, ConnectionTest, FiskalySettings, FiskalySettingsInput, RefreshSchedule,
};
pub use store::{Store, StoreInput, StoreSummary};
pub use terminal::{
    ClientEntry, GenerateClientRequest, Terminal, TerminalInput, TerminalService, SERVICE_TEXT_MAX,
};
pub use tss_entry::{
    ClientBatchReport, Confirmation, GenerateTssRequest, NumberedStep, OperationKind,
    OperationProgress, OperationStatus, OperationStep, RefreshReport, ReplaceTssRequest,
    Replacement, TerminalCounts, TerminalFailure, TssEntry, TSS_CLIENT_LIMIT, TSS_CLIENT_WARNING,
};
pub use tss_state::TssState;
pub use webhooks::{
    CreatedWebhook, Delivery, DeliveryStatus, PayloadStore, PayloadText, Webhook, WebhookInput,
    WebhookPayload, DELIVERY_HEADER, SIGNATURE_HEADER,
};
