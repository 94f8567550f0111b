//! The one way pages reach the proxy: typed calls, so that no page builds a URL or parses JSON.
//!
//! Pages take the [`Api`] from context ([`use_api`]); the app provides the real [`HttpApi`], tests
//! provide an in-memory one.

mod http;
mod live_feed;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use tss_model::{
    Alert, AlertStatus, ApiError, AuditEvent, AuditFilter, ClientBatchReport, ConnectionTest,
    CreatedWebhook, Delivery, FiskalySettings, FiskalySettingsInput, FleetOverview, FleetRefresh,
    GenerateTssRequest, Health, ImportReport, LiveEvent, LoginRequest, NewPassword, NewUser,
    Organisation, Page, RefreshReport, RefreshSchedule, ReplaceTssRequest, RoleChange, Session,
    Store, StoreInput, StoreQuery, StoreSummary, Submission, TaxReport, Terminal, TerminalInput,
    TerminalQuery, TssEntry, UserAccount, Webhook, WebhookInput,
};

pub use http::HttpApi;

/// What a call answers: the value, or the proxy's error (its message is for staff).
pub type ApiResult<T> = Result<T, ApiError>;

/// A call in flight.
pub type ApiFuture<T> = Pin<Box<dyn Future<Output = ApiResult<T>>>>;

/// What the live feed reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveSignal {
    /// The feed is open: changes arrive as they happen.
    Open,
    /// The connection was lost; it is being opened again.
    Lost,
    /// Something changed.
    Change(LiveEvent),
}

/// An open live feed; dropping it closes the feed.
pub struct Following(Option<Box<dyn FnOnce()>>);

impl Following {
    /// A feed that `stop` closes.
    pub fn new(stop: impl FnOnce() + 'static) -> Following {
        Following(Some(Box::new(stop)))
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop();
        }
    }
}

/// Every call the pages make to the proxy.
pub trait Api: Send + Sync {
    /// Follows the proxy's changes (`GET /api/events`), handing what the feed reports to
    /// `on_signal` until the answer is dropped.
    fn follow_changes(&self, on_signal: std::rc::Rc<dyn Fn(LiveSignal)>) -> Following;
    /// `GET /api/health`.
    fn health(&self) -> ApiFuture<Health>;
    /// Who is logged in (an `unauthenticated` error when nobody is).
    fn session(&self) -> ApiFuture<Session>;
    /// Logs in; the proxy sets the session cookie.
    fn log_in(&self, login: LoginRequest) -> ApiFuture<Session>;
    /// Logs out.
    fn log_out(&self) -> ApiFuture<()>;
    /// The audit log, newest first.
    fn audit(&self, filter: AuditFilter) -> ApiFuture<Vec<AuditEvent>>;
    /// The alerts of a status, newest first.
    fn alerts(&self, status: AlertStatus) -> ApiFuture<Vec<Alert>>;
    /// Acknowledges an alert.
    fn acknowledge_alert(&self, id: i64) -> ApiFuture<Alert>;
    /// The tax-office report of one store, or of every store.
    fn report(&self, store_id: Option<i64>) -> ApiFuture<TaxReport>;
    /// Saves the organisation's name and tax number.
    fn save_organisation(&self, organisation: Organisation) -> ApiFuture<Organisation>;
    /// Marks the report as submitted to the tax office.
    fn submit_report(&self) -> ApiFuture<Submission>;
    /// Every webhook.
    fn webhooks(&self) -> ApiFuture<Vec<Webhook>>;
    /// Adds a webhook; the answer holds its secret, this once.
    fn add_webhook(&self, input: WebhookInput) -> ApiFuture<CreatedWebhook>;
    /// Changes a webhook.
    fn change_webhook(&self, id: i64, input: WebhookInput) -> ApiFuture<Webhook>;
    /// Removes a webhook.
    fn remove_webhook(&self, id: i64) -> ApiFuture<()>;
    /// A webhook's deliveries.
    fn deliveries(&self, id: i64) -> ApiFuture<Vec<Delivery>>;
    /// A page of the Store List. A request for a first page (no cursor) ends the one before it
    /// that is still in flight: only the newest search counts.
    fn stores(&self, query: StoreQuery) -> ApiFuture<Page<StoreSummary>>;
    /// The fleet overview.
    fn fleet(&self) -> ApiFuture<FleetOverview>;
    /// The running Refresh of every TSS, or the last one (`None` before the first).
    fn fleet_refresh(&self) -> ApiFuture<Option<FleetRefresh>>;
    /// Starts a Refresh of every TSS.
    fn refresh_every_tss(&self) -> ApiFuture<FleetRefresh>;
    /// What importing the ERP file `file` (its bytes) would change, and its problems.
    fn preview_import(&self, file: Vec<u8>) -> ApiFuture<ImportReport>;
    /// Imports the ERP file `file`; refused, writing nothing, when it has a problem.
    fn import_stores(&self, file: Vec<u8>) -> ApiFuture<ImportReport>;
    /// One store's row.
    fn store(&self, id: i64) -> ApiFuture<StoreSummary>;
    /// Adds a store.
    fn create_store(&self, input: StoreInput) -> ApiFuture<Store>;
    /// Changes a store.
    fn update_store(&self, id: i64, input: StoreInput) -> ApiFuture<Store>;
    /// A store's TSS entries.
    fn store_tss(&self, store_id: i64) -> ApiFuture<Vec<TssEntry>>;
    /// Generate New TSS; `request.additional` once the user confirmed a second active TSS.
    fn generate_tss(&self, store_id: i64, request: GenerateTssRequest) -> ApiFuture<TssEntry>;
    /// Refresh TSS of one store.
    fn refresh_store(&self, store_id: i64) -> ApiFuture<RefreshReport>;
    /// Initial TSS.
    fn initialize_tss(&self, tss_id: String) -> ApiFuture<TssEntry>;
    /// Disable TSS; only called after the user confirmed.
    fn disable_tss(&self, tss_id: String) -> ApiFuture<TssEntry>;
    /// Replace TSS; answers the new TSS's entry once fiskaly has created it.
    fn replace_tss(&self, tss_id: String, request: ReplaceTssRequest) -> ApiFuture<TssEntry>;
    /// Generate Client IDs for every POS terminal of a store that cannot sign.
    fn generate_clients(&self, store_id: i64) -> ApiFuture<ClientBatchReport>;
    /// A page of the POS Terminal List; a first page ends the one before it still in flight.
    fn terminals(&self, query: TerminalQuery) -> ApiFuture<Page<Terminal>>;
    /// One terminal.
    fn terminal(&self, id: i64) -> ApiFuture<Terminal>;
    /// Adds a terminal.
    fn create_terminal(&self, input: TerminalInput) -> ApiFuture<Terminal>;
    /// Changes a terminal.
    fn update_terminal(&self, id: i64, input: TerminalInput) -> ApiFuture<Terminal>;
    /// Generate Client ID, at `tss_id` or the store's choice.
    fn generate_client(&self, terminal_id: i64, tss_id: Option<String>) -> ApiFuture<Terminal>;
    /// Deregister client; only called after the user confirmed.
    fn deregister_client(&self, terminal_id: i64) -> ApiFuture<Terminal>;
    /// The fiskaly connection settings.
    fn settings(&self) -> ApiFuture<FiskalySettings>;
    /// Saves the fiskaly connection settings.
    fn save_settings(&self, input: FiskalySettingsInput) -> ApiFuture<FiskalySettings>;
    /// Tests the fiskaly connection.
    fn test_connection(&self) -> ApiFuture<ConnectionTest>;
    /// The nightly refresh's schedule.
    fn schedule(&self) -> ApiFuture<RefreshSchedule>;
    /// Saves the nightly refresh's schedule.
    fn save_schedule(&self, schedule: RefreshSchedule) -> ApiFuture<RefreshSchedule>;
    /// Every account.
    fn users(&self) -> ApiFuture<Vec<UserAccount>>;
    /// Adds an account.
    fn add_user(&self, user: NewUser) -> ApiFuture<UserAccount>;
    /// Gives `username` a new password (their sessions end).
    fn set_password(&self, username: String, new: NewPassword) -> ApiFuture<()>;
    /// Gives `username` a new role.
    fn set_role(&self, username: String, change: RoleChange) -> ApiFuture<UserAccount>;
    /// Removes `username`; only called after the user confirmed.
    fn remove_user(&self, username: String) -> ApiFuture<()>;
}

/// The API as it is shared through context.
#[derive(Clone)]
pub struct ApiHandle(pub Arc<dyn Api>);

impl std::ops::Deref for ApiHandle {
    type Target = dyn Api;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

/// Puts `api` into context for every page below.
pub fn provide_api(api: Arc<dyn Api>) {
    provide_context(ApiHandle(api));
}

/// The API from context; the real proxy when none was provided.
pub fn use_api() -> ApiHandle {
    use_context::<ApiHandle>().unwrap_or_else(|| {
        let api = ApiHandle(Arc::new(HttpApi));
        provide_context(api.clone());
        api
    })
}
