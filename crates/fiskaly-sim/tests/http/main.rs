//! The simulator's tests over real HTTP, one module per subject, linked into one test binary.

mod support;

mod admin;
mod auth;
mod certificates;
mod clients;
mod events_and_faults;
mod limits;
mod readme_session;
mod serial_numbers;
mod snapshot;
mod states;
mod tss;
mod wire;
