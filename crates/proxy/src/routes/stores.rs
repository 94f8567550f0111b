//! Stores: the Store List, the store card, and the store's TSS actions (generate, refresh).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use tss_model::{
    ClientBatchReport, FieldProblem, GenerateTssRequest, Page, RefreshReport, Store, StoreInput,
    StoreQuery, StoreSummary, TssEntry, CITY_MAX, NAME_MAX, STORE_NUMBER_MAX, STREET_MAX,
};

use super::{page_size, required_text, start_of_page};
use crate::auth::{Caller, Gate};
use crate::change::Change;
use crate::extract::{ApiJson, ApiJsonOrDefault, ApiPath, ApiQuery};
use crate::storage::StoreWriteError;
use crate::{AppError, AppState};

/// The store routes: everybody reads, operators change.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let reads = Router::new()
        .route("/stores", get(list))
        .route("/stores/{id}", get(one))
        .route("/stores/{id}/tss", get(tss_of_store));
    let changes = Router::new()
        .route("/stores", post(create))
        .route("/stores/{id}", patch(update))
        .route("/stores/{id}/tss", post(generate_tss))
        .route("/stores/{id}/tss/refresh", post(refresh_store))
        .route("/stores/{id}/clients", post(generate_clients));
    gate.read_and_operate(reads, changes)
}

/// The Store List, a page at a time: `?q=&readiness=&certificate=&sort=&limit=&cursor=` (see
/// [`StoreQuery`]).
async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<StoreQuery>,
) -> Result<Json<Page<StoreSummary>>, AppError> {
    let limit = page_size(query.limit)?;
    let after = start_of_page(query.cursor.as_deref())?;
    Ok(Json(state.storage.store_page(&query, limit, after).await?))
}

async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StoreSummary>, AppError> {
    let summary = state.storage.store_summary(id).await?;
    summary.map(Json).ok_or_else(|| no_store(id))
}

fn no_store(id: i64) -> AppError {
    AppError::NotFound(format!("There is no store {id}."))
}

fn checked(input: StoreInput) -> Result<StoreInput, AppError> {
    Ok(StoreInput {
        number: required_text("number", &input.number, STORE_NUMBER_MAX)?,
        name: required_text("name", &input.name, NAME_MAX)?,
        street: required_text("street", &input.street, STREET_MAX)?,
        city: required_text("city", &input.city, CITY_MAX)?,
    })
}

fn write_error(error: StoreWriteError, number: &str) -> AppError {
    match error {
        StoreWriteError::NumberTaken => AppError::field(
            "number",
            FieldProblem::Taken,
            format!("There is already a store with the number {number}."),
        ),
        StoreWriteError::Storage(e) => AppError::Storage(e),
    }
}

async fn create(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<StoreInput>,
) -> Result<(StatusCode, Json<Store>), AppError> {
    let result = match checked(input) {
        Ok(input) => state
            .storage
            .insert_store(&input)
            .await
            .map_err(|e| write_error(e, &input.number)),
        Err(error) => Err(error),
    };
    let store = change
        .about_store(result.as_ref().ok().map(|s| s.id))
        .record(&state.storage, result)
        .await?;
    Ok((StatusCode::CREATED, Json(store)))
}

async fn update(
    State(state): State<AppState>,
    change: Change,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StoreInput>,
) -> Result<Json<Store>, AppError> {
    let result = match checked(input) {
        Ok(input) => state
            .storage
            .update_store(id, &input)
            .await
            .map_err(|e| write_error(e, &input.number))
            .and_then(|store| store.ok_or_else(|| no_store(id))),
        Err(error) => Err(error),
    };
    change.record(&state.storage, result).await.map(Json)
}

async fn tss_of_store(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TssEntry>>, AppError> {
    state.storage.store(id).await?.ok_or_else(|| no_store(id))?;
    Ok(Json(state.storage.tss_entries(id).await?))
}

/// Generate New TSS (`{"additional"?}`, or no body): 202 with the new entry; its progress shows
/// in `GET /api/stores/{id}/tss`. The operation records its outcome, a refusal too.
async fn generate_tss(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJsonOrDefault(request): ApiJsonOrDefault<GenerateTssRequest>,
) -> Result<(StatusCode, Json<TssEntry>), AppError> {
    let started = state
        .operations
        .generate_tss(id, &request, caller.name())
        .await?;
    Ok((StatusCode::ACCEPTED, Json(started.entry)))
}

/// Generate Client IDs for every POS terminal of the store that cannot sign: answers, once all
/// were tried, how many got one and why the others did not (each also shows it).
async fn generate_clients(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClientBatchReport>, AppError> {
    let report = state.operations.generate_clients(id, caller.name()).await?;
    Ok(Json(report))
}

async fn refresh_store(
    State(state): State<AppState>,
    change: Change,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RefreshReport>, AppError> {
    let result = state.operations.refresh_store(id).await;
    change
        .record(&state.storage, result.map_err(AppError::from))
        .await
        .map(Json)
}
