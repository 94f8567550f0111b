//! `POST /api/session` logs in, `GET` says who is logged in, `DELETE` logs out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use tss_model::{AuditAction, LoginRequest, Role, Session};

use crate::auth::accounts::{is_valid_username, MAX_USERNAME_CHARS};
use crate::auth::throttle;
use crate::auth::{hash_password, random_password, verify_password, Caller, Gate, SessionCookie};
use crate::change::Change;
use crate::extract::ApiJson;
use crate::{AppError, AppState};

/// The session routes: anybody may log in; a logged-in user asks who they are and logs out.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let own = Router::new().route("/session", get(who).delete(log_out));
    Router::new()
        .route("/session", post(log_in))
        .merge(gate.allow(Role::Viewer, own))
}

/// A hash of a random password nobody knows, checked when the user does not exist so that a wrong
/// name takes as long as a wrong password (same algorithm and parameters as real accounts).
static DECOY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_password()));

async fn who(caller: Caller) -> Json<Session> {
    Json(caller.0)
}

async fn log_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(login): ApiJson<LoginRequest>,
) -> Result<(HeaderMap, Json<Session>), AppError> {
    let name = login.username.trim().to_owned();
    // A name longer than any account's is cut, so that the throttle's memory stays small.
    let name_key: String = name.chars().take(MAX_USERNAME_CHARS).collect();
    let keys = [
        format!("user:{}", name_key.to_lowercase()),
        format!("ip:{address}"),
    ];
    if let Some(wait) = throttle::wait_before(&state.storage, &keys).await? {
        return Err(AppError::TooManyAttempts(wait));
    }
    let user = if is_valid_username(&name) {
        state.storage.user(&name).await?
    } else {
        None
    };
    let hash = user
        .as_ref()
        .map_or(DECOY_HASH.as_str(), |u| &u.password_hash)
        .to_owned();
    let password = login.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| matches) else {
        throttle::record_failure(&state.storage, &keys).await?;
        let refusal = AppError::Unauthenticated("Wrong user name or password.".into());
        let actor = if is_valid_username(&name) {
            name.as_str()
        } else {
            "?"
        };
        return Change::by(actor, AuditAction::Login)
            .record(&state.storage, Err(refusal))
            .await;
    };
    throttle::forget(&state.storage, &keys[0]).await?;
    let token = state.storage.open_session(user.id).await?;
    state
        .storage
        .remove_idle_sessions(state.auth.idle_timeout.as_secs() as i64)
        .await?;
    let mut answer = HeaderMap::new();
    SessionCookie::for_request(state.auth.secure_cookie, &headers).set(&mut answer, &token);
    let session = Session {
        username: user.username,
        role: user.role,
    };
    let result = Ok((answer, Json(session.clone())));
    Change::by(&session.username, AuditAction::Login)
        .record(&state.storage, result)
        .await
}

/// The address a request came from, when the server knows it (`unknown` otherwise, e.g. in
/// tests that drive the router without a socket). Behind a trusted reverse proxy
/// (`--trusted-proxy`) it is the address that proxy appended to `X-Forwarded-For`, so that the
/// login throttle counts each browser, not the proxy.
struct ClientAddress(String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(ClientAddress("unknown".to_owned()));
        };
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| last.trim().parse::<std::net::IpAddr>().ok());
        let address = match forwarded {
            Some(client) if state.auth.trusted_proxies.contains(&peer) => client,
            _ => peer,
        };
        Ok(ClientAddress(address.to_string()))
    }
}

async fn log_out(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<(StatusCode, HeaderMap), AppError> {
    if let Some(token) = SessionCookie::token(&headers) {
        state.storage.close_session(&token).await?;
    }
    let mut answer = HeaderMap::new();
    SessionCookie::for_request(state.auth.secure_cookie, &headers).clear(&mut answer);
    Change::by(caller.name(), AuditAction::Logout)
        .record(&state.storage, Ok((StatusCode::NO_CONTENT, answer)))
        .await
}
