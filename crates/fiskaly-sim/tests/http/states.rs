//! The state rules as the reference words them: the seven TSS states and two client states in
//! fiskaly's spelling, the four changes a caller may ask for, the three states only fiskaly sets,
//! and which states count against a TEST organisation's limit.

use crate::support;

use fiskaly_sim::{SimConfig, TssState};
use serde_json::json;
use support::{test_config, Fiskaly};
use uuid::Uuid;

/// "States (`TssState`): `CREATED`, `UNINITIALIZED`, `INITIALIZED`, `DISABLED`, `DELETED`,
/// `DEFECTIVE`, `EVICTED`": the simulator's type spells them so, and a TSS in each answers so.
#[tokio::test]
async fn tss_states_are_spelled_as_fiskaly_spells_them() {
    let spellings = [
        "CREATED",
        "UNINITIALIZED",
        "INITIALIZED",
        "DISABLED",
        "DELETED",
        "DEFECTIVE",
        "EVICTED",
    ];
    let fiskaly = Fiskaly::start().await;
    for (state, spelling) in TssState::ALL.into_iter().zip(spellings) {
        assert_eq!(state.as_str(), spelling);
        assert_eq!(serde_json::to_value(state).unwrap(), spelling);
        assert_eq!(TssState::from_wire(spelling), Some(state));
        assert_eq!(TssState::from_wire(&spelling.to_lowercase()), None);
        let tss = fiskaly.tss_in(state).await;
        let read = fiskaly.get(&format!("/tss/{}", tss.id)).await;
        assert_eq!(read.ok()["state"], spelling);
    }
}

/// Transitions: "anything else: 400 `E_ILLEGAL_TSS_STATE_CHANGE`". Skipping the deploy, going
/// back, and leaving DISABLED ("permanent") are refused even with an admin logged in, and the TSS
/// stays where it was.
#[tokio::test]
async fn a_change_outside_the_four_documented_ones_is_refused_and_changes_nothing() {
    let fiskaly = Fiskaly::start().await;
    for (from, to) in [
        (TssState::Created, "INITIALIZED"),
        (TssState::Created, "DISABLED"),
        (TssState::Initialized, "UNINITIALIZED"),
        (TssState::Initialized, "CREATED"),
        (TssState::Disabled, "INITIALIZED"),
        (TssState::Disabled, "UNINITIALIZED"),
    ] {
        let tss = fiskaly.tss_in(from).await;
        fiskaly
            .set_state(&tss, to)
            .await
            .expect_error(400, "E_ILLEGAL_TSS_STATE_CHANGE");
        let now = fiskaly.get(&format!("/tss/{}", tss.id)).await;
        assert_eq!(now.ok()["state"], from.as_str(), "{from} → {to}");
    }
}

/// "Set by fiskaly, never by the caller": DELETED, DEFECTIVE and EVICTED asked for with
/// `PATCH /tss/{id}` are 400 `E_ILLEGAL_TSS_STATE_CHANGE`, from every state a caller can change.
#[tokio::test]
async fn a_caller_cannot_ask_for_a_state_only_fiskaly_sets() {
    let fiskaly = Fiskaly::start().await;
    for from in [
        TssState::Created,
        TssState::Uninitialized,
        TssState::Initialized,
    ] {
        for to in TssState::ALL.into_iter().filter(|s| s.set_by_fiskaly()) {
            let tss = fiskaly.tss_in(from).await;
            fiskaly
                .set_state(&tss, to.as_str())
                .await
                .expect_error(400, "E_ILLEGAL_TSS_STATE_CHANGE");
        }
    }
}

/// The simulator's own controls follow the same line: only the three states fiskaly sets can be
/// forced; any other is 400 `E_FAILED_SCHEMA_VALIDATION` and leaves the TSS as it was.
#[tokio::test]
async fn only_the_states_fiskaly_sets_can_be_forced() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    for state in TssState::ALL {
        assert_eq!(
            state.set_by_fiskaly(),
            matches!(
                state,
                TssState::Deleted | TssState::Defective | TssState::Evicted
            )
        );
        if !state.set_by_fiskaly() {
            let error = fiskaly.sim.force_state(tss.id, state).unwrap_err();
            assert_eq!(
                (error.status, error.code.as_str()),
                (400, "E_FAILED_SCHEMA_VALIDATION")
            );
            assert_eq!(fiskaly.sim.tss(tss.id).unwrap()["state"], "UNINITIALIZED");
        }
    }
    fiskaly.sim.force_state(tss.id, TssState::Evicted).unwrap();
    assert_eq!(fiskaly.sim.tss(tss.id).unwrap()["state"], "EVICTED");
    let unknown = Uuid::new_v4();
    let error = fiskaly
        .sim
        .force_state(unknown, TssState::Defective)
        .unwrap_err();
    assert_eq!(
        (error.status, error.code.as_str()),
        (404, "E_TSS_NOT_FOUND")
    );
}

/// "TEST organisations may hold at most 5 TSS in CREATED/UNINITIALIZED/INITIALIZED (403
/// `E_TSS_LIMIT_REACHED`)": a TSS fiskaly took out of service (DEFECTIVE, DELETED, EVICTED)
/// frees its place, as a DISABLED one does.
#[tokio::test]
async fn only_created_uninitialized_and_initialized_tss_count_against_the_limit() {
    let fiskaly = Fiskaly::start_with(SimConfig {
        live_tss_limit: 3,
        ..test_config()
    })
    .await;
    fiskaly.tss_in(TssState::Created).await;
    fiskaly.tss_in(TssState::Uninitialized).await;
    fiskaly.tss_in(TssState::Initialized).await;
    let one_more = || async {
        fiskaly
            .put(&format!("/tss/{}", Uuid::new_v4()), json!({}))
            .await
    };
    one_more().await.expect_error(403, "E_TSS_LIMIT_REACHED");
    for state in [TssState::Defective, TssState::Deleted, TssState::Evicted] {
        let created = fiskaly.get("/tss?states=CREATED").await;
        let id = created.ok()["data"][0]["_id"].as_str().unwrap().to_owned();
        fiskaly.sim.force_state(id.parse().unwrap(), state).unwrap();
        one_more().await.ok();
        one_more().await.expect_error(403, "E_TSS_LIMIT_REACHED");
    }
}

/// Client `PATCH` takes `{"state": "REGISTERED" | "DEREGISTERED"}` and "Deregistering is not
/// permanent": both ways work, repeatedly; any other spelling does not fit the schema (400
/// `E_FAILED_SCHEMA_VALIDATION`, the simulator's reading) and changes nothing.
#[tokio::test]
async fn a_client_is_registered_or_deregistered_and_nothing_else() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Initialized).await;
    let (client_id, _) = fiskaly.register_client(&tss, "KASSE-01").await;
    let path = format!("/tss/{}/client/{client_id}", tss.id);
    for state in ["DEREGISTERED", "REGISTERED", "DEREGISTERED", "REGISTERED"] {
        let reply = fiskaly.patch(&path, json!({ "state": state })).await;
        assert_eq!(reply.ok()["state"], state);
    }
    for wrong in ["deregistered", "PAUSED", ""] {
        fiskaly
            .patch(&path, json!({ "state": wrong }))
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
    assert_eq!(fiskaly.get(&path).await.ok()["state"], "REGISTERED");
}

/// A state fiskaly does not have, in a change or a list filter, does not fit the schema: 400
/// `E_FAILED_SCHEMA_VALIDATION` (the simulator's reading; the reference names only the seven TSS
/// and two client states).
#[tokio::test]
async fn a_state_fiskaly_does_not_have_fails_schema_validation() {
    let fiskaly = Fiskaly::start().await;
    let tss = fiskaly.tss_in(TssState::Uninitialized).await;
    for wrong in ["initialized", "SUSPENDED", ""] {
        fiskaly
            .set_state(&tss, wrong)
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
    for query in ["/tss?states=SUSPENDED", "/tss?states[0]=initialized"] {
        fiskaly
            .get(query)
            .await
            .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    }
    fiskaly
        .get(&format!("/tss/{}/client?state=PAUSED", tss.id))
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
    fiskaly
        .get("/client?state=registered")
        .await
        .expect_error(400, "E_FAILED_SCHEMA_VALIDATION");
}
