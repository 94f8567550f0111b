//! The webhooks' API, for administrators: list, add (the answer shows the secret once), change,
//! remove, and each webhook's deliveries with their attempts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use tss_model::{CreatedWebhook, Delivery, FieldProblem, Role, Webhook, WebhookInput};

use super::required_text;
use crate::auth::Gate;
use crate::change::Change;
use crate::extract::{ApiJson, ApiPath};
use crate::storage::unix_now;
use crate::{webhooks, AppError, AppState};

/// The webhook routes, for administrators only.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let routes = Router::new()
        .route("/webhooks", get(list).post(add))
        .route("/webhooks/{id}", axum::routing::put(change).delete(remove))
        .route("/webhooks/{id}/deliveries", get(deliveries));
    gate.allow(Role::Admin, routes)
}

/// Checks a webhook's URL and kinds; answers the input with its URL trimmed.
fn checked(input: WebhookInput) -> Result<WebhookInput, AppError> {
    let url = required_text("url", &input.url, 500)?;
    let parsed = url::Url::parse(&url).ok();
    let usable = parsed
        .as_ref()
        .is_some_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
    if !usable {
        let message = "url must be an https:// (or http://) address with a host.";
        return Err(AppError::field("url", FieldProblem::Invalid, message));
    }
    if input.kinds.is_empty() {
        let message = "kinds must name at least one alert kind.";
        return Err(AppError::field("kinds", FieldProblem::Required, message));
    }
    Ok(WebhookInput { url, ..input })
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<Webhook>>, AppError> {
    Ok(Json(state.storage.webhooks().await?))
}

/// Adds a webhook: 201 with it and its new secret, which is never shown again.
async fn add(
    State(state): State<AppState>,
    change: Change,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<(StatusCode, Json<CreatedWebhook>), AppError> {
    let result = match checked(input) {
        Ok(input) => {
            let secret = webhooks::new_secret();
            state
                .storage
                .insert_webhook(&input, &secret, unix_now())
                .await
                .map(|webhook| CreatedWebhook { webhook, secret })
                .map_err(AppError::from)
        }
        Err(error) => Err(error),
    };
    let created = change.record(&state.storage, result).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes a webhook's URL, kinds or switch.
async fn change(
    State(state): State<AppState>,
    change: Change,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<Json<Webhook>, AppError> {
    let result = match checked(input) {
        Ok(input) => state
            .storage
            .update_webhook(id, &input)
            .await
            .map_err(AppError::from)
            .and_then(|found| found.ok_or_else(|| no_such_webhook(id))),
        Err(error) => Err(error),
    };
    change.record(&state.storage, result).await.map(Json)
}

/// Removes a webhook and its deliveries: 204.
async fn remove(
    State(state): State<AppState>,
    change: Change,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let result = match state.storage.delete_webhook(id).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(no_such_webhook(id)),
        Err(error) => Err(error.into()),
    };
    change.record(&state.storage, result).await
}

/// A webhook's deliveries, newest first.
async fn deliveries(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Delivery>>, AppError> {
    if state.storage.webhook(id).await?.is_none() {
        return Err(no_such_webhook(id));
    }
    Ok(Json(state.storage.deliveries(id).await?))
}

fn no_such_webhook(id: i64) -> AppError {
    AppError::NotFound(format!("There is no webhook {id}."))
}
