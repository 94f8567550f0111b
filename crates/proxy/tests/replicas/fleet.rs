//! Proxy replicas as their operators run them: separate `tss-proxy` processes on one Postgres
//! database, talking over HTTP to one standalone simulator, each reached at its own address by
//! a logged-in client.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fiskaly_sim::{SimConfig, Simulator};
use serde_json::{json, Value};

use crate::database::TestDatabase;

/// The password of the first administrator every replica is started with.
pub const ADMIN_PASSWORD: &str = "replica-admin-password";

/// A standalone simulator with the control API, whose deploy takes `deploy_latency`.
pub async fn simulator(deploy_latency: Duration) -> Simulator {
    Simulator::start(SimConfig {
        control: true,
        live_tss_limit: 1000,
        deploy_latency,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// One running `tss-proxy` process.
pub struct Replica {
    /// Its API's base URL, e.g. `http://127.0.0.1:4711/api`.
    pub url: String,
    child: Child,
    log: PathBuf,
    http: reqwest::Client,
}

/// How a replica is started.
pub struct Launch<'a> {
    /// The shared database.
    pub database: &'a TestDatabase,
    /// The fiskaly it talks to; `None` runs the built-in demo simulator.
    pub fiskaly_url: Option<&'a str>,
    /// Where its log goes.
    pub dir: &'a Path,
}

impl Replica {
    /// Starts replica `name` and waits until it serves, or answers what it said when it stopped.
    pub async fn start(name: &str, launch: &Launch<'_>) -> Result<Replica, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = launch.dir.join(format!("{name}.log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_tss-proxy"));
        command
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database", &launch.database.argument()])
            .arg("--secret-key-file")
            .arg(&launch.database.key_file)
            .args(["--replica-name", name])
            .arg("--dist")
            .arg(launch.dir.join("no-spa"))
            .env("TSS_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::options().append(true).open(&log).unwrap());
        for variable in [
            "FISKALY_URL",
            "FISKALY_API_KEY",
            "FISKALY_API_SECRET",
            "TSS_DATABASE",
        ] {
            command.env_remove(variable);
        }
        if let Some(url) = launch.fiskaly_url {
            let config = SimConfig::default();
            command
                .args(["--fiskaly-url", url])
                .args(["--fiskaly-api-key", &config.api_key])
                .args(["--fiskaly-api-secret", &config.api_secret]);
        }
        let mut child = command.spawn().unwrap();
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}/api");
        for _ in 0..600 {
            if let Some(status) = child.try_wait().unwrap() {
                let said = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(format!("{name} stopped ({status}): {said}"));
            }
            let health = http.get(format!("{url}/health")).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(Replica {
                    url,
                    child,
                    log,
                    http,
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{name} did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// Kills the process at once (SIGKILL): no clean shutdown, leases left as they were.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// What the replica logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Logs in as `username`; answers the status and the session cookie, if one was set.
    pub async fn log_in(&self, username: &str, password: &str) -> (u16, Option<String>) {
        let response = self
            .request(reqwest::Method::POST, "/session", None)
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        (response.status().as_u16(), cookie)
    }

    /// Calls the API with `cookie`; answers the status and the JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.request(method, path, Some(cookie));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let origin = self.url.trim_end_matches("/api").to_owned();
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("x-requested-with", "tss-console")
            .header("origin", origin);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new Postgres database, a standalone simulator, and the replicas started on them.
pub struct Fleet {
    /// The replicas, in the order they were named.
    pub replicas: Vec<Replica>,
    /// The simulator they talk to.
    pub sim: Simulator,
    /// The database they share.
    pub database: TestDatabase,
    sim_url: String,
    dir: tempfile::TempDir,
}

impl Fleet {
    /// Replicas `names` (started one after the other: the first creates the administrator) on
    /// a new database on the suite's Postgres server, with a simulator whose deploy takes
    /// `deploy_latency`.
    pub async fn start(names: &[&str], deploy_latency: Duration) -> Fleet {
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::fresh_postgres(dir.path(), "fleet").await;
        Fleet::start_on(database, dir, names, deploy_latency).await
    }

    /// The same on `database`, with its key file in `dir`.
    pub async fn start_on(
        database: TestDatabase,
        dir: tempfile::TempDir,
        names: &[&str],
        deploy_latency: Duration,
    ) -> Fleet {
        let sim = simulator(deploy_latency).await;
        let mut fleet = Fleet {
            replicas: Vec::new(),
            sim_url: sim.base_url(),
            sim,
            database,
            dir,
        };
        for name in names {
            let replica = Replica::start(name, &fleet.launch()).await.unwrap();
            fleet.replicas.push(replica);
        }
        fleet
    }

    /// How another replica of this fleet would be started.
    pub fn launch(&self) -> Launch<'_> {
        Launch {
            database: &self.database,
            fiskaly_url: Some(&self.sim_url),
            dir: self.dir.path(),
        }
    }

    /// The fleet's folder (key files, logs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}
