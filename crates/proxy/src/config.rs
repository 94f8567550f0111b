//! The proxy's command line; every flag can also come from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tss_model::Role;

use crate::storage::Location;

/// `tss-proxy`: serves the tss-console SPA and its API, and talks to fiskaly.
#[derive(Debug, Clone, Parser)]
#[command(name = "tss-proxy", version, about)]
pub struct Cli {
    /// How to serve (also used by the commands, for the database and its key).
    #[command(flatten)]
    pub config: Config,
    /// A maintenance command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Maintenance commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Re-seals every PUK, PIN and secret under a new key file, then says how to switch to it.
    Reseal {
        /// Where to create the new key file (must not exist).
        #[arg(long)]
        new_key_file: PathBuf,
    },
    /// Manages the console's accounts.
    User {
        /// What to do.
        #[command(subcommand)]
        action: UserCommand,
    },
}

/// `tss-proxy user …`: accounts. A password is read from standard input with
/// `--password-stdin`, otherwise a random one is generated and printed once.
#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Creates an account.
    Add {
        /// The name to log in with.
        username: String,
        /// What the account may do: viewer, operator or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sets a new password for an account and ends its sessions.
    ResetPassword {
        /// The account.
        username: String,
        /// Read the password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Gives an account another role (never the last administrator's away).
    SetRole {
        /// The account.
        username: String,
        /// The new role: viewer, operator or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Removes an account and ends its sessions (never the last administrator).
    Remove {
        /// The account.
        username: String,
    },
    /// Lists the accounts with their roles.
    List,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "the role is viewer, operator or admin".into())
}

/// The proxy's settings.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TSS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The database: a SQLite file (created if missing; one proxy process), or a
    /// `postgres://user:password@host/name` URL that several replicas share.
    #[arg(
        long,
        env = "TSS_DATABASE",
        default_value = "data/tss-console.sqlite",
        hide_env_values = true
    )]
    pub database: Location,
    /// The key that seals PUKs, PINs and the API secret in the database; created with mode 0600
    /// for a new database. Back it up with the database: without it no PUK can be read.
    /// Default for SQLite: next to the database, `<database name>.key`. Required for Postgres:
    /// every replica names a copy of the same file.
    #[arg(long, env = "TSS_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
    /// This replica's name, unique among the replicas sharing a Postgres database: the
    /// operations it runs are leased to it. Default: `<host name>:<port>`.
    #[arg(long, env = "TSS_REPLICA_NAME")]
    pub replica_name: Option<String>,
    /// Folder of the built SPA (Trunk's output).
    #[arg(long, env = "TSS_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// fiskaly's API base URL.
    #[arg(long, env = "FISKALY_URL")]
    pub fiskaly_url: Option<String>,
    /// fiskaly API key. Without key and secret (here or saved), the proxy runs in demo mode
    /// against its built-in simulator.
    #[arg(long, env = "FISKALY_API_KEY")]
    pub fiskaly_api_key: Option<String>,
    /// fiskaly API secret.
    #[arg(long, env = "FISKALY_API_SECRET", hide_env_values = true)]
    pub fiskaly_api_secret: Option<String>,
    /// The password of the `admin` account created on a new database. Without it a random one
    /// is generated and printed to the log once.
    #[arg(long, env = "TSS_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Minutes a login session may go unused before it ends.
    #[arg(long, env = "TSS_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,
    /// Addresses of reverse proxies in front of the proxy (e.g. `127.0.0.1` for nginx on the
    /// same machine), comma-separated: the login throttle counts the browser's address they
    /// forward (`X-Forwarded-For`) instead of theirs.
    #[arg(
        long = "trusted-proxy",
        env = "TSS_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Mark the session cookie `Secure` (serve the console over https). Requests forwarded with
    /// `X-Forwarded-Proto: https` get it anyway.
    #[arg(long, env = "TSS_SECURE_COOKIE")]
    pub secure_cookie: bool,
}
