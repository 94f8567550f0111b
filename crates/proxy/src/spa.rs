//! Serving the built SPA: files from `dist/`, and `index.html` for every other path so that the
//! app's own router handles deep links such as `/stores/12` on reload.
//!
//! The release build writes `NAME.br` and `NAME.gz` next to every asset (`cargo xtask`), so a file
//! is served compressed by `Accept-Encoding` without compressing it per request. Trunk names the
//! assets by their content hash, so they never change: the browser keeps them for a year without
//! asking again. `index.html` (and every deep link answered with it) is revalidated each time, so
//! a new release is picked up by the next load.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// How long a browser keeps a hashed asset: it never changes under its name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `index.html`: kept, but asked about again before each use.
const REVALIDATE: &str = "no-cache";

/// The static files of `dist`, precompressed where the build left `.br` / `.gz` files, falling
/// back to its `index.html` with status 200, each with its `Cache-Control`.
pub fn service(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

/// Sets `Cache-Control` by what was asked for: hashed assets for good, anything else revalidated.
async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let policy = if hashed { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether `path` names a file Trunk stamped with its content hash, e.g.
/// `/tss-console-0123456789abcdef_bg.wasm` or `/main-0123456789abcdef.css`.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_trunks_hashed_file_names_count_as_immutable() {
        assert!(is_hashed_asset("/tss-console-8f2c1a9b3d4e5f60_bg.wasm"));
        assert!(is_hashed_asset("/tss-console-8f2c1a9b3d4e5f60.js"));
        assert!(is_hashed_asset("/main-8f2c1a9b3d4e5f60.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/stores/12"));
        assert!(!is_hashed_asset("/tss-console.js"));
        assert!(!is_hashed_asset("/terminals/K-01"));
    }
}
