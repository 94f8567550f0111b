//! Cross-site request forgery protection: a request that changes anything must come from the
//! console's own pages. It must carry `X-Requested-With: tss-console` (which the SPA sends and a
//! cross-site form cannot) and an `Origin` (else `Referer`) naming this server's own host.

use axum::extract::Request;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// The header the SPA sends with every request.
pub const REQUESTED_WITH: &str = "x-requested-with";
/// Its value.
pub const REQUESTED_WITH_VALUE: &str = "tss-console";

/// The middleware: reads pass, changes need the header and a same-origin `Origin`/`Referer`.
pub async fn require_same_origin(request: Request, next: Next) -> Response {
    let method = request.method();
    if [Method::GET, Method::HEAD, Method::OPTIONS].contains(method) {
        return next.run(request).await;
    }
    match refusal(request.headers()) {
        Some(reason) => {
            tracing::warn!(%method, path = %request.uri().path(), reason, "refused a cross-site request");
            AppError::Forbidden(format!(
                "This request did not come from the console's own pages ({reason}), so it was refused."
            ))
            .into_response()
        }
        None => next.run(request).await,
    }
}

/// Why the request is not from the console's own pages, or `None` when it is.
fn refusal(headers: &HeaderMap) -> Option<&'static str> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if text(REQUESTED_WITH) != Some(REQUESTED_WITH_VALUE) {
        return Some("the X-Requested-With: tss-console header is missing");
    }
    let Some(host) = text("host") else {
        return Some("no Host header");
    };
    let source = text("origin").or_else(|| text("referer"));
    let Some(source) = source else {
        return Some("neither Origin nor Referer names the page it came from");
    };
    let authority = source
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or_default());
    if authority.is_some_and(|a| a.eq_ignore_ascii_case(host)) {
        None
    } else {
        Some("it came from another site")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_requests_from_the_consoles_own_pages_pass() {
        let ok = [
            ("host", "127.0.0.1:8080"),
            ("x-requested-with", "tss-console"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut all = ok.to_vec();
            all.extend_from_slice(extra);
            refusal(&headers(&all))
        };
        assert_eq!(with(&[("origin", "http://127.0.0.1:8080")]), None);
        assert_eq!(with(&[("referer", "http://127.0.0.1:8080/stores/1")]), None);
        assert!(with(&[("origin", "http://evil.example")]).is_some());
        assert!(with(&[("referer", "http://evil.example/127.0.0.1:8080")]).is_some());
        assert!(with(&[]).is_some(), "no Origin and no Referer");
        let no_header = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        assert!(refusal(&no_header).is_some());
    }
}
