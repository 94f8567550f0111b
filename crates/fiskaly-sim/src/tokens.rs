//! Access and refresh tokens as `POST /auth` hands them out, with their expiry.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::clock::unix_now;
use crate::error::{FiskalyError, SimResult};

/// Every token handed out and when it stops being valid.
#[derive(Debug)]
pub struct Tokens {
    organization_id: Uuid,
    access: HashMap<String, Instant>,
    refresh: HashMap<String, Instant>,
}

impl Default for Tokens {
    fn default() -> Self {
        Tokens {
            organization_id: Uuid::new_v4(),
            access: HashMap::new(),
            refresh: HashMap::new(),
        }
    }
}

impl Tokens {
    /// Issues a new access and refresh token and answers as fiskaly's `/auth` does.
    pub fn issue(&mut self, access_lifetime: Duration, refresh_lifetime: Duration) -> Value {
        let now = Instant::now();
        self.access.retain(|_, expiry| *expiry > now);
        self.refresh.retain(|_, expiry| *expiry > now);
        let access_token = random_token();
        let refresh_token = random_token();
        self.access
            .insert(access_token.clone(), now + access_lifetime);
        self.refresh
            .insert(refresh_token.clone(), now + refresh_lifetime);
        let unix = unix_now();
        json!({
            "access_token": access_token,
            "access_token_claims": {"env": "TEST", "organization_id": self.organization_id},
            "access_token_expires_in": access_lifetime.as_secs(),
            "access_token_expires_at": unix + access_lifetime.as_secs() as i64,
            "refresh_token": refresh_token,
            "refresh_token_expires_in": refresh_lifetime.as_secs(),
            "refresh_token_expires_at": unix + refresh_lifetime.as_secs() as i64,
        })
    }

    /// Accepts a bearer token that was issued and has not expired; 401 otherwise.
    pub fn check_access(&self, token: &str) -> SimResult<()> {
        check(&self.access, token, "access token")
    }

    /// Accepts a refresh token that was issued and has not expired; 401 otherwise.
    pub fn check_refresh(&self, token: &str) -> SimResult<()> {
        check(&self.refresh, token, "refresh token")
    }
}

fn check(tokens: &HashMap<String, Instant>, token: &str, what: &str) -> SimResult<()> {
    match tokens.get(token) {
        Some(expiry) if *expiry > Instant::now() => Ok(()),
        Some(_) => Err(FiskalyError::unauthorized(format!(
            "the {what} has expired"
        ))),
        None => Err(FiskalyError::unauthorized(format!("unknown {what}"))),
    }
}

fn random_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 48)
}
