//! Requests that change something must come from the console's own pages (CSRF) even with a valid
//! session cookie, and every answer
//! carries the headers that keep the browser strict.

use crate::support;

use serde_json::json;
use support::TestProxy;

async fn post_as(proxy: &TestProxy, headers: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/stores", proxy.url()))
        .json(&json!({"number": "S-9", "name": "X", "street": "Y", "city": "Z"}))
        .header("cookie", proxy.session_cookie().unwrap());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_change_from_another_site_or_without_the_header_is_refused() {
    let proxy = TestProxy::start().await;
    let own = proxy.url().trim_end_matches("/api").to_owned();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[
                ("x-requested-with", "tss-console"),
                ("origin", "http://evil.example"),
            ],
            "another site",
        ),
        (&[("origin", own.as_str())], "X-Requested-With"),
        (&[("x-requested-with", "tss-console")], "Origin"),
        (
            &[
                ("x-requested-with", "tss-console"),
                ("referer", "http://evil.example/stores"),
            ],
            "another site",
        ),
    ];
    for (headers, reason) in cases {
        let (status, body) = post_as(&proxy, headers).await;
        assert_eq!(status, 403, "{headers:?}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(reason),
            "{body}"
        );
    }
    assert_eq!(
        proxy.get("/stores").await.ok()["total"],
        0,
        "nothing was created"
    );
    let referer = format!("{own}/stores");
    let (status, _) = post_as(
        &proxy,
        &[
            ("x-requested-with", "tss-console"),
            ("referer", referer.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 201, "a same-origin Referer is enough");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let proxy = TestProxy::start().await;
    for path in ["/api/health", "/api/stores", "/stores/1", "/api/nothing"] {
        let url = format!("{}{path}", proxy.url().trim_end_matches("/api"));
        let response = reqwest::get(url).await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        let policy = header("content-security-policy");
        assert!(
            policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("'unsafe-inline'"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert_eq!(header("x-frame-options"), "DENY");
    }
}
