//! With a snapshot file, a restarted simulator still knows every TSS, client and PUK; tokens and
//! admin logins do not survive, as after a restart at fiskaly.

use crate::support;

use fiskaly_sim::{SimConfig, TssState};
use support::{test_config, Fiskaly};

#[tokio::test]
async fn the_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = SimConfig {
        snapshot: Some(dir.path().join("sim.json")),
        ..test_config()
    };
    let fiskaly = Fiskaly::start_with(config.clone()).await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, _) = fiskaly.register_client(&tss, "KASSE-01").await;
    let old_token = fiskaly.token.clone();
    let before = fiskaly.sim.tss(tss.id).unwrap();
    fiskaly.sim.shutdown().await.unwrap();

    let mut restarted = Fiskaly::start_with(config).await;
    assert_eq!(restarted.sim.tss(tss.id).unwrap(), before);
    assert_eq!(restarted.sim.admin_puk(tss.id).unwrap(), tss.puk);
    assert_eq!(
        restarted.sim.client(client_id).unwrap()["state"],
        "REGISTERED"
    );
    restarted
        .set_state(&tss, "DISABLED")
        .await
        .expect_error(401, "E_ADMIN_NOT_AUTHENTICATED");
    restarted.token = old_token;
    restarted
        .get("/tss")
        .await
        .expect_error(401, "E_UNAUTHORIZED");
}
