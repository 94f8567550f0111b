//! The control API under `/_sim` (served only with `--control`): fiskaly-side events, faults,
//! latency and call counters, for tests and demos. Not part of fiskaly's API.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

use crate::clock::unix_now;
use crate::error::SimResult;
use crate::extract::parse_id;
use crate::faults::FaultRule;
use crate::json::FiskalyJson;
use crate::state::SimState;
use crate::tss_state::TssState;

/// The control routes, to be nested under `/_sim`.
pub fn routes() -> Router<SimState> {
    Router::new()
        .route("/calls", get(calls).delete(reset_calls))
        .route("/faults", post(inject).delete(clear_faults))
        .route("/latency", put(set_latency))
        .route("/tss/{tss_id}/state", post(force_state))
        .route("/tss/{tss_id}/certificate", put(set_certificate))
        .route("/tss/{tss_id}/expire-certificate", post(expire_certificate))
}

async fn calls(State(state): State<SimState>) -> Json<Value> {
    let control = state.control();
    Json(json!({"counts": control.call_counts(), "calls": control.calls()}))
}

async fn reset_calls(State(state): State<SimState>) -> StatusCode {
    state.control().reset_calls();
    StatusCode::NO_CONTENT
}

async fn inject(
    State(state): State<SimState>,
    FiskalyJson(rule): FiskalyJson<FaultRule>,
) -> StatusCode {
    state.control().inject(rule);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(state): State<SimState>) -> StatusCode {
    state.control().clear_faults();
    StatusCode::NO_CONTENT
}

/// The body of `PUT /_sim/latency`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Latency {
    latency_ms: u64,
    deploy_latency_ms: u64,
}

async fn set_latency(
    State(state): State<SimState>,
    FiskalyJson(latency): FiskalyJson<Latency>,
) -> StatusCode {
    let mut control = state.control();
    control.latency = Duration::from_millis(latency.latency_ms);
    control.deploy_latency = Duration::from_millis(latency.deploy_latency_ms);
    StatusCode::NO_CONTENT
}

/// The body of `POST /_sim/tss/{id}/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForcedState {
    state: TssState,
}

async fn force_state(
    State(state): State<SimState>,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<ForcedState>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let answer = {
        let mut world = state.world();
        world.force_state(id, body.state, unix_now())?;
        world.tss_json(world.tss(id)?)
    };
    state.persist();
    Ok(Json(answer))
}

/// The body of `PUT /_sim/tss/{id}/certificate`: when the new certificate expires.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificateValidity {
    /// Unix seconds.
    not_after: i64,
}

async fn set_certificate(
    State(state): State<SimState>,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<CertificateValidity>,
) -> SimResult<Json<Value>> {
    reissue_certificate(&state, &raw_id, body.not_after)
}

/// Lets the certificate expire now.
async fn expire_certificate(
    State(state): State<SimState>,
    Path(raw_id): Path<String>,
) -> SimResult<Json<Value>> {
    reissue_certificate(&state, &raw_id, unix_now())
}

fn reissue_certificate(state: &SimState, raw_id: &str, not_after: i64) -> SimResult<Json<Value>> {
    let id = parse_id(raw_id)?;
    let answer = {
        let mut world = state.world();
        world.reissue_certificate(id, not_after)?;
        world.tss_json(world.tss(id)?)
    };
    state.persist();
    Ok(Json(answer))
}
