//! A simulator on a loopback port and a small HTTP client for it, as every test uses them.

use std::time::Duration;

use fiskaly_sim::{SimConfig, Simulator, TssState};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

/// A running simulator with an authenticated HTTP client.
pub struct Fiskaly {
    /// The simulator itself, for its controls.
    pub sim: Simulator,
    /// The HTTP client.
    pub http: reqwest::Client,
    /// The current access token.
    pub token: String,
}

/// A TSS a test set up, with its secrets.
#[derive(Debug, Clone)]
pub struct TestTss {
    pub id: Uuid,
    pub puk: String,
    pub pin: String,
}

/// What the simulator answered.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
}

impl Reply {
    /// Asserts a fiskaly error with `status` and `code` in fiskaly's body shape.
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status of {:?}", self.body);
        assert_eq!(self.body["code"], code, "code of {:?}", self.body);
        assert_eq!(self.body["status_code"], status);
        assert!(self.body["error"].is_string() && self.body["message"].is_string());
    }

    /// Asserts a 200 and returns the body.
    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "expected 200, got {:?}", self.body);
        &self.body
    }
}

/// A config for tests: control on, room for many TSS.
pub fn test_config() -> SimConfig {
    SimConfig {
        control: true,
        live_tss_limit: 1000,
        ..SimConfig::default()
    }
}

impl Fiskaly {
    /// A simulator with [`test_config`], authenticated.
    pub async fn start() -> Fiskaly {
        Fiskaly::start_with(test_config()).await
    }

    /// A simulator with `config`, authenticated with its key and secret.
    pub async fn start_with(config: SimConfig) -> Fiskaly {
        let credentials = json!({"api_key": config.api_key, "api_secret": config.api_secret});
        let sim = Simulator::start(config).await.unwrap();
        let mut fiskaly = Fiskaly {
            sim,
            http: reqwest::Client::new(),
            token: String::new(),
        };
        let auth = fiskaly.post("/auth", credentials).await;
        fiskaly.token = auth.ok()["access_token"].as_str().unwrap().to_owned();
        fiskaly
    }

    /// Calls `method path` (below `/api/v2`, or from the root when it starts with `/_sim`).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let url = if path.starts_with("/_sim") {
            format!("http://{}{path}", self.sim.addr())
        } else {
            format!("{}{path}", self.sim.base_url())
        };
        let mut request = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let (request_id, retry_after) = (header("request-id"), header("retry-after"));
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            request_id,
            retry_after,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    /// `PUT /tss/{new id}`: a new TSS in CREATED.
    pub async fn create_tss(&self) -> TestTss {
        let id = Uuid::new_v4();
        let reply = self.put(&format!("/tss/{id}"), json!({})).await;
        let puk = reply.ok()["admin_puk"].as_str().unwrap().to_owned();
        TestTss {
            id,
            puk,
            pin: "246810".into(),
        }
    }

    /// Moves a TSS to `state` along the documented setup sequence; DELETED, DEFECTIVE and EVICTED
    /// are forced through the control. The admin is logged in afterwards where the state allows.
    pub async fn tss_in(&self, state: TssState) -> TestTss {
        let tss = self.create_tss().await;
        if state == TssState::Created {
            return tss;
        }
        if state == TssState::Evicted {
            self.sim.force_state(tss.id, state).unwrap();
            return tss;
        }
        self.set_state(&tss, "UNINITIALIZED").await.ok();
        self.set_pin(&tss).await.ok();
        self.admin_login(&tss).await.ok();
        match state {
            TssState::Uninitialized => {}
            TssState::Initialized => {
                self.set_state(&tss, "INITIALIZED").await.ok();
            }
            TssState::Disabled => {
                self.set_state(&tss, "DISABLED").await.ok();
            }
            forced => self.sim.force_state(tss.id, forced).unwrap(),
        }
        tss
    }

    /// `PATCH /tss/{id}` with a state.
    pub async fn set_state(&self, tss: &TestTss, state: &str) -> Reply {
        self.patch(&format!("/tss/{}", tss.id), json!({"state": state}))
            .await
    }

    /// `PATCH /tss/{id}` with a state, giving up after `timeout`; the raw outcome, for tests of
    /// dropped connections and timeouts.
    pub async fn send_state_change(
        &self,
        tss: &TestTss,
        state: &str,
        timeout: Duration,
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .patch(format!("{}/tss/{}", self.sim.base_url(), tss.id))
            .bearer_auth(&self.token)
            .timeout(timeout)
            .json(&json!({"state": state}))
            .send()
            .await
    }

    /// `PATCH /tss/{id}/admin` with the PUK and the test PIN.
    pub async fn set_pin(&self, tss: &TestTss) -> Reply {
        self.patch(
            &format!("/tss/{}/admin", tss.id),
            json!({"admin_puk": tss.puk, "new_admin_pin": tss.pin}),
        )
        .await
    }

    /// `POST /tss/{id}/admin/auth` with the test PIN.
    pub async fn admin_login(&self, tss: &TestTss) -> Reply {
        self.post(
            &format!("/tss/{}/admin/auth", tss.id),
            json!({"admin_pin": tss.pin}),
        )
        .await
    }

    /// `PUT /tss/{id}/client/{new id}` with `serial`.
    pub async fn register_client(&self, tss: &TestTss, serial: &str) -> (Uuid, Reply) {
        let client_id = Uuid::new_v4();
        let reply = self
            .put(
                &format!("/tss/{}/client/{client_id}", tss.id),
                json!({"serial_number": serial}),
            )
            .await;
        (client_id, reply)
    }
}
