//! `POST /auth`: API key and secret, or a refresh token, for an access token.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{FiskalyError, SimResult};
use crate::json::FiskalyJson;
use crate::state::SimState;

/// The body of `POST /auth`: either key and secret, or a refresh token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthRequest {
    api_key: Option<String>,
    api_secret: Option<String>,
    refresh_token: Option<String>,
}

/// Hands out an access and a refresh token.
pub async fn auth(
    State(state): State<SimState>,
    FiskalyJson(request): FiskalyJson<AuthRequest>,
) -> SimResult<Json<Value>> {
    let config = &state.config;
    let mut world = state.world();
    match request {
        AuthRequest {
            refresh_token: Some(token),
            api_key: None,
            api_secret: None,
        } => world.tokens.check_refresh(&token)?,
        AuthRequest {
            api_key: Some(key),
            api_secret: Some(secret),
            refresh_token: None,
        } => {
            if key != config.api_key || secret != config.api_secret {
                return Err(FiskalyError::unauthorized("wrong api_key or api_secret"));
            }
        }
        _ => {
            return Err(FiskalyError::schema(
                "send either api_key and api_secret, or refresh_token",
            ))
        }
    }
    Ok(Json(world.tokens.issue(
        config.access_token_lifetime,
        config.refresh_token_lifetime,
    )))
}
