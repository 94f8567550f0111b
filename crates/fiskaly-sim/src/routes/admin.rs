//! The admin endpoints: set the PIN with the PUK, log in with the PIN, log out.
//!
//! An admin login belongs to one TSS and one access token. It lasts until logout, until the PIN is
//! changed, until the TSS is disabled or taken out of service, or until the token expires.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{FiskalyError, SimResult};
use crate::extract::{parse_id, Caller, OnMiddleware};
use crate::json::FiskalyJson;
use crate::state::SimState;
use crate::tss::{MAX_FAILED_PIN_ATTEMPTS, MIN_PIN_CHARS};

/// The body of `PATCH /tss/{id}/admin`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePin {
    admin_puk: String,
    new_admin_pin: String,
}

/// `PATCH /tss/{tss_id}/admin`: sets a new admin PIN with the PUK and unblocks it.
pub async fn change_pin(
    State(state): State<SimState>,
    _: Caller,
    _: OnMiddleware,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<ChangePin>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    if body.new_admin_pin.chars().count() < MIN_PIN_CHARS {
        return Err(FiskalyError::schema(format!(
            "new_admin_pin must have at least {MIN_PIN_CHARS} characters"
        )));
    }
    let mut world = state.world();
    let tss = world.tss_for_change(id)?;
    if let Some(error) = tss.not_ready_for_admin() {
        return Err(error);
    }
    if body.admin_puk != tss.admin_puk {
        return Err(FiskalyError::new(
            400,
            "E_CHANGE_ADMIN_PIN_FAILED",
            "the admin PIN could not be changed: wrong admin PUK",
        ));
    }
    tss.admin_pin = Some(body.new_admin_pin);
    tss.failed_pin_attempts = 0;
    tss.signature_counter += 1;
    world.log_out_everyone(id);
    Ok(Json(json!({})))
}

/// The body of `POST /tss/{id}/admin/auth`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminLogin {
    admin_pin: String,
}

/// `POST /tss/{tss_id}/admin/auth`: logs the caller's token in as admin of the TSS. A wrong PIN is
/// 401; after five wrong PINs the PIN is blocked and every login is 423 `E_ADMIN_PIN_BLOCKED` until
/// a new PIN is set with the PUK.
pub async fn log_in(
    State(state): State<SimState>,
    Caller(token): Caller,
    _: OnMiddleware,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<AdminLogin>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let mut world = state.world();
    let tss = world.tss_for_change(id)?;
    if let Some(error) = tss.not_ready_for_admin() {
        return Err(error);
    }
    if tss.pin_blocked() {
        return Err(FiskalyError::new(
            423,
            "E_ADMIN_PIN_BLOCKED",
            "the admin PIN is blocked; set a new one with the admin PUK",
        ));
    }
    if tss.admin_pin.as_deref() != Some(body.admin_pin.as_str()) {
        tss.failed_pin_attempts += 1;
        let left = MAX_FAILED_PIN_ATTEMPTS - tss.failed_pin_attempts;
        return Err(FiskalyError::new(
            401,
            "E_ADMIN_AUTH_FAILED",
            format!("wrong admin PIN; {left} attempt(s) left before it is blocked"),
        ));
    }
    tss.failed_pin_attempts = 0;
    tss.signature_counter += 1;
    world.admin_sessions.insert((id, token));
    Ok(Json(json!({})))
}

/// `POST /tss/{tss_id}/admin/logout`: ends the caller's admin login; safe when there is none.
pub async fn log_out(
    State(state): State<SimState>,
    Caller(token): Caller,
    _: OnMiddleware,
    Path(raw_id): Path<String>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let mut world = state.world();
    world.tss(id)?;
    if world.admin_sessions.remove(&(id, token)) {
        if let Some(tss) = world.tss.get_mut(&id) {
            tss.signature_counter += 1;
        }
    }
    Ok(Json(json!({})))
}
