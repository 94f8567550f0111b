//! The TSS certificate: a real X.509 certificate of the TSS's key, with the validity the
//! simulator was configured with or told through its control API, and fiskaly's answers once it
//! has expired.

use crate::support;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use fiskaly_sim::{SimConfig, TssState};
use serde_json::{json, Value};
use support::{test_config, Fiskaly};
use x509_parser::prelude::{FromDer, X509Certificate};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The certificate's `notAfter` (unix seconds) and serial, after checking that it certifies the
/// TSS's `public_key`.
fn certificate_of(tss: &Value) -> (i64, String) {
    let der = BASE64.decode(tss["certificate"].as_str().unwrap()).unwrap();
    let (rest, certificate) = X509Certificate::from_der(&der).expect("an X.509 certificate");
    assert!(rest.is_empty());
    let public_key = BASE64.decode(tss["public_key"].as_str().unwrap()).unwrap();
    assert_eq!(
        certificate.public_key().subject_public_key.data.as_ref(),
        public_key.as_slice()
    );
    let subject = certificate.subject().to_string();
    assert!(subject.contains(tss["_id"].as_str().unwrap()), "{subject}");
    (
        certificate.validity().not_after.timestamp(),
        certificate.raw_serial_as_string(),
    )
}

#[tokio::test]
async fn a_new_tss_has_an_x509_certificate_valid_as_long_as_configured() {
    let two_years = 2 * 365 * 24 * 60 * 60;
    let fiskaly = Fiskaly::start_with(SimConfig {
        certificate_validity: two_years,
        ..test_config()
    })
    .await;
    let before = now();
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let body = fiskaly.get(&format!("/tss/{}", tss.id)).await.ok().clone();
    let (not_after, serial) = certificate_of(&body);
    assert!((before + two_years..=now() + two_years).contains(&not_after));
    assert!(!serial.is_empty());

    let other = fiskaly.create_tss().await;
    let other = fiskaly
        .get(&format!("/tss/{}", other.id))
        .await
        .ok()
        .clone();
    assert_ne!(
        certificate_of(&other).1,
        serial,
        "every certificate has its own serial"
    );

    let default = Fiskaly::start().await;
    let tss = default.create_tss().await;
    let body = default.get(&format!("/tss/{}", tss.id)).await.ok().clone();
    let five_years = 5 * 365 * 24 * 60 * 60;
    assert!(certificate_of(&body).0 >= before + five_years);
}

#[tokio::test]
async fn a_certificate_set_to_expire_works_until_then_and_is_refused_after() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let in_30_days = now() + 30 * 24 * 60 * 60;
    let path = format!("/_sim/tss/{}/certificate", tss.id);
    let reissued = fiskaly.put(&path, json!({"not_after": in_30_days})).await;
    assert_eq!(certificate_of(reissued.ok()).0, in_30_days);
    let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert_eq!(certificate_of(read.ok()).0, in_30_days);
    fiskaly.register_client(&tss, "KASSE-01").await.1.ok();

    let expired = fiskaly.put(&path, json!({"not_after": now() - 1})).await;
    assert_eq!(
        expired.ok()["state"],
        "INITIALIZED",
        "fiskaly keeps the state"
    );
    fiskaly
        .register_client(&tss, "KASSE-02")
        .await
        .1
        .expect_error(423, "E_CERTIFICATE_EXPIRED");
    fiskaly
        .admin_login(&tss)
        .await
        .expect_error(423, "E_CERTIFICATE_EXPIRED");
    fiskaly.get(&format!("/tss/{}", tss.id)).await.ok();

    fiskaly
        .put(&path, json!({"not_after": "soon"}))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
}
