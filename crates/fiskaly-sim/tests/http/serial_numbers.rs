//! The serial-number rule for clients, boundary by boundary. The reference words it:
//! "`serial_number` identifies the POS device: 1–70 characters from `A-Za-z0-9 '()+,-./:=?`, no
//! leading or trailing space, no `/` or `_` (DSFinV-K), unique among the TSS's clients (400
//! `E_ILLEGAL_CLIENT_SERIAL`)."

use crate::support;

use fiskaly_sim::TssState;
use serde_json::json;
use support::{Fiskaly, TestTss};

/// Registers `serial` and expects fiskaly's refusal, with nothing registered.
async fn refused(fiskaly: &Fiskaly, tss: &TestTss, serial: &str) {
    let (client_id, reply) = fiskaly.register_client(tss, serial).await;
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (400, Some("E_ILLEGAL_CLIENT_SERIAL")),
        "{serial:?} should be refused: {:?}",
        reply.body
    );
    fiskaly
        .get(&format!("/tss/{}/client/{client_id}", tss.id))
        .await
        .expect_error(404, "E_CLIENT_NOT_FOUND");
}

/// Registers `serial` and expects it registered as written.
async fn accepted(fiskaly: &Fiskaly, tss: &TestTss, serial: &str) {
    let (_, reply) = fiskaly.register_client(tss, serial).await;
    assert_eq!(
        reply.status, 200,
        "{serial:?} should be accepted: {:?}",
        reply.body
    );
    assert_eq!(reply.body["serial_number"], serial);
    assert_eq!(reply.body["state"], "REGISTERED");
}

/// "1–70 characters".
#[tokio::test]
async fn a_serial_number_has_one_to_seventy_characters() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    refused(&fiskaly, &tss, "").await;
    accepted(&fiskaly, &tss, "K").await;
    accepted(&fiskaly, &tss, &"7".repeat(70)).await;
    refused(&fiskaly, &tss, &"8".repeat(71)).await;
    let tss_body = fiskaly.get(&format!("/tss/{}", tss.id)).await;
    assert_eq!(tss_body.ok()["number_registered_clients"], 2);
}

/// "from `A-Za-z0-9 '()+,-./:=?`" … "no `/` or `_` (DSFinV-K)": every other character of the
/// class is accepted, each on its own.
#[tokio::test]
async fn every_character_of_fiskalys_class_is_accepted_except_the_slash() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    accepted(&fiskaly, &tss, "ABCDEFGHIJKLMNOPQRSTUVWXYZ").await;
    accepted(&fiskaly, &tss, "abcdefghijklmnopqrstuvwxyz").await;
    accepted(&fiskaly, &tss, "0123456789").await;
    for punctuation in [' ', '\'', '(', ')', '+', ',', '-', '.', ':', '=', '?'] {
        accepted(&fiskaly, &tss, &format!("KASSE{punctuation}1")).await;
    }
    accepted(&fiskaly, &tss, "POS 7 (Filiale 12), Kasse-3: A+B=C?").await;
    refused(&fiskaly, &tss, "KASSE/1").await;
    refused(&fiskaly, &tss, "KASSE_1").await;
}

/// Only characters "from `A-Za-z0-9 '()+,-./:=?`": anything outside the class is refused,
/// non-ASCII letters and control characters included.
#[tokio::test]
async fn a_character_outside_fiskalys_class_is_refused() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    for outside in [
        'Ä', 'ü', 'ß', 'é', '€', '*', '#', ';', '!', '@', '&', '"', '\\', '[', '%', '\t', '\n',
    ] {
        refused(&fiskaly, &tss, &format!("KASSE{outside}1")).await;
    }
}

/// "no leading or trailing space"; a space inside is one of the class's characters.
#[tokio::test]
async fn a_serial_number_neither_starts_nor_ends_with_a_space() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    for spaced in [" ", " KASSE", "KASSE ", " KASSE ", "  "] {
        refused(&fiskaly, &tss, spaced).await;
    }
    accepted(&fiskaly, &tss, "KASSE 1").await;
    accepted(&fiskaly, &tss, "KASSE  2").await;
    let seventy_with_spaces_inside = format!("K{}K", " ".repeat(68));
    accepted(&fiskaly, &tss, &seventy_with_spaces_inside).await;
}

/// "unique among the TSS's clients": a deregistered client is still one of them, so its serial
/// number stays taken at that TSS.
#[tokio::test]
async fn a_deregistered_clients_serial_number_stays_taken_at_its_tss() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, reply) = fiskaly.register_client(&tss, "KASSE-01").await;
    reply.ok();
    fiskaly
        .patch(
            &format!("/tss/{}/client/{client_id}", tss.id),
            json!({"state": "DEREGISTERED"}),
        )
        .await
        .ok();
    refused(&fiskaly, &tss, "KASSE-01").await;
}

/// DEFECTIVE: "The remedy is a new TSS and new client IDs (the POS serial numbers may be
/// reused)."
#[tokio::test]
async fn a_pos_serial_number_is_reused_at_the_new_tss_after_a_defect() {
    let fiskaly = Fiskaly::start().await;
    let broken = fiskaly.tss_in(TssState::Initialized).await;
    fiskaly.register_client(&broken, "KASSE-01").await.1.ok();
    fiskaly
        .sim
        .force_state(broken.id, TssState::Defective)
        .unwrap();
    let replacement = fiskaly.tss_in(TssState::Initialized).await;
    accepted(&fiskaly, &replacement, "KASSE-01").await;
}
