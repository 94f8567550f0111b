//! fiskaly-side trouble on demand: injected faults, latency, and counters of the calls received,
//! applied to every `/api/v2` call by one middleware.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::FiskalyError;
use crate::json::MAX_BODY_BYTES;
use crate::state::SimState;

/// When a fault strikes relative to the real handling of the call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Before: the call has no effect.
    #[default]
    Before,
    /// After: the call took effect, but the caller sees the fault (the dangerous case).
    After,
}

/// One kind of trouble, and when it strikes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What the caller experiences.
    #[serde(flatten)]
    pub effect: Effect,
    /// Before or after the real handling of the call.
    #[serde(default)]
    pub when: When,
}

/// What a fault does to a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// An error answer, e.g. 500, 503 `E_TSS_LOCKED` or 429 with `Retry-After`, or 444.
    Status {
        /// HTTP status.
        status: u16,
        /// fiskaly error code; a fitting one is chosen when absent.
        #[serde(default)]
        code: Option<String>,
        /// Seconds for the `Retry-After` header.
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// A pause, e.g. past the caller's timeout; the call is answered normally afterwards.
    Delay {
        /// How long, in milliseconds.
        ms: u64,
    },
    /// The connection is closed without an answer.
    Drop,
}

impl Effect {
    /// fiskaly's rate limit: 429 `E_TOO_MANY_REQUESTS` with `Retry-After: retry_after` seconds.
    pub fn too_many_requests(retry_after: u64) -> Effect {
        Effect::Status {
            status: 429,
            code: None,
            retry_after: Some(retry_after),
        }
    }
}

/// A fault for the next `count` calls whose method and path match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `GET`, `PUT`, `PATCH`, `POST`; any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// A path such as `/api/v2/tss/*/admin/auth`: `*` stands for one segment, `**` for the rest.
    pub path: String,
    /// Only calls whose body asks for this `state` (e.g. `DISABLED`); any body when absent.
    #[serde(default)]
    pub state: Option<String>,
    /// How many matching calls it strikes.
    pub count: u32,
    /// Strikes only every `every`-th matching call (e.g. 10: one call in ten), letting the
    /// others through; every matching call when absent.
    #[serde(default)]
    pub every: Option<u32>,
    /// What happens to them.
    pub fault: Fault,
}

impl FaultRule {
    /// `effect`, before the call takes effect, on every `every`-th call of `method` on `path`
    /// from now on (e.g. 10: one call in ten).
    pub fn every_nth(method: &str, path: &str, every: u32, effect: Effect) -> FaultRule {
        FaultRule {
            method: Some(method.into()),
            path: path.into(),
            state: None,
            count: u32::MAX,
            every: Some(every),
            fault: Fault {
                effect,
                when: When::Before,
            },
        }
    }
}

/// A fault rule in force, with the matching calls it has seen.
#[derive(Debug)]
struct ActiveRule {
    rule: FaultRule,
    matched: u32,
}

/// One call the simulator received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The HTTP method.
    pub method: String,
    /// The path, e.g. `/api/v2/tss/<id>`.
    pub path: String,
    /// The `state` field of the request body, if any (e.g. `DISABLED`).
    pub state: Option<String>,
    /// The status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
}

/// Fault rules, latency and the record of calls.
#[derive(Debug, Default)]
pub struct Control {
    rules: Vec<ActiveRule>,
    calls: Vec<CallRecord>,
    /// Extra time every call takes.
    pub latency: Duration,
    /// Extra time the deploy call takes on top.
    pub deploy_latency: Duration,
}

impl Control {
    /// Controls with the given latencies and no faults.
    pub fn new(latency: Duration, deploy_latency: Duration) -> Control {
        Control {
            latency,
            deploy_latency,
            ..Control::default()
        }
    }

    /// Adds a fault rule; rules strike in the order they were added.
    pub fn inject(&mut self, rule: FaultRule) {
        self.rules.push(ActiveRule { rule, matched: 0 });
    }

    /// Removes every fault rule.
    pub fn clear_faults(&mut self) {
        self.rules.clear();
    }

    /// Every call received so far, oldest first.
    pub fn calls(&self) -> &[CallRecord] {
        &self.calls
    }

    /// Calls received per `"METHOD /path"`.
    pub fn call_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for call in &self.calls {
            *counts
                .entry(format!("{} {}", call.method, call.path))
                .or_default() += 1;
        }
        counts
    }

    /// Forgets the calls received so far.
    pub fn reset_calls(&mut self) {
        self.calls.clear();
    }

    fn take_fault(&mut self, method: &str, path: &str, state: Option<&str>) -> Option<Fault> {
        let active = self.rules.iter_mut().find(|active| {
            let rule = &active.rule;
            rule.count > 0
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && path_matches(&rule.path, path)
                && rule.state.as_deref().is_none_or(|s| Some(s) == state)
        })?;
        active.matched += 1;
        if active
            .rule
            .every
            .is_some_and(|every| active.matched % every.max(1) != 0)
        {
            return None;
        }
        active.rule.count -= 1;
        let fault = active.rule.fault.clone();
        self.rules.retain(|active| active.rule.count > 0);
        Some(fault)
    }
}

/// Whether `path` fits `pattern`, where a `*` segment is any one segment and `**` any rest.
fn path_matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.trim_matches('/').split('/');
    let mut path = path.trim_matches('/').split('/');
    loop {
        match (pattern.next(), path.next()) {
            (Some("**"), _) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => continue,
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// The middleware: records the call, waits the latency, and applies a matching fault.
pub async fn observe(State(state): State<SimState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    // Inside the nested `/api/v2` router the URI is stripped; record the full path.
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |original| original.path())
        .to_owned();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return FiskalyError::new(
            413,
            "E_PAYLOAD_TOO_LARGE",
            format!("request bodies may hold at most {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    };
    let requested_state = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|body| body.get("state")?.as_str().map(str::to_owned));
    let request = Request::from_parts(parts, Body::from(bytes));

    let (latency, fault, index) = {
        let mut control = state.control();
        let fault = control.take_fault(&method, &path, requested_state.as_deref());
        control.calls.push(CallRecord {
            method: method.clone(),
            path: path.clone(),
            state: requested_state,
            status: None,
        });
        let index = control.calls.len() - 1;
        (control.latency, fault, index)
    };
    tokio::time::sleep(latency).await;

    let response = match fault {
        Some(fault) => handle_with_fault(fault, request, next).await,
        None => next.run(request).await,
    };
    if method != "GET" {
        state.persist();
    }
    if let Some(call) = state.control().calls.get_mut(index) {
        call.status = Some(response.status().as_u16());
    }
    response
}

async fn handle_with_fault(fault: Fault, request: Request, next: Next) -> Response {
    match (fault.effect, fault.when) {
        (Effect::Delay { ms }, When::Before) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        (Effect::Delay { ms }, When::After) => {
            let response = next.run(request).await;
            tokio::time::sleep(Duration::from_millis(ms)).await;
            response
        }
        (
            Effect::Status {
                status,
                code,
                retry_after,
            },
            when,
        ) => {
            if when == When::After {
                next.run(request).await;
            }
            let code = code.unwrap_or_else(|| default_code(status).to_owned());
            let mut error = FiskalyError::new(status, &code, "simulated fault");
            error.retry_after = retry_after;
            error.into_response()
        }
        (Effect::Drop, when) => {
            if when == When::After {
                next.run(request).await;
            }
            // Unwinding out of the connection's task makes hyper close the socket with no
            // answer; the panic hook does not run for resume_unwind, so nothing is printed.
            std::panic::resume_unwind(Box::new("simulated dropped connection"))
        }
    }
}

fn default_code(status: u16) -> &'static str {
    match status {
        429 => "E_TOO_MANY_REQUESTS",
        444 => "E_MIDDLEWARE_PENDING_REQUEST",
        503 => "E_TSS_LOCKED",
        504 => "E_GATEWAY_TIMEOUT",
        _ => "E_INTERNAL_SERVER_ERROR",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segments() {
        assert!(path_matches("/api/v2/tss/*", "/api/v2/tss/abc"));
        assert!(!path_matches("/api/v2/tss/*", "/api/v2/tss/abc/admin"));
        assert!(path_matches("/api/v2/tss/**", "/api/v2/tss/abc/admin/auth"));
        assert!(path_matches(
            "/api/v2/tss/*/admin/auth",
            "/api/v2/tss/abc/admin/auth"
        ));
        assert!(!path_matches("/api/v2/auth", "/api/v2/tss"));
    }

    #[test]
    fn a_rule_with_every_strikes_one_matching_call_in_that_many() {
        let mut control = Control::default();
        let mut rule =
            FaultRule::every_nth("GET", "/api/v2/tss/*", 3, Effect::too_many_requests(1));
        rule.count = 2;
        control.inject(rule);
        let struck: Vec<bool> = (0..9)
            .map(|_| control.take_fault("GET", "/api/v2/tss/a", None).is_some())
            .collect();
        assert_eq!(
            struck,
            [false, false, true, false, false, true, false, false, false],
            "the third and sixth, then the rule is spent"
        );
        assert!(control.take_fault("PUT", "/api/v2/tss/a", None).is_none());
    }
}
