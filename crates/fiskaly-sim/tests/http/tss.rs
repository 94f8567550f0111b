//! The TSS endpoints: creation and its PUK, the full transition matrix, fields, lists, metadata.

use crate::support;

use fiskaly_sim::TssState;
use serde_json::{json, Value};
use support::Fiskaly;
use uuid::Uuid;

#[tokio::test]
async fn the_puk_is_shown_only_while_created_and_repeating_put_is_safe_until_then() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    assert_eq!(tss.puk.len(), 10);
    assert!(tss.puk.chars().all(|c| c.is_ascii_digit()));

    let again = fiskaly.put(&format!("/tss/{}", tss.id), json!({})).await;
    assert_eq!(again.ok()["admin_puk"], tss.puk.as_str());
    assert_eq!(again.ok()["state"], "CREATED");

    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert!(
        read.ok().get("admin_puk").is_none(),
        "PUK readable after CREATED"
    );
    fiskaly
        .put(&format!("/tss/{}", tss.id), json!({}))
        .await
        .expect_error(409, "E_TSS_CONFLICT");
}

#[tokio::test]
async fn a_tss_carries_every_documented_field() {
    let fiskaly = Fiskaly::start().await;
    let created = fiskaly.tss_in(TssState::Created).await;
    let body = fiskaly
        .get(&format!("/tss/{}", created.id))
        .await
        .ok()
        .clone();
    for field in [
        "_id",
        "_type",
        "_env",
        "_version",
        "state",
        "serial_number",
        "certificate",
        "public_key",
        "signature_algorithm",
        "signature_timestamp_format",
        "transaction_data_encoding",
        "max_number_registered_clients",
        "max_number_active_transactions",
        "supported_update_variants",
        "signature_counter",
        "transaction_counter",
        "number_registered_clients",
        "number_active_transactions",
        "metadata",
        "time_creation",
    ] {
        assert!(body.get(field).is_some(), "{field} missing");
    }
    assert_eq!(body["_type"], "TSS");
    assert_eq!(body["_env"], "TEST");
    assert_eq!(body["signature_algorithm"], "ecdsa-plain-SHA256");
    assert_eq!(body["signature_timestamp_format"], "unixTime");
    assert_eq!(body["transaction_data_encoding"], "UTF-8");
    assert_eq!(body["max_number_registered_clients"], 199);
    assert_eq!(body["max_number_active_transactions"], 2000);
    assert_eq!(body["supported_update_variants"], "SIGNED");
    assert!(body["signature_counter"].is_string() && body["transaction_counter"].is_string());
    let serial = body["serial_number"].as_str().unwrap();
    assert!(serial.len() == 64 && serial.chars().all(|c| c.is_ascii_hexdigit()));
    use base64::Engine;
    for field in ["certificate", "public_key"] {
        let text = body[field].as_str().unwrap();
        assert!(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .is_ok(),
            "{field}"
        );
    }
    for absent in [
        "time_init",
        "time_disable",
        "bsi_certification_id",
        "time_uninit",
    ] {
        assert!(body.get(absent).is_none(), "{absent} present while CREATED");
    }

    let initialized = fiskaly.tss_in(TssState::Initialized).await;
    let body = fiskaly
        .get(&format!("/tss/{}", initialized.id))
        .await
        .ok()
        .clone();
    assert!(body["bsi_certification_id"].is_string());
    let uninit = body["time_uninit"].as_i64().unwrap();
    let init = body["time_init"].as_i64().unwrap();
    assert!(uninit >= body["time_creation"].as_i64().unwrap() && init >= uninit);
    assert!(body.get("time_disable").is_none());
    let counter: u64 = body["signature_counter"].as_str().unwrap().parse().unwrap();
    assert!(counter > 0, "system logs are signed and counted");
    assert_eq!(
        body["description"],
        format!("fiskaly sign cloud-TSE ({})", initialized.id)
    );
}

#[tokio::test]
async fn ids_are_answered_in_lower_case_and_found_in_any_case() {
    let fiskaly = Fiskaly::start().await;
    let id = Uuid::new_v4();
    let upper = id.to_string().to_uppercase();
    let created = fiskaly.put(&format!("/tss/{upper}"), json!({})).await;
    assert_eq!(created.ok()["_id"], id.to_string());
    let read = fiskaly.get(&format!("/tss/{upper}")).await;
    assert_eq!(read.ok()["_id"], id.to_string());
    fiskaly
        .get("/tss/not-a-uuid")
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .get(&format!("/tss/{}", Uuid::new_v4()))
        .await
        .expect_error(404, "E_TSS_NOT_FOUND");
}

/// What `PATCH /tss/{id}` answers for `from → to`, by fiskaly's rules.
fn expected(from: &TssState, to: &TssState) -> Result<(), (u16, &'static str)> {
    use TssState::*;
    match (from, to) {
        (Deleted, _) => Err((423, "E_TSS_DELETED")),
        (Defective, _) => Err((423, "E_TSS_DEFECTIVE")),
        (Evicted, _) => Err((423, "E_TSS_EVICTED")),
        (from, to) if from == to => Ok(()),
        (Created, Uninitialized)
        | (Uninitialized, Initialized)
        | (Uninitialized, Disabled)
        | (Initialized, Disabled) => Ok(()),
        _ => Err((400, "E_ILLEGAL_TSS_STATE_CHANGE")),
    }
}

#[tokio::test]
async fn the_transition_matrix_covers_every_pair() {
    let fiskaly = Fiskaly::start().await;
    let mut checked = 0;
    for from in TssState::ALL {
        for to in TssState::ALL {
            let tss = fiskaly.tss_in(from).await;
            let reply = fiskaly.set_state(&tss, to.as_str()).await;
            match expected(&from, &to) {
                Ok(()) => assert_eq!(reply.ok()["state"], to.as_str(), "{from} → {to}"),
                Err((status, code)) => {
                    assert_eq!(
                        (reply.status, reply.body["code"].as_str()),
                        (status, Some(code)),
                        "{from} → {to}"
                    );
                    let now = fiskaly.get(&format!("/tss/{}", tss.id)).await;
                    assert_eq!(
                        now.ok()["state"],
                        from.as_str(),
                        "{from} changed after a refused {to}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 49);
}

#[tokio::test]
async fn initializing_and_disabling_need_an_admin_login() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    fiskaly.set_pin(&tss).await.ok();
    for target in ["INITIALIZED", "DISABLED"] {
        fiskaly
            .set_state(&tss, target)
            .await
            .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
    }
    fiskaly.admin_login(&tss).await.ok();
    fiskaly.set_state(&tss, "INITIALIZED").await.ok();
    fiskaly
        .post(&format!("/tss/{}/admin/logout", tss.id), json!({}))
        .await
        .ok();
    fiskaly
        .set_state(&tss, "DISABLED")
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}

#[tokio::test]
async fn a_description_is_set_only_on_initialisation_and_must_fit_the_pattern() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    let path = format!("/tss/{}", tss.id);
    fiskaly
        .patch(&path, json!({"description": "Filiale 12"}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .patch(
            &path,
            json!({"state": "INITIALIZED", "description": "Filiale_12 ü"}),
        )
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .patch(
            &path,
            json!({"state": "INITIALIZED", "description": "x".repeat(101)}),
        )
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    let reply = fiskaly
        .patch(
            &path,
            json!({"state": "INITIALIZED", "description": "Filiale 12 (Berlin-Mitte), Kasse 1/2"}),
        )
        .await;
    assert_eq!(
        reply.ok()["description"],
        "Filiale 12 (Berlin-Mitte), Kasse 1/2"
    );
}

#[tokio::test]
async fn disabling_sets_its_time_and_is_permanent() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let disabled = fiskaly.set_state(&tss, "DISABLED").await;
    assert!(disabled.ok()["time_disable"].as_i64().is_some());
    for back in ["INITIALIZED", "UNINITIALIZED"] {
        fiskaly
            .set_state(&tss, back)
            .await
            .expect_error(400, "E_ILLEGAL_TSS_STATE_CHANGE");
    }
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_list_filters_orders_and_pages() {
    let fiskaly = Fiskaly::start().await;
    let created = fiskaly.tss_in(TssState::Created).await;
    let initialized = fiskaly.tss_in(TssState::Initialized).await;
    let disabled = fiskaly.tss_in(TssState::Disabled).await;
    let deleted = fiskaly.tss_in(TssState::Deleted).await;

    let all = fiskaly.get("/tss").await;
    assert_eq!(all.ok()["_type"], "TSS_LIST");
    assert_eq!(all.ok()["count"], 3, "deleted TSS are hidden");
    let with_deleted = fiskaly.get("/tss?show_deleted=true").await;
    assert!(ids(with_deleted.ok()).contains(&deleted.id.to_string()));

    let indexed = fiskaly
        .get("/tss?states[0]=DISABLED&states[1]=INITIALIZED")
        .await;
    let repeated = fiskaly.get("/tss?states=DISABLED&states=INITIALIZED").await;
    let mut expected = vec![initialized.id.to_string(), disabled.id.to_string()];
    expected.sort();
    for reply in [indexed, repeated] {
        let mut got = ids(reply.ok());
        got.sort();
        assert_eq!(got, expected);
    }

    let by_state = fiskaly.get("/tss?order_by=state&order=desc").await;
    let states: Vec<_> = by_state.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["INITIALIZED", "DISABLED", "CREATED"]);

    let page = fiskaly.get("/tss?order_by=state&limit=1&offset=1").await;
    assert_eq!(ids(page.ok()), [disabled.id.to_string()]);
    assert_eq!(page.ok()["count"], 1);
    assert!(!ids(fiskaly.get("/tss?states=CREATED").await.ok()).is_empty());
    let _ = created;

    for bad in [
        "limit=0",
        "limit=101",
        "order=up",
        "order_by=colour",
        "offset=-1",
    ] {
        fiskaly
            .get(&format!("/tss?{bad}"))
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
}

#[tokio::test]
async fn metadata_merges_accepts_null_and_empty_and_has_limits() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    let path = format!("/tss/{}/metadata", tss.id);
    fiskaly
        .patch(&path, json!({"store": "12", "note": ""}))
        .await
        .ok();
    fiskaly
        .patch(&path, json!({"cleared": null, "store": "13"}))
        .await
        .ok();
    let metadata = fiskaly.get(&path).await.ok().clone();
    assert_eq!(
        metadata,
        json!({"store": "13", "note": "", "cleared": null})
    );

    let too_many: serde_json::Map<String, Value> =
        (0..41).map(|i| (format!("k{i}"), json!("v"))).collect();
    fiskaly
        .patch(&path, Value::Object(too_many))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .patch(&path, json!({"long": "v".repeat(501)}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .patch(&path, json!({"k".repeat(41): "v"}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    let via_tss = fiskaly
        .patch(
            &format!("/tss/{}", tss.id),
            json!({"metadata": {"lane": "3"}}),
        )
        .await;
    assert_eq!(via_tss.ok()["metadata"]["lane"], "3");
    assert_eq!(via_tss.ok()["metadata"]["store"], "13");
}
