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
    let bytes = proxy.database.bytes_at_rest();
    assert!(
        contains(&bytes, "Filiale S-1"),
        "the scan read the stored data ({} bytes)",
        bytes.len()
    );
    for secret in &secrets {
        assert!(
            !contains(&bytes, secret),
            "the database ({}) holds a secret in clear",
            proxy.database.location
        );
    }
}

#[tokio::test]
async fn without_its_key_file_the_database_refuses_to_open() {
    let proxy = TestProxy::start().await;
    let (_, tss_id, _) = proxy.ready_store("S-1", 0).await;
    let key = proxy.database.key_file.clone();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let elsewhere = proxy.dir.path().join("moved.key");
    std::fs::rename(&key, &elsewhere).unwrap();
    let refused = open(&proxy.database).await.unwrap_err();
    assert!(
        matches!(refused, OpenError::Sealing(SealingError::KeyMissing(_))),
        "{refused}"
    );
    assert!(!key.exists(), "no new key was made");

    let stranger = proxy.dir.path().join("stranger.key");
    Sealer::load_or_create(&stranger, true).unwrap();
    let wrong = open(&proxy.database.with_key_file(&stranger))
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, OpenError::Sealing(SealingError::WrongKey(_))),
        "another key is refused at start: {wrong}"
    );
    assert!(wrong.to_string().contains("does not open"), "{wrong}");

    let right = open(&proxy.database.with_key_file(&elsewhere))
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
async fn a_second_key_made_for_the_same_new_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let database = support::TestDatabase::fresh(dir.path(), "new").await;
    // The first start makes the key, before anything else is sealed.
    drop(open(&database).await.unwrap());
    let other = dir.path().join("other.key");
    Sealer::load_or_create(&other, true).unwrap();
    let refused = open(&database.with_key_file(&other)).await.unwrap_err();
    assert!(
        matches!(refused, OpenError::Sealing(SealingError::WrongKey(_))),
        "a replica that made its own key at the same moment cannot go on: {refused}"
    );
}

async fn open(database: &support::TestDatabase) -> Result<Storage, OpenError> {
    Storage::open(&database.location, &database.key_file).await
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
    let database = proxy.database.argument();
    let old_key = proxy.database.key_file.clone();
    let new_key = proxy.dir.path().join("rotated.key");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
        .args(["--database", &database, "--secret-key-file"])
        .arg(&old_key)
        .args(["reseal", "--new-key-file"])
        .arg(&new_key)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        said.contains("re-sealed 3 secrets"),
        "the PUK, the PIN, the key check: {said}"
    );

    let old = open(&proxy.database).await.unwrap_err();
    assert!(
        matches!(old, OpenError::Sealing(SealingError::WrongKey(_))),
        "the old key opens nothing: {old}"
    );
    let new = open(&proxy.database.with_key_file(&new_key)).await.unwrap();
    let after = new.tss_record(&tss_id).await.unwrap().unwrap();
    assert_eq!(after.admin_puk, before.admin_puk);
    assert_eq!(after.admin_pin, before.admin_pin);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_tss-proxy"))
        .args(["--database", &database, "--secret-key-file"])
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
