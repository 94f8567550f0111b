//! SPA performance in headless Chromium (evidence, not a test): the first load of `/stores` until
//! the Store List shows its rows, cold (fresh profile) and warm (second visit), on a desktop and on
//! a store tablet with the CPU and the network slowed through DevTools, with the bytes it
//! transferred; and the Store List with 10,000 stores (a page of 50 at a time): its first render
//! after its data arrived, and each search keystroke until the rows are updated.
//!
//! Run after `cargo xtask build` (or `run`, or `test`) built and precompressed `dist/`:
//! `cargo bench -p tss-e2e --bench spa`.

use std::time::{Duration, Instant};

use tss_e2e::cdp::Throttling;
use tss_e2e::{Stage, DESKTOP, TABLET};
use tss_model::StoreInput;

const STORES: usize = 10_000;
/// Browsers started per profile; the median is reported.
const RUNS: usize = 3;

/// What the page's load transferred: [bytes over the network (document, assets, API), the
/// assets fetched over the network rather than from the browser's cache].
const TRANSFERRED: &str = r#"
const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
const fetched = performance.getEntriesByType('resource')
  .filter(e => !e.name.includes('/api/') && e.transferSize > 0)
  .map(e => e.name.split('/').pop());
return [entries.reduce((sum, e) => sum + e.transferSize, 0), fetched];
"#;

/// One load of `/stores` until its rows are shown: how long, the bytes, the assets fetched.
async fn load_store_list(stage: &Stage) -> (Duration, u64, Vec<String>) {
    let started = Instant::now();
    stage.open("/stores").await;
    stage.element("tbody tr a").await;
    let took = started.elapsed();
    let transferred = stage.browser.execute(TRANSFERRED, vec![]).await.unwrap();
    let fetched = transferred[1]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect();
    (took, transferred[0].as_u64().unwrap_or(0), fetched)
}

/// Cold and warm first loads with `throttling`, `RUNS` times; prints the medians.
async fn first_loads(throttling: Throttling) {
    let size = if throttling.cpu_slowdown > 1 {
        TABLET
    } else {
        DESKTOP
    };
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    let (mut cold_bytes, mut warm_assets) = (0, Vec::new());
    for _ in 0..RUNS {
        let stage = Stage::launch(size).await;
        stage.give_session_of("admin").await;
        stage.throttle(throttling).await;
        let (took, bytes, _) = load_store_list(&stage).await;
        cold.push(took);
        cold_bytes = bytes;
        stage.browser.goto("about:blank").await.unwrap();
        let (took, _, assets) = load_store_list(&stage).await;
        warm.push(took);
        warm_assets.extend(assets);
        stage.finish().await;
    }
    cold.sort();
    warm.sort();
    warm_assets.dedup();
    println!(
        "{:<48} cold {:>5} ms  warm {:>5} ms  first-load transfer {cold_bytes:>7} B  assets fetched again on the second visit: {warm_assets:?}",
        throttling.name,
        cold[RUNS / 2].as_millis(),
        warm[RUNS / 2].as_millis(),
    );
}

/// Types `text` into the search field and answers the milliseconds until the list shows the new
/// result (measured inside the page: fetch through the proxy and render), with the number of
/// matching stores.
const TYPE_AND_TIME: &str = r#"
const [text, done] = arguments;
const input = document.querySelector('input[type=search]');
const total = () => { const t = document.querySelector('table[data-total]'); return t ? t.dataset.total : null; };
const before = total();
const started = performance.now();
input.value = text;
input.dispatchEvent(new Event('input', { bubbles: true }));
const check = () => {
  if (total() !== before) { done([performance.now() - started, Number(total())]); }
  else if (performance.now() - started > 20000) { done([-1, Number(total())]); }
  else { requestAnimationFrame(check); }
};
requestAnimationFrame(check);
"#;

/// Goes to the Store List through the navigation and answers how long after its page of stores
/// arrived (the `GET /api/stores` answer's last byte) its rows were in the page, and how many.
const OPEN_AND_TIME: &str = r#"
const done = arguments[0];
performance.clearResourceTimings();
const arrived = () => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/api/stores?') || e.name.endsWith('/api/stores')).pop();
const observer = new MutationObserver(() => {
  const rows = document.querySelectorAll('table.list tbody tr').length;
  const entry = arrived();
  if (rows > 0 && entry) {
    observer.disconnect();
    done([performance.now() - entry.responseEnd, rows]);
  }
});
observer.observe(document.body, { childList: true, subtree: true });
document.querySelector('.app-nav a[href="/stores"]').click();
"#;

#[tokio::main]
async fn main() {
    println!("first load of /stores until its rows are shown (median of {RUNS} fresh browsers):");
    for throttling in [
        Throttling::DESKTOP,
        Throttling::TABLET_FAST_4G,
        Throttling::TABLET_SLOW_4G,
    ] {
        first_loads(throttling).await;
    }

    let stage = Stage::start(DESKTOP).await;
    for n in 0..STORES - 12 {
        stage
            .proxy
            .storage
            .insert_store(&StoreInput {
                number: format!("S-{:04}", n + 100),
                name: format!("Filiale {n}"),
                street: "Hauptstraße 1".into(),
                city: ["Berlin", "Hamburg", "München", "Köln", "Leipzig"][n % 5].into(),
            })
            .await
            .unwrap();
    }
    for _ in 0..RUNS {
        stage.open("/terminals").await;
        stage.element("table.list").await;
        let answer = stage
            .browser
            .execute_async(OPEN_AND_TIME, vec![])
            .await
            .unwrap();
        println!(
            "Store List with {STORES} stores: its {} rows shown {:.1} ms after its data arrived",
            answer[1],
            answer[0].as_f64().unwrap_or(-1.0),
        );
    }
    // Keystrokes 300 ms apart: each is searched at once (typing faster is coalesced: the search
    // waits until typing pauses).
    for text in ["S-4", "S-49", "S-499", "S-49", "Köln", ""] {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answer = stage
            .browser
            .execute_async(TYPE_AND_TIME, vec![text.into()])
            .await
            .unwrap();
        println!(
            "  search {text:>6}: {:>6.0} ms until the {} matching stores are listed",
            answer[0].as_f64().unwrap_or(-1.0),
            answer[1]
        );
    }
    stage.finish().await;
}
