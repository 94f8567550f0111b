//! POS terminals: the list, the terminal card, and its client actions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use tss_model::{
    serial_number_problem, Confirmation, FieldProblem, GenerateClientRequest, Language, Page,
    Terminal, TerminalInput, TerminalQuery, NAME_MAX, TERMINAL_NUMBER_MAX,
};

use super::{page_size, required_text, start_of_page};
use crate::auth::{Caller, Gate};
use crate::change::Change;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::storage::TerminalWriteError;
use crate::{AppError, AppState};

/// The terminal routes: everybody reads, operators change.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let reads = Router::new()
        .route("/terminals", get(list))
        .route("/terminals/{id}", get(one));
    let changes = Router::new()
        .route("/terminals", post(create))
        .route("/terminals/{id}", patch(update))
        .route("/terminals/{id}/client", post(generate_client))
        .route("/terminals/{id}/client/deregister", post(deregister_client));
    gate.read_and_operate(reads, changes)
}

/// The POS Terminal List, a page at a time: `?q=&store_id=&client=&limit=&cursor=` (see
/// [`TerminalQuery`]).
async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<TerminalQuery>,
) -> Result<Json<Page<Terminal>>, AppError> {
    let limit = page_size(query.limit)?;
    let after = start_of_page(query.cursor.as_deref())?;
    Ok(Json(
        state.storage.terminal_page(&query, limit, after).await?,
    ))
}

async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Terminal>, AppError> {
    state
        .storage
        .terminal(id)
        .await?
        .map(Json)
        .ok_or_else(|| no_terminal(id))
}

fn no_terminal(id: i64) -> AppError {
    AppError::NotFound(format!("There is no POS terminal {id}."))
}

fn checked(input: TerminalInput) -> Result<TerminalInput, AppError> {
    if let Some(reason) = serial_number_problem(&input.serial_number) {
        let message = format!("serial_number: {}", reason.message(Language::En));
        let problem = FieldProblem::SerialNumber { reason };
        return Err(AppError::field("serial_number", problem, message));
    }
    Ok(TerminalInput {
        number: required_text("number", &input.number, TERMINAL_NUMBER_MAX)?,
        name: required_text("name", &input.name, NAME_MAX)?,
        store_id: input.store_id,
        serial_number: input.serial_number,
    })
}

fn write_error(error: TerminalWriteError, input: &TerminalInput) -> AppError {
    match error {
        TerminalWriteError::NumberTaken => AppError::field(
            "number",
            FieldProblem::Taken,
            format!(
                "The store already has a POS terminal with the number {}.",
                input.number
            ),
        ),
        TerminalWriteError::NoSuchStore => AppError::field(
            "store_id",
            FieldProblem::Invalid,
            format!("store_id: there is no store {}.", input.store_id),
        ),
        TerminalWriteError::Storage(e) => AppError::Storage(e),
    }
}

async fn create(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<TerminalInput>,
) -> Result<(StatusCode, Json<Terminal>), AppError> {
    let store_id = input.store_id;
    let result = match checked(input) {
        Ok(input) => state
            .storage
            .insert_terminal(&input)
            .await
            .map_err(|e| write_error(e, &input)),
        Err(error) => Err(error),
    };
    let terminal = change
        .about_store(Some(store_id))
        .about_terminal(result.as_ref().ok().map(|t| t.id))
        .record(&state.storage, result)
        .await?;
    Ok((StatusCode::CREATED, Json(terminal)))
}

async fn update(
    State(state): State<AppState>,
    change: Change,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TerminalInput>,
) -> Result<Json<Terminal>, AppError> {
    let store_id = input.store_id;
    let result = match checked(input) {
        Ok(input) => state
            .storage
            .update_terminal(id, &input)
            .await
            .map_err(|e| write_error(e, &input))
            .and_then(|terminal| terminal.ok_or_else(|| no_terminal(id))),
        Err(error) => Err(error),
    };
    change
        .about_store(Some(store_id))
        .record(&state.storage, result)
        .await
        .map(Json)
}

/// Generate Client ID: `{"tss_id"?}`; the operation records its outcome, a refusal too.
async fn generate_client(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<GenerateClientRequest>,
) -> Result<Json<Terminal>, AppError> {
    let terminal = state
        .operations
        .generate_client(id, &request, caller.name())
        .await?;
    Ok(Json(terminal))
}

/// Deregister client: needs `{"confirm": true}`; the operation records its outcome, a refusal
/// too.
async fn deregister_client(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(confirmation): ApiJson<Confirmation>,
) -> Result<Json<Terminal>, AppError> {
    let terminal = state
        .operations
        .deregister_client(id, confirmation.confirm, caller.name())
        .await?;
    Ok(Json(terminal))
}
