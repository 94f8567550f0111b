//! Who may use the console: accounts with roles, login sessions held in an `HttpOnly` cookie,
//! login throttling, and the check in front of every API route group ([`Gate`]; each routes
//! module says which role its groups need). Roles are checked here, on the server; the SPA only
//! hides what a role may not do.

pub mod accounts;
mod caller;
mod cookie;
mod gate;
mod passwords;
pub mod throttle;

use std::time::Duration;

pub use caller::Caller;
pub use cookie::SessionCookie;
pub use gate::Gate;
pub use passwords::{hash_password, random_password, verify_password};

/// How sessions behave.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// Mark the cookie `Secure` (the console is served over https). It is also marked when a
    /// request arrives with `X-Forwarded-Proto: https`.
    pub secure_cookie: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the browser's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle_timeout: Duration::from_secs(30 * 60),
            secure_cookie: false,
            trusted_proxies: Vec::new(),
        }
    }
}
