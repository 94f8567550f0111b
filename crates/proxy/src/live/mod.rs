//! Live updates: every change the storage records is numbered by the [`LiveHub`] and sent to
//! every open `GET /api/events` stream ([`stream`]), so that every open page follows what
//! anybody does. One proxy on SQLite sees every change it makes itself; replicas on Postgres
//! relay theirs to each other through the database.

mod hub;
pub mod stream;

pub use hub::{LiveHub, Notice, Outgoing, Subscription};
