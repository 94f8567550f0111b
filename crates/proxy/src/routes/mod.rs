//! The JSON API under `/api`, one module per area, merged here.

mod health;

use axum::extract::OriginalUri;
use axum::Router;

use crate::{AppError, AppState};

/// Every `/api` route; an unknown path answers a JSON 404, never the SPA's HTML.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .fallback(|OriginalUri(uri): OriginalUri| async move {
            AppError::NoSuchEndpoint(uri.path().to_owned())
        })
}
