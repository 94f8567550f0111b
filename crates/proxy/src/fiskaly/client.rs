//! The fiskaly HTTP client: tokens, retries, timeouts and the typed calls the operations make.

use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::bodies::{AuthBody, ClientBody, ListBody, TssBody};
use super::error::FiskalyError;

/// The API key and secret. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The API key.
    pub api_key: String,
    /// The API secret.
    pub api_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("api_secret", &"<set>")
            .finish()
    }
}

/// How patiently the client retries.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries per call, the first included.
    pub attempts: u32,
    /// Wait before the second try; doubles after each further one.
    pub first_backoff: Duration,
    /// The longest wait between tries.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; longer ones end the retries.
    pub longest_retry_after: Duration,
    /// Timeout of one ordinary call.
    pub timeout: Duration,
    /// Timeout of the deploy call (CREATED → UNINITIALIZED); fiskaly demands at least 30 s.
    pub deploy_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            longest_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(15),
            deploy_timeout: Duration::from_secs(45),
        }
    }
}

struct Token {
    access: String,
    access_expires: Instant,
    refresh: Option<(String, Instant)>,
}

/// A client for one fiskaly organisation.
pub struct FiskalyClient {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    policy: RetryPolicy,
    token: Mutex<Option<Token>>,
}

impl std::fmt::Debug for FiskalyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FiskalyClient")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// One attempt's outcome: retry (after how long), or stop with this result.
enum Attempt<T> {
    Done(Result<T, FiskalyError>),
    Retry(Option<Duration>, FiskalyError),
}

impl FiskalyClient {
    /// A client for `base_url` (e.g. `https://kassensichv-middleware.fiskaly.com/api/v2`).
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        credentials: Credentials,
        policy: RetryPolicy,
    ) -> FiskalyClient {
        FiskalyClient {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            credentials,
            policy,
            token: Mutex::new(None),
        }
    }

    /// A client for another fiskaly (new settings) with the same HTTP client and retry policy;
    /// it authenticates afresh.
    pub fn for_target(&self, base_url: &str, credentials: Credentials) -> FiskalyClient {
        FiskalyClient::new(
            self.http.clone(),
            base_url,
            credentials,
            self.policy.clone(),
        )
    }

    /// The base URL it talks to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The credentials it authenticates with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Authenticates afresh with key and secret and answers the token's claims: the connection
    /// test of the Fiskaly Setup page.
    pub async fn test_connection(&self) -> Result<AuthBody, FiskalyError> {
        self.auth(self.key_and_secret()).await
    }

    /// The `/auth` body with key and secret.
    fn key_and_secret(&self) -> Value {
        json!({"api_key": self.credentials.api_key, "api_secret": self.credentials.api_secret})
    }

    /// A valid access token: the cached one, else one from the refresh token, else from key and
    /// secret. Only one caller authenticates at a time; the others wait for its token.
    async fn bearer(&self) -> Result<String, FiskalyError> {
        let mut cached = self.token.lock().await;
        let now = Instant::now();
        if let Some(token) = cached.as_ref().filter(|t| t.access_expires > now) {
            return Ok(token.access.clone());
        }
        let refresh = cached
            .as_ref()
            .and_then(|t| t.refresh.as_ref())
            .filter(|(_, expires)| *expires > now)
            .map(|(token, _)| token.clone());
        let by_refresh = match refresh {
            Some(refresh_token) => self
                .auth(json!({"refresh_token": refresh_token}))
                .await
                .ok(),
            None => None,
        };
        let auth = match by_refresh {
            Some(auth) => auth,
            None => self.auth(self.key_and_secret()).await?,
        };
        let token = Token {
            access: auth.access_token.clone(),
            access_expires: Instant::now() + renew_before_expiry(auth.access_token_expires_in),
            refresh: auth
                .refresh_token
                .zip(auth.refresh_token_expires_in)
                .map(|(t, s)| (t, Instant::now() + renew_before_expiry(s))),
        };
        *cached = Some(token);
        Ok(auth.access_token)
    }

    async fn auth(&self, body: Value) -> Result<AuthBody, FiskalyError> {
        self.send_with_retries(
            None,
            Method::POST,
            "/auth",
            Some(&body),
            self.policy.timeout,
        )
        .await
    }

    /// Forgets `token` if it is still the cached one, so that the next call authenticates.
    async fn forget_token(&self, token: &str) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|t| t.access == token) {
            *cached = None;
        }
    }

    /// An authenticated call with retries; on a 401 (not an admin one) it authenticates once more.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<T, FiskalyError> {
        let mut reauthenticated = false;
        loop {
            let token = self.bearer().await?;
            match self
                .send_with_retries(Some(&token), method.clone(), path, body, timeout)
                .await
            {
                Err(error) if is_token_rejection(&error) && !reauthenticated => {
                    tracing::info!(%method, path, "fiskaly rejected the token; authenticating again");
                    self.forget_token(&token).await;
                    reauthenticated = true;
                }
                result => return result,
            }
        }
    }

    async fn send_with_retries<T: DeserializeOwned>(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<T, FiskalyError> {
        let mut backoff = self.policy.first_backoff;
        for attempt in 1.. {
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.base_url))
                .timeout(timeout);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = attempt_once::<T>(request).await;
            let (wait, error) = match outcome {
                Attempt::Done(result) => return result,
                Attempt::Retry(wait, error) => (wait, error),
            };
            if attempt >= self.policy.attempts {
                return Err(error);
            }
            let wait = match wait {
                Some(retry_after) if retry_after > self.policy.longest_retry_after => {
                    return Err(error)
                }
                Some(retry_after) => retry_after,
                None => backoff,
            };
            tracing::warn!(%method, path, attempt, ?wait, %error, "fiskaly call failed; retrying");
            tokio::time::sleep(wait).await;
            backoff = (backoff * 2).min(self.policy.max_backoff);
        }
        unreachable!("the loop returns")
    }

    /// `PUT /tss/{id}`: creates the TSS (CREATED, with its PUK); safe to repeat while CREATED.
    pub async fn create_tss(&self, tss_id: &str) -> Result<TssBody, FiskalyError> {
        self.call(
            Method::PUT,
            &format!("/tss/{tss_id}"),
            Some(&json!({})),
            self.policy.timeout,
        )
        .await
    }

    /// `GET /tss/{id}`.
    pub async fn tss(&self, tss_id: &str) -> Result<TssBody, FiskalyError> {
        self.call(
            Method::GET,
            &format!("/tss/{tss_id}"),
            None,
            self.policy.timeout,
        )
        .await
    }

    /// Every TSS of the organisation (`GET /tss`, page by page).
    pub async fn all_tss(&self) -> Result<Vec<TssBody>, FiskalyError> {
        self.every_page("/tss?").await
    }

    /// Every item of a fiskaly list, 100 per page; `query` ends in `?` or `&`.
    async fn every_page<T: DeserializeOwned>(&self, query: &str) -> Result<Vec<T>, FiskalyError> {
        const PAGE: usize = 100;
        let mut all = Vec::new();
        loop {
            let path = format!("{query}limit={PAGE}&offset={}", all.len());
            let page: ListBody<T> = self
                .call(Method::GET, &path, None, self.policy.timeout)
                .await?;
            let full = page.data.len() == PAGE;
            all.extend(page.data);
            if !full {
                return Ok(all);
            }
        }
    }

    /// `PATCH /tss/{id}` to UNINITIALIZED: the slow deploy, with its long timeout.
    pub async fn deploy_tss(&self, tss_id: &str) -> Result<TssBody, FiskalyError> {
        let body = json!({"state": "UNINITIALIZED"});
        self.change_tss(tss_id, &body, self.policy.deploy_timeout)
            .await
    }

    /// `PATCH /tss/{id}` to INITIALIZED with a description (admin login required).
    pub async fn initialize_tss(
        &self,
        tss_id: &str,
        description: &str,
    ) -> Result<TssBody, FiskalyError> {
        let body = json!({"state": "INITIALIZED", "description": description});
        self.change_tss(tss_id, &body, self.policy.timeout).await
    }

    /// `PATCH /tss/{id}` to DISABLED (admin login required; permanent).
    pub async fn disable_tss(&self, tss_id: &str) -> Result<TssBody, FiskalyError> {
        let body = json!({"state": "DISABLED"});
        self.change_tss(tss_id, &body, self.policy.timeout).await
    }

    /// `PATCH /tss/{id}` with `body`.
    async fn change_tss(
        &self,
        tss_id: &str,
        body: &Value,
        timeout: Duration,
    ) -> Result<TssBody, FiskalyError> {
        self.call(
            Method::PATCH,
            &format!("/tss/{tss_id}"),
            Some(body),
            timeout,
        )
        .await
    }

    /// `PATCH /tss/{id}/admin`: sets a new admin PIN with the PUK.
    pub async fn set_admin_pin(
        &self,
        tss_id: &str,
        puk: &str,
        pin: &str,
    ) -> Result<(), FiskalyError> {
        let body = json!({"admin_puk": puk, "new_admin_pin": pin});
        self.call::<Value>(
            Method::PATCH,
            &format!("/tss/{tss_id}/admin"),
            Some(&body),
            self.policy.timeout,
        )
        .await
        .map(drop)
    }

    /// `POST /tss/{id}/admin/auth`.
    pub async fn admin_login(&self, tss_id: &str, pin: &str) -> Result<(), FiskalyError> {
        let body = json!({"admin_pin": pin});
        self.call::<Value>(
            Method::POST,
            &format!("/tss/{tss_id}/admin/auth"),
            Some(&body),
            self.policy.timeout,
        )
        .await
        .map(drop)
    }

    /// `POST /tss/{id}/admin/logout`.
    pub async fn admin_logout(&self, tss_id: &str) -> Result<(), FiskalyError> {
        self.call::<Value>(
            Method::POST,
            &format!("/tss/{tss_id}/admin/logout"),
            Some(&json!({})),
            self.policy.timeout,
        )
        .await
        .map(drop)
    }

    /// `PUT /tss/{tss_id}/client/{client_id}` (admin login required); safe to repeat.
    pub async fn register_client(
        &self,
        tss_id: &str,
        client_id: &str,
        serial_number: &str,
    ) -> Result<ClientBody, FiskalyError> {
        let body = json!({"serial_number": serial_number});
        self.call(
            Method::PUT,
            &format!("/tss/{tss_id}/client/{client_id}"),
            Some(&body),
            self.policy.timeout,
        )
        .await
    }

    /// `PATCH /tss/{tss_id}/client/{client_id}` to `state` (admin login required).
    pub async fn set_client_state(
        &self,
        tss_id: &str,
        client_id: &str,
        state: &tss_model::ClientState,
    ) -> Result<ClientBody, FiskalyError> {
        let body = json!({"state": state});
        self.call(
            Method::PATCH,
            &format!("/tss/{tss_id}/client/{client_id}"),
            Some(&body),
            self.policy.timeout,
        )
        .await
    }

    /// The REGISTERED clients of a TSS, as fiskaly knows them.
    pub async fn registered_clients(&self, tss_id: &str) -> Result<Vec<ClientBody>, FiskalyError> {
        self.every_page(&format!("/tss/{tss_id}/client?state=REGISTERED&"))
            .await
    }
}

/// How long to use a token that fiskaly gave for `seconds`: until about two minutes before it
/// expires (a tenth of its life for short-lived ones).
fn renew_before_expiry(seconds: u64) -> Duration {
    let life = Duration::from_secs(seconds);
    life.saturating_sub(Duration::from_secs(120).min(life / 10))
}

/// A 401 that means the bearer token is no good, as opposed to a missing admin login or a wrong
/// admin PIN, which a new token would not cure.
fn is_token_rejection(error: &FiskalyError) -> bool {
    matches!(error, FiskalyError::Api { status: 401, code, .. } if !code.contains("ADMIN"))
}

async fn attempt_once<T: DeserializeOwned>(request: RequestBuilder) -> Attempt<T> {
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) if error.is_timeout() => return Attempt::Retry(None, FiskalyError::Timeout),
        Err(error) => {
            return Attempt::Retry(
                None,
                FiskalyError::Unreachable(error.without_url().to_string()),
            )
        }
    };
    let status = response.status();
    let request_id = response
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(id) = &request_id {
        super::request_ids::note(id);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .map(Duration::from_secs);
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(error) if error.is_timeout() => return Attempt::Retry(None, FiskalyError::Timeout),
        Err(error) => {
            return Attempt::Retry(
                None,
                FiskalyError::Unreachable(error.without_url().to_string()),
            )
        }
    };
    if status.is_success() {
        return Attempt::Done(
            serde_json::from_slice(&bytes).map_err(|e| FiskalyError::Malformed(e.to_string())),
        );
    }
    super::congestion::note(status.as_u16(), retry_after);
    let error = api_error(status, &bytes, request_id);
    match status.as_u16() {
        429 | 503 => Attempt::Retry(retry_after, error),
        444 | 499 | 500..=599 => Attempt::Retry(None, error),
        _ => Attempt::Done(Err(error)),
    }
}

fn api_error(status: StatusCode, bytes: &[u8], request_id: Option<String>) -> FiskalyError {
    let body: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let text = |field: &str| body.get(field).and_then(Value::as_str).map(str::to_owned);
    FiskalyError::Api {
        status: status.as_u16(),
        code: text("code").unwrap_or_else(|| format!("HTTP_{}", status.as_u16())),
        message: text("message").unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("unexpected answer")
                .to_owned()
        }),
        request_id,
    }
}
