//! Webhooks: an administrator adds one (its secret shown once); each new alert of its kinds is
//! POSTed to it once, signed with HMAC-SHA256 of the body under that secret, and tried again
//! with growing pauses until the receiver answers 2xx, each attempt visible. The clock is handed
//! in.

use crate::support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use support::TestProxy;
use tss_model::{Role, WebhookPayload, SIGNATURE_HEADER};
use tss_proxy::storage::unix_now;
use uuid::Uuid;

/// A receiver on loopback that answers 500 to its first `failures` requests, then 200, and
/// keeps every request.
struct Receiver {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let requests: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
        let kept = requests.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let kept = kept.clone();
                async move {
                    let mut requests = kept.lock().unwrap();
                    requests.push((headers, body));
                    if requests.len() <= failures {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

async fn deliver(proxy: &TestProxy, now: i64) -> usize {
    let http = tss_proxy::webhooks::client();
    tss_proxy::webhooks::deliver_due(&proxy.state.storage, &http, now)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_one_signed_delivery_after_three_attempts() {
    let proxy = TestProxy::start().await;
    let receiver = Receiver::start(2).await;
    let other = Receiver::start(0).await;
    let added = proxy
        .post(
            "/webhooks",
            json!({"url": receiver.url(), "kinds": ["cannot_sign"], "enabled": true}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let secret = added.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    let webhook = added.body["webhook"]["id"].as_i64().unwrap();
    let errors_only = json!({"url": other.url(), "kinds": ["tss_error"], "enabled": true});
    assert_eq!(proxy.post("/webhooks", errors_only).await.status, 201);
    let listed = proxy.get("/webhooks").await;
    assert!(
        listed.body.to_string().find(&secret).is_none(),
        "the secret is shown once"
    );

    let (store, tss_id, _) = proxy.ready_store("S-1", 1).await;
    let id = Uuid::parse_str(&tss_id).unwrap();
    proxy
        .sim
        .force_state(id, fiskaly_sim::TssState::Defective)
        .unwrap();
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();

    let now = unix_now();
    for (at, sent, received) in [
        (now, 1, 1),
        (now, 0, 1),
        (now + 60, 1, 2),
        (now + 179, 0, 2),
        (now + 180, 1, 3),
        (now + 10_000, 0, 3),
    ] {
        assert_eq!(deliver(&proxy, at).await, sent, "at +{}", at - now);
        assert_eq!(receiver.count(), received, "at +{}", at - now);
    }
    assert_eq!(other.count(), 0, "not a kind it hears of");

    let deliveries = proxy.get(&format!("/webhooks/{webhook}/deliveries")).await;
    let delivery = &deliveries.ok()[0];
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["last_status"], 200);
    assert_eq!(deliveries.ok().as_array().unwrap().len(), 1);

    let (headers, body) = receiver.requests.lock().unwrap()[2].clone();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let header = headers[SIGNATURE_HEADER].to_str().unwrap();
    assert_eq!(header, format!("sha256={expected}"));
    let payload: WebhookPayload = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload.kind, tss_model::AlertKind::CannotSign);
    assert_eq!(payload.store.number, "S-1");
    assert!(
        payload.text.de.contains("kann nicht mehr signieren"),
        "{:?}",
        payload.text
    );
    assert_eq!(headers["content-type"], "application/json");
}

#[tokio::test]
async fn only_administrators_add_webhooks_and_an_address_and_a_kind_are_needed() {
    let proxy = TestProxy::start().await;
    let bad_url = json!({"url": "ftp://x", "kinds": ["tss_error"], "enabled": true});
    let refused = proxy.post("/webhooks", bad_url).await;
    refused.expect_error(422, "validation");
    assert_eq!(refused.body["error"]["field"], "url");
    let no_kinds = json!({"url": "https://example.test/hook", "kinds": [], "enabled": true});
    let refused = proxy.post("/webhooks", no_kinds).await;
    assert_eq!(refused.body["error"]["field"], "kinds");
    let good = json!({"url": "https://example.test/hook", "kinds": ["tss_error"], "enabled": true});
    let id = proxy.post("/webhooks", good.clone()).await.body["webhook"]["id"].clone();
    let off = json!({"url": "https://example.test/hook", "kinds": ["tss_error"], "enabled": false});
    assert_eq!(
        proxy.put(&format!("/webhooks/{id}"), off).await.ok()["enabled"],
        false
    );
    assert_eq!(proxy.delete(&format!("/webhooks/{id}")).await.status, 204);
    proxy
        .delete(&format!("/webhooks/{id}"))
        .await
        .expect_error(404, "not_found");

    proxy.add_user("olga", Role::Operator).await;
    proxy.log_in("olga", support::TEST_PASSWORD).await.ok();
    proxy
        .post("/webhooks", good)
        .await
        .expect_error(403, "forbidden");
    proxy.get("/webhooks").await.expect_error(403, "forbidden");
}
