//! The proxy serves the SPA for every page path and JSON for the API.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tss_model::{ApiError, Backend, ErrorCode, Health};
use tss_proxy::app;

const INDEX: &str = "<!doctype html><title>tss-console</title>";

async fn get(path: &str) -> (StatusCode, String) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let sim = support::start_simulator().await;
    let mut state = support::proxy_state(&dist.path().join("db.sqlite"), &sim).await;
    state.dist = dist.path().to_owned();
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = app(state).oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn health_answers_json_and_names_the_backend() {
    let (status, body) = get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    let health: Health = serde_json::from_str(&body).unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.backend, Backend::Simulator);
}

#[tokio::test]
async fn deep_links_load_the_app_not_a_404() {
    for path in ["/", "/stores", "/stores/42", "/terminals/7", "/settings"] {
        let (status, body) = get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, INDEX, "{path}");
    }
}

#[tokio::test]
async fn built_files_are_served_as_they_are() {
    let (status, body) = get("/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "console.log(1)");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let (status, body) = get("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error: ApiError = serde_json::from_str(&body).unwrap();
    assert_eq!(error.error.code, ErrorCode::NotFound);
    assert!(error.error.message.contains("/api/nothing-here"));
}
