//! Replace TSS and Generate Client IDs for all POS terminals that cannot sign: one action each
//! brings a store whose TSS fiskaly no longer takes (or that runs out) back to signing, terminal
//! by terminal, with one audit row for the action and one per terminal.

use crate::support;

use std::time::{SystemTime, UNIX_EPOCH};

use fiskaly_sim::When;
use serde_json::{json, Value};
use support::{inject, status, TestProxy};
use tss_model::{Role, Terminal, TssEntry, TssState};
use uuid::Uuid;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn id(tss_id: &str) -> Uuid {
    Uuid::parse_str(tss_id).unwrap()
}

async fn terminal(proxy: &TestProxy, terminal_id: i64) -> Terminal {
    let reply = proxy.get(&format!("/terminals/{terminal_id}")).await;
    serde_json::from_value(reply.ok().clone()).unwrap()
}

/// Replace TSS `tss_id` with `body`; answers the new TSS's entry once the replacement ended.
async fn replace(proxy: &TestProxy, store: i64, tss_id: &str, body: Value) -> TssEntry {
    let reply = proxy.post(&format!("/tss/{tss_id}/replace"), body).await;
    assert_eq!(reply.status, 202, "{}", reply.body);
    let new_id = reply.body["tss_id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, tss_id);
    proxy.settled(store, &new_id).await
}

/// The audit rows' (action, result), newest first.
async fn audit(proxy: &TestProxy) -> Vec<(String, String)> {
    let all = proxy.get("/audit?limit=100").await;
    all.ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |f: &str| e[f].as_str().unwrap().to_owned();
            (text("action"), text("result"))
        })
        .collect()
}

#[tokio::test]
async fn a_defective_tss_is_replaced_and_every_terminal_signs_again() {
    let proxy = TestProxy::start().await;
    let (store, old, terminals) = proxy.ready_store("S-1", 3).await;
    proxy
        .sim
        .force_state(id(&old), fiskaly_sim::TssState::Defective)
        .unwrap();
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();

    let new = replace(&proxy, store, &old, json!({})).await;
    assert_eq!(new.state, TssState::Initialized, "{new:?}");
    assert_eq!(new.operation, None, "{new:?}");
    assert_eq!(new.registered_clients, 3);
    for terminal_id in &terminals {
        let client = terminal(&proxy, *terminal_id).await.client.unwrap();
        assert_eq!(client.tss_id, new.tss_id);
        assert!(client.can_sign(), "{client:?}");
    }
    let stored = proxy.state.storage.tss_record(&new.tss_id).await.unwrap();
    assert_eq!(
        stored.unwrap().admin_puk,
        proxy.sim.admin_puk(id(&new.tss_id))
    );
    let old_entry = proxy.tss_of(store).await;
    let old_entry = old_entry.iter().find(|e| e.tss_id == old).unwrap();
    assert_eq!(old_entry.state, TssState::Defective, "not disabled");
    let summary = proxy.get("/stores").await.ok()["items"][0].clone();
    assert_eq!(summary["signing"]["readiness"], "ready");
    let rows = audit(&proxy).await;
    let replaced = rows.iter().position(|r| r.0 == "replace_tss").unwrap();
    assert_eq!(rows[replaced].1, "succeeded");
    // The replacement's row comes after the rows of the terminals it moved.
    let moved = ("generate_client".to_owned(), "succeeded".to_owned());
    assert_eq!(
        rows[replaced + 1..replaced + 4],
        [moved.clone(), moved.clone(), moved]
    );
    assert_eq!(rows[replaced + 4].0, "refresh_tss", "{rows:?}");
}

#[tokio::test]
async fn an_initialized_tss_is_disabled_only_when_that_was_confirmed() {
    let proxy = TestProxy::start().await;
    for (number, disable_old) in [("S-1", false), ("S-2", true)] {
        let (store, old, terminals) = proxy.ready_store(number, 2).await;
        proxy
            .sim
            .set_certificate_expiry(id(&old), now() + 30 * 24 * 60 * 60)
            .unwrap();
        proxy
            .post(&format!("/stores/{store}/tss/refresh"), json!({}))
            .await
            .ok();
        let new = replace(&proxy, store, &old, json!({"disable_old": disable_old})).await;
        assert_eq!(new.state, TssState::Initialized);
        let old_state = proxy.sim.tss(id(&old)).unwrap()["state"].clone();
        let expected = if disable_old {
            "DISABLED"
        } else {
            "INITIALIZED"
        };
        assert_eq!(old_state, expected, "{number}");
        for terminal_id in terminals {
            let client = terminal(&proxy, terminal_id).await.client.unwrap();
            assert_eq!(client.tss_id, new.tss_id, "{number}");
            assert!(client.can_sign());
        }
    }
}

#[tokio::test]
async fn a_working_tss_is_not_replaced_and_only_administrators_disable_on_the_way() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 1).await;
    proxy
        .post(&format!("/tss/{tss_id}/replace"), json!({}))
        .await
        .expect_error(409, "conflict");
    proxy
        .post(&format!("/tss/{}/replace", Uuid::new_v4()), json!({}))
        .await
        .expect_error(404, "not_found");
    proxy.add_user("olga", Role::Operator).await;
    proxy.log_in("olga", support::TEST_PASSWORD).await.ok();
    proxy
        .post(
            &format!("/tss/{tss_id}/replace"),
            json!({"disable_old": true}),
        )
        .await
        .expect_error(403, "forbidden");
    assert_eq!(proxy.sim.tss(id(&tss_id)).unwrap()["state"], "INITIALIZED");
}

#[tokio::test]
async fn all_terminals_that_cannot_sign_get_a_client_and_one_failure_stops_none_of_the_others() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, signing) = proxy.ready_store("S-1", 1).await;
    let mut waiting = Vec::new();
    for n in 0..4 {
        waiting.push(proxy.add_terminal(store, &format!("N{n}")).await);
    }
    // fiskaly refuses the second new registration.
    let refusal = status(400, Some("E_ILLEGAL_CLIENT_SERIAL"));
    let path = format!("/api/v2/tss/{tss_id}/client/*");
    inject(&proxy.sim, "PUT", &path, None, 1, refusal, When::Before);

    let report = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await;
    let report = report.ok().clone();
    assert_eq!(
        report["counts"],
        json!({"total": 4, "done": 3, "failed": 1})
    );
    let failed = report["failures"][0]["terminal_id"].as_i64().unwrap();
    assert!(waiting.contains(&failed));
    assert_eq!(report["failures"][0]["code"], "fiskaly");
    for terminal_id in &waiting {
        let terminal = terminal(&proxy, *terminal_id).await;
        if *terminal_id == failed {
            assert!(terminal.client.is_none());
            let text = terminal.error_text.unwrap();
            assert!(text.contains("E_ILLEGAL_CLIENT_SERIAL"), "{text}");
        } else {
            assert!(terminal.client.unwrap().can_sign());
            assert_eq!(terminal.error_text, None);
        }
    }
    assert!(terminal(&proxy, signing[0])
        .await
        .client
        .unwrap()
        .can_sign());

    // Again: only the one left gets its client, and its Error Text goes.
    let again = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await;
    assert_eq!(
        again.ok()["counts"],
        json!({"total": 1, "done": 1, "failed": 0})
    );
    let fixed = terminal(&proxy, failed).await;
    assert!(fixed.client.unwrap().can_sign());
    assert_eq!(fixed.error_text, None);
    let nothing = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await;
    assert_eq!(nothing.ok()["counts"]["total"], 0);
    let rows = audit(&proxy).await;
    assert_eq!(
        rows[0],
        ("generate_clients".to_owned(), "succeeded".to_owned())
    );
    assert_eq!(
        rows[1],
        ("generate_clients".to_owned(), "succeeded".to_owned())
    );
    assert_eq!(
        rows[2],
        ("generate_client".to_owned(), "succeeded".to_owned())
    );
    assert_eq!(
        rows[3],
        ("generate_clients".to_owned(), "failed".to_owned())
    );
}

#[tokio::test]
async fn terminals_go_to_the_emptiest_tss_and_never_to_a_full_one() {
    let proxy = TestProxy::start().await;
    let (store, first, _) = proxy.ready_store("S-1", 2).await;
    let second = proxy.generate_additional(store).await.tss_id;
    let waiting = [
        proxy.add_terminal(store, "N1").await,
        proxy.add_terminal(store, "N2").await,
        proxy.add_terminal(store, "N3").await,
    ];
    let report = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await;
    assert_eq!(report.ok()["counts"]["done"], 3);
    let mut at_second = 0;
    for terminal_id in waiting {
        if terminal(&proxy, terminal_id).await.client.unwrap().tss_id == second {
            at_second += 1;
        }
    }
    // 2 + 0 clients: the second TSS takes two, then they are even and the third goes to either.
    assert!(at_second >= 2, "{at_second}");
    assert!(proxy.tss_of(store).await.iter().any(|e| e.tss_id == first));
}

#[tokio::test]
async fn a_failed_replacement_goes_on_with_its_new_tss_and_a_replaced_tss_is_not_replaced_again() {
    let proxy = TestProxy::start().await;
    let (store, old, terminals) = proxy.ready_store("S-1", 2).await;
    proxy
        .sim
        .force_state(id(&old), fiskaly_sim::TssState::Defective)
        .unwrap();
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();
    // fiskaly refuses the first terminal's registration at the new TSS.
    let refusal = status(400, Some("E_ILLEGAL_CLIENT_SERIAL"));
    inject(
        &proxy.sim,
        "PUT",
        "/api/v2/tss/*/client/*",
        None,
        1,
        refusal,
        When::Before,
    );
    let failed = replace(&proxy, store, &old, json!({})).await;
    let operation = failed.operation.clone().expect("the failed replacement");
    assert_eq!(operation.status, tss_model::OperationStatus::Failed);
    assert!(failed.error_text.unwrap().contains("got no client"));
    assert_eq!(proxy.tss_of(store).await.len(), 2);

    let again = replace(&proxy, store, &old, json!({})).await;
    assert_eq!(again.tss_id, failed.tss_id, "no second new TSS");
    assert_eq!(again.operation, None, "{again:?}");
    assert_eq!(proxy.tss_of(store).await.len(), 2);
    for terminal_id in terminals {
        let client = terminal(&proxy, terminal_id).await.client.unwrap();
        assert_eq!(client.tss_id, again.tss_id);
        assert!(client.can_sign());
    }
    let entries = proxy.tss_of(store).await;
    let replaced = entries.iter().find(|e| e.tss_id == old).unwrap();
    assert_eq!(replaced.replaced_by.as_deref(), Some(again.tss_id.as_str()));
    let message = proxy
        .post(&format!("/tss/{old}/replace"), json!({}))
        .await
        .expect_error(409, "conflict");
    assert!(message.contains("replaced by"), "{message}");
}

#[tokio::test]
async fn a_full_tss_is_replaced_by_room_for_the_tills_that_cannot_sign_and_stays() {
    let proxy = TestProxy::start().await;
    let (store, full, _) = proxy.ready_store("S-1", 0).await;
    crate::clients::fill(&proxy, store, &full, 199).await;
    let waiting = proxy.add_terminal(store, "N1").await;
    proxy
        .post(
            &format!("/tss/{full}/replace"),
            json!({"disable_old": true}),
        )
        .await
        .expect_error(409, "conflict");
    let new = replace(&proxy, store, &full, json!({})).await;
    assert_eq!(
        new.registered_clients, 1,
        "only the till that could not sign"
    );
    let client = terminal(&proxy, waiting).await.client.unwrap();
    assert_eq!(client.tss_id, new.tss_id);
    assert!(client.can_sign());
    assert_eq!(proxy.sim.tss(id(&full)).unwrap()["state"], "INITIALIZED");
    let entries = proxy.tss_of(store).await;
    let old = entries.iter().find(|e| e.tss_id == full).unwrap();
    assert_eq!(old.registered_clients, 199, "its clients stay");
}

#[tokio::test]
async fn a_tss_whose_certificate_expired_is_replaced_but_cannot_be_disabled() {
    let proxy = TestProxy::start().await;
    let (store, old, terminals) = proxy.ready_store("S-1", 1).await;
    proxy
        .sim
        .set_certificate_expiry(id(&old), now() - 60)
        .unwrap();
    proxy
        .post(&format!("/stores/{store}/tss/refresh"), json!({}))
        .await
        .ok();
    let message = proxy
        .post(&format!("/tss/{old}/replace"), json!({"disable_old": true}))
        .await
        .expect_error(409, "conflict");
    assert!(message.contains("certificate has expired"), "{message}");
    let new = replace(&proxy, store, &old, json!({})).await;
    assert_eq!(new.operation, None, "{new:?}");
    let client = terminal(&proxy, terminals[0]).await.client.unwrap();
    assert_eq!(client.tss_id, new.tss_id);
    assert!(client.can_sign());
    let summary = proxy.get("/stores").await.ok()["items"][0].clone();
    assert_eq!(summary["signing"]["readiness"], "ready");
    assert!(
        summary["certificate_expires_at"].as_i64().unwrap() > now(),
        "the replaced TSS's certificate no longer counts"
    );
}

#[tokio::test]
async fn all_tills_fill_a_tss_with_198_clients_to_199_and_then_ask_for_a_new_tss() {
    let proxy = TestProxy::start().await;
    let (store, tss_id, _) = proxy.ready_store("S-1", 0).await;
    crate::clients::fill(&proxy, store, &tss_id, 198).await;
    let last = proxy.add_terminal(store, "N1").await;
    let report = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await;
    assert_eq!(
        report.ok()["counts"],
        json!({"total": 1, "done": 1, "failed": 0})
    );
    assert_eq!(terminal(&proxy, last).await.client.unwrap().tss_id, tss_id);
    proxy.add_terminal(store, "N2").await;
    let message = proxy
        .post(&format!("/stores/{store}/clients"), json!({}))
        .await
        .expect_error(409, "conflict");
    assert!(message.contains("generate a new TSS"), "{message}");
}
