//! Clients: registration needs an admin login and an INITIALIZED TSS; serial numbers follow
//! DSFinV-K and are unique per TSS; client IDs are unique everywhere; the registered-client limit.

use crate::support;

use fiskaly_sim::{SimConfig, TssState};
use serde_json::json;
use support::{test_config, Fiskaly};
use uuid::Uuid;

#[tokio::test]
async fn a_pos_device_registers_at_an_initialized_tss() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, reply) = fiskaly.register_client(&tss, "KASSE-01").await;
    let client = reply.ok();
    assert_eq!(client["_id"], client_id.to_string());
    assert_eq!(client["_type"], "CLIENT");
    assert_eq!(client["state"], "REGISTERED");
    assert_eq!(client["tss_id"], tss.id.to_string());
    assert_eq!(client["serial_number"], "KASSE-01");
    assert!(client["time_creation"].is_i64() && client["time_update"].is_i64());
    let read = fiskaly
        .get(&format!("/tss/{}/client/{client_id}", tss.id))
        .await;
    assert_eq!(read.ok(), client);
    let tss_body = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert_eq!(tss_body.ok()["number_registered_clients"], 1);
}

#[tokio::test]
async fn registration_needs_an_admin_login_and_an_initialized_tss() {
    let fiskaly = Fiskaly::start().await;
    let uninitialized = fiskaly.tss_in(TssState::Uninitialized).await;
    let (_, reply) = fiskaly.register_client(&uninitialized, "KASSE-01").await;
    reply.expect_error(400, "E_TSS_NOT_INITIALIZED");
    let disabled = fiskaly.tss_in(TssState::Disabled).await;
    let (_, reply) = fiskaly.register_client(&disabled, "KASSE-01").await;
    reply.expect_error(400, "E_TSS_DISABLED");

    let initialized = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly
        .post(&format!("/tss/{}/admin/logout", initialized.id), json!({}))
        .await
        .ok();
    let (_, reply) = fiskaly.register_client(&initialized, "KASSE-01").await;
    reply.expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}

#[tokio::test]
async fn serial_numbers_follow_the_rules_and_are_unique_per_tss() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    for bad in [
        "",
        " KASSE",
        "KASSE ",
        "KASSE/1",
        "KASSE_1",
        &"9".repeat(71),
    ] {
        let (_, reply) = fiskaly.register_client(&tss, bad).await;
        reply.expect_error(400, "E_ILLEGAL_CLIENT_SERIAL");
    }
    fiskaly.register_client(&tss, "KASSE-01").await.1.ok();
    let (_, duplicate) = fiskaly.register_client(&tss, "KASSE-01").await;
    duplicate.expect_error(400, "E_ILLEGAL_CLIENT_SERIAL");
    let other = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly.register_client(&other, "KASSE-01").await.1.ok();
}

#[tokio::test]
async fn a_client_id_is_unique_across_all_tss_and_repeating_the_put_is_safe() {
    let fiskaly = Fiskaly::start().await;
    let first = fiskaly.tss_in(TssState::Initialized).await;
    let second = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, reply) = fiskaly.register_client(&first, "KASSE-01").await;
    let created = reply.ok().clone();
    let path = format!("/tss/{}/client/{client_id}", first.id);
    let again = fiskaly
        .put(&path, json!({"serial_number": "KASSE-01"}))
        .await;
    assert_eq!(again.ok(), &created);
    fiskaly
        .put(&path, json!({"serial_number": "KASSE-02"}))
        .await
        .expect_error(409, "E_CLIENT_CONFLICT");
    fiskaly
        .put(
            &format!("/tss/{}/client/{client_id}", second.id),
            json!({"serial_number": "KASSE-01"}),
        )
        .await
        .expect_error(409, "E_CLIENT_CONFLICT");
}

#[tokio::test]
async fn the_registered_client_limit_holds_for_new_and_re_registered_clients() {
    let config = SimConfig {
        max_registered_clients: 2,
        ..test_config()
    };
    let fiskaly = Fiskaly::start_with(config).await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (first, _) = fiskaly.register_client(&tss, "KASSE-01").await;
    fiskaly.register_client(&tss, "KASSE-02").await.1.ok();
    let (_, third) = fiskaly.register_client(&tss, "KASSE-03").await;
    third.expect_error(403, "E_CLIENT_LIMIT_REACHED");

    let path = format!("/tss/{}/client/{first}", tss.id);
    fiskaly
        .patch(&path, json!({"state": "DEREGISTERED"}))
        .await
        .ok();
    fiskaly.register_client(&tss, "KASSE-03").await.1.ok();
    fiskaly
        .patch(&path, json!({"state": "REGISTERED"}))
        .await
        .expect_error(403, "E_CLIENT_LIMIT_REACHED");
}

#[tokio::test]
async fn deregistering_is_not_permanent_but_a_disabled_tss_freezes_its_clients() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, _) = fiskaly.register_client(&tss, "KASSE-01").await;
    let path = format!("/tss/{}/client/{client_id}", tss.id);
    let off = fiskaly.patch(&path, json!({"state": "DEREGISTERED"})).await;
    assert_eq!(off.ok()["state"], "DEREGISTERED");
    let on = fiskaly.patch(&path, json!({"state": "REGISTERED"})).await;
    assert_eq!(on.ok()["state"], "REGISTERED");
    fiskaly
        .patch(&path, json!({"state": "PAUSED"}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");

    fiskaly.set_state(&tss, "DISABLED").await.ok();
    fiskaly
        .admin_login(&tss)
        .await
        .expect_error(400, "E_TSS_DISABLED");
    fiskaly
        .patch(&path, json!({"state": "DEREGISTERED"}))
        .await
        .expect_error(400, "E_TSS_DISABLED");
    let after = fiskaly.get(&path).await;
    assert_eq!(
        after.ok()["state"],
        "REGISTERED",
        "the simulator does not deregister on disable"
    );
}

#[tokio::test]
async fn client_changes_need_an_admin_login() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, _) = fiskaly.register_client(&tss, "KASSE-01").await;
    fiskaly
        .post(&format!("/tss/{}/admin/logout", tss.id), json!({}))
        .await
        .ok();
    fiskaly
        .patch(
            &format!("/tss/{}/client/{client_id}", tss.id),
            json!({"state": "DEREGISTERED"}),
        )
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}

#[tokio::test]
async fn clients_are_listed_per_tss_and_for_the_whole_organisation() {
    let fiskaly = Fiskaly::start().await;
    let first = fiskaly.tss_in(TssState::Initialized).await;
    let second = fiskaly.tss_in(TssState::Initialized).await;
    let (b, _) = fiskaly.register_client(&first, "B-KASSE").await;
    let (a, _) = fiskaly.register_client(&first, "A-KASSE").await;
    fiskaly.register_client(&second, "C-KASSE").await.1.ok();
    fiskaly
        .patch(
            &format!("/tss/{}/client/{b}", first.id),
            json!({"state": "DEREGISTERED"}),
        )
        .await
        .ok();

    let of_first = fiskaly
        .get(&format!("/tss/{}/client?order_by=serial_number", first.id))
        .await;
    assert_eq!(of_first.ok()["_type"], "CLIENT_LIST");
    let serials: Vec<_> = of_first.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["serial_number"].as_str().unwrap())
        .collect();
    assert_eq!(serials, ["A-KASSE", "B-KASSE"]);
    let registered = fiskaly
        .get(&format!("/tss/{}/client?state=REGISTERED", first.id))
        .await;
    assert_eq!(registered.ok()["data"][0]["_id"], a.to_string());
    assert_eq!(registered.ok()["count"], 1);
    let by_serial = fiskaly.get("/client?serial_number=C-KASSE").await;
    assert_eq!(by_serial.ok()["data"][0]["tss_id"], second.id.to_string());
    assert_eq!(fiskaly.get("/client").await.ok()["count"], 3);
    fiskaly
        .get(&format!("/tss/{}/client?limit=500", first.id))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .get(&format!("/tss/{}/client/{}", first.id, Uuid::new_v4()))
        .await
        .expect_error(404, "E_CLIENT_NOT_FOUND");
    fiskaly
        .get(&format!("/tss/{}/client/{a}", second.id))
        .await
        .expect_error(404, "E_CLIENT_NOT_FOUND");
}
