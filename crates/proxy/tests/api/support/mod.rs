//! A proxy on a loopback port, with SQLite in a temporary folder (or a fresh Postgres database,
//! see [`database`]), talking over real HTTP to a simulator with its controls; and a small client
//! that remembers every answer it got, so tests can scan them for secrets.

pub mod database;
pub mod events;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use fiskaly_sim::{Effect, Fault, FaultRule, SimConfig, Simulator, When};
use serde_json::{json, Value};
use tss_model::{Backend, OperationStatus, Role, TssEntry};
use tss_proxy::auth::accounts;
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::replica::{self, Membership};
use tss_proxy::storage::Storage;

pub use database::TestDatabase;
use tss_proxy::{app, AppState};

/// Retries fast enough for tests, patient enough to ride out a few injected faults.
pub fn test_retry_policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        first_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        longest_retry_after: Duration::from_secs(5),
        timeout: Duration::from_secs(5),
        deploy_timeout: Duration::from_secs(10),
    }
}

/// A simulator for tests: control on, room for many TSS.
pub async fn start_simulator() -> Simulator {
    Simulator::start(SimConfig {
        control: true,
        live_tss_limit: 1000,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// The proxy's state on `database`, talking to `sim`.
pub async fn proxy_state(database: &TestDatabase, sim: &Simulator) -> AppState {
    let storage = Storage::open(&database.location, &database.key_file)
        .await
        .unwrap();
    AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(sim),
        Backend::Simulator,
        test_retry_policy(),
        PathBuf::from("dist"),
    )
}

/// A logged-in administrator's cookie header value for the proxy on `state`.
pub async fn admin_session_cookie(state: &AppState) -> String {
    accounts::add_user(&state.storage, "fuzz-admin", Role::Admin, TEST_PASSWORD)
        .await
        .unwrap();
    let user = state.storage.user("fuzz-admin").await.unwrap().unwrap();
    let token = state.storage.open_session(user.id).await.unwrap();
    format!("tss_session={token}")
}

/// What the proxy answered.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// Asserts the API error shape with `status` and `code`, and returns the message.
    pub fn expect_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "status of {}", self.body);
        assert_eq!(self.body["error"]["code"], code, "code of {}", self.body);
        let message = self.body["error"]["message"].as_str().unwrap().to_owned();
        assert!(!message.is_empty());
        message
    }

    /// Asserts a 2xx and returns the body.
    pub fn ok(&self) -> &Value {
        assert!(
            (200..300).contains(&self.status),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        &self.body
    }
}

/// The password of every account the tests create.
pub const TEST_PASSWORD: &str = "test-password-123";

/// A request body.
enum Payload {
    Json(Value),
    Csv(Vec<u8>),
}

/// A running proxy with its simulator and database folder, logged in as `admin`.
pub struct TestProxy {
    pub sim: Simulator,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pub database: TestDatabase,
    /// Keeps the leases of its operations alive, as a serving proxy does.
    _membership: Membership,
    url: String,
    http: reqwest::Client,
    answers: Mutex<Vec<String>>,
    session_cookie: Mutex<Option<String>>,
}

impl TestProxy {
    /// A proxy with a fresh database and simulator.
    pub async fn start() -> TestProxy {
        TestProxy::start_configured(|_| {}).await
    }

    /// A proxy with a fresh database and simulator, its state changed by `configure` first.
    pub async fn start_configured(configure: impl FnOnce(&mut AppState)) -> TestProxy {
        let sim = start_simulator().await;
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::fresh(dir.path(), "tss").await;
        let mut state = proxy_state(&database, &sim).await;
        configure(&mut state);
        let membership = replica::join(&state.operations, false).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        let router = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, router).await });
        let proxy = TestProxy {
            sim,
            state,
            dir,
            database,
            _membership: membership,
            url,
            http: reqwest::Client::new(),
            answers: Mutex::new(Vec::new()),
            session_cookie: Mutex::new(None),
        };
        proxy.add_user("admin", Role::Admin).await;
        proxy.log_in("admin", TEST_PASSWORD).await.ok();
        proxy
    }

    /// Creates an account with [`TEST_PASSWORD`].
    pub async fn add_user(&self, username: &str, role: Role) {
        accounts::add_user(&self.state.storage, username, role, TEST_PASSWORD)
            .await
            .unwrap();
    }

    /// Logs in; on success later calls carry that session.
    pub async fn log_in(&self, username: &str, password: &str) -> Reply {
        let body = json!({"username": username, "password": password});
        let (reply, cookie) = self
            .send(reqwest::Method::POST, "/session", Some(Payload::Json(body)))
            .await;
        if let Some(cookie) = cookie {
            *self.session_cookie.lock().unwrap() = Some(cookie);
        }
        reply
    }

    /// The session cookie (`tss_session=…`) calls carry now.
    pub fn session_cookie(&self) -> Option<String> {
        self.session_cookie.lock().unwrap().clone()
    }

    /// Makes later calls carry `cookie` (one saved with [`TestProxy::session_cookie`]).
    pub fn use_session(&self, cookie: Option<String>) {
        *self.session_cookie.lock().unwrap() = cookie;
    }

    /// Forgets the session cookie, as a browser that never logged in.
    pub fn forget_session(&self) {
        self.use_session(None);
    }

    /// Calls the proxy's API with the current session.
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Reply {
        self.send(method, path, body.map(Payload::Json)).await.0
    }

    /// Posts `file` as a CSV upload (the ERP import).
    pub async fn upload(&self, path: &str, file: impl Into<Vec<u8>>) -> Reply {
        let payload = Payload::Csv(file.into());
        self.send(reqwest::Method::POST, path, Some(payload))
            .await
            .0
    }

    /// Calls the proxy's API; answers the reply and the session cookie it set, if any.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Payload>,
    ) -> (Reply, Option<String>) {
        let origin = self.url.trim_end_matches("/api").to_owned();
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("x-requested-with", "tss-console")
            .header("origin", origin);
        if let Some(cookie) = self.session_cookie.lock().unwrap().clone() {
            request = request.header("cookie", cookie);
        }
        request = match body {
            Some(Payload::Json(body)) => request.json(&body),
            Some(Payload::Csv(bytes)) => request.header("content-type", "text/csv").body(bytes),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let text = response.text().await.unwrap();
        self.assert_no_secret_in(&text).await;
        self.answers.lock().unwrap().push(text.clone());
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (Reply { status, body }, cookie)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// Fails the test if an answer holds the API secret, a password, or any stored PUK or PIN: every answer
    /// of every proxy test passes through here.
    async fn assert_no_secret_in(&self, answer: &str) {
        let mut secrets = vec![SimConfig::default().api_secret, TEST_PASSWORD.to_owned()];
        for id in self.state.storage.tss_ids(None).await.unwrap() {
            let record = self.state.storage.tss_record(&id).await.unwrap().unwrap();
            secrets.extend(record.admin_puk);
            secrets.extend(record.admin_pin);
        }
        for secret in secrets {
            assert!(
                !answer.contains(&secret),
                "an API answer holds a secret: {answer}"
            );
        }
    }

    /// The API's base URL, e.g. `http://127.0.0.1:4711/api`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every answer body the proxy gave so far.
    pub fn answers(&self) -> Vec<String> {
        self.answers.lock().unwrap().clone()
    }

    /// Adds a store through the API; answers its ID.
    pub async fn add_store(&self, number: &str) -> i64 {
        let body = json!({
            "number": number, "name": format!("Filiale {number}"),
            "street": "Hauptstraße 1", "city": "Köln"
        });
        self.post("/stores", body).await.ok()["id"]
            .as_i64()
            .unwrap()
    }

    /// Adds a terminal through the API; answers its ID.
    pub async fn add_terminal(&self, store_id: i64, number: &str) -> i64 {
        let body = json!({
            "number": number, "name": format!("Kasse {number}"), "store_id": store_id,
            "serial_number": format!("SN-{store_id}-{number}")
        });
        self.post("/terminals", body).await.ok()["id"]
            .as_i64()
            .unwrap()
    }

    /// The store's TSS entries.
    pub async fn tss_of(&self, store_id: i64) -> Vec<TssEntry> {
        let reply = self.get(&format!("/stores/{store_id}/tss")).await;
        serde_json::from_value(reply.ok().clone()).unwrap()
    }

    /// Waits until `tss_id` has no running operation (the SPA polls the same way).
    pub async fn settled(&self, store_id: i64, tss_id: &str) -> TssEntry {
        wait_until_settled(&self.state.storage, store_id, tss_id).await
    }

    /// Generate New TSS through the API and wait until its setup has ended; answers the entry.
    pub async fn generate(&self, store_id: i64) -> TssEntry {
        self.generate_with(store_id, json!({})).await
    }

    /// Generate New TSS for a store that has an INITIALIZED TSS: asked for as an additional one.
    pub async fn generate_additional(&self, store_id: i64) -> TssEntry {
        self.generate_with(store_id, json!({"additional": true}))
            .await
    }

    async fn generate_with(&self, store_id: i64, body: Value) -> TssEntry {
        let reply = self.post(&format!("/stores/{store_id}/tss"), body).await;
        assert_eq!(reply.status, 202, "{}", reply.body);
        let tss_id = reply.body["tss_id"].as_str().unwrap().to_owned();
        self.settled(store_id, &tss_id).await
    }

    /// Disable TSS, confirmed, through the API.
    pub async fn disable(&self, tss_id: &str) -> Reply {
        self.post(&format!("/tss/{tss_id}/disable"), json!({"confirm": true}))
            .await
    }

    /// A store with an INITIALIZED TSS and `terminals` registered terminals.
    pub async fn ready_store(&self, number: &str, terminals: usize) -> (i64, String, Vec<i64>) {
        let store_id = self.add_store(number).await;
        let tss = self.generate(store_id).await;
        assert_eq!(tss.state.as_str(), "INITIALIZED", "{tss:?}");
        let mut ids = Vec::new();
        for n in 0..terminals {
            let terminal_id = self.add_terminal(store_id, &format!("K{n}")).await;
            self.post(&format!("/terminals/{terminal_id}/client"), json!({}))
                .await
                .ok();
            ids.push(terminal_id);
        }
        (store_id, tss.tss_id, ids)
    }
}

/// Waits until the TSS's operation has ended (none shown, or failed), at most ~20 s.
pub async fn wait_until_settled(storage: &Storage, store_id: i64, tss_id: &str) -> TssEntry {
    for _ in 0..2000 {
        let entries = storage.tss_entries(store_id).await.unwrap();
        let entry = entries
            .into_iter()
            .find(|e| e.tss_id == tss_id)
            .expect("the TSS entry");
        match &entry.operation {
            Some(op) if op.status == OperationStatus::Running => {
                tokio::time::sleep(Duration::from_millis(10)).await
            }
            _ => return entry,
        }
    }
    panic!("the operation on {tss_id} did not end");
}

/// How many calls the simulator received for `method` on `path`.
pub fn calls(sim: &Simulator, method: &str, path: &str) -> usize {
    sim.control()
        .calls()
        .iter()
        .filter(|c| c.method == method && c.path == path)
        .count()
}

/// Makes the next `count` calls of `method` on `path` (a simulator pattern) fail with `effect`.
pub fn inject(
    sim: &Simulator,
    method: &str,
    path: &str,
    state: Option<&str>,
    count: u32,
    effect: Effect,
    when: When,
) {
    sim.control().inject(FaultRule {
        method: Some(method.into()),
        path: path.into(),
        state: state.map(str::to_owned),
        count,
        every: None,
        fault: Fault { effect, when },
    });
}

/// An error answer with `status` and, if given, fiskaly's `code`.
pub fn status(status: u16, code: Option<&str>) -> Effect {
    Effect::Status {
        status,
        code: code.map(str::to_owned),
        retry_after: None,
    }
}

/// An access token of the simulator's own, as another fiskaly caller (not the proxy) would hold.
pub async fn other_callers_token(sim: &Simulator) -> String {
    let config = SimConfig::default();
    let auth: Value = reqwest::Client::new()
        .post(format!("{}/auth", sim.base_url()))
        .json(&json!({"api_key": config.api_key, "api_secret": config.api_secret}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    auth["access_token"].as_str().unwrap().to_owned()
}
