//! SPA performance in headless Chromium (evidence, not a test): cold load of `/stores` until the
//! Store List is interactive, and the Store List with 5,000 stores: first render and each search
//! keystroke until the rows are updated.
//!
//! Run after `trunk build --release`: `cargo bench -p tss-e2e --bench spa`.

use std::time::{Duration, Instant};

use tss_e2e::{Stage, DESKTOP};
use tss_model::StoreInput;

const STORES: usize = 5_000;
const COLD_LOADS: usize = 5;

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

async fn row_count(stage: &Stage) -> u64 {
    stage
        .browser
        .execute(
            "return document.querySelectorAll('tbody tr').length;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let mut loads = Vec::new();
    for _ in 0..COLD_LOADS {
        let stage = Stage::launch(DESKTOP).await;
        stage.give_session_of("admin").await;
        let started = Instant::now();
        stage.open("/stores").await;
        stage.element("tbody tr a").await;
        loads.push(started.elapsed());
        stage.finish().await;
    }
    loads.sort();
    println!(
        "cold load of /stores until the Store List is interactive (fresh browser profile, loopback): median {:.0?}, max {:.0?} over {COLD_LOADS}",
        loads[COLD_LOADS / 2],
        loads[COLD_LOADS - 1]
    );

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
    let started = Instant::now();
    stage.open("/stores").await;
    while row_count(&stage).await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the 5,000 rows never appeared"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "Store List with {STORES} stores: first render {:.0?}",
        started.elapsed()
    );
    for text in ["S-4", "S-49", "S-499", "S-49", "Köln", ""] {
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
