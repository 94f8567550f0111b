//! fiskaly-sim: an offline simulator of fiskaly's SIGN DE API v2.
//!
//! No machine of the project reaches fiskaly, so this crate stands in for it in every test and in
//! the proxy's demo mode, and follows `shared/reference/fiskaly-sign-de-v2.md` rule by rule: auth
//! and token expiry, the TSS lifecycle and its transition matrix, admin PUK and PIN, clients and
//! their serial-number rules, limits, error bodies and `request-id` headers. A control API (and the
//! same controls on [`Simulator`]) injects fiskaly-side events, faults and latency, and counts the
//! calls received.
//!
//! It is a second reading of fiskaly, not a copy of the console's: it never depends on the
//! console's model, and spells fiskaly's states with its own [`TssState`] and [`ClientState`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = fiskaly_sim::Simulator::start(fiskaly_sim::SimConfig::default()).await?;
//! println!("fiskaly is at {}", sim.base_url());
//! sim.shutdown().await
//! # }
//! ```

mod certificate;
mod client;
mod client_state;
mod clock;
mod config;
mod error;
mod extract;
mod faults;
mod json;
mod list;
mod metadata;
mod routes;
mod serial_number;
mod server;
mod state;
mod tokens;
mod tss;
mod tss_state;
mod world;

pub use client_state::ClientState;
pub use config::SimConfig;
pub use error::FiskalyError;
pub use faults::{CallRecord, Control, Effect, Fault, FaultRule, When};
pub use routes::app;
pub use server::Simulator;
pub use state::SimState;
pub use tss_state::TssState;
pub use world::World;
