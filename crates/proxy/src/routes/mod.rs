//! The JSON API under `/api`, one module per area, merged here. Handlers stay thin: they read the
//! request, call storage or an operation, and answer `tss-model` types.

mod alerts;
mod audit;
mod events;
mod fleet;
mod health;
mod import;
mod report;
mod session;
mod settings;
mod stores;
mod terminals;
mod tss;
mod users;
mod webhooks;

use axum::extract::OriginalUri;
use axum::Router;
use tss_model::{FieldProblem, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

use crate::auth::Gate;
use crate::storage::Position;
use crate::{AppError, AppState};

/// Every `/api` route, each group behind the role it needs (see the modules); an unknown path
/// answers a JSON 404, never the SPA's HTML.
pub fn api(state: &AppState) -> Router<AppState> {
    let gate = Gate::new(state);
    Router::new()
        .merge(alerts::routes(&gate))
        .merge(audit::routes(&gate))
        .merge(events::routes(&gate))
        .merge(fleet::routes(&gate))
        .merge(health::routes())
        .merge(import::routes(&gate))
        .merge(report::routes(&gate))
        .merge(session::routes(&gate))
        .merge(stores::routes(&gate))
        .merge(terminals::routes(&gate))
        .merge(tss::routes(&gate))
        .merge(settings::routes(&gate))
        .merge(users::routes(&gate))
        .merge(webhooks::routes(&gate))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(|method: axum::http::Method| async move {
            AppError::MethodNotAllowed(method.to_string())
        })
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::extract::MAX_BODY_BYTES,
        ))
        .layer(axum::middleware::from_fn(
            crate::same_origin::require_same_origin,
        ))
        .layer(axum::middleware::map_response(never_stored))
}

/// API answers are about data that changes: no browser or proxy keeps them.
async fn never_stored(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Any path under `/api` that names no endpoint: a JSON 404, never the SPA's HTML.
pub async fn no_such_endpoint(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NoSuchEndpoint(uri.path().to_owned())
}

/// Checks that a required text field is filled in and not too long; answers it trimmed.
fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        let message = format!("{field} must not be empty.");
        return Err(AppError::field(field, FieldProblem::Required, message));
    }
    if value.chars().count() > max_chars {
        let message = format!("{field} may have at most {max_chars} characters.");
        let problem = FieldProblem::TooLong { max: max_chars };
        return Err(AppError::field(field, problem, message));
    }
    Ok(value.to_owned())
}

/// How many rows a page of a list holds: `limit`, 50 when not given, at most 500.
fn page_size(limit: Option<u32>) -> Result<u32, AppError> {
    let size = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if (1..=MAX_PAGE_SIZE).contains(&size) {
        Ok(size)
    } else {
        let message = format!("limit must be between 1 and {MAX_PAGE_SIZE}.");
        Err(AppError::Validation(message))
    }
}

/// Where a page starts: the position its `cursor` names (400 for one this proxy did not give).
fn start_of_page(cursor: Option<&str>) -> Result<Option<Position>, AppError> {
    cursor
        .map(Position::of)
        .transpose()
        .map_err(|bad| AppError::BadRequest(bad.to_string()))
}
