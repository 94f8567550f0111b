//! Import from the ERP: the preview names each problem by line and column and writes nothing;
//! a file with any problem imports nothing; a good one is written at once; the same file again
//! changes nothing; only administrators import.

use crate::support;

use serde_json::Value;
use support::TestProxy;
use tss_model::Role;

const HEADER: &str = "Filialnummer;Filialname;Straße;Ort;Kassennummer;Kassenname;Seriennummer\n";

fn file(lines: &[&str]) -> String {
    format!("{HEADER}{}\n", lines.join("\n"))
}

const GOOD: [&str; 4] = [
    "S-1;Köln Mitte;Hohe Straße 1;Köln;K1;Kasse 1;SN-K1",
    "S-1;Köln Mitte;Hohe Straße 1;Köln;K2;Kasse 2;SN-K2",
    "S-2;Düsseldorf Altstadt;Bolkerstraße 3;Düsseldorf;K1;Kasse 1;SN-D1",
    "S-3;Lager;Industriestraße 9;Bonn;;;",
];

async fn every_store(proxy: &TestProxy) -> Value {
    proxy.get("/stores?limit=500").await.ok().clone()
}

#[tokio::test]
async fn a_file_with_a_bad_line_is_previewed_with_its_problem_and_imports_nothing() {
    let proxy = TestProxy::start().await;
    let mut lines = GOOD.to_vec();
    lines[1] = "S-1;Köln Mitte;Hohe Straße 1;Köln;K2;Kasse 2;SN/K2";
    let bad = file(&lines);

    let preview = proxy.upload("/import/preview", bad.clone()).await;
    let report = preview.ok();
    assert_eq!(report["lines"], 4);
    assert_eq!(report["applied"], false);
    assert_eq!(report["problems"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["problems"][0]["line"], 3);
    assert_eq!(report["problems"][0]["column"], "serial_number");
    assert_eq!(report["problems"][0]["reason"]["kind"], "serial_number");
    assert_eq!(
        report["problems"][0]["reason"]["problem"],
        "slash_or_underscore"
    );
    assert_eq!(
        every_store(&proxy).await["total"],
        0,
        "a preview writes nothing"
    );

    let refused = proxy.upload("/import", bad).await;
    let message = refused.expect_error(422, "validation");
    assert!(message.contains("Line 3, serial_number"), "{message}");
    assert!(message.contains("Nothing was imported"), "{message}");
    assert_eq!(every_store(&proxy).await["total"], 0, "nothing imported");
    let audit = proxy.get("/audit?action=import_stores").await.ok().clone();
    assert_eq!(audit[0]["result"], "failed", "{audit}");
}

#[tokio::test]
async fn a_good_file_is_imported_at_once_and_importing_it_again_changes_nothing() {
    let proxy = TestProxy::start().await;
    let good = file(&GOOD);
    let preview = proxy.upload("/import/preview", good.clone()).await;
    assert_eq!(preview.ok()["stores"]["new"], 3);
    assert_eq!(preview.ok()["terminals"]["new"], 3);
    assert_eq!(every_store(&proxy).await["total"], 0);

    let imported = proxy.upload("/import", good.clone()).await;
    let report = imported.ok().clone();
    assert_eq!(report["applied"], true);
    assert_eq!(report["stores"]["new"], 3);
    assert_eq!(report["terminals"]["new"], 3);
    let stores = every_store(&proxy).await;
    assert_eq!(stores["total"], 3);
    assert_eq!(stores["items"][0]["city"], "Köln");
    assert_eq!(stores["items"][0]["signing"]["readiness"], "no_active_tss");
    assert_eq!(stores["items"][0]["signing"]["terminals"], 2);
    assert_eq!(
        stores["items"][2]["signing"]["terminals"], 0,
        "a store-only line"
    );
    let found = proxy.get("/stores?q=dusseldorf").await.ok().clone();
    assert_eq!(found["total"], 1, "imported stores are searchable");
    let terminals = proxy.get("/terminals?q=SN-K2").await.ok().clone();
    assert_eq!(terminals["items"][0]["name"], "Kasse 2");

    let again = proxy.upload("/import", good).await;
    let report = again.ok();
    assert_eq!(report["stores"]["unchanged"], 3);
    assert_eq!(report["terminals"]["unchanged"], 3);
    assert_eq!(report["stores"]["new"], 0);
    assert_eq!(
        every_store(&proxy).await,
        stores,
        "the same file changes nothing"
    );

    let mut changed = GOOD.to_vec();
    changed[3] = "S-3;Lager;Industriestraße 11;Bonn;;;";
    changed[0] = "S-1;Köln Mitte;Hohe Straße 1;Köln;K1;Kasse Eins;SN-K1";
    let report = proxy.upload("/import", file(&changed)).await.ok().clone();
    assert_eq!(report["stores"]["changed"], 1, "{report}");
    assert_eq!(report["terminals"]["changed"], 1, "{report}");
    let store = proxy
        .get(&format!("/stores/{}", stores["items"][2]["id"]))
        .await;
    assert_eq!(store.ok()["street"], "Industriestraße 11");
}

#[tokio::test]
async fn a_comma_file_with_a_byte_order_mark_reads_like_the_german_one() {
    let proxy = TestProxy::start().await;
    let text = "\u{feff}store_number,store_name,street,city\r\n\
                S-7,\"Frankfurt, Zeil\",Zeil 1,Frankfurt am Main\r\n";
    let report = proxy.upload("/import", text).await.ok().clone();
    assert_eq!(report["stores"]["new"], 1, "{report}");
    let stores = every_store(&proxy).await;
    assert_eq!(stores["items"][0]["name"], "Frankfurt, Zeil");
    let latin1 = b"store_number;store_name;street;city\nS-8;K\xf6ln;Weg 1;K\xf6ln\n".to_vec();
    let report = proxy.upload("/import/preview", latin1).await.ok().clone();
    assert_eq!(
        report["problems"][0]["reason"]["kind"], "not_utf8",
        "{report}"
    );
}

#[tokio::test]
async fn only_administrators_import() {
    let proxy = TestProxy::start().await;
    proxy.add_user("otto", Role::Operator).await;
    proxy.log_in("otto", support::TEST_PASSWORD).await.ok();
    proxy
        .upload("/import/preview", file(&GOOD))
        .await
        .expect_error(403, "forbidden");
    proxy
        .upload("/import", file(&GOOD))
        .await
        .expect_error(403, "forbidden");
}
