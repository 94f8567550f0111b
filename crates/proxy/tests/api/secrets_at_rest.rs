//! A copy of the database alone reveals no secret: passwords and session tokens are kept as
//! hashes only; PUKs, PINs and the API secret are sealed under
//! a key kept in its own file; without that file the database refuses to open rather than losing
//! every PUK to a new key.

use crate::support;

use fiskaly_sim::SimConfig;
use serde_json::json;
use support::TestProxy;
use tss_proxy::storage::{OpenError, Sealer, SealingError, Storage};

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_database_files_hold_no_secret_in_clear() {
    let proxy = TestProxy::start().await;
    let (store, _, _) = proxy.ready_store("S-1", 2).await;
    proxy.generate_additional(store).await;
    let config = SimConfig::default();
    proxy
        .put(
            "/settings/fiskaly",
            json!({"base_url": proxy.sim.base_url(), "api_key": config.api_key, "api_secret": config.api_secret}),
        )
        .await
        .ok();

    let cookie = proxy.session_cookie().unwrap();
    let token = cookie.trim_start_matches("tss_session=").to_owned();
    let mut secrets = vec![
        config.api_secret.clone(),
        support::TEST_PASSWORD.to_owned(),
        token,
    ];
    for id in proxy.state.storage.tss_ids(None).await.unwrap() {
        let record = proxy.state.storage.tss_record(&id).await.unwrap().unwrap();
        secrets.push(record.admin_puk.unwrap());
        secrets.push(record.admin_pin.unwrap());
    }
    assert_eq!(secrets.len(), 7);
    let mut scanned = 0;
    for entry in std::fs::read_dir(proxy.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "key") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        scanned += bytes.len();
        for secret in &secrets {
            assert!(
                !contains(&bytes, secret),
                "{} holds a secret in clear",
                path.display()
            );
        }
    }
    assert!(
        scanned > 10_000,
        "the database and its WAL were read ({scanned} bytes)"
    );
}

#[tokio::test]
async fn without_its_key_file_the_database_refuses_to_open() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let database = proxy.dir.path().join("tss.sqlite");
    let key = database.with_extension("key");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let elsewhere = proxy.dir.path().join("moved.key");
    std::fs::rename(&key, &elsewhere).unwrap();
    let refused = Storage::open(&database).await.unwrap_err();
    assert!(
        matches!(refused, OpenError::Sealing(SealingError::KeyMissing(_))),
        "{refused}"
    );
    assert!(!key.exists(), "no new key was made");

    let stranger = proxy.dir.path().join("stranger.key");
    Sealer::load_or_create(&stranger, true).unwrap();
    let wrong = Storage::open_with_key_file(&database, &stranger)
        .await
        .unwrap();
    assert!(
        wrong.tss_record(&tss_id).await.is_err(),
        "another key opens nothing"
    );

    let right = Storage::open_with_key_file(&database, &elsewhere)
        .await
        .unwrap();
    assert!(right
        .tss_record(&tss_id)
        .await
        .unwrap()
        .unwrap()
        .admin_puk
        .is_some());
}

#[tokio::test]
async fn reseal_moves_every_secret_to_a_new_key() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let before = proxy
        .state
        .storage
        .tss_record(&tss_id)
        .await
        .unwrap()
        .unwrap();
    let database = proxy.dir.path().join("tss.sqlite");
    let new_key = proxy.dir.path().join("rotated.key");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
        .args([
            "--database",
            database.to_str().unwrap(),
            "reseal",
            "--new-key-file",
        ])
        .arg(&new_key)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("re-sealed 2 secrets"), "{said}");

    let old = Storage::open(&database).await.unwrap();
    assert!(
        old.tss_record(&tss_id).await.is_err(),
        "the old key opens nothing"
    );
    let new = Storage::open_with_key_file(&database, &new_key)
        .await
        .unwrap();
    let after = new.tss_record(&tss_id).await.unwrap().unwrap();
    assert_eq!(after.admin_puk, before.admin_puk);
    assert_eq!(after.admin_pin, before.admin_pin);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
        .args([
            "--database",
            database.to_str().unwrap(),
            "--secret-key-file",
        ])
        .arg(&new_key)
        .args(["reseal", "--new-key-file"])
        .arg(&new_key)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing key file is never overwritten"
    );
}
