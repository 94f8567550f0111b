//! The proxy serves the SPA for every page path and JSON for the API.

use crate::support;

use axum::body::Body;
use axum::http::header::{HeaderName, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tss_model::{ApiError, Backend, ErrorCode, Health};
use tss_proxy::app;

const INDEX: &str = "<!doctype html><title>tss-console</title>";
/// A file named by its content hash, as Trunk names the app's assets.
const HASHED: &str = "tss-console-0123456789abcdef.js";

/// What the proxy answers for `path` with `accept_encoding`, serving a `dist/` that holds the
/// index, an unhashed and a hashed file, and the build's precompressed copies of the last two.
async fn answer(path: &str, accept_encoding: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let dist = tempfile::tempdir().unwrap();
    let files = [
        ("index.html", INDEX),
        ("index.html.gz", "gzipped index"),
        ("app.js", "console.log(1)"),
        (HASHED, "console.log(2)"),
        (&format!("{HASHED}.br"), "brotli bytes"),
        (&format!("{HASHED}.gz"), "gzip bytes"),
    ];
    for (name, content) in files {
        std::fs::write(dist.path().join(name), content).unwrap();
    }
    let sim = support::start_simulator().await;
    let mut state =
        support::proxy_state(&support::TestDatabase::fresh(dist.path(), "db").await, &sim).await;
    state.dist = dist.path().to_owned();
    let mut request = Request::get(path);
    if let Some(encodings) = accept_encoding {
        request = request.header(ACCEPT_ENCODING, encodings);
    }
    let response = app(state)
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

async fn get(path: &str) -> (StatusCode, String) {
    let (status, _, body) = answer(path, None).await;
    (status, body)
}

fn header(headers: &HeaderMap, name: HeaderName) -> &str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

#[tokio::test]
async fn hashed_assets_come_precompressed_and_are_kept_for_good() {
    let path = format!("/{HASHED}");
    let (status, headers, body) = answer(&path, Some("gzip, deflate, br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body, "brotli bytes",
        "the build's brotli file, not compressed again"
    );
    assert_eq!(header(&headers, CONTENT_ENCODING), "br");
    let forever = "public, max-age=31536000, immutable";
    assert_eq!(header(&headers, CACHE_CONTROL), forever);

    let (_, headers, body) = answer(&path, Some("gzip")).await;
    assert_eq!(
        (body.as_str(), header(&headers, CONTENT_ENCODING)),
        ("gzip bytes", "gzip")
    );
    let (_, headers, body) = answer(&path, None).await;
    assert_eq!(body, "console.log(2)");
    assert_eq!(header(&headers, CACHE_CONTROL), forever);
}

#[tokio::test]
async fn the_page_itself_is_revalidated_and_the_api_never_stored() {
    for path in ["/", "/stores/42"] {
        let (status, headers, body) = answer(path, Some("gzip")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, "gzipped index", "{path}");
        assert_eq!(header(&headers, CACHE_CONTROL), "no-cache", "{path}");
    }
    let (_, headers, _) = answer("/app.js", None).await;
    assert_eq!(
        header(&headers, CACHE_CONTROL),
        "no-cache",
        "not hashed: asked again"
    );
    let (_, headers, _) = answer("/api/health", None).await;
    assert_eq!(header(&headers, CACHE_CONTROL), "no-store");
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
