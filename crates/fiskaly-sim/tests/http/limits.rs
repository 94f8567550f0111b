//! The organisation's limits: live TSS (5 in fiskaly's TEST organisations) and TSS per day.

use crate::support;

use fiskaly_sim::{SimConfig, TssState};
use serde_json::json;
use support::{test_config, Fiskaly};
use uuid::Uuid;

#[tokio::test]
async fn the_default_test_organisation_holds_five_live_tss_and_disabling_frees_a_place() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        control: true,
        ..SimConfig::default()
    })
    .await;
    let first = fiskaly.tss_in(TssState::Initialized).await;
    for _ in 0..4 {
        fiskaly.create_tss().await;
    }
    fiskaly
        .put(&format!("/tss/{}", Uuid::new_v4()), json!({}))
        .await
        .expect_error(403, "E_TSS_LIMIT_REACHED");
    fiskaly.set_state(&first, "DISABLED").await.ok();
    fiskaly.create_tss().await;
}

#[tokio::test]
async fn creations_per_day_are_limited() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        tss_creations_per_day: 2,
        ..test_config()
    })
    .await;
    fiskaly.create_tss().await;
    fiskaly.create_tss().await;
    fiskaly
        .put(&format!("/tss/{}", Uuid::new_v4()), json!({}))
        .await
        .expect_error(403, "E_TSS_LIMIT_PER_DAY_REACHED");
}
