//! What every answer looks like: fiskaly's error body, a `request-id`, 413 above 1 MB, 400 for
//! malformed bodies, 432 on the non-middleware host.

use crate::support;

use fiskaly_sim::{SimConfig, TssState};
use reqwest::Method;
use serde_json::json;
use support::{test_config, Fiskaly};

#[tokio::test]
async fn every_answer_has_a_request_id() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let replies = [
        fiskaly.get(&format!("/tss/{}", tss.id)).await,
        fiskaly.get("/tss/not-a-uuid").await,
        fiskaly.get("/no/such/endpoint").await,
    ];
    let mut ids: Vec<_> = replies
        .iter()
        .map(|r| r.request_id.clone().expect("request-id"))
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "request ids repeat");
    replies[2].expect_error(404, "E_NOT_FOUND");
}

#[tokio::test]
async fn bodies_over_one_megabyte_are_413() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let huge = json!({"metadata": {"blob": "x".repeat(1_100_000)}});
    fiskaly
        .put(&format!("/tss/{}", tss.id), huge)
        .await
        .expect_error(413, "E_PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn malformed_bodies_fail_schema_validation() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    let url = format!("{}/tss/{}", fiskaly.sim.base_url(), tss.id);
    let raw = fiskaly
        .http
        .request(Method::PATCH, url)
        .bearer_auth(&fiskaly.token)
        .header("content-type", "application/json")
        .body("{\"state\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "E_FAILED_SCHEMA_VALIDATION");
    for bad in [
        json!({"state": 7}),
        json!({"state": "READY"}),
        json!({"colour": "red"}),
        json!([1, 2]),
    ] {
        fiskaly
            .patch(&format!("/tss/{}", tss.id), bad)
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
}

#[tokio::test]
async fn the_other_host_serves_reads_auth_and_creation_only() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        middleware: false,
        ..test_config()
    })
    .await;
    let tss = fiskaly.create_tss().await;
    fiskaly.get(&format!("/tss/{}", tss.id)).await.ok();
    fiskaly
        .set_state(&tss, "UNINITIALIZED")
        .await
        .expect_error(432, "E_USE_MIDDLEWARE");
    fiskaly
        .set_pin(&tss)
        .await
        .expect_error(432, "E_USE_MIDDLEWARE");
}
