//! Import from the ERP, printing numbers (not a test): a CSV file of 10,000 lines (2,500 stores
//! with 4 POS terminals each) posted to the proxy serving on loopback — the preview, the import
//! into an empty console, the same file again (nothing to change), and a file that changes one
//! line in ten — on SQLite, and on Postgres when `TSS_BENCH_POSTGRES` names a server.
//!
//! Run: `cargo bench -p tss-proxy --bench import`, or `cargo xtask bench import` to include
//! Postgres (it starts a throwaway server).

mod serving;
mod support;

use std::path::PathBuf;
use std::time::Instant;

use fiskaly_sim::{SimConfig, Simulator};
use tss_model::Backend;
use tss_proxy::fiskaly::RetryPolicy;
use tss_proxy::storage::{Location, Storage};
use tss_proxy::AppState;

const STORES: usize = 2_500;
const TERMINALS_PER_STORE: usize = 4;
const CITIES: [&str; 4] = ["Köln", "München", "Düsseldorf", "Lübeck"];

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let sqlite = Location::Sqlite(dir.path().join("import.sqlite"));
    import_into("SQLite", &sqlite, dir.path(), &sim).await;
    match std::env::var("TSS_BENCH_POSTGRES") {
        Ok(server) => {
            let url = format!("{server}/bench_{}", uuid::Uuid::new_v4().simple());
            import_into("Postgres", &Location::Postgres(url), dir.path(), &sim).await;
        }
        Err(_) => println!("Postgres: skipped (run `cargo xtask bench import`)"),
    }
}

/// The four posts against a new console on `database`.
async fn import_into(name: &str, database: &Location, dir: &std::path::Path, sim: &Simulator) {
    let key = dir.join(format!("{name}.key"));
    let storage = Storage::open(database, &key).await.unwrap();
    let state = AppState::talking_to(
        storage,
        tss_proxy::demo::simulator_target(sim),
        Backend::Simulator,
        RetryPolicy::default(),
        PathBuf::from("dist"),
    );
    let cookie = serving::session_cookie(&state).await;
    let base = serving::serve(state).await;
    let file = fleet_file(0);
    let changed = fleet_file(10);
    println!(
        "{name}: a file of {} lines, {} KB",
        STORES * TERMINALS_PER_STORE,
        file.len() / 1024
    );
    for (what, path, body) in [
        ("preview, empty console", "/import/preview", &file),
        ("import into an empty console", "/import", &file),
        ("the same file again (nothing to change)", "/import", &file),
        ("one line in ten changed", "/import", &changed),
    ] {
        let started = Instant::now();
        let report = post(&base, path, &cookie, body.clone()).await;
        println!(
            "{name}: {what}: {:.2?} (stores {}, terminals {}, {} problems)",
            started.elapsed(),
            report["stores"],
            report["terminals"],
            report["problems"].as_array().map_or(0, Vec::len)
        );
    }
}

/// The CSV file of the fleet; with `change_every` > 0, every such terminal gets a new name.
fn fleet_file(change_every: usize) -> String {
    let mut file =
        String::from("Filialnummer;Filialname;Straße;Ort;Kassennummer;Kassenname;Seriennummer\n");
    for n in 0..STORES {
        let city = CITIES[n % CITIES.len()];
        for k in 0..TERMINALS_PER_STORE {
            let line = n * TERMINALS_PER_STORE + k;
            let name = if change_every > 0 && line.is_multiple_of(change_every) {
                format!("Kasse {k} neu")
            } else {
                format!("Kasse {k}")
            };
            file.push_str(&format!(
                "F-{n:05};Filiale {city} {n};Hauptstraße {n};{city};K{k};{name};SN-{n:05}-{k}\n"
            ));
        }
    }
    file
}

/// Posts `body` as CSV to `path`; answers the report.
async fn post(base: &str, path: &str, cookie: &str, body: String) -> serde_json::Value {
    let answer = support::api_client(base, Some(cookie))
        .post(format!("{base}{path}"))
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
    answer.json().await.unwrap()
}
