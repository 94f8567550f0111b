//! The client endpoints: register a POS device at a TSS, change its state, read and list.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::client::Client;
use crate::client_state::ClientState;
use crate::clock::unix_now;
use crate::error::{FiskalyError, SimResult};
use crate::extract::{parse_id, Caller, OnMiddleware};
use crate::json::FiskalyJson;
use crate::list::{list_body, ListQuery};
use crate::metadata::{self, Metadata};
use crate::serial_number;
use crate::state::SimState;
use crate::tss::{disabled_error, not_initialized_error};
use crate::tss_state::TssState;
use crate::world::World;

/// The body of `PUT /tss/{tss_id}/client/{client_id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    serial_number: String,
    #[serde(default)]
    metadata: Option<Metadata>,
}

/// `PUT /tss/{tss_id}/client/{client_id}`: registers a POS device. Needs an admin login and an
/// INITIALIZED TSS. Repeating it with the same serial number answers the same client.
pub async fn create(
    State(state): State<SimState>,
    Caller(token): Caller,
    _: OnMiddleware,
    Path((raw_tss_id, raw_client_id)): Path<(String, String)>,
    FiskalyJson(body): FiskalyJson<CreateClient>,
) -> SimResult<Json<Value>> {
    let (tss_id, client_id) = (parse_id(&raw_tss_id)?, parse_id(&raw_client_id)?);
    let mut world = state.world();
    let tss = world.tss_for_change(tss_id)?;
    match tss.state {
        TssState::Initialized => {}
        TssState::Disabled => return Err(disabled_error(tss_id)),
        _ => return Err(not_initialized_error(tss_id)),
    }
    let max_registered = tss.max_registered_clients;
    world.require_admin(tss_id, &token)?;
    if let Some(existing) = world.clients.get(&client_id) {
        if existing.tss_id == tss_id && existing.serial_number == body.serial_number {
            return Ok(Json(existing.to_json()));
        }
        return Err(FiskalyError::new(
            409,
            "E_CLIENT_CONFLICT",
            format!("client {client_id} already exists"),
        ));
    }
    serial_number::check(&body.serial_number)?;
    if world
        .clients
        .values()
        .any(|c| c.tss_id == tss_id && c.serial_number == body.serial_number)
    {
        return Err(serial_number::illegal(format!(
            "serial_number {:?} is already used by another client of TSS {tss_id}",
            body.serial_number
        )));
    }
    check_client_limit(&world, tss_id, max_registered)?;
    let metadata = body.metadata.unwrap_or_default();
    metadata::validate(&metadata)?;
    let now = unix_now();
    let client = Client {
        id: client_id,
        tss_id,
        serial_number: body.serial_number,
        state: ClientState::Registered,
        metadata,
        time_creation: now,
        time_update: now,
    };
    let answer = client.to_json();
    world.clients.insert(client_id, client);
    if let Some(tss) = world.tss.get_mut(&tss_id) {
        tss.signature_counter += 1;
    }
    Ok(Json(answer))
}

fn check_client_limit(world: &World, tss_id: Uuid, max_registered: usize) -> SimResult<()> {
    if world.registered_clients(tss_id) >= max_registered {
        return Err(FiskalyError::new(
            403,
            "E_CLIENT_LIMIT_REACHED",
            format!("TSS {tss_id} already has {max_registered} registered clients"),
        ));
    }
    Ok(())
}

/// The body of `PATCH /tss/{tss_id}/client/{client_id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeClient {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

/// `PATCH /tss/{tss_id}/client/{client_id}`: REGISTERED or DEREGISTERED (not permanent), and/or
/// merged metadata. Needs an admin login; 400 `E_TSS_DISABLED` once the TSS is disabled.
pub async fn change(
    State(state): State<SimState>,
    Caller(token): Caller,
    _: OnMiddleware,
    Path((raw_tss_id, raw_client_id)): Path<(String, String)>,
    FiskalyJson(body): FiskalyJson<ChangeClient>,
) -> SimResult<Json<Value>> {
    let (tss_id, client_id) = (parse_id(&raw_tss_id)?, parse_id(&raw_client_id)?);
    let target = body
        .state
        .map(|raw| ClientState::from_wire(&raw).ok_or_else(|| not_a_client_state(&raw)))
        .transpose()?;
    let mut world = state.world();
    let tss = world.tss_for_change(tss_id)?;
    if tss.state == TssState::Disabled {
        return Err(disabled_error(tss_id));
    }
    let max_registered = tss.max_registered_clients;
    let client = client_of(&world, tss_id, client_id)?;
    let registering =
        target == Some(ClientState::Registered) && client.state != ClientState::Registered;
    world.require_admin(tss_id, &token)?;
    if registering {
        check_client_limit(&world, tss_id, max_registered)?;
    }
    let client = world
        .clients
        .get_mut(&client_id)
        .ok_or_else(|| FiskalyError::client_not_found(client_id))?;
    metadata::merge(&mut client.metadata, body.metadata)?;
    if let Some(target) = target {
        if client.state != target {
            client.state = target;
            client.time_update = unix_now();
        }
    }
    Ok(Json(client.to_json()))
}

/// 400 `E_FAILED_SCHEMA_VALIDATION`: `raw` is neither REGISTERED nor DEREGISTERED.
fn not_a_client_state(raw: &str) -> FiskalyError {
    FiskalyError::schema(format!("{raw:?} is not a client state"))
}

fn client_of(world: &World, tss_id: Uuid, client_id: Uuid) -> SimResult<&Client> {
    world
        .clients
        .get(&client_id)
        .filter(|c| c.tss_id == tss_id)
        .ok_or_else(|| FiskalyError::client_not_found(client_id))
}

/// `GET /tss/{tss_id}/client/{client_id}`.
pub async fn read(
    State(state): State<SimState>,
    _: Caller,
    Path((raw_tss_id, raw_client_id)): Path<(String, String)>,
) -> SimResult<Json<Value>> {
    let (tss_id, client_id) = (parse_id(&raw_tss_id)?, parse_id(&raw_client_id)?);
    let world = state.world();
    world.tss(tss_id)?;
    Ok(Json(client_of(&world, tss_id, client_id)?.to_json()))
}

/// `GET /tss/{tss_id}/client` with `state`, `serial_number`, `order_by`, `order`, `limit`, `offset`.
pub async fn list_of_tss(
    State(state): State<SimState>,
    _: Caller,
    Path(raw_tss_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> SimResult<Json<Value>> {
    let tss_id = parse_id(&raw_tss_id)?;
    let world = state.world();
    world.tss(tss_id)?;
    list_clients(&world, Some(tss_id), raw.as_deref())
}

/// `GET /client`: every client of the organisation, with the same filters.
pub async fn list_all(
    State(state): State<SimState>,
    _: Caller,
    RawQuery(raw): RawQuery,
) -> SimResult<Json<Value>> {
    list_clients(&state.world(), None, raw.as_deref())
}

fn list_clients(
    world: &World,
    tss_id: Option<Uuid>,
    raw_query: Option<&str>,
) -> SimResult<Json<Value>> {
    let query = ListQuery::parse(raw_query)?;
    let states = query
        .all("state")
        .into_iter()
        .map(|s| ClientState::from_wire(s).ok_or_else(|| not_a_client_state(s)))
        .collect::<SimResult<Vec<ClientState>>>()?;
    let serial = query.one("serial_number");
    let order_by = query.order_by(&["time_creation", "serial_number"], "time_creation")?;
    let chosen: Vec<&Client> = world
        .clients
        .values()
        .filter(|c| tss_id.is_none_or(|id| c.tss_id == id))
        .filter(|c| states.is_empty() || states.contains(&c.state))
        .filter(|c| serial.is_none_or(|s| c.serial_number == s))
        .collect();
    let page = query.page(chosen, |a, b| {
        let by_field = match order_by {
            "serial_number" => a.serial_number.cmp(&b.serial_number),
            _ => a.time_creation.cmp(&b.time_creation),
        };
        by_field.then(a.id.cmp(&b.id))
    })?;
    let data = page.into_iter().map(Client::to_json).collect();
    Ok(Json(list_body(data, "CLIENT_LIST")))
}
