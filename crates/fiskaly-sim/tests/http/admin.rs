//! Admin PUK and PIN: the PIN is blocked at creation, set with the PUK, and blocked again after
//! five wrong logins; logout is always safe; a login belongs to one token.

use crate::support;

use fiskaly_sim::TssState;
use serde_json::json;
use support::Fiskaly;

#[tokio::test]
async fn the_pin_is_blocked_until_it_is_set_with_the_puk() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    fiskaly
        .admin_login(&tss)
        .await
        .expect_error(423, "E_ADMIN_PIN_BLOCKED");
    assert_eq!(fiskaly.set_pin(&tss).await.ok(), &json!({}));
    assert_eq!(fiskaly.admin_login(&tss).await.ok(), &json!({}));
}

#[tokio::test]
async fn a_wrong_puk_or_a_short_pin_is_refused() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.create_tss().await;
    fiskaly.set_state(&tss, "UNINITIALIZED").await.ok();
    let path = format!("/tss/{}/admin", tss.id);
    fiskaly
        .patch(
            &path,
            json!({"admin_puk": "0000000000", "new_admin_pin": "123456"}),
        )
        .await
        .expect_error(400, "E_CHANGE_ADMIN_PIN_FAILED");
    fiskaly
        .patch(
            &path,
            json!({"admin_puk": tss.puk, "new_admin_pin": "12345"}),
        )
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .patch(&path, json!({"admin_puk": tss.puk}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
}

#[tokio::test]
async fn the_pin_can_be_set_only_while_uninitialized_or_initialized() {
    let fiskaly = Fiskaly::start().await;
    let created = fiskaly.tss_in(TssState::Created).await;
    fiskaly
        .set_pin(&created)
        .await
        .expect_error(400, "E_TSS_NOT_INITIALIZED");
    let disabled = fiskaly.tss_in(TssState::Disabled).await;
    fiskaly
        .set_pin(&disabled)
        .await
        .expect_error(400, "E_TSS_DISABLED");
    fiskaly
        .admin_login(&disabled)
        .await
        .expect_error(400, "E_TSS_DISABLED");
    let initialized = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly.set_pin(&initialized).await.ok();
}

#[tokio::test]
async fn five_wrong_pins_block_it_until_the_puk_sets_a_new_one() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    let path = format!("/tss/{}/admin/auth", tss.id);
    for _ in 0..5 {
        fiskaly
            .post(&path, json!({"admin_pin": "wrong-pin"}))
            .await
            .expect_error(401, "E_ADMIN_AUTH_FAILED");
    }
    fiskaly
        .admin_login(&tss)
        .await
        .expect_error(423, "E_ADMIN_PIN_BLOCKED");
    fiskaly.set_pin(&tss).await.ok();
    fiskaly.admin_login(&tss).await.ok();
}

#[tokio::test]
async fn logout_is_always_safe_and_ends_the_login() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    let logout = format!("/tss/{}/admin/logout", tss.id);
    fiskaly.post(&logout, json!({})).await.ok();
    fiskaly.post(&logout, json!({})).await.ok();
    fiskaly
        .set_state(&tss, "INITIALIZED")
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}

#[tokio::test]
async fn a_login_belongs_to_the_token_that_made_it() {
    let mut fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    let config = fiskaly_sim::SimConfig::default();
    let other = fiskaly
        .post(
            "/auth",
            json!({"api_key": config.api_key, "api_secret": config.api_secret}),
        )
        .await;
    fiskaly.token = other.ok()["access_token"].as_str().unwrap().to_owned();
    fiskaly
        .set_state(&tss, "INITIALIZED")
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}

#[tokio::test]
async fn a_new_pin_ends_earlier_logins() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    fiskaly.set_pin(&tss).await.ok();
    fiskaly
        .set_state(&tss, "INITIALIZED")
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
}
