//! Hostile input: 100,000 random and mutated requests to the whole router (proptest). None may
//! panic or answer 5xx, and every error must be in the API's JSON error shape.

use crate::support;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Random requests per run: fewer on the second backend, which shares every layer above the
/// storage with the first (and still found the NUL Postgres cannot store).
fn cases() -> u32 {
    if support::database::on_postgres() {
        20_000
    } else {
        100_000
    }
}

struct World {
    runtime: tokio::runtime::Runtime,
    router: Router,
    cookie: String,
    _sim: fiskaly_sim::Simulator,
    _dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (sim, router) = runtime.block_on(async {
            let sim = support::start_simulator().await;
            let state = support::proxy_state(
                &support::TestDatabase::fresh(dir.path(), "fuzz").await,
                &sim,
            )
            .await;
            let cookie = support::admin_session_cookie(&state).await;
            (sim, (tss_proxy::app(state), cookie))
        });
        let (router, cookie) = router;
        World {
            runtime,
            router,
            cookie,
            _sim: sim,
            _dir: dir,
        }
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        "[A-Za-z0-9 '()+,.:=?/_-]{0,80}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,14}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn fields(names: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::vec(json_value(), names.len()).prop_map(move |values| {
        Value::Object(names.iter().map(|n| n.to_string()).zip(values).collect())
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        fields(&["number", "name", "street", "city"]).prop_map(|v| v.to_string().into_bytes()),
        fields(&["number", "name", "store_id", "serial_number"])
            .prop_map(|v| v.to_string().into_bytes()),
        fields(&["username", "role", "password"]).prop_map(|v| v.to_string().into_bytes()),
        json_value().prop_map(|v| json!({"confirm": v}).to_string().into_bytes()),
        json_value().prop_map(|v| json!({"tss_id": v}).to_string().into_bytes()),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..300),
        Just(Vec::new()),
    ]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..30).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[A-Za-z0-9._~-]{0,16}",
        "%[0-9A-F]{2}[a-z]{0,4}",
        Just("00000000-0000-4000-8000-000000000000".to_owned()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    let templates = prop::sample::select(vec![
        "/api",
        "/api/",
        "/api/health",
        "/api/stores",
        "/api/stores/{}",
        "/api/stores/{}/tss",
        "/api/stores/{}/tss/refresh",
        "/api/refresh",
        "/api/tss/{}/initialize",
        "/api/tss/{}/disable",
        "/api/terminals",
        "/api/terminals/{}",
        "/api/terminals/{}/client",
        "/api/terminals/{}/client/deregister",
        "/api/settings/fiskaly",
        "/api/settings/fiskaly/test",
        "/api/users",
        "/api/users/{}",
        "/api/users/{}/password",
        "/api/users/{}/role",
        "/api/{}",
        "/api/stores?q={}",
        "/api/terminals?store_id={}",
    ]);
    (templates, segment()).prop_map(|(t, s)| t.replace("{}", &s))
}

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_requests_never_panic_never_5xx_and_always_answer_the_error_shape(
        method in method(),
        path in path(),
        body in body(),
        same_origin in prop::bool::weighted(0.8),
        logged_in in prop::bool::weighted(0.9),
        json_type in prop::bool::weighted(0.9),
    ) {
        let world = world();
        let mut request = Request::builder().method(method.clone()).uri(&path).header("host", "localhost");
        if same_origin {
            request = request.header("x-requested-with", "tss-console").header("origin", "http://localhost");
        }
        if logged_in {
            request = request.header("cookie", &world.cookie);
        }
        if json_type {
            request = request.header("content-type", "application/json");
        }
        let request = request.body(Body::from(body)).unwrap();
        let (status, bytes) = world.runtime.block_on(async {
            let response = world.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            (status, response.into_body().collect().await.unwrap().to_bytes())
        });
        prop_assert!(status.as_u16() < 500, "{method} {path} answered {status}: {:?}", String::from_utf8_lossy(&bytes));
        if !status.is_success() {
            let error: Value = serde_json::from_slice(&bytes)
                .map_err(|_| TestCaseError::fail(format!("{method} {path}: {status} is not JSON")))?;
            prop_assert!(error["error"]["code"].is_string(), "{method} {path}: {error}");
            prop_assert!(error["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}
