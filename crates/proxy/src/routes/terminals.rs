//! POS terminals: the list, the terminal card, and its client actions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use tss_model::{
    serial_number_problem, Confirmation, FieldProblem, GenerateClientRequest, Language, Page,
    Terminal, TerminalInput, TerminalQuery, TerminalService, NAME_MAX, SERVICE_TEXT_MAX,
    TERMINAL_NUMBER_MAX,
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
        service: input.service.map(checked_service).transpose()?,
    })
}

/// Checks what the tax office is told of a terminal: texts of at most [`SERVICE_TEXT_MAX`]
/// characters (empty ones dropped), days written `YYYY-MM-DD`, out of service not before in.
fn checked_service(service: TerminalService) -> Result<TerminalService, AppError> {
    let text = |field: &str, value: Option<String>| -> Result<Option<String>, AppError> {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        match value {
            Some(v) if v.chars().count() > SERVICE_TEXT_MAX => {
                let problem = FieldProblem::TooLong {
                    max: SERVICE_TEXT_MAX,
                };
                let message = format!("{field} may have at most {SERVICE_TEXT_MAX} characters.");
                Err(AppError::field(field, problem, message))
            }
            other => Ok(other),
        }
    };
    let day = |field: &str, value: Option<String>| -> Result<Option<jiff::civil::Date>, AppError> {
        match text(field, value)? {
            None => Ok(None),
            Some(v) => v.parse::<jiff::civil::Date>().map(Some).map_err(|_| {
                let message = format!("{field} must be a day written YYYY-MM-DD.");
                AppError::field(field, FieldProblem::Invalid, message)
            }),
        }
    };
    let since = day("in_service_since", service.in_service_since)?;
    let until = day("out_of_service_since", service.out_of_service_since)?;
    if let (Some(since), Some(until)) = (since, until) {
        if until < since {
            let message = "out_of_service_since must not be before in_service_since.";
            return Err(AppError::field(
                "out_of_service_since",
                FieldProblem::Invalid,
                message,
            ));
        }
    }
    Ok(TerminalService {
        model: text("model", service.model)?,
        software: text("software", service.software)?,
        in_service_since: since.map(|d| d.to_string()),
        out_of_service_since: until.map(|d| d.to_string()),
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
