//! The fleet at scale: the Store List and POS Terminal List a page at a time with their filters
//! and search, the fleet overview, and cursors that were tampered with.

use std::collections::{BTreeSet, HashMap};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::support;

use serde_json::{json, Value};
use support::TestProxy;

/// Adds a store with `name` and `city`; answers its ID.
async fn add_named_store(proxy: &TestProxy, number: &str, name: &str, city: &str) -> i64 {
    let body = json!({"number": number, "name": name, "street": "Markt 1", "city": city});
    proxy.post("/stores", body).await.ok()["id"]
        .as_i64()
        .unwrap()
}

/// The store numbers of a page.
fn numbers(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_str().unwrap().to_owned())
        .collect()
}

/// Every page of `path` (which has a `?`), `limit` rows at a time, calling `between` after each.
async fn every_page(
    proxy: &TestProxy,
    path: &str,
    limit: u32,
    mut between: impl AsyncFnMut(usize),
) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = proxy
            .get(&format!("{path}&limit={limit}{after}"))
            .await
            .ok()
            .clone();
        let next = page["next"].as_str().map(str::to_owned);
        pages.push(page);
        between(pages.len()).await;
        match next {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn pages_keep_their_order_and_lose_no_row_while_stores_are_added() {
    let proxy = TestProxy::start().await;
    for n in (0..60).map(|n| n * 2) {
        proxy.add_store(&format!("S-{n:03}")).await;
    }
    let before: BTreeSet<String> = (0..60).map(|n| format!("S-{:03}", n * 2)).collect();
    for sort in ["number", "readiness"] {
        let mut added = 0;
        let pages = every_page(&proxy, &format!("/stores?sort={sort}"), 7, async |page| {
            // Between pages, staff add stores before and after the rows read so far.
            added += 1;
            let before_read = format!("S-{:03}-{}", page * 2 - 1, &sort[..1]);
            let after_read = format!("S-9{sort}{added:02}");
            proxy.add_store(&before_read).await;
            proxy.add_store(&after_read).await;
        })
        .await;
        let seen: Vec<String> = pages.iter().flat_map(numbers).collect();
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "no store twice ({sort})");
        assert!(
            before.is_subset(&unique),
            "every store that was there at the start ({sort})"
        );
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "in order of number ({sort}: all are alike)");
        assert!(pages
            .iter()
            .all(|p| p["items"].as_array().unwrap().len() <= 7));
        assert!(pages[0]["total"].as_u64().unwrap() >= 60);
    }
    let default_page = proxy.get("/stores").await;
    assert_eq!(numbers(default_page.ok()).len(), 50, "50 when not said");
}

#[tokio::test]
async fn search_ignores_case_and_umlauts_and_takes_every_word() {
    let proxy = TestProxy::start().await;
    add_named_store(&proxy, "S-1", "Domplatte", "Köln").await;
    add_named_store(&proxy, "S-2", "Hauptstraße", "Düsseldorf").await;
    add_named_store(&proxy, "S-3", "Koeln Süd", "Köln").await;
    add_named_store(&proxy, "S-4", "100%_rabatt", "Bonn").await;
    add_named_store(&proxy, "S-5", "Feuerwache", "Koeln").await;
    let found = |query: &'static str| {
        let proxy = &proxy;
        async move {
            let page = proxy.get(&format!("/stores?q={query}")).await;
            numbers(page.ok())
        }
    };
    assert_eq!(
        found("koln").await,
        ["S-1", "S-3", "S-5"],
        "koln finds Köln, Koeln"
    );
    assert_eq!(found("K%C3%96LN").await, ["S-1", "S-3", "S-5"], "KÖLN");
    assert_eq!(found("koeln").await, ["S-1", "S-3", "S-5"], "koeln");
    assert_eq!(found("erwache").await, ["S-5"], "any part of a word");
    assert_eq!(found("strasse").await, ["S-2"], "strasse finds Straße");
    assert_eq!(found("dusseldorf").await, ["S-2"]);
    assert_eq!(found("koln%20sud").await, ["S-3"], "every word must match");
    assert_eq!(found("S-2").await, ["S-2"], "by number");
    assert_eq!(found("100%25_").await, ["S-4"], "% and _ are letters");
    assert_eq!(found("%25").await, ["S-4"]);
    let page = proxy.get("/stores?q=koln").await;
    assert_eq!(page.ok()["total"], 3);
}

#[tokio::test]
async fn a_page_read_again_after_a_change_shows_the_change() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    for _ in 0..2 {
        let page = proxy.get("/stores?q=filiale").await;
        assert_eq!(numbers(page.ok()), ["S-1"]);
    }
    let fleet = proxy.get("/fleet").await.ok().clone();
    assert_eq!(fleet["stores"], 1);
    proxy.add_store("S-2").await;
    let page = proxy.get("/stores?q=filiale").await;
    assert_eq!(numbers(page.ok()), ["S-1", "S-2"], "the new store at once");
    assert_eq!(proxy.get("/fleet").await.ok()["stores"], 2);
    proxy.add_terminal(store, "K1").await;
    let row = proxy.get("/stores?q=S-1").await.ok()["items"][0].clone();
    assert_eq!(row["signing"]["terminals"], 1, "the new terminal at once");
    let terminals = proxy.get(&format!("/terminals?store_id={store}")).await;
    assert_eq!(terminals.ok()["total"], 1);
}

#[tokio::test]
async fn each_readiness_filter_and_the_overview_count_the_same_stores() {
    let proxy = TestProxy::start().await;
    let (ready, _, _) = proxy.ready_store("S-READY", 2).await;
    let (partly, _, _) = proxy.ready_store("S-PARTLY", 1).await;
    proxy.add_terminal(partly, "K9").await;
    let lonely = proxy.add_store("S-NOTERM").await;
    proxy.generate(lonely).await;
    let bare = proxy.add_store("S-BARE").await;
    proxy.add_terminal(bare, "K1").await;

    let filtered = |readiness: &'static str| {
        let proxy = &proxy;
        async move {
            let page = proxy.get(&format!("/stores?readiness={readiness}")).await;
            numbers(page.ok())
        }
    };
    assert_eq!(filtered("ready").await, ["S-READY"]);
    assert_eq!(filtered("some_cannot_sign").await, ["S-PARTLY"]);
    assert_eq!(filtered("no_terminal").await, ["S-NOTERM"]);
    assert_eq!(filtered("no_active_tss").await, ["S-BARE"]);
    assert_eq!(
        filtered("cannot_sign").await,
        ["S-BARE", "S-NOTERM", "S-PARTLY"]
    );
    let worst_first = proxy.get("/stores?sort=readiness").await;
    assert_eq!(
        numbers(worst_first.ok()),
        ["S-BARE", "S-PARTLY", "S-NOTERM", "S-READY"]
    );
    let one_by_one = every_page(&proxy, "/stores?sort=readiness", 1, async |_| {}).await;
    let paged: Vec<String> = one_by_one.iter().flat_map(numbers).collect();
    assert_eq!(
        paged,
        ["S-BARE", "S-PARTLY", "S-NOTERM", "S-READY"],
        "a page of one at a time crosses every readiness"
    );
    let partly_row = &proxy.get(&format!("/stores/{partly}")).await.ok().clone();
    assert_eq!(partly_row["signing"]["signing_terminals"], 1);
    assert_eq!(partly_row["signing"]["terminals"], 2);
    assert_eq!(partly_row["tss_by_state"]["INITIALIZED"], 1);

    let fleet = proxy.get("/fleet").await.ok().clone();
    assert_eq!(fleet["stores"], 4);
    assert_eq!(
        fleet["stores_by_readiness"],
        json!({"no_active_tss": 1, "some_cannot_sign": 1, "no_terminal": 1, "ready": 1})
    );
    assert_eq!(fleet["tss_by_state"], json!({"INITIALIZED": 3}));
    assert_eq!(fleet["terminals"], 5);
    assert_eq!(fleet["terminals_cannot_sign"], 2);
    assert_eq!(fleet["clients_by_state"], json!({"REGISTERED": 3}));
    assert_eq!(fleet["tss_with_error"], 0);

    // Disabling the ready store's TSS makes it a store that cannot sign, at once.
    let tss = proxy.tss_of(ready).await[0].tss_id.clone();
    proxy.disable(&tss).await.ok();
    support::wait_until_settled(&proxy.state.storage, ready, &tss).await;
    assert_eq!(
        filtered("cannot_sign").await,
        ["S-BARE", "S-NOTERM", "S-PARTLY", "S-READY"]
    );
    let fleet = proxy.get("/fleet").await.ok().clone();
    assert_eq!(fleet["stores_by_readiness"]["no_active_tss"], 2);
    assert_eq!(fleet["terminals_cannot_sign"], 4);
    assert_eq!(fleet["tss_by_state"]["DISABLED"], 1);
}

#[tokio::test]
async fn terminals_are_paged_and_filtered_by_store_and_client() {
    let proxy = TestProxy::start().await;
    let (ready, _, registered) = proxy.ready_store("S-2", 3).await;
    let other = proxy.add_store("S-10").await;
    let bare = proxy.add_terminal(other, "K1").await;
    proxy.add_terminal(other, "K2").await;

    let pages = every_page(&proxy, "/terminals?", 2, async |_| {}).await;
    let seen: Vec<(String, String)> = pages
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .map(|t| {
            let store = t["store_number"].as_str().unwrap().to_owned();
            (store, t["number"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("S-10", "K1"),
        ("S-10", "K2"),
        ("S-2", "K0"),
        ("S-2", "K1"),
        ("S-2", "K2"),
    ]
    .iter()
    .map(|(s, t)| (s.to_string(), t.to_string()))
    .collect();
    assert_eq!(seen, expected, "by store number, then terminal number");
    assert_eq!(pages[0]["total"], 5);

    let ids = |path: String| {
        let proxy = &proxy;
        async move {
            let page = proxy.get(&path).await;
            let items = page.ok()["items"].as_array().unwrap().clone();
            let mut ids: Vec<i64> = items.iter().map(|t| t["id"].as_i64().unwrap()).collect();
            ids.sort();
            ids
        }
    };
    let mut all_registered = registered.clone();
    all_registered.sort();
    assert_eq!(
        ids(format!("/terminals?store_id={ready}")).await,
        all_registered
    );
    assert_eq!(
        ids("/terminals?client=registered".into()).await,
        all_registered
    );
    assert_eq!(ids("/terminals?client=cannot_sign".into()).await.len(), 2);
    assert_eq!(ids("/terminals?client=no_client".into()).await.len(), 2);
    assert!(ids("/terminals?client=deregistered".into())
        .await
        .is_empty());
    assert_eq!(ids("/terminals?q=FILIALE%20k1".into()).await.len(), 2);
    assert_eq!(
        ids(format!("/terminals?store_id={other}&q=K1")).await,
        [bare]
    );
}

#[tokio::test]
async fn a_tampered_cursor_or_limit_is_refused_with_400_not_a_crash() {
    let proxy = TestProxy::start().await;
    for n in 0..4 {
        proxy.add_store(&format!("S-{n}")).await;
    }
    let page = proxy.get("/stores?limit=2").await;
    let cursor = page.ok()["next"].as_str().unwrap().to_owned();
    let second = proxy.get(&format!("/stores?limit=2&cursor={cursor}")).await;
    assert_eq!(numbers(second.ok()), ["S-2", "S-3"]);
    assert!(second.ok()["next"].is_null(), "the last page");

    let mut refusals: HashMap<&str, String> = HashMap::new();
    let mut flipped = cursor.clone().into_bytes();
    flipped[3] ^= 0x01;
    let flipped = String::from_utf8(flipped).unwrap();
    refusals.insert("garbage", "/stores?cursor=%%%".into());
    refusals.insert("not base64", "/stores?cursor=abc!def".into());
    refusals.insert("one byte changed", format!("/stores?cursor={flipped}"));
    refusals.insert(
        "another order",
        format!("/stores?sort=readiness&cursor={cursor}"),
    );
    refusals.insert("another list", format!("/terminals?cursor={cursor}"));
    refusals.insert("empty", "/stores?cursor=".into());
    let nul = URL_SAFE_NO_PAD.encode(br#"{"after":"store_number","number":"S-1\u0000"}"#);
    refusals.insert("a NUL in the position", format!("/stores?cursor={nul}"));
    for (case, path) in &refusals {
        let reply = proxy.get(path).await;
        assert!(
            reply.status == 400,
            "{case}: {} {}",
            reply.status,
            reply.body
        );
        assert_eq!(reply.body["error"]["code"], "bad_request", "{case}");
    }
    let message = proxy.get("/stores?cursor=abc").await.body["error"]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("first page"),
        "{message}"
    );
    for limit in ["0", "501", "-1", "x"] {
        let reply = proxy.get(&format!("/stores?limit={limit}")).await;
        assert!(
            [400, 422].contains(&reply.status),
            "limit {limit}: {}",
            reply.status
        );
    }
    let unknown = proxy.get("/stores?readiness=sometimes").await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
}
