//! The one way the proxy talks to fiskaly SIGN DE v2 (or the simulator): a reqwest client with a
//! cached token, retries with backoff, `Retry-After`, a long timeout for the deploy call, and
//! fiskaly's error bodies turned into [`FiskalyError`].

mod bodies;
mod certificate;
mod client;
pub mod congestion;
mod connection;
mod error;
pub mod request_ids;

pub use bodies::{AuthBody, ClientBody, TssBody};
pub use certificate::read_certificate;
pub use client::{Credentials, FiskalyClient, RetryPolicy};
pub use connection::FiskalyConnection;
pub use error::FiskalyError;

/// fiskaly's production API (the middleware host).
pub const DEFAULT_BASE_URL: &str = "https://kassensichv-middleware.fiskaly.com/api/v2";
