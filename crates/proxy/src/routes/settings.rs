//! The Fiskaly Setup page's API: the connection settings (the secret write-only), a test, and
//! the nightly refresh's schedule.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use tss_model::{
    ConnectionTest, FieldProblem, FiskalySettings, FiskalySettingsInput, RefreshSchedule, Role,
};

use super::required_text;
use crate::auth::Gate;
use crate::change::Change;
use crate::extract::ApiJson;
use crate::operations::OperationError;
use crate::{schedule, settings, AppError, AppState};

/// The settings routes, for administrators only.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let routes = Router::new()
        .route("/settings/fiskaly", get(show).put(save))
        .route("/settings/fiskaly/test", post(test))
        .route("/settings/schedule", get(schedule).put(save_schedule));
    gate.allow(Role::Admin, routes)
}

fn current(state: &AppState) -> FiskalySettings {
    let client = state.fiskaly.client();
    FiskalySettings {
        base_url: client.base_url().to_owned(),
        api_key: client.credentials().api_key.clone(),
        api_secret_set: !client.credentials().api_secret.is_empty(),
        backend: state.fiskaly.backend(),
    }
}

async fn show(State(state): State<AppState>) -> Json<FiskalySettings> {
    Json(current(&state))
}

/// Saves the settings and talks to that fiskaly from now on.
async fn save(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<FiskalySettingsInput>,
) -> Result<Json<FiskalySettings>, AppError> {
    let result = save_settings(&state, input).await;
    change.record(&state.storage, result).await.map(Json)
}

async fn save_settings(
    state: &AppState,
    input: FiskalySettingsInput,
) -> Result<FiskalySettings, AppError> {
    let base_url = required_text("base_url", &input.base_url, 300)?;
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        let message = "base_url must start with https://";
        return Err(AppError::field("base_url", FieldProblem::Invalid, message));
    }
    required_text("api_key", &input.api_key, 200)?;
    if let Some(secret) = &input.api_secret {
        if secret.trim().is_empty() {
            let message = "api_secret must not be empty; leave it out to keep the saved one.";
            return Err(AppError::field(
                "api_secret",
                FieldProblem::Required,
                message,
            ));
        }
        required_text("api_secret", secret, 200)?;
    }
    let keep = state.fiskaly.client().credentials().api_secret.clone();
    let target = settings::save(&state.storage, &input, Some(&keep))
        .await?
        .ok_or_else(|| {
            AppError::field(
                "api_secret",
                FieldProblem::Required,
                "api_secret is required.",
            )
        })?;
    tracing::info!(base_url = %target.base_url, "fiskaly settings saved");
    state.fiskaly.switch_to(target);
    Ok(current(state))
}

/// Authenticates with the current settings and answers TEST or LIVE.
async fn test(
    State(state): State<AppState>,
    change: Change,
) -> Result<Json<ConnectionTest>, AppError> {
    let result = state
        .fiskaly
        .client()
        .test_connection()
        .await
        .map(|auth| ConnectionTest {
            env: auth.access_token_claims.env,
        })
        .map_err(|e| AppError::from(OperationError::from(e)));
    change.record(&state.storage, result).await.map(Json)
}

/// The nightly refresh's schedule.
async fn schedule(State(state): State<AppState>) -> Result<Json<RefreshSchedule>, AppError> {
    Ok(Json(schedule::saved(&state.storage).await?))
}

/// Saves the nightly refresh's schedule: on or off, and a time of day `HH:MM`.
async fn save_schedule(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<RefreshSchedule>,
) -> Result<Json<RefreshSchedule>, AppError> {
    let result = match input.hour_minute() {
        None => Err(AppError::field(
            "time",
            FieldProblem::Invalid,
            "time must be a time of day written HH:MM, e.g. 03:00.",
        )),
        Some(_) => schedule::save(&state.storage, &input, crate::storage::unix_now())
            .await
            .map(|()| input)
            .map_err(AppError::from),
    };
    change.record(&state.storage, result).await.map(Json)
}
