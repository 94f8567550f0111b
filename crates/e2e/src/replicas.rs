//! The console as a chain runs it at scale: two `tss-proxy` replicas on one PostgreSQL database
//! (on the server `cargo xtask test` starts, named by `TSS_TEST_POSTGRES`), one standalone
//! simulator, and nginx in front of them with the project's own `deploy/nginx.conf`. The browser
//! talks to nginx only; nginx spreads its requests over both replicas.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fiskaly_sim::{SimConfig, Simulator};
use tokio::process::{Child, Command};
use tss_proxy::config::Config;
use tss_proxy::replica::Membership;
use tss_proxy::startup::prepare;
use tss_proxy::storage::Location;
use tss_proxy::AppState;

use crate::ADMIN_PASSWORD;

/// Replicas behind nginx, just started.
pub struct Started {
    /// What keeps them running.
    pub replicas: Replicas,
    /// nginx's address, e.g. `http://127.0.0.1:4711`.
    pub base: String,
    /// The standalone simulator every replica talks to.
    pub simulator: Simulator,
    /// The first replica's state (its storage reaches the shared database).
    pub proxy: AppState,
}

/// The replicas and nginx, running until dropped.
pub struct Replicas {
    served: Vec<Arc<AtomicUsize>>,
    _memberships: Vec<Membership>,
    _nginx: Child,
    _data: tempfile::TempDir,
}

impl Replicas {
    /// Starts `count` replicas on a new database with the demo's stores, and nginx in front.
    pub async fn start(count: usize, dist: PathBuf) -> Started {
        let server = std::env::var("TSS_TEST_POSTGRES").expect(
            "TSS_TEST_POSTGRES names no PostgreSQL server: run the tests with `cargo xtask test`",
        );
        let database = format!("{server}/e2e_{}", uuid::Uuid::new_v4().simple());
        // At the demo's pace, so that a person sees an operation's steps.
        let simulator = Simulator::start(SimConfig {
            control: true,
            live_tss_limit: 1000,
            latency: tss_proxy::demo::DEMO_LATENCY,
            deploy_latency: tss_proxy::demo::DEMO_DEPLOY_LATENCY,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let data = tempfile::tempdir().unwrap();
        let (mut memberships, mut served, mut addresses) = (Vec::new(), Vec::new(), Vec::new());
        let mut first = None;
        for n in 0..count {
            let config = replica_config(n, &database, &simulator, data.path(), &dist);
            let prepared = prepare(&config).await.expect("the replica starts");
            if n == 0 {
                tss_proxy::demo::seed(&prepared.state, &simulator)
                    .await
                    .expect("the demo stores");
                first = Some(prepared.state.clone());
            }
            let (address, counter) = serve(prepared.state).await;
            addresses.push(address);
            served.push(counter);
            memberships.push(prepared.membership);
        }
        let (base, nginx) = start_nginx(&addresses, data.path()).await;
        Started {
            replicas: Replicas {
                served,
                _memberships: memberships,
                _nginx: nginx,
                _data: data,
            },
            base,
            simulator,
            proxy: first.expect("at least one replica"),
        }
    }

    /// How many requests each replica has served so far.
    pub fn requests_served(&self) -> Vec<usize> {
        self.served
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .collect()
    }
}

/// The configuration of replica number `n`.
fn replica_config(
    n: usize,
    database: &str,
    simulator: &Simulator,
    data: &Path,
    dist: &Path,
) -> Config {
    let sim = SimConfig::default();
    Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: Location::Postgres(database.to_owned()),
        dist: dist.to_owned(),
        fiskaly_url: Some(simulator.base_url()),
        fiskaly_api_key: Some(sim.api_key),
        fiskaly_api_secret: Some(sim.api_secret),
        secret_key_file: Some(data.join("replicas.key")),
        replica_name: Some(format!("replica-{n}")),
        admin_password: Some(ADMIN_PASSWORD.into()),
        session_idle_minutes: 30,
        secure_cookie: false,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
    }
}

/// Serves `state` on a loopback port, counting its requests; answers the address and the count.
async fn serve(state: AppState) -> (SocketAddr, Arc<AtomicUsize>) {
    let counter = Arc::new(AtomicUsize::new(0));
    let counting = counter.clone();
    let app = tss_proxy::app(state).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            counting.fetch_add(1, Ordering::Relaxed);
            next.run(request)
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, counter)
}

/// Starts nginx in the foreground with `deploy/nginx.conf` in front of `replicas`; answers its
/// address and the process (killed when dropped).
async fn start_nginx(replicas: &[SocketAddr], data: &Path) -> (String, Child) {
    let prefix = data.join("nginx");
    std::fs::create_dir_all(&prefix).unwrap();
    // nginx's workers run as an unprivileged user and write their temporary files here (the
    // key file beside it keeps its own mode 0600).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&prefix, std::fs::Permissions::from_mode(0o777)).unwrap();
    let port = crate::free_port();
    let servers: Vec<String> = replicas
        .iter()
        .map(|address| format!("server {address};"))
        .collect();
    let template = include_str!("../../../deploy/nginx.conf");
    let config = template
        .replace("{{LISTEN}}", &format!("127.0.0.1:{port}"))
        .replace("{{REPLICAS}}", &servers.join("\n        "))
        .replace("{{PREFIX}}", prefix.to_str().unwrap());
    let config_file = prefix.join("nginx.conf");
    std::fs::write(&config_file, config).unwrap();
    let program = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("nginx");
    let nginx = Command::new(program)
        .arg("-p")
        .arg(&prefix)
        .arg("-c")
        .arg(&config_file)
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(prefix.join("stderr.log")).unwrap())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx is installed (cargo xtask bootstrap)");
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (format!("http://127.0.0.1:{port}"), nginx);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let log = std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
    let said = std::fs::read_to_string(prefix.join("stderr.log")).unwrap_or_default();
    panic!("nginx did not start: {said} {log}");
}
