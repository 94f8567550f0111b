//! What the proxy's benches share.

/// An HTTP client that sends what the SPA sends: the session cookie (if any) and the same-origin
/// headers of the console at `base` (its `/api` address).
pub fn api_client(base: &str, cookie: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(cookie) = cookie {
        headers.insert("cookie", cookie.parse().unwrap());
    }
    headers.insert("x-requested-with", "tss-console".parse().unwrap());
    headers.insert("origin", base.trim_end_matches("/api").parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}
