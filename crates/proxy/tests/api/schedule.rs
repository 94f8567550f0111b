//! The nightly refresh: started by the console itself once a day at the time set (Europe/Berlin),
//! once however many replicas look at the clock; the schedule is the administrators' to set. The
//! clock is handed in: no test waits for a time of day.

use crate::support;

use std::time::Duration;

use jiff::Timestamp;
use serde_json::json;
use support::{proxy_state, TestProxy};
use tss_model::{FleetRefresh, Role};
use tss_proxy::schedule;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Waits until the refresh of every TSS has ended.
async fn ended(proxy: &TestProxy) -> FleetRefresh {
    for _ in 0..300 {
        let run = proxy.state.storage.latest_fleet_refresh().await.unwrap();
        if let Some(run) = run.filter(|run| !run.is_running()) {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the nightly refresh never ended");
}

#[tokio::test]
async fn the_nightly_refresh_starts_once_a_day_at_its_time_whichever_replica_looks() {
    let proxy = TestProxy::start().await;
    proxy.ready_store("S-1", 1).await;
    let operations = &proxy.state.operations;
    // 03:00 in Berlin on 7 December is 02:00 UTC.
    let before = schedule::look(operations, at("2026-12-07T01:59:00Z")).await;
    assert!(before.unwrap().is_none());
    let started = schedule::look(operations, at("2026-12-07T02:00:30Z"))
        .await
        .unwrap()
        .expect("started at 03:00");
    assert_eq!(started.requested_by, schedule::SCHEDULER);
    let run = ended(&proxy).await;
    assert_eq!((run.total, run.read, run.failed), (1, 1, 0));

    let other_replica = proxy_state(&proxy.database, &proxy.sim).await;
    for (operations, time) in [
        (&other_replica.operations, "2026-12-07T02:01:00Z"),
        (&proxy.state.operations, "2026-12-07T05:00:00Z"),
    ] {
        let again = schedule::look(operations, at(time)).await.unwrap();
        assert!(again.is_none(), "once on 7 December ({time})");
    }
    let next_day = schedule::look(&other_replica.operations, at("2026-12-08T02:00:00Z")).await;
    assert!(next_day.unwrap().is_some(), "again on 8 December");
    ended(&proxy).await;
}

#[tokio::test]
async fn administrators_set_the_time_or_switch_it_off() {
    let proxy = TestProxy::start().await;
    let default = proxy.get("/settings/schedule").await;
    assert_eq!(default.ok(), &json!({"enabled": true, "time": "03:00"}));
    let off = json!({"enabled": false, "time": "04:30"});
    assert_eq!(
        proxy.put("/settings/schedule", off.clone()).await.ok(),
        &off
    );
    assert_eq!(proxy.get("/settings/schedule").await.ok(), &off);
    let switched_off = schedule::look(&proxy.state.operations, at("2026-12-07T03:45:00Z")).await;
    assert!(switched_off.unwrap().is_none());

    let bad = proxy
        .put(
            "/settings/schedule",
            json!({"enabled": true, "time": "25:00"}),
        )
        .await;
    bad.expect_error(422, "validation");
    assert_eq!(bad.body["error"]["field"], "time");
    let on = json!({"enabled": true, "time": "04:30"});
    proxy.put("/settings/schedule", on).await.ok();
    let started = schedule::look(&proxy.state.operations, at("2026-12-07T03:45:00Z")).await;
    assert!(started.unwrap().is_some(), "04:30 in Berlin is 03:30 UTC");

    proxy.add_user("olga", Role::Operator).await;
    proxy.log_in("olga", support::TEST_PASSWORD).await.ok();
    proxy
        .put(
            "/settings/schedule",
            json!({"enabled": false, "time": "03:00"}),
        )
        .await
        .expect_error(403, "forbidden");
}
