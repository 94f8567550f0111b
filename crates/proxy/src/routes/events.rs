//! `GET /api/events`: the live updates as Server-Sent Events, for any logged-in user. A stream
//! that reconnects with `Last-Event-ID` gets what it missed (or a `reload` event when it missed
//! too much); a comment line every 15 s keeps it open; it ends with its session.

use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tss_model::Role;

use crate::auth::{Gate, SessionCookie};
use crate::live::stream::{self, StreamSession};
use crate::{AppError, AppState};

/// How often an idle stream sends a comment line (proxies close silent connections).
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The events route.
pub fn routes(gate: &Gate) -> Router<AppState> {
    gate.allow(Role::Viewer, Router::new().route("/events", get(events)))
}

async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    let token = SessionCookie::token(&headers)
        .ok_or_else(|| AppError::Unauthenticated("Please log in first.".into()))?;
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let subscription = state.storage.live().subscribe(last_seen);
    let session = StreamSession {
        storage: state.storage.clone(),
        token,
        idle_seconds: state.auth.idle_timeout.as_secs() as i64,
    };
    let events = stream::events(subscription, session);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT)))
}
