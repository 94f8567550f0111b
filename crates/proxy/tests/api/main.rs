//! The proxy's integration tests, one module per subject, linked into one test binary (sixteen
//! binaries cost a link each and ~40 MB of disk each).

mod support;

mod accounts;
mod admin_pin;
mod alerts;
mod audit;
mod certificates;
mod clients;
mod crash_safety;
mod demo_mode;
mod disable_tss;
mod fleet_lists;
mod generate_tss;
mod hostile_input;
mod import;
mod live_updates;
mod one_audit_row_per_request;
mod refresh;
mod replace_tss;
mod report;
mod schedule;
mod secrets;
mod secrets_at_rest;
mod security;
mod serving;
mod stores_and_terminals;
mod tokens;
mod users;
mod webhooks;
