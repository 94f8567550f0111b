//! The audit log: one row per change with its result, newest first, filtered and paged; the
//! database refuses to change or remove a row.

use crate::support;

use serde_json::{json, Value};
use support::TestProxy;

fn actions(events: &Value) -> Vec<(String, String)> {
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["result"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_change_leaves_one_row_with_its_result() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    proxy
        .patch(
            &format!("/stores/{store}"),
            json!({"number": "S-1", "name": "Neu", "street": "Y", "city": "Z"}),
        )
        .await
        .ok();
    proxy
        .post(
            "/stores",
            json!({"number": "S-1", "name": "Doppelt", "street": "Y", "city": "Z"}),
        )
        .await
        .expect_error(409, "conflict");
    let terminal = proxy.add_terminal(store, "K1").await;
    let tss = proxy.generate(store).await;
    proxy
        .post(&format!("/terminals/{terminal}/client"), json!({}))
        .await
        .ok();
    proxy
        .post(&format!("/tss/{}/disable", tss.tss_id), json!({}))
        .await
        .expect_error(400, "confirmation_required");
    proxy.disable(&tss.tss_id).await.ok();

    let all = proxy.get("/audit").await;
    let expected: Vec<(String, String)> = [
        ("disable_tss", "succeeded"),
        ("disable_tss", "failed"),
        ("generate_client", "succeeded"),
        ("generate_tss", "succeeded"),
        ("create_terminal", "succeeded"),
        ("create_store", "failed"),
        ("update_store", "succeeded"),
        ("create_store", "succeeded"),
        ("login", "succeeded"),
    ]
    .into_iter()
    .map(|(a, r)| (a.to_owned(), r.to_owned()))
    .collect();
    assert_eq!(actions(all.ok()), expected);
    let failed = &all.ok()[5];
    assert!(failed["error"].as_str().unwrap().contains("S-1"));
    assert_eq!(all.ok()[0]["tss_id"], tss.tss_id.as_str());
    assert!(all
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor"] == "admin"));
    let request_id = |i: usize| all.ok()[i]["fiskaly_request_id"].clone();
    assert!(
        request_id(0).is_string(),
        "the disable names fiskaly's request-id"
    );
    assert!(request_id(3).is_string(), "so does the generate");
    assert!(request_id(7).is_null(), "creating a store calls no fiskaly");

    let stores = proxy.get("/audit?action=create_store").await;
    assert_eq!(stores.ok().as_array().unwrap().len(), 2);
    let page = proxy.get("/audit?limit=2").await;
    let last_id = page.ok()[1]["id"].as_i64().unwrap();
    let next = proxy
        .get(&format!("/audit?limit=2&before_id={last_id}"))
        .await;
    assert_eq!(actions(next.ok()), expected[2..4].to_vec());
    assert!(all.ok()[1]["error"]
        .as_str()
        .unwrap()
        .contains("cannot be undone"));
    assert_eq!(all.ok()[1]["tss_id"], tss.tss_id.as_str());
    assert!(all.ok()[1]["error"]
        .as_str()
        .unwrap()
        .contains("cannot be undone"));
    proxy
        .get("/audit?limit=0")
        .await
        .expect_error(422, "validation");
    proxy
        .get("/audit?colour=red")
        .await
        .expect_error(400, "bad_request");
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_audit_rows() {
    let proxy = TestProxy::start().await;
    proxy.add_store("S-1").await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&proxy.database.url()).await.unwrap();
    let update = sqlx::query("UPDATE events SET result = 'failed'")
        .execute(&pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("never changed"));
    let delete = sqlx::query("DELETE FROM events").execute(&pool).await;
    assert!(delete.unwrap_err().to_string().contains("never removed"));
    assert_eq!(
        proxy.get("/audit").await.ok().as_array().unwrap().len(),
        2,
        "the login and the store"
    );
}
