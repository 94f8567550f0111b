//! The TSS endpoints: create (`PUT`), read, list, change state (`PATCH`), metadata.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::clock::{day_of, unix_now};
use crate::error::{FiskalyError, SimResult};
use crate::extract::{parse_id, Caller, OnMiddleware};
use crate::json::FiskalyJson;
use crate::list::{list_body, ListQuery};
use crate::metadata::{self, Metadata};
use crate::state::SimState;
use crate::tss::{validate_description, Tss};
use crate::tss_state::TssState;

/// The body of `PUT /tss/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTss {
    #[serde(default)]
    metadata: Option<Metadata>,
}

/// `PUT /tss/{tss_id}`: creates the TSS in CREATED and shows its PUK; repeating it while the TSS
/// is still CREATED answers the same TSS, afterwards 409 `E_TSS_CONFLICT`.
pub async fn create(
    State(state): State<SimState>,
    _: Caller,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<CreateTss>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let config = &state.config;
    let mut world = state.world();
    if let Some(existing) = world.tss.get(&id) {
        return if existing.state == TssState::Created {
            Ok(Json(world.tss_json(existing)))
        } else {
            Err(FiskalyError::new(
                409,
                "E_TSS_CONFLICT",
                format!("TSS {id} already exists and is {}", existing.state),
            ))
        };
    }
    let metadata = body.metadata.unwrap_or_default();
    metadata::validate(&metadata)?;
    let now = unix_now();
    let today = world
        .creations_per_day
        .get(&day_of(now))
        .copied()
        .unwrap_or(0);
    if today >= config.tss_creations_per_day {
        return Err(FiskalyError::new(
            403,
            "E_TSS_LIMIT_PER_DAY_REACHED",
            format!(
                "at most {} TSS can be created per day",
                config.tss_creations_per_day
            ),
        ));
    }
    if world.live_tss() >= config.live_tss_limit {
        return Err(FiskalyError::new(
            403,
            "E_TSS_LIMIT_REACHED",
            format!(
                "this organisation may hold at most {} TSS in CREATED, UNINITIALIZED or INITIALIZED",
                config.live_tss_limit
            ),
        ));
    }
    let tss = Tss::create(
        id,
        config.max_registered_clients,
        metadata,
        now,
        config.certificate_validity,
    );
    let body = world.tss_json(&tss);
    world.tss.insert(id, tss);
    *world.creations_per_day.entry(day_of(now)).or_default() += 1;
    Ok(Json(body))
}

/// `GET /tss/{tss_id}`.
pub async fn read(
    State(state): State<SimState>,
    _: Caller,
    Path(raw_id): Path<String>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let world = state.world();
    Ok(Json(world.tss_json(world.tss(id)?)))
}

/// `GET /tss` with `states`, `order_by`, `order`, `limit`, `offset`, `show_deleted`.
pub async fn list(
    State(state): State<SimState>,
    _: Caller,
    RawQuery(raw): RawQuery,
) -> SimResult<Json<Value>> {
    let query = ListQuery::parse(raw.as_deref())?;
    let states = query
        .all("states")
        .into_iter()
        .map(|s| TssState::from_wire(s).ok_or_else(|| not_a_tss_state(s)))
        .collect::<SimResult<Vec<TssState>>>()?;
    let show_deleted = query.one("show_deleted") == Some("true");
    let order_by = query.order_by(
        &[
            "time_creation",
            "description",
            "state",
            "time_init",
            "time_disable",
        ],
        "time_creation",
    )?;
    let world = state.world();
    let chosen: Vec<&Tss> = world
        .tss
        .values()
        .filter(|t| states.is_empty() || states.contains(&t.state))
        .filter(|t| {
            show_deleted || t.state != TssState::Deleted || states.contains(&TssState::Deleted)
        })
        .collect();
    let page = query.page(chosen, |a, b| {
        let by_field = match order_by {
            "description" => a.description.cmp(&b.description),
            "state" => a.state.as_str().cmp(b.state.as_str()),
            "time_init" => a.time_init.cmp(&b.time_init),
            "time_disable" => a.time_disable.cmp(&b.time_disable),
            _ => a.time_creation.cmp(&b.time_creation),
        };
        by_field.then(a.id.cmp(&b.id))
    })?;
    let data = page.into_iter().map(|t| world.tss_json(t)).collect();
    Ok(Json(list_body(data, "TSS_LIST")))
}

/// The body of `PATCH /tss/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeTss {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

/// `PATCH /tss/{tss_id}`: a state change the caller may ask for (see
/// [`TssState::caller_may_change_to`]), and/or merged metadata. Repeating the current state is a no-op.
pub async fn change(
    State(state): State<SimState>,
    Caller(token): Caller,
    _: OnMiddleware,
    Path(raw_id): Path<String>,
    FiskalyJson(body): FiskalyJson<ChangeTss>,
) -> SimResult<Json<Value>> {
    let id = parse_id(&raw_id)?;
    let target = body
        .state
        .map(|raw| TssState::from_wire(&raw).ok_or_else(|| not_a_tss_state(&raw)))
        .transpose()?;
    if body.description.is_some() && target != Some(TssState::Initialized) {
        return Err(FiskalyError::schema(
            "description can only be set when the TSS is initialized",
        ));
    }
    if let Some(description) = &body.description {
        validate_description(description)?;
    }
    let deploy_with = {
        let mut world = state.world();
        let tss = world.tss_for_change(id)?;
        let mut merged = tss.metadata.clone();
        metadata::merge(&mut merged, body.metadata)?;
        match target.filter(|to| *to != tss.state) {
            None => {
                tss.metadata = merged;
                None
            }
            Some(target) => {
                if !tss.state.caller_may_change_to(target) {
                    return Err(FiskalyError::new(
                        400,
                        "E_ILLEGAL_TSS_STATE_CHANGE",
                        format!("a TSS cannot change from {} to {target}", tss.state),
                    ));
                }
                if target.needs_admin_to_enter() {
                    world.require_admin(id, &token)?;
                }
                if target == TssState::Uninitialized {
                    world.pending.insert(id);
                    Some(merged)
                } else {
                    let tss = world.tss_for_change(id)?;
                    tss.metadata = merged;
                    tss.enter(target, body.description, unix_now());
                    if target == TssState::Disabled {
                        world.log_out_everyone(id);
                    }
                    None
                }
            }
        }
    };
    match deploy_with {
        Some(metadata) => deploy(state, id, metadata).await.map(Json),
        None => {
            let world = state.world();
            Ok(Json(world.tss_json(world.tss(id)?)))
        }
    }
}

/// 400 `E_FAILED_SCHEMA_VALIDATION`: `raw` is not one of fiskaly's seven TSS states.
fn not_a_tss_state(raw: &str) -> FiskalyError {
    FiskalyError::schema(format!("{raw:?} is not a TSS state"))
}

/// CREATED → UNINITIALIZED, which takes fiskaly a while. It runs to the end in its own task even
/// if the caller gives up waiting, as at fiskaly; meanwhile (the caller has marked the TSS
/// pending) other changes to the TSS get 444.
async fn deploy(state: SimState, id: Uuid, metadata: Metadata) -> SimResult<Value> {
    let deploy_latency = state.control().deploy_latency;
    let task = tokio::spawn(async move {
        tokio::time::sleep(deploy_latency).await;
        let body = {
            let mut world = state.world();
            world.pending.remove(&id);
            let tss = world
                .tss
                .get_mut(&id)
                .ok_or_else(|| FiskalyError::tss_not_found(id))?;
            if tss.state == TssState::Created {
                tss.metadata = metadata;
                tss.enter(TssState::Uninitialized, None, unix_now());
            }
            let tss = world.tss(id)?;
            world.tss_json(tss)
        };
        state.persist();
        Ok(body)
    });
    task.await
        .map_err(|_| FiskalyError::new(500, "E_INTERNAL_SERVER_ERROR", "deploy failed"))?
}

/// `GET /tss/{tss_id}/metadata`.
pub async fn read_metadata(
    State(state): State<SimState>,
    _: Caller,
    Path(raw_id): Path<String>,
) -> SimResult<Json<Metadata>> {
    let id = parse_id(&raw_id)?;
    Ok(Json(state.world().tss(id)?.metadata.clone()))
}

/// `PATCH /tss/{tss_id}/metadata`: merges a flat object into the TSS's metadata.
pub async fn change_metadata(
    State(state): State<SimState>,
    _: Caller,
    _: OnMiddleware,
    Path(raw_id): Path<String>,
    FiskalyJson(update): FiskalyJson<Metadata>,
) -> SimResult<Json<Metadata>> {
    let id = parse_id(&raw_id)?;
    let mut world = state.world();
    let tss = world.tss_for_change(id)?;
    metadata::merge(&mut tss.metadata, Some(update))?;
    Ok(Json(tss.metadata.clone()))
}
