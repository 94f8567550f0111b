//! A PostgreSQL cluster of the project's own: its data directory under `target/` (throwaway, for
//! the tests) or `data/` (kept, for `cargo xtask run --postgres`), on a free loopback port, run
//! as the `postgres` user when the tasks run as root. Debian's `postgresql` is installed by the
//! bootstrap.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::{first_line_of, Error};

/// A running cluster; dropping it stops the server (and removes a throwaway data directory).
pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    throwaway: bool,
}

impl Cluster {
    /// Starts a fresh cluster in `data` (removed first, and again when it stops). When the
    /// `postgres` user cannot reach `data` (a checkout in root's home), the cluster lives in the
    /// system's temporary folder instead, and says so.
    pub fn throwaway(data: &Path) -> Result<Cluster, Error> {
        let data = &reachable_by_server_user(data);
        stop_leftover(data)?;
        if data.exists() {
            std::fs::remove_dir_all(data).map_err(|e| format!("cannot clear {data:?}: {e}"))?;
        }
        Cluster::start(data, true)
    }

    /// Starts the cluster kept in `data`, creating it on first use.
    pub fn kept(data: &Path) -> Result<Cluster, Error> {
        Cluster::start(data, false)
    }

    fn start(data: &Path, throwaway: bool) -> Result<Cluster, Error> {
        let bin = server_bin()?;
        let cluster = Cluster {
            bin,
            data: data.to_owned(),
            port: free_port()?,
            throwaway,
        };
        if !data.join("PG_VERSION").exists() {
            std::fs::create_dir_all(data).map_err(|e| format!("cannot create {data:?}: {e}"))?;
        }
        hand_to_server_user(data)?;
        stop_leftover(data)?;
        if !data.join("PG_VERSION").exists() {
            cluster.run(
                "initdb",
                &[
                    "--auth=trust",
                    "--username=postgres",
                    "--encoding=UTF8",
                    "--pgdata",
                ],
            )?;
        }
        // In the configuration, not on the command line, so that `pg_ctl start` alone (a test
        // that stops and starts the server) brings it back the same.
        let settings = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n\
             max_connections = 400\nfsync = {}\n",
            cluster.port,
            if throwaway { "off" } else { "on" }
        );
        std::fs::write(data.join("postgresql.auto.conf"), settings)
            .map_err(|e| format!("cannot configure the cluster in {data:?}: {e}"))?;
        hand_to_server_user(data)?;
        cluster.run(
            "pg_ctl",
            &[
                "start",
                "--wait",
                "--log",
                path_str(&cluster.log())?,
                "--pgdata",
            ],
        )?;
        Ok(cluster)
    }

    /// The server's log file.
    fn log(&self) -> PathBuf {
        self.data.join("server.log")
    }

    /// The command that controls this server, followed by `stop …` or `start …` (for a test that
    /// stops and starts it): `pg_ctl` with its data directory and log, as the right user.
    pub fn control_command(&self) -> String {
        let pg_ctl = self.bin.join("pg_ctl");
        let user = if running_as_root() {
            "runuser -u postgres -- "
        } else {
            ""
        };
        format!(
            "{user}{} --pgdata {} --log {}",
            pg_ctl.display(),
            self.data.display(),
            self.log().display()
        )
    }

    /// The URL of the server, for a database name to be appended (`…/name`).
    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// Runs the server program `program` with `args` and then the data directory.
    fn run(&self, program: &str, args: &[&str]) -> Result<(), Error> {
        let output = server_program(&self.bin, program)
            .args(args)
            .arg(&self.data)
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

/// Stops a server left running in `data` by an earlier run that was stopped with Ctrl-C (which
/// ends the task before it can stop the server), so that it can be removed or started again.
fn stop_leftover(data: &Path) -> Result<(), Error> {
    if !data.join("postmaster.pid").exists() {
        return Ok(());
    }
    let _ = server_program(&server_bin()?, "pg_ctl")
        .args(["stop", "--mode=fast", "--wait", "--pgdata"])
        .arg(data)
        .output();
    Ok(())
}

/// `data`, or a folder of the same name in the temporary folder when the `postgres` user could
/// not open a folder above it (each needs execute permission for others).
fn reachable_by_server_user(data: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let blocked = running_as_root()
        && data.ancestors().skip(1).any(|folder| {
            std::fs::metadata(folder).is_ok_and(|m| m.permissions().mode() & 0o001 == 0)
        });
    if !blocked {
        return data.to_owned();
    }
    use std::hash::{DefaultHasher, Hash, Hasher};
    let name = data.file_name().unwrap_or_default().to_string_lossy();
    // One folder per checkout, so that two checkouts on one machine keep theirs apart.
    let mut checkout = DefaultHasher::new();
    data.hash(&mut checkout);
    let elsewhere =
        std::env::temp_dir().join(format!("tss-console-{name}-{:x}", checkout.finish()));
    println!(
        "    the postgres user cannot reach {}: the throwaway cluster goes to {}",
        data.display(),
        elsewhere.display()
    );
    elsewhere
}

/// The server program `program` of `bin`, run as the `postgres` user when the tasks run as root
/// (Postgres refuses to run as root).
fn server_program(bin: &Path, program: &str) -> Command {
    let program = bin.join(program);
    if running_as_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Makes `folder` the server user's, when the tasks run as root.
fn hand_to_server_user(folder: &Path) -> Result<(), Error> {
    if !running_as_root() {
        return Ok(());
    }
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(folder)
        .status()
        .map_err(|e| format!("cannot run chown: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cannot hand {folder:?} to the postgres user"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(error) = self.run("pg_ctl", &["stop", "--mode=fast", "--wait", "--pgdata"]) {
            eprintln!(
                "    could not stop the Postgres cluster in {:?}: {error}",
                self.data
            );
        }
        if self.throwaway {
            let _ = std::fs::remove_dir_all(&self.data);
        }
    }
}

/// The folder of Debian's newest installed PostgreSQL server programs.
fn server_bin() -> Result<PathBuf, Error> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "PostgreSQL is not installed: run `cargo xtask bootstrap`".to_owned())?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no PostgreSQL server under /usr/lib/postgresql".to_owned())
}

/// A loopback port nobody listens on now.
fn free_port() -> Result<u16, Error> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

fn path_str(path: &Path) -> Result<&str, Error> {
    path.to_str()
        .ok_or_else(|| format!("{path:?} is not valid UTF-8"))
}

fn running_as_root() -> bool {
    first_line_of("id", &["-u"]).as_deref() == Some("0")
}
