//! Stores and terminals are added, edited, searched and validated through the API, with errors
//! in the API's shape and words a store manager understands.

use crate::support;

use serde_json::json;
use support::TestProxy;

#[tokio::test]
async fn a_store_is_added_edited_and_found_by_search() {
    let proxy = TestProxy::start().await;
    let created = proxy
        .post("/stores", json!({"number": "S-1", "name": "Köln Ehrenfeld", "street": "Venloer Str. 1", "city": "Köln"}))
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_i64().unwrap();
    proxy
        .post(
            "/stores",
            json!({"number": "S-2", "name": "Bonn", "street": "Markt 1", "city": "Bonn"}),
        )
        .await
        .ok();

    let edited = proxy
        .patch(&format!("/stores/{id}"), json!({"number": "S-1", "name": "Köln Ehrenfeld Süd", "street": "Venloer Str. 2", "city": "Köln"}))
        .await;
    assert_eq!(edited.ok()["name"], "Köln Ehrenfeld Süd");

    let found = proxy.get("/stores?q=k%C3%B6ln").await;
    let rows = found.ok()["items"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["number"], "S-1");
    assert_eq!(rows[0]["signing"]["readiness"], "no_active_tss");
    assert_eq!(rows[0]["signing"]["terminals"], 0);
    assert_eq!(
        proxy.get("/stores").await.ok()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A name as typed finds its store on either database (SQLite folds ASCII letters only).
    proxy
        .post(
            "/stores",
            json!({"number": "S-3", "name": "Öhringen", "street": "Markt 2", "city": "Öhringen"}),
        )
        .await
        .ok();
    let found = proxy.get("/stores?q=%C3%96hringen").await;
    assert_eq!(
        found.ok()["items"].as_array().unwrap().len(),
        1,
        "Öhringen as typed"
    );
    let found = proxy.get("/stores?q=HRINGEN").await;
    assert_eq!(
        found.ok()["items"].as_array().unwrap().len(),
        1,
        "any case of ASCII letters"
    );
}

#[tokio::test]
async fn store_input_is_checked_and_errors_say_what_is_wrong() {
    let proxy = TestProxy::start().await;
    proxy.add_store("S-1").await;
    let taken = proxy
        .post(
            "/stores",
            json!({"number": "S-1", "name": "X", "street": "Y", "city": "Z"}),
        )
        .await;
    assert!(taken.expect_error(409, "conflict").contains("S-1"));
    assert_eq!(taken.body["error"]["field"], "number");
    assert_eq!(taken.body["error"]["problem"], json!({"kind": "taken"}));
    let empty = proxy
        .post(
            "/stores",
            json!({"number": " ", "name": "X", "street": "Y", "city": "Z"}),
        )
        .await;
    assert!(empty.expect_error(422, "validation").contains("number"));
    let no_name = proxy
        .post(
            "/stores",
            json!({"number": "S-2", "name": "", "street": "Y", "city": "Z"}),
        )
        .await;
    assert!(no_name.expect_error(422, "validation").contains("name"));
    assert_eq!(no_name.body["error"]["field"], "name");
    assert_eq!(
        no_name.body["error"]["problem"],
        json!({"kind": "required"})
    );
    let long_city = proxy
        .post(
            "/stores",
            json!({"number": "S-2", "name": "X", "street": "Y", "city": "Z".repeat(61)}),
        )
        .await;
    long_city.expect_error(422, "validation");
    assert_eq!(long_city.body["error"]["field"], "city");
    assert_eq!(
        long_city.body["error"]["problem"],
        json!({"kind": "too_long", "max": 60})
    );
    let unknown_field = proxy
        .post(
            "/stores",
            json!({"number": "S-9", "name": "X", "street": "Y", "city": "Z", "colour": "red"}),
        )
        .await;
    assert!(unknown_field
        .expect_error(422, "validation")
        .contains("colour"));
    assert!(unknown_field.body["error"].get("field").is_none());
    let missing = proxy.post("/stores", json!({"number": "S-9"})).await;
    assert!(missing.expect_error(422, "validation").contains("name"));
    assert_eq!(missing.body["error"]["field"], "name");
    proxy
        .get("/stores/999")
        .await
        .expect_error(404, "not_found");
    proxy
        .get("/stores/abc")
        .await
        .expect_error(400, "bad_request");
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_api_shape() {
    let proxy = TestProxy::start().await;
    let response = reqwest::Client::new()
        .post(format!("http://{}/api/stores", proxy_addr(&proxy).await))
        .header("content-type", "application/json")
        .header("x-requested-with", "tss-console")
        .header("origin", proxy.url().trim_end_matches("/api"))
        .header("cookie", proxy.session_cookie().unwrap())
        .body("{\"number\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
}

async fn proxy_addr(proxy: &TestProxy) -> String {
    let health = proxy.get("/health").await;
    assert_eq!(health.ok()["status"], "ok");
    proxy
        .url()
        .trim_start_matches("http://")
        .trim_end_matches("/api")
        .to_owned()
}

#[tokio::test]
async fn terminals_need_a_serial_number_fiskaly_accepts_and_a_real_store() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    for (serial, reason) in [
        ("", "serial"),
        ("KASSE/1", "/"),
        (" K1", "space"),
        ("Kasse_1", "_"),
    ] {
        let reply = proxy
            .post("/terminals", json!({"number": "K1", "name": "Kasse 1", "store_id": store, "serial_number": serial}))
            .await;
        assert!(
            reply.expect_error(422, "validation").contains(reason),
            "{serial:?}"
        );
        assert_eq!(reply.body["error"]["field"], "serial_number");
        assert_eq!(reply.body["error"]["problem"]["kind"], "serial_number");
        assert!(reply.body["error"]["problem"]["reason"].is_string());
    }
    let no_store = proxy
        .post(
            "/terminals",
            json!({"number": "K1", "name": "Kasse 1", "store_id": 999, "serial_number": "SN1"}),
        )
        .await;
    assert!(no_store.expect_error(422, "validation").contains("store"));
    assert_eq!(no_store.body["error"]["field"], "store_id");
    assert_eq!(no_store.body["error"]["problem"]["kind"], "invalid");

    let id = proxy.add_terminal(store, "K1").await;
    let again = proxy
        .post(
            "/terminals",
            json!({"number": "K1", "name": "Kasse 1b", "store_id": store, "serial_number": "SN2"}),
        )
        .await;
    again.expect_error(409, "conflict");
    assert_eq!(again.body["error"]["field"], "number");
    let edited = proxy
        .patch(&format!("/terminals/{id}"), json!({"number": "K1", "name": "Kasse Eins", "store_id": store, "serial_number": "SN-NEU"}))
        .await;
    assert_eq!(edited.ok()["serial_number"], "SN-NEU");
    assert!(edited.ok()["client"].is_null());
    let listed = proxy
        .get(&format!("/terminals?store_id={store}&q=eins"))
        .await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed.ok()["items"][0]["store_number"], "S-1");
    proxy
        .get("/terminals/999")
        .await
        .expect_error(404, "not_found");
}
