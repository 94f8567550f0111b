//! `GET /api/events`: what one session changes reaches another session's stream with the IDs
//! that name it; a stream that reconnects gets exactly what it missed; a stream needs a session
//! and ends with it.

use serde_json::json;
use tss_model::{LiveEvent, Role, TssState};

use crate::support::events::EventStream;
use crate::support::{TestProxy, TEST_PASSWORD};

/// Logs `username` (a new viewer) in on `proxy` and answers their cookie; the proxy's calls go
/// on with the administrator's session.
async fn viewer_cookie(proxy: &TestProxy, username: &str) -> String {
    let admin = proxy.session_cookie();
    proxy.add_user(username, Role::Viewer).await;
    proxy.log_in(username, TEST_PASSWORD).await.ok();
    let viewer = proxy.session_cookie().unwrap();
    proxy.use_session(admin);
    viewer
}

#[tokio::test]
async fn a_change_through_the_api_reaches_another_sessions_stream_naming_it() {
    let proxy = TestProxy::start().await;
    let cookie = viewer_cookie(&proxy, "kasse").await;
    let mut stream = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();

    let store_id = proxy.add_store("S-1").await;
    let (id, event) = stream.next().await.unwrap();
    assert_eq!(event, LiveEvent::Store { store_id });
    let first = id.expect("a change has an ID");

    let terminal_id = proxy.add_terminal(store_id, "K-1").await;
    let (id, event) = stream.next().await.unwrap();
    assert_eq!(
        event,
        LiveEvent::Terminal {
            store_id,
            terminal_id
        }
    );
    assert!(id.unwrap() > first, "IDs grow");

    let tss = proxy.generate(store_id).await;
    let named = |event: &LiveEvent| {
        *event
            == LiveEvent::Tss {
                store_id,
                tss_id: tss.tss_id.clone(),
            }
    };
    stream.next_matching(named).await;
    proxy
        .post(&format!("/terminals/{terminal_id}/client"), json!({}))
        .await
        .ok();
    stream
        .next_matching(|e| {
            *e == LiveEvent::Client {
                store_id,
                terminal_id,
            }
        })
        .await;

    proxy.disable(&tss.tss_id).await.ok();
    stream.next_matching(named).await;
    let now = proxy.tss_of(store_id).await;
    assert_eq!(now[0].state, TssState::Disabled);
}

#[tokio::test]
async fn a_stream_that_reconnects_gets_exactly_the_events_it_missed() {
    let proxy = TestProxy::start().await;
    let cookie = proxy.session_cookie().unwrap();
    let mut stream = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    proxy.add_store("S-1").await;
    let (last_seen, _) = stream.next().await.unwrap();
    drop(stream);

    let missed = [proxy.add_store("S-2").await, proxy.add_store("S-3").await];
    let mut again = EventStream::open(proxy.url(), Some(&cookie), last_seen)
        .await
        .unwrap();
    let last_seen = last_seen.unwrap();
    for (n, store_id) in missed.into_iter().enumerate() {
        let (id, event) = again.next().await.unwrap();
        assert_eq!(event, LiveEvent::Store { store_id });
        assert_eq!(
            id,
            Some(last_seen + 1 + n as u64),
            "in order, none left out"
        );
    }
    let later = proxy.add_store("S-4").await;
    let (id, event) = again.next().await.unwrap();
    assert_eq!(event, LiveEvent::Store { store_id: later }, "none twice");
    assert_eq!(id, Some(last_seen + 3));

    // An ID from long ago (or from before a restart): what was missed is unknown.
    let mut stale = EventStream::open(proxy.url(), Some(&cookie), Some(1))
        .await
        .unwrap();
    assert_eq!(stale.next().await.unwrap(), (None, LiveEvent::Reload));
}

#[tokio::test]
async fn a_stream_needs_a_session_and_ends_with_it() {
    let proxy = TestProxy::start().await;
    assert_eq!(
        EventStream::open(proxy.url(), None, None).await.err(),
        Some(401)
    );
    let forged = "tss_session=not-a-session";
    assert_eq!(
        EventStream::open(proxy.url(), Some(forged), None)
            .await
            .err(),
        Some(401)
    );

    // A removed user's stream ends.
    let cookie = viewer_cookie(&proxy, "aushilfe").await;
    let mut removed = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(proxy.delete("/users/aushilfe").await.status, 204);
    assert!(removed.ends().await, "the removed user's stream ended");

    // So does the stream of a user who logged out (in another tab).
    let cookie = viewer_cookie(&proxy, "kasse").await;
    let mut logged_out = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    let admin = proxy.session_cookie();
    proxy.use_session(Some(cookie));
    assert_eq!(proxy.delete("/session").await.status, 204);
    proxy.use_session(admin);
    assert!(
        logged_out.ends().await,
        "the logged-out user's stream ended"
    );

    // And the stream of a user whose password an administrator reset.
    let cookie = viewer_cookie(&proxy, "vertretung").await;
    let mut reset = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    let new = json!({"password": "ein-ganz-neues-passwort"});
    assert_eq!(
        proxy.put("/users/vertretung/password", new).await.status,
        204
    );
    assert!(reset.ends().await, "the stream of a reset password ended");

    // A stopping proxy ends every stream, so that its graceful shutdown does not wait for them.
    let cookie = proxy.session_cookie().unwrap();
    let mut open = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    proxy.state.storage.live().shut_down();
    assert!(open.ends().await, "the stream ended with the proxy");
}

#[tokio::test]
async fn a_terminal_moved_to_another_store_is_announced_to_both() {
    let proxy = TestProxy::start().await;
    let (from, to) = (proxy.add_store("S-1").await, proxy.add_store("S-2").await);
    let terminal_id = proxy.add_terminal(from, "K-1").await;
    let cookie = proxy.session_cookie().unwrap();
    let mut stream = EventStream::open(proxy.url(), Some(&cookie), None)
        .await
        .unwrap();
    let moved = json!({
        "number": "K-1", "name": "Kasse K-1", "store_id": to, "serial_number": "SN-K-1-MOVED"
    });
    assert_eq!(
        proxy
            .patch(&format!("/terminals/{terminal_id}"), moved)
            .await
            .status,
        200
    );
    let mut stores = Vec::new();
    for _ in 0..2 {
        match stream.next().await.unwrap().1 {
            LiveEvent::Terminal {
                store_id,
                terminal_id: id,
            } if id == terminal_id => stores.push(store_id),
            other => panic!("unexpected {other:?}"),
        }
    }
    stores.sort();
    assert_eq!(
        stores,
        [from, to],
        "the old store's card loses it, the new one gains it"
    );
}
