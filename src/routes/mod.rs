//! One module per page; the router in `lib.rs` maps paths to them.

mod alerts;
mod audit_log;
mod erp_import;
mod fiskaly_setup;
mod fleet_refresh;
mod fleet_summary;
mod login;
mod not_found;
mod refresh_schedule;
mod search;
mod store_card;
mod store_list;
mod tax_report;
mod terminal_card;
mod terminal_list;
mod tss_setup;
mod users;
mod webhooks;

pub use alerts::Alerts;
pub use audit_log::AuditLog;
pub use fiskaly_setup::FiskalySetup;
pub use login::Login;
pub use not_found::NotFound;
pub use store_card::StoreCard;
pub use store_list::StoreList;
pub use tax_report::TaxReportPage;
pub use terminal_card::TerminalCard;
pub use terminal_list::TerminalList;
pub use users::Users;
