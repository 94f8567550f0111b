//! An in-memory proxy for page tests: answers from its own lists, records every mutating call,
//! can fail the next call, and plays a TSS's progress one poll at a time.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tss_console::api::{Api, ApiFuture, ApiResult, Following, LiveSignal};
use tss_model::*;

/// What the fake knows and what it was asked.
#[derive(Default)]
pub struct FakeState {
    pub stores: Vec<StoreSummary>,
    pub tss: Vec<TssEntry>,
    pub terminals: Vec<Terminal>,
    /// Mutating calls, e.g. `disable_tss <id>`.
    pub calls: Vec<String>,
    /// Reads of the lists and cards, by name: `stores`, `store`, `store_tss`, `terminals`,
    /// `terminal`.
    pub reads: Vec<&'static str>,
    /// The next mutating call fails with this.
    pub fail_next: Option<ApiError>,
    /// Future versions of a TSS entry, handed out one per `store_tss` call (polling).
    pub progress: HashMap<String, VecDeque<TssEntry>>,
    pub backend: Option<Backend>,
    /// Nobody is logged in (the app shows its login page).
    pub logged_out: bool,
    /// The alerts.
    pub alerts: Vec<Alert>,
    /// The webhooks.
    pub webhooks: Vec<Webhook>,
    /// The logged-in user's role; an administrator when not set.
    pub role: Option<Role>,
    /// The audit log, newest first.
    pub audit: Vec<AuditEvent>,
    /// Reading one store or terminal fails with this (e.g. the session ended meanwhile).
    pub read_error: Option<ApiError>,
    /// The accounts, by name.
    pub users: Vec<UserAccount>,
    /// Reads that fail with this error while they are here, by name: `stores`, `store_tss`,
    /// `terminals`, `terminal`.
    pub failing_reads: HashMap<&'static str, ApiError>,
    /// The Refresh of every TSS as `GET /api/refresh` answers it.
    pub fleet_refresh: Option<FleetRefresh>,
    /// What a preview or an import of any file answers (the proxy reads the file).
    pub import_report: ImportReport,
}

/// Where the app's live feed listens.
type LiveListener = std::rc::Rc<dyn Fn(LiveSignal)>;

thread_local! {
    /// The app's live feed, while it follows the (fake) proxy's changes.
    static LIVE_FEED: std::cell::RefCell<Option<LiveListener>> =
        const { std::cell::RefCell::new(None) };
}

/// Sends `signal` to the app's live feed, as the proxy's event stream would.
pub fn push_live(signal: LiveSignal) {
    let feed = LIVE_FEED.with(|feed| feed.borrow().clone());
    if let Some(feed) = feed {
        feed(signal);
    }
}

/// The password the fake accepts.
pub const PASSWORD: &str = "right-password";

/// The fake API; clone it to inspect its state after handing it to the app.
#[derive(Clone, Default)]
pub struct FakeApi(pub Arc<Mutex<FakeState>>);

fn ready<T: 'static>(value: ApiResult<T>) -> ApiFuture<T> {
    Box::pin(async move { value })
}

/// The page of `rows` that starts at `cursor` (the fake's cursors are row offsets).
fn page_of<T>(rows: Vec<T>, limit: Option<u32>, cursor: Option<String>) -> Page<T> {
    let total = rows.len();
    let start: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE) as usize;
    let items: Vec<T> = rows.into_iter().skip(start).take(limit).collect();
    let end = start + items.len();
    Page {
        items,
        total: total as u64,
        next: (end < total).then(|| end.to_string()),
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "not found")
}

impl FakeApi {
    /// Records a mutating call; answers the prepared failure, if any.
    fn record(&self, call: String) -> Result<(), ApiError> {
        let mut state = self.0.lock().unwrap();
        state.calls.push(call);
        match state.fail_next.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The mutating calls so far.
    pub fn calls(&self) -> Vec<String> {
        self.0.lock().unwrap().calls.clone()
    }

    fn with_entry(&self, tss_id: &str, change: impl FnOnce(&mut TssEntry)) -> ApiResult<TssEntry> {
        self.change_one(
            |state| state.tss.iter_mut().find(|e| e.tss_id == tss_id),
            change,
        )
    }

    /// Changes the record `find` picks (404 when none) and answers it as it is then.
    fn change_one<T: Clone>(
        &self,
        find: impl FnOnce(&mut FakeState) -> Option<&mut T>,
        change: impl FnOnce(&mut T),
    ) -> ApiResult<T> {
        let mut state = self.0.lock().unwrap();
        let record = find(&mut state).ok_or_else(not_found)?;
        change(record);
        Ok(record.clone())
    }
}

impl FakeApi {
    /// Makes the read `name` fail with a 503 until [`FakeApi::heal`].
    pub fn fail_read(&self, name: &'static str) {
        let error = ApiError::new(
            ErrorCode::ServerUnreachable,
            "The server could not be reached.",
        );
        self.0.lock().unwrap().failing_reads.insert(name, error);
    }

    /// Lets every read succeed again.
    pub fn heal(&self) {
        self.0.lock().unwrap().failing_reads.clear();
    }

    /// Records the read `name`; answers its prepared failure, if any.
    fn read_failure(&self, name: &'static str) -> Option<ApiError> {
        let mut state = self.0.lock().unwrap();
        state.reads.push(name);
        state.failing_reads.get(name).cloned()
    }

    /// The reads since the last call, and forgets them.
    pub fn take_reads(&self) -> Vec<&'static str> {
        std::mem::take(&mut self.0.lock().unwrap().reads)
    }

    /// Sets a terminal's client as fiskaly would after a client action; answers the terminal.
    fn with_client(
        &self,
        terminal_id: i64,
        change: impl FnOnce(&mut Option<ClientEntry>),
    ) -> ApiResult<Terminal> {
        self.change_one(
            |state| state.terminals.iter_mut().find(|t| t.id == terminal_id),
            |terminal| change(&mut terminal.client),
        )
    }

    fn find_terminal(&self, id: i64) -> ApiResult<Terminal> {
        let state = self.0.lock().unwrap();
        let found = state.terminals.iter().find(|t| t.id == id).cloned();
        found.ok_or_else(not_found)
    }

    fn current_session(&self) -> ApiResult<Session> {
        let state = self.0.lock().unwrap();
        if state.logged_out {
            return Err(ApiError::new(ErrorCode::Unauthenticated, "Please log in."));
        }
        Ok(Session {
            username: "tester".into(),
            role: state.role.unwrap_or(Role::Admin),
        })
    }
}

impl Api for FakeApi {
    fn follow_changes(&self, on_signal: std::rc::Rc<dyn Fn(LiveSignal)>) -> Following {
        LIVE_FEED.with(|feed| *feed.borrow_mut() = Some(on_signal.clone()));
        on_signal(LiveSignal::Open);
        Following::new(|| LIVE_FEED.with(|feed| *feed.borrow_mut() = None))
    }

    fn session(&self) -> ApiFuture<Session> {
        ready(self.current_session())
    }

    fn log_in(&self, login: LoginRequest) -> ApiFuture<Session> {
        let result = self
            .record(format!("log_in {}", login.username))
            .and_then(|()| {
                if login.password != PASSWORD {
                    return Err(ApiError::new(
                        ErrorCode::Unauthenticated,
                        "Wrong user name or password.",
                    ));
                }
                self.0.lock().unwrap().logged_out = false;
                self.current_session()
            });
        ready(result)
    }

    fn log_out(&self) -> ApiFuture<()> {
        let result = self.record("log_out".into());
        self.0.lock().unwrap().logged_out = true;
        ready(result)
    }

    fn audit(&self, filter: AuditFilter) -> ApiFuture<Vec<AuditEvent>> {
        let events = self
            .0
            .lock()
            .unwrap()
            .audit
            .iter()
            .filter(|e| filter.actor.as_ref().is_none_or(|a| &e.actor == a))
            .filter(|e| filter.result.as_ref().is_none_or(|r| &e.result == r))
            .filter(|e| filter.action.as_ref().is_none_or(|a| &e.action == a))
            .cloned()
            .collect();
        ready(Ok(events))
    }

    fn health(&self) -> ApiFuture<Health> {
        let backend = self.0.lock().unwrap().backend.unwrap_or(Backend::Simulator);
        ready(Ok(Health {
            status: "ok".into(),
            version: "test".into(),
            backend,
        }))
    }

    fn stores(&self, query: StoreQuery) -> ApiFuture<Page<StoreSummary>> {
        if let Some(error) = self.read_failure("stores") {
            return ready(Err(error));
        }
        let search = query.q.to_lowercase();
        let mut stores: Vec<StoreSummary> = self
            .0
            .lock()
            .unwrap()
            .stores
            .iter()
            .filter(|s| {
                [&s.store.number, &s.store.name, &s.store.city]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&search))
            })
            .filter(|s| {
                query
                    .readiness
                    .is_none_or(|r| r.admits(s.signing.readiness))
            })
            .filter(|s| query.certificate.is_none() || expiring(s))
            .cloned()
            .collect();
        if query.sort == Some(StoreSort::Readiness) {
            stores.sort_by_key(|s| s.signing.readiness);
        }
        ready(Ok(page_of(stores, query.limit, query.cursor)))
    }

    fn fleet(&self) -> ApiFuture<FleetOverview> {
        if let Some(error) = self.read_failure("fleet") {
            return ready(Err(error));
        }
        let state = self.0.lock().unwrap();
        let mut overview = FleetOverview {
            stores: state.stores.len() as u64,
            ..FleetOverview::default()
        };
        for store in &state.stores {
            *overview
                .stores_by_readiness
                .entry(store.signing.readiness)
                .or_default() += 1;
            overview.stores_certificate_expiring += u64::from(expiring(store));
        }
        ready(Ok(overview))
    }

    fn store(&self, id: i64) -> ApiFuture<StoreSummary> {
        let mut state = self.0.lock().unwrap();
        state.reads.push("store");
        if let Some(error) = state.read_error.clone() {
            return ready(Err(error));
        }
        let found = state.stores.iter().find(|s| s.store.id == id).cloned();
        ready(found.ok_or_else(not_found))
    }

    fn create_store(&self, input: StoreInput) -> ApiFuture<Store> {
        let result = self
            .record(format!("create_store {}", input.number))
            .map(|_| Store {
                id: 99,
                number: input.number,
                name: input.name,
                street: input.street,
                city: input.city,
            });
        ready(result)
    }

    fn update_store(&self, id: i64, input: StoreInput) -> ApiFuture<Store> {
        let result = self.record(format!("update_store {id}")).map(|_| Store {
            id,
            number: input.number,
            name: input.name,
            street: input.street,
            city: input.city,
        });
        ready(result)
    }

    fn store_tss(&self, store_id: i64) -> ApiFuture<Vec<TssEntry>> {
        if let Some(error) = self.read_failure("store_tss") {
            return ready(Err(error));
        }
        let mut state = self.0.lock().unwrap();
        let FakeState { tss, progress, .. } = &mut *state;
        for entry in tss.iter_mut() {
            if let Some(next) = progress
                .get_mut(&entry.tss_id)
                .and_then(VecDeque::pop_front)
            {
                *entry = next;
            }
        }
        ready(Ok(tss
            .iter()
            .filter(|e| e.store_id == store_id)
            .cloned()
            .collect()))
    }

    fn generate_tss(&self, store_id: i64, request: GenerateTssRequest) -> ApiFuture<TssEntry> {
        let call = match request.additional {
            true => format!("generate_tss {store_id} additional"),
            false => format!("generate_tss {store_id}"),
        };
        let result = self.record(call).and_then(|_| {
            let state = self.0.lock().unwrap();
            state
                .tss
                .iter()
                .find(|e| e.store_id == store_id)
                .cloned()
                .ok_or_else(not_found)
        });
        ready(result)
    }

    fn fleet_refresh(&self) -> ApiFuture<Option<FleetRefresh>> {
        if let Some(error) = self.read_failure("fleet_refresh") {
            return ready(Err(error));
        }
        ready(Ok(self.0.lock().unwrap().fleet_refresh.clone()))
    }

    fn refresh_every_tss(&self) -> ApiFuture<FleetRefresh> {
        if let Err(error) = self.record("refresh_every_tss".into()) {
            return ready(Err(error));
        }
        let run = FleetRefresh {
            status: OperationStatus::Running,
            total: self.0.lock().unwrap().tss.len() as u64,
            read: 0,
            failed: 0,
            unknown_at_fiskaly: None,
            requested_by: "admin".into(),
            started_at: 1_795_500_000,
            updated_at: 1_795_500_000,
            last_error: None,
        };
        self.0.lock().unwrap().fleet_refresh = Some(run.clone());
        ready(Ok(run))
    }

    fn preview_import(&self, file: Vec<u8>) -> ApiFuture<ImportReport> {
        let mut state = self.0.lock().unwrap();
        state
            .calls
            .push(format!("preview_import {} bytes", file.len()));
        ready(Ok(state.import_report.clone()))
    }

    fn import_stores(&self, file: Vec<u8>) -> ApiFuture<ImportReport> {
        if let Err(error) = self.record(format!("import_stores {} bytes", file.len())) {
            return ready(Err(error));
        }
        let report = ImportReport {
            applied: true,
            ..self.0.lock().unwrap().import_report.clone()
        };
        ready(Ok(report))
    }

    fn refresh_store(&self, store_id: i64) -> ApiFuture<RefreshReport> {
        ready(
            self.record(format!("refresh_store {store_id}"))
                .map(|_| RefreshReport::default()),
        )
    }

    fn initialize_tss(&self, tss_id: String) -> ApiFuture<TssEntry> {
        let result = match self.record(format!("initialize_tss {tss_id}")) {
            Ok(()) => self.with_entry(&tss_id, |_| {}),
            Err(error) => {
                let (message, code) = (error.error.message.clone(), error.error.code);
                let _ = self.with_entry(&tss_id, |e| {
                    e.error_text = Some(message);
                    e.error_code = Some(code);
                });
                Err(error)
            }
        };
        ready(result)
    }

    fn disable_tss(&self, tss_id: String) -> ApiFuture<TssEntry> {
        let result = self
            .record(format!("disable_tss {tss_id}"))
            .and_then(|_| self.with_entry(&tss_id, |e| e.state = TssState::Disabled));
        ready(result)
    }

    fn replace_tss(&self, tss_id: String, request: ReplaceTssRequest) -> ApiFuture<TssEntry> {
        let call = format!("replace_tss {tss_id} disable_old={}", request.disable_old);
        let result = self.record(call).and_then(|_| {
            let mut state = self.0.lock().unwrap();
            let old = state.tss.iter().find(|e| e.tss_id == tss_id).cloned();
            let old = old.ok_or_else(not_found)?;
            let new = tss(old.store_id, &format!("{tss_id}-new"), TssState::Created);
            state.tss.push(new.clone());
            Ok(new)
        });
        ready(result)
    }

    fn generate_clients(&self, store_id: i64) -> ApiFuture<ClientBatchReport> {
        let result = self
            .record(format!("generate_clients {store_id}"))
            .map(|_| {
                let mut state = self.0.lock().unwrap();
                let mut counts = TerminalCounts::default();
                for terminal in state
                    .terminals
                    .iter_mut()
                    .filter(|t| t.store_id == store_id)
                {
                    if !terminal.client.as_ref().is_some_and(|c| c.can_sign()) {
                        counts.total += 1;
                        counts.done += 1;
                        terminal.client = Some(ClientEntry {
                            client_id: format!("c-all-{}", terminal.id),
                            tss_id: "t-active".into(),
                            state: ClientState::Registered,
                            tss_state: TssState::Initialized,
                            tss_certificate_expired: false,
                        });
                    }
                }
                ClientBatchReport {
                    counts,
                    failures: Vec::new(),
                }
            });
        ready(result)
    }

    fn terminals(&self, query: TerminalQuery) -> ApiFuture<Page<Terminal>> {
        if let Some(error) = self.read_failure("terminals") {
            return ready(Err(error));
        }
        let search = query.q.to_lowercase();
        let terminals = self.0.lock().unwrap().terminals.clone();
        let terminals = terminals
            .into_iter()
            .filter(|t| query.store_id.is_none_or(|id| t.store_id == id))
            .filter(|t| {
                t.name.to_lowercase().contains(&search) || t.number.to_lowercase().contains(&search)
            })
            .filter(|t| match query.client {
                None => true,
                Some(ClientFilter::CannotSign) => !t.client.as_ref().is_some_and(|c| c.can_sign()),
                Some(ClientFilter::NoClient) => t.client.is_none(),
                Some(ClientFilter::Registered) => t
                    .client
                    .as_ref()
                    .is_some_and(|c| c.state == ClientState::Registered),
                Some(ClientFilter::Deregistered) => t
                    .client
                    .as_ref()
                    .is_some_and(|c| c.state == ClientState::Deregistered),
            })
            .collect();
        ready(Ok(page_of(terminals, query.limit, query.cursor)))
    }

    fn terminal(&self, id: i64) -> ApiFuture<Terminal> {
        if let Some(error) = self.read_failure("terminal") {
            return ready(Err(error));
        }
        ready(self.find_terminal(id))
    }

    fn create_terminal(&self, input: TerminalInput) -> ApiFuture<Terminal> {
        let result = self.record(format!("create_terminal {}", input.serial_number));
        ready(result.and_then(|_| Err(not_found())))
    }

    fn update_terminal(&self, id: i64, _: TerminalInput) -> ApiFuture<Terminal> {
        let result = self.record(format!("update_terminal {id}"));
        ready(result.and_then(|_| Err(not_found())))
    }

    fn generate_client(&self, terminal_id: i64, tss_id: Option<String>) -> ApiFuture<Terminal> {
        let result = self.record(format!("generate_client {terminal_id} {tss_id:?}"));
        let registered = |client: &mut Option<ClientEntry>| {
            *client = Some(ClientEntry {
                client_id: format!("c-new-{terminal_id}"),
                tss_id: tss_id.unwrap_or_default(),
                state: ClientState::Registered,
                tss_state: TssState::Initialized,
                tss_certificate_expired: false,
            })
        };
        ready(result.and_then(|_| self.with_client(terminal_id, registered)))
    }

    fn deregister_client(&self, terminal_id: i64) -> ApiFuture<Terminal> {
        let result = self.record(format!("deregister_client {terminal_id}"));
        let deregistered = |client: &mut Option<ClientEntry>| {
            if let Some(client) = client {
                client.state = ClientState::Deregistered;
            }
        };
        ready(result.and_then(|_| self.with_client(terminal_id, deregistered)))
    }

    fn settings(&self) -> ApiFuture<FiskalySettings> {
        let backend = self.0.lock().unwrap().backend.unwrap_or(Backend::Simulator);
        ready(Ok(FiskalySettings {
            base_url: "http://127.0.0.1:1/api/v2".into(),
            api_key: "key".into(),
            api_secret_set: true,
            backend,
        }))
    }

    fn save_settings(&self, input: FiskalySettingsInput) -> ApiFuture<FiskalySettings> {
        let result = self
            .record(format!("save_settings {}", input.base_url))
            .map(|_| FiskalySettings {
                base_url: input.base_url,
                api_key: input.api_key,
                api_secret_set: true,
                backend: Backend::Fiskaly,
            });
        ready(result)
    }

    fn test_connection(&self) -> ApiFuture<ConnectionTest> {
        ready(
            self.record("test_connection".into())
                .map(|_| ConnectionTest { env: "TEST".into() }),
        )
    }

    fn alerts(&self, status: AlertStatus) -> ApiFuture<Vec<Alert>> {
        if let Some(error) = self.read_failure("alerts") {
            return ready(Err(error));
        }
        let alerts = self.0.lock().unwrap().alerts.clone();
        ready(Ok(alerts
            .into_iter()
            .filter(|a| a.status() == status)
            .collect()))
    }

    fn acknowledge_alert(&self, id: i64) -> ApiFuture<Alert> {
        let result = self
            .record(format!("acknowledge_alert {id}"))
            .and_then(|_| {
                let mut state = self.0.lock().unwrap();
                let alert = state
                    .alerts
                    .iter_mut()
                    .find(|a| a.id == id)
                    .ok_or_else(not_found)?;
                alert.acknowledged_by = Some("admin".into());
                alert.acknowledged_at = Some(1_795_700_000);
                Ok(alert.clone())
            });
        ready(result)
    }

    fn report(&self, store_id: Option<i64>) -> ApiFuture<TaxReport> {
        if let Some(error) = self.read_failure("report") {
            return ready(Err(error));
        }
        let state = self.0.lock().unwrap();
        let stores = state
            .stores
            .iter()
            .filter(|s| store_id.is_none_or(|id| s.store.id == id))
            .map(|s| ReportStore {
                store_id: s.store.id,
                number: s.store.number.clone(),
                name: s.store.name.clone(),
                street: s.store.street.clone(),
                city: s.store.city.clone(),
                terminals: Vec::new(),
                tss: Vec::new(),
            })
            .collect();
        ready(Ok(TaxReport {
            organisation: Organisation::default(),
            stores,
            last_submitted: None,
        }))
    }

    fn save_organisation(&self, organisation: Organisation) -> ApiFuture<Organisation> {
        let call = format!("save_organisation {}", organisation.name);
        ready(self.record(call).map(|_| organisation))
    }

    fn submit_report(&self) -> ApiFuture<Submission> {
        let submission = Submission {
            at: 1_795_700_000,
            by: "admin".into(),
        };
        ready(self.record("submit_report".into()).map(|_| submission))
    }

    fn webhooks(&self) -> ApiFuture<Vec<Webhook>> {
        if let Some(error) = self.read_failure("webhooks") {
            return ready(Err(error));
        }
        ready(Ok(self.0.lock().unwrap().webhooks.clone()))
    }

    fn add_webhook(&self, input: WebhookInput) -> ApiFuture<CreatedWebhook> {
        let result = self.record(format!("add_webhook {}", input.url)).map(|_| {
            let mut state = self.0.lock().unwrap();
            let webhook = Webhook {
                id: state.webhooks.len() as i64 + 1,
                url: input.url,
                kinds: input.kinds,
                enabled: input.enabled,
                created_at: 1_795_700_000,
            };
            state.webhooks.push(webhook.clone());
            CreatedWebhook {
                webhook,
                secret: "f00d".repeat(16),
            }
        });
        ready(result)
    }

    fn change_webhook(&self, id: i64, input: WebhookInput) -> ApiFuture<Webhook> {
        let result = self.record(format!("change_webhook {id} enabled={}", input.enabled));
        let result = result.and_then(|_| {
            let mut state = self.0.lock().unwrap();
            let webhook = state
                .webhooks
                .iter_mut()
                .find(|w| w.id == id)
                .ok_or_else(not_found)?;
            webhook.enabled = input.enabled;
            Ok(webhook.clone())
        });
        ready(result)
    }

    fn remove_webhook(&self, id: i64) -> ApiFuture<()> {
        let result = self.record(format!("remove_webhook {id}")).map(|_| {
            self.0.lock().unwrap().webhooks.retain(|w| w.id != id);
        });
        ready(result)
    }

    fn deliveries(&self, _id: i64) -> ApiFuture<Vec<Delivery>> {
        ready(Ok(Vec::new()))
    }

    fn schedule(&self) -> ApiFuture<RefreshSchedule> {
        if let Some(error) = self.read_failure("schedule") {
            return ready(Err(error));
        }
        ready(Ok(RefreshSchedule::default()))
    }

    fn save_schedule(&self, schedule: RefreshSchedule) -> ApiFuture<RefreshSchedule> {
        let call = format!("save_schedule {} {}", schedule.enabled, schedule.time);
        ready(self.record(call).map(|_| schedule))
    }

    fn users(&self) -> ApiFuture<Vec<UserAccount>> {
        ready(Ok(self.0.lock().unwrap().users.clone()))
    }

    fn add_user(&self, user: NewUser) -> ApiFuture<UserAccount> {
        let call = format!(
            "add_user {} {:?} {}",
            user.username, user.role, user.password
        );
        let result = self.record(call).map(|()| {
            let account = UserAccount {
                username: user.username,
                role: user.role,
                created_at: 1_795_600_000,
            };
            let mut state = self.0.lock().unwrap();
            state.users.push(account.clone());
            state.users.sort_by(|a, b| a.username.cmp(&b.username));
            account
        });
        ready(result)
    }

    fn set_password(&self, username: String, new: NewPassword) -> ApiFuture<()> {
        ready(self.record(format!("set_password {username} {}", new.password)))
    }

    fn set_role(&self, username: String, change: RoleChange) -> ApiFuture<UserAccount> {
        let result = self
            .record(format!("set_role {username} {:?}", change.role))
            .and_then(|()| {
                let mut state = self.0.lock().unwrap();
                let account = state.users.iter_mut().find(|u| u.username == username);
                let account = account.ok_or_else(not_found)?;
                account.role = change.role;
                Ok(account.clone())
            });
        ready(result)
    }

    fn remove_user(&self, username: String) -> ApiFuture<()> {
        let result = self.record(format!("remove_user {username}"));
        if result.is_ok() {
            self.0
                .lock()
                .unwrap()
                .users
                .retain(|u| u.username != username);
        }
        ready(result)
    }
}

/// An account.
pub fn account(username: &str, role: Role) -> UserAccount {
    UserAccount {
        username: username.into(),
        role,
        created_at: 1_795_500_000,
    }
}

/// Whether a store has a TSS certificate that expires within 90 days (or has expired), by the
/// browser's clock.
fn expiring(store: &StoreSummary) -> bool {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    store
        .certificate_expires_at
        .is_some_and(|at| at <= expiring_before(now))
}

/// A store row.
pub fn store(id: i64, number: &str, name: &str, city: &str) -> StoreSummary {
    StoreSummary {
        store: Store {
            id,
            number: number.into(),
            name: name.into(),
            street: "Hauptstraße 1".into(),
            city: city.into(),
        },
        tss_by_state: Default::default(),
        signing: Signing {
            readiness: Readiness::NoActiveTss,
            signing_terminals: 0,
            terminals: 0,
        },
        last_synced_at: None,
        certificate_expires_at: None,
    }
}

/// A TSS entry of `store_id` in `state`.
pub fn tss(store_id: i64, id: &str, state: TssState) -> TssEntry {
    TssEntry {
        tss_id: id.into(),
        store_id,
        state,
        description: None,
        error_text: None,
        error_code: None,
        registered_clients: 0,
        time_creation: Some(1_795_600_000),
        time_init: None,
        time_disable: None,
        last_synced_at: None,
        certificate: Default::default(),
        replaced_by: None,
        operation: None,
    }
}

/// The TSS `id` of store 1 in `state` while Generate New TSS runs at `step` (number `number` of 6).
pub fn setting_up(id: &str, state: TssState, step: OperationStep) -> TssEntry {
    let mut entry = tss(1, id, state);
    let kind = OperationKind::GenerateTss;
    entry.operation = Some(OperationProgress {
        kind,
        status: OperationStatus::Running,
        step,
        step_number: kind.numbered(step).expect("a setup step").number,
        total_steps: kind.steps().len() as u32,
        started_at: 1_795_600_000,
        last_error: None,
        terminals: None,
    });
    entry
}
