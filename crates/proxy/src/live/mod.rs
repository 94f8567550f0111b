//! Live updates: every change the storage records is numbered by the [`LiveHub`] and sent to
//! every open `GET /api/events` stream ([`stream`]), so that every open page follows what
//! anybody does. In-process: one proxy sees every change it makes itself.

mod hub;
pub mod stream;

pub use hub::{LiveHub, Notice, Subscription};
