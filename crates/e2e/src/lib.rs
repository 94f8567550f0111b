//! The stage for end-to-end tests: the real proxy in demo mode (SQLite in a temporary folder, the
//! simulator in-process) serving the built SPA on a loopback port — or two replicas on Postgres
//! behind nginx ([`Stage::behind_nginx`]) — and headless Chromium driven through ChromeDriver,
//! as a person would use it.
//!
//! The SPA must be built first (`trunk build --release`; `cargo xtask test` does it before it runs
//! this crate's tests). `TSS_E2E_DIST` names another `dist/` folder.

pub mod cdp;
mod replicas;
mod window;

pub use window::Window;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;

use fiskaly_sim::Simulator;
use tokio::process::{Child, Command};
use tss_proxy::config::Config;
use tss_proxy::startup::prepare;
use tss_proxy::storage::Location;

/// A desktop browser window's viewport.
pub const DESKTOP: (u32, u32) = (1280, 800);
/// A tablet's viewport (portrait).
pub const TABLET: (u32, u32) = (768, 1024);
/// The password of the demo's `admin` account in these tests.
pub const ADMIN_PASSWORD: &str = "e2e-admin-password";

/// A running console and a browser pointed at it (its [`Window`]'s helpers are the stage's).
pub struct Stage {
    /// The browser window of the test's user.
    pub window: Window,
    /// The simulator behind the proxy (for faults and for checking what fiskaly holds).
    pub simulator: Simulator,
    /// The proxy's state (its storage), for setting up data a test or benchmark needs.
    pub proxy: tss_proxy::AppState,
    driver: Child,
    driver_port: u16,
    console: Console,
}

/// What keeps the console behind a stage running.
enum Console {
    /// The demo proxy in this process, on SQLite.
    Demo {
        _membership: tss_proxy::replica::Membership,
        _data: tempfile::TempDir,
    },
    /// Replicas on Postgres behind nginx.
    Replicas(replicas::Replicas),
}

impl std::ops::Deref for Stage {
    type Target = Window;

    fn deref(&self) -> &Window {
        &self.window
    }
}

/// The built SPA: `TSS_E2E_DIST`, else the workspace's `dist/`.
pub fn dist() -> PathBuf {
    std::env::var_os("TSS_E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"))
}

/// The built SPA, checked; and the TLS backend picked (two are linked: reqwest's ring,
/// fantoccini's aws-lc; a second test in the same process finds it installed already).
fn built_spa() -> PathBuf {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dist = dist();
    assert!(
        dist.join("index.html").is_file(),
        "no built SPA in {}: run `trunk build --release` (cargo xtask test does)",
        dist.display()
    );
    dist
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Stage {
    /// Starts the demo console and a headless Chromium with a viewport of `size`, and logs in
    /// as `admin` on the app's login page.
    pub async fn start(size: (u32, u32)) -> Stage {
        Stage::launch(size).await.logged_in_as_admin().await
    }

    /// The stage after logging in as `admin` on the app's login page.
    async fn logged_in_as_admin(self) -> Stage {
        self.browser
            .goto(&format!("{}/stores", self.base))
            .await
            .unwrap();
        self.log_in("admin", ADMIN_PASSWORD).await;
        self
    }

    /// Starts the demo console and a headless Chromium with a viewport of `size`; the browser has
    /// loaded nothing yet.
    pub async fn launch(size: (u32, u32)) -> Stage {
        let dist = built_spa();
        let data = tempfile::tempdir().unwrap();
        let config = Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: Location::Sqlite(data.path().join("e2e.sqlite")),
            dist,
            fiskaly_url: None,
            fiskaly_api_key: None,
            fiskaly_api_secret: None,
            secret_key_file: None,
            replica_name: None,
            admin_password: Some(ADMIN_PASSWORD.into()),
            session_idle_minutes: 30,
            secure_cookie: false,
            trusted_proxies: Vec::new(),
        };
        let prepared = prepare(&config).await.expect("the demo proxy starts");
        let simulator = prepared.simulator.expect("demo mode runs the simulator");
        let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let proxy = prepared.state.clone();
        let app =
            tss_proxy::app(prepared.state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let console = Console::Demo {
            _membership: prepared.membership,
            _data: data,
        };
        Stage::with_browser(size, &base, simulator, proxy, console).await
    }

    /// Starts two replicas on Postgres behind nginx with the demo's stores (see [`replicas`]) and
    /// a headless Chromium at nginx's address with a viewport of `size`, and logs in as `admin`.
    pub async fn behind_nginx(size: (u32, u32)) -> Stage {
        let started = replicas::Replicas::start(2, built_spa()).await;
        let console = Console::Replicas(started.replicas);
        let stage = Stage::with_browser(
            size,
            &started.base,
            started.simulator,
            started.proxy,
            console,
        )
        .await;
        stage.logged_in_as_admin().await
    }

    /// How many requests each replica behind nginx served so far (none without replicas).
    pub fn requests_served_by_each_replica(&self) -> Vec<usize> {
        match &self.console {
            Console::Replicas(replicas) => replicas.requests_served(),
            Console::Demo { .. } => Vec::new(),
        }
    }

    /// A stage for `console` at `base`: ChromeDriver and a browser window of `size`.
    async fn with_browser(
        size: (u32, u32),
        base: &str,
        simulator: Simulator,
        proxy: tss_proxy::AppState,
        console: Console,
    ) -> Stage {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver is installed (cargo xtask bootstrap)");
        let window = Window::connect(port, base, size).await;
        Stage {
            window,
            simulator,
            proxy,
            driver,
            driver_port: port,
            console,
        }
    }

    /// Gives the browser a session of `username` without loading the app (the cookie is set
    /// on `/api/health`), so that the next page load is the app's first, with a cold cache.
    pub async fn give_session_of(&self, username: &str) {
        let user = self.proxy.storage.user(username).await.unwrap().unwrap();
        let token = self.proxy.storage.open_session(user.id).await.unwrap();
        self.browser
            .goto(&format!("{}/api/health", self.base))
            .await
            .unwrap();
        // Set from script, so not HttpOnly as the proxy's own would be; the proxy reads it the same.
        let cookie = format!("tss_session={token}; path=/; SameSite=Strict");
        self.browser
            .execute("document.cookie = arguments[0];", vec![cookie.into()])
            .await
            .unwrap();
    }

    /// A second browser (another person) on the same console, with a viewport of `size`,
    /// logged in as `username` on the app's login page.
    pub async fn second_window(&self, size: (u32, u32), username: &str, password: &str) -> Window {
        let window = Window::connect(self.driver_port, &self.base, size).await;
        window
            .browser
            .goto(&format!("{}/stores", self.base))
            .await
            .unwrap();
        window.log_in(username, password).await;
        window
    }

    /// Ends the browser session and ChromeDriver.
    pub async fn finish(mut self) {
        let _ = self.window.browser.close().await;
        let _ = self.driver.kill().await;
    }
}

impl Stage {
    /// Makes the next `count` calls of `method` on `path` (a simulator pattern) that ask for
    /// `state` fail with a 503, as fiskaly does in maintenance.
    pub fn fail_next(&self, method: &str, path: &str, state: Option<&str>, count: u32) {
        self.inject(method, path, state, count, (503, "E_TSS_LOCKED"));
    }

    /// Makes the next call of `method` on `path` fail with `(status, fiskaly's code)`, e.g. a
    /// refusal such as 403 `E_TSS_LIMIT_REACHED`.
    pub fn refuse_next(&self, method: &str, path: &str, answer: (u16, &str)) {
        self.inject(method, path, None, 1, answer);
    }

    fn inject(
        &self,
        method: &str,
        path: &str,
        state: Option<&str>,
        count: u32,
        answer: (u16, &str),
    ) {
        self.simulator.control().inject(fiskaly_sim::FaultRule {
            method: Some(method.into()),
            path: path.into(),
            state: state.map(str::to_owned),
            count,
            every: None,
            fault: fiskaly_sim::Fault {
                effect: fiskaly_sim::Effect::Status {
                    status: answer.0,
                    code: Some(answer.1.into()),
                    retry_after: None,
                },
                when: fiskaly_sim::When::Before,
            },
        });
    }
}
