//! fiskaly-side events and trouble, through the control API: forced states, an expired
//! certificate, injected errors, delays and dropped connections, latency, and call counters.

use crate::support;

use std::time::{Duration, Instant};

use fiskaly_sim::{SimConfig, TssState};
use serde_json::json;
use support::{test_config, Fiskaly};

#[tokio::test]
async fn a_tss_fiskaly_took_out_of_service_can_be_read_but_not_changed() {
    let fiskaly = Fiskaly::start().await;
    for (state, code) in [
        ("DEFECTIVE", "E_TSS_DEFECTIVE"),
        ("DELETED", "E_TSS_DELETED"),
        ("EVICTED", "E_TSS_EVICTED"),
    ] {
        let tss = fiskaly.tss_in(TssState::Initialized).await;
        let forced = fiskaly
            .post(
                &format!("/_sim/tss/{}/state", tss.id),
                json!({"state": state}),
            )
            .await;
        assert_eq!(forced.ok()["state"], state);
        let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
        assert_eq!(read.ok()["state"], state);
        fiskaly.admin_login(&tss).await.expect_error(423, code);
        fiskaly.set_pin(&tss).await.expect_error(423, code);
        fiskaly
            .set_state(&tss, "DISABLED")
            .await
            .expect_error(423, code);
        fiskaly
            .register_client(&tss, "KASSE-01")
            .await
            .1
            .expect_error(423, code);
    }
    let defective = fiskaly.tss_in(TssState::Defective).await;
    let body = fiskaly.get(&format!("/tss/{}", defective.id)).await;
    assert!(body.ok()["time_defective"].is_i64());
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly
        .post(
            &format!("/_sim/tss/{}/state", tss.id),
            json!({"state": "INITIALIZED"}),
        )
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
}

#[tokio::test]
async fn an_expired_certificate_stops_every_change() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly
        .post(
            &format!("/_sim/tss/{}/expire-certificate", tss.id),
            json!({}),
        )
        .await
        .ok();
    fiskaly
        .register_client(&tss, "KASSE-01")
        .await
        .1
        .expect_error(423, "E_CERTIFICATE_EXPIRED");
    fiskaly
        .set_state(&tss, "DISABLED")
        .await
        .expect_error(423, "E_CERTIFICATE_EXPIRED");
}

#[tokio::test]
async fn injected_errors_strike_the_next_n_matching_calls() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let rule = json!({
        "method": "GET", "path": "/api/v2/tss/*", "count": 2,
        "fault": {"kind": "status", "status": 503, "code": "E_TSS_LOCKED", "retry_after": 3}
    });
    assert_eq!(fiskaly.post("/_sim/faults", rule).await.status, 204);
    let path = format!("/tss/{}", tss.id);
    for _ in 0..2 {
        let reply = fiskaly.get(&path).await;
        reply.expect_error(503, "E_TSS_LOCKED");
        assert_eq!(reply.retry_after.as_deref(), Some("3"));
    }
    fiskaly.get(&path).await.ok();

    for (status, code) in [
        (429, "E_TOO_MANY_REQUESTS"),
        (444, "E_MIDDLEWARE_PENDING_REQUEST"),
        (500, "E_INTERNAL_SERVER_ERROR"),
    ] {
        let rule = json!({"path": "/api/v2/tss/**", "count": 1, "fault": {"kind": "status", "status": status}});
        fiskaly.post("/_sim/faults", rule).await;
        fiskaly.get(&path).await.expect_error(status, code);
    }
    let rule =
        json!({"path": "/api/v2/tss/**", "count": 5, "fault": {"kind": "status", "status": 500}});
    fiskaly.post("/_sim/faults", rule).await;
    fiskaly
        .call(reqwest::Method::DELETE, "/_sim/faults", None)
        .await;
    fiskaly.get(&path).await.ok();
}

#[tokio::test]
async fn a_fault_can_strike_only_calls_asking_for_one_state() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let rule = json!({
        "method": "PATCH", "path": "/api/v2/tss/*", "state": "INITIALIZED", "count": 1,
        "fault": {"kind": "status", "status": 500}
    });
    fiskaly.post("/_sim/faults", rule).await;
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    fiskaly.set_pin(&tss).await.ok();
    fiskaly.admin_login(&tss).await.ok();
    fiskaly
        .set_state(&tss, "INITIALIZED")
        .await
        .expect_error(500, "E_INTERNAL_SERVER_ERROR");
    fiskaly.set_state(&tss, "INITIALIZED").await.ok();
}

#[tokio::test]
async fn an_error_after_the_work_leaves_the_work_done() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let rule = json!({
        "method": "PATCH", "path": "/api/v2/tss/*", "count": 1,
        "fault": {"kind": "status", "status": 502, "when": "after"}
    });
    fiskaly.post("/_sim/faults", rule).await;
    fiskaly
        .set_state(&tss, "DISABLED")
        .await
        .expect_error(502, "E_INTERNAL_SERVER_ERROR");
    let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert_eq!(read.ok()["state"], "DISABLED");
}

#[tokio::test]
async fn a_dropped_connection_gives_no_answer_and_may_have_done_the_work() {
    let fiskaly = Fiskaly::start().await;
    let before = fiskaly.create_tss().await;
    let after = fiskaly.create_tss().await;
    for (tss, when, done) in [
        (&before, "before", "CREATED"),
        (&after, "after", "UNINITIALIZED"),
    ] {
        let rule = json!({
            "method": "PATCH", "path": format!("/api/v2/tss/{}", tss.id), "count": 1,
            "fault": {"kind": "drop", "when": when}
        });
        fiskaly.post("/_sim/faults", rule).await;
        let sent = fiskaly
            .send_state_change(tss, "UNINITIALIZED", Duration::from_secs(10))
            .await;
        assert!(sent.is_err(), "a dropped connection answered: {sent:?}");
        let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
        assert_eq!(read.ok()["state"], done, "drop {when}");
    }
}

#[tokio::test]
async fn a_call_that_outlasts_the_callers_timeout_still_takes_effect() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let rule = json!({
        "path": format!("/api/v2/tss/{}", tss.id), "method": "PATCH", "count": 1,
        "fault": {"kind": "delay", "ms": 2000, "when": "after"}
    });
    fiskaly.post("/_sim/faults", rule).await;
    let sent = fiskaly
        .send_state_change(&tss, "UNINITIALIZED", Duration::from_millis(300))
        .await;
    assert!(sent.unwrap_err().is_timeout());
    let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert_eq!(read.ok()["state"], "UNINITIALIZED");
}

#[tokio::test]
async fn a_change_while_the_slow_deploy_runs_is_444_and_the_deploy_finishes() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        deploy_latency: Duration::from_millis(600),
        ..test_config()
    })
    .await;
    let tss = fiskaly.create_tss().await;
    let (deploy, second) = tokio::join!(fiskaly.set_state(&tss, "UNINITIALIZED"), async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        fiskaly.set_state(&tss, "UNINITIALIZED").await
    });
    assert_eq!(deploy.ok()["state"], "UNINITIALIZED");
    second.expect_error(444, "E_MIDDLEWARE_PENDING_REQUEST");
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
}

#[tokio::test]
async fn latency_is_applied_to_every_call_and_the_deploy_takes_longer() {
    let fiskaly = Fiskaly::start().await;
    let latency = json!({"latency_ms": 100, "deploy_latency_ms": 300});
    assert_eq!(
        fiskaly
            .call(reqwest::Method::PUT, "/_sim/latency", Some(latency))
            .await
            .status,
        204
    );
    let started = Instant::now();
    let tss = fiskaly.create_tss().await;
    assert!(started.elapsed() >= Duration::from_millis(100));
    let started = Instant::now();
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn calls_are_counted_per_method_and_path_with_the_requested_state() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly.set_state(&tss, "DISABLED").await.ok();
    let calls = fiskaly.get("/_sim/calls").await;
    let path = format!("/api/v2/tss/{}", tss.id);
    assert_eq!(calls.ok()["counts"][format!("PUT {path}")], 1);
    assert_eq!(calls.ok()["counts"][format!("PATCH {path}")], 3);
    assert_eq!(calls.ok()["counts"]["POST /api/v2/auth"], 1);
    let disables = fiskaly
        .sim
        .control()
        .calls()
        .iter()
        .filter(|c| c.path == path && c.state.as_deref() == Some("DISABLED"))
        .count();
    assert_eq!(disables, 1);
    fiskaly
        .call(reqwest::Method::DELETE, "/_sim/calls", None)
        .await;
    assert_eq!(fiskaly.get("/_sim/calls").await.ok()["counts"], json!({}));
}

#[tokio::test]
async fn the_control_api_is_off_unless_enabled() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        control: false,
        ..test_config()
    })
    .await;
    fiskaly
        .get("/_sim/calls")
        .await
        .expect_error(404, "E_NOT_FOUND");
}
