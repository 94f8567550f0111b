//! The release bundle a browser downloads (`dist/`: wasm, js, css, html) holds no secret: not the
//! fiskaly API secret, no password, no PUK or PIN of the TSSs the demo proxy just set up, and no
//! wire field that could carry a PUK.

use tss_e2e::{Stage, ADMIN_PASSWORD, DESKTOP};

#[tokio::test]
async fn the_release_bundle_holds_no_secret() {
    let stage = Stage::start(DESKTOP).await;
    let storage = &stage.proxy.storage;
    let mut secrets = vec![
        fiskaly_sim::SimConfig::default().api_secret,
        ADMIN_PASSWORD.to_owned(),
        // No wire type may carry a PUK. (`admin_pin` is not checked: the setup step
        // `set_admin_pin` is named in the progress bar.)
        "admin_puk".to_owned(),
    ];
    for id in storage.tss_ids(None).await.unwrap() {
        let record = storage.tss_record(&id).await.unwrap().unwrap();
        secrets.extend(record.admin_puk);
        secrets.extend(record.admin_pin);
    }
    assert!(
        secrets.len() > 10,
        "the demo's PUKs and PINs are checked too"
    );
    let dist = tss_e2e::dist();
    let mut scanned = 0;
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        scanned += bytes.len();
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds {secret:?}",
                path.display()
            );
        }
    }
    assert!(
        scanned > 500_000,
        "the whole bundle was read ({scanned} bytes)"
    );
    stage.finish().await;
}
