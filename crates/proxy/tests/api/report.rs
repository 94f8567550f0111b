//! The tax-office report (§ 146a (4) AO): per store its POS terminals (serial number, model,
//! software, in and out of service) and its TSS (serial number, BSI certification ID, initialised,
//! disabled), marked when new or changed since the report last marked as submitted; a CSV file
//! with German headers and umlauts.

use crate::support;

use serde_json::{json, Value};
use support::TestProxy;
use tss_model::{TaxReport, TSE_KIND};
use tss_proxy::report_csv::COLUMNS;

async fn report(proxy: &TestProxy, store: i64) -> TaxReport {
    let reply = proxy.get(&format!("/report?store_id={store}")).await;
    serde_json::from_value(reply.ok().clone()).unwrap()
}

#[tokio::test]
async fn a_store_with_a_disabled_and_an_active_tss_and_a_replaced_till_and_what_changed() {
    let proxy = TestProxy::start().await;
    let organisation = json!({"name": "Bäckerei Müller GmbH", "tax_number": "21/815/08150"});
    proxy
        .put("/settings/organisation", organisation.clone())
        .await
        .ok();
    let (store, old, terminals) = proxy.ready_store("S-1", 1).await;
    let new = proxy.generate_additional(store).await.tss_id;
    proxy.disable(&old).await.ok();
    // The till K0 was replaced by K1 on 1 December.
    let till = |number: &str, serial: &str, service: Value| {
        json!({"number": number, "name": "Kasse", "store_id": store, "serial_number": serial,
               "service": service})
    };
    let retired = till(
        "K0",
        &format!("SN-{store}-K0"),
        json!({"model": "Kasse 3000 (Muster GmbH)", "software": "Kassa 4.2",
               "in_service_since": "2025-07-01", "out_of_service_since": "2026-12-01"}),
    );
    proxy
        .patch(&format!("/terminals/{}", terminals[0]), retired)
        .await
        .ok();
    let replacement = till(
        "K1",
        "SN-NEU-1",
        json!({"model": "Kasse 4000 (Muster GmbH)", "in_service_since": "2026-12-01"}),
    );
    proxy.post("/terminals", replacement).await.ok();

    let first = report(&proxy, store).await;
    assert_eq!(first.organisation.name, "Bäckerei Müller GmbH");
    assert_eq!(first.last_submitted, None);
    let shown = &first.stores[0];
    assert_eq!(shown.number, "S-1");
    let tills: Vec<(&str, Option<&str>, Option<&str>)> = shown
        .terminals
        .iter()
        .map(|t| {
            let service = &t.service;
            (
                t.number.as_str(),
                service.in_service_since.as_deref(),
                service.out_of_service_since.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        tills,
        [
            ("K0", Some("2025-07-01"), Some("2026-12-01")),
            ("K1", Some("2026-12-01"), None)
        ]
    );
    let mut tss: Vec<(&str, bool, bool)> = shown
        .tss
        .iter()
        .map(|t| {
            let (init, disable) = (t.initialized_at.is_some(), t.disabled_at.is_some());
            (t.tss_id.as_str(), init, disable)
        })
        .collect();
    tss.sort();
    let mut expected = [(old.as_str(), true, true), (new.as_str(), true, false)];
    expected.sort();
    assert_eq!(tss, expected);
    assert!(shown.tss.iter().all(|t| {
        t.serial_number.as_deref().is_some_and(|s| s.len() == 64)
            && t.bsi_certification_id.as_deref() == Some("BSI-K-TR-0490-2021")
    }));
    assert!(shown.terminals.iter().all(|t| t.changed) && shown.tss.iter().all(|t| t.changed));

    let submitted = proxy.post("/report/submitted", json!({})).await;
    assert_eq!(submitted.ok()["by"], "admin");
    let after = report(&proxy, store).await;
    assert!(after.stores[0].tss.iter().all(|t| !t.changed));
    assert!(after.stores[0].terminals.iter().all(|t| !t.changed));
    let another = proxy.generate_additional(store).await.tss_id;
    let later = report(&proxy, store).await;
    let changed: Vec<&str> = later.stores[0]
        .tss
        .iter()
        .filter(|t| t.changed)
        .map(|t| t.tss_id.as_str())
        .collect();
    assert_eq!(changed, [another.as_str()], "only the new TSS");
    assert_eq!(later.last_submitted.unwrap().by, "admin");

    let file = proxy.get(&format!("/report.csv?store_id={store}")).await;
    assert_eq!(file.status, 200);
    let text = file.body.as_str().unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte order mark for Excel");
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), COLUMNS.join(";"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2 + 3, "two tills, three TSS");
    assert!(rows[0].starts_with(
        "Bäckerei Müller GmbH;21/815/08150;S-1;Filiale S-1;Hauptstraße 1;Köln;Kasse;K0;"
    ));
    assert!(
        rows[0].contains(";01.07.2025;01.12.2026;nein"),
        "{}",
        rows[0]
    );
    let newest = rows
        .iter()
        .find(|r| r.contains(&format!("TSE ({TSE_KIND});{another}")))
        .expect("the new TSS's line");
    assert!(newest.ends_with(";ja"), "{newest}");
}

#[tokio::test]
async fn what_the_tax_office_is_told_of_a_till_is_checked() {
    let proxy = TestProxy::start().await;
    let store = proxy.add_store("S-1").await;
    let till = |service: Value| {
        json!({"number": "K1", "name": "Kasse", "store_id": store, "serial_number": "SN-1",
               "service": service})
    };
    let refused = proxy
        .post("/terminals", till(json!({"in_service_since": "1.7.2025"})))
        .await;
    refused.expect_error(422, "validation");
    assert_eq!(refused.body["error"]["field"], "in_service_since");
    let backwards = json!({"in_service_since": "2026-12-01", "out_of_service_since": "2025-01-01"});
    let refused = proxy.post("/terminals", till(backwards)).await;
    assert_eq!(refused.body["error"]["field"], "out_of_service_since");
    let fine = proxy
        .post(
            "/terminals",
            till(json!({"model": "  ", "software": "Kassa 4.2"})),
        )
        .await;
    assert_eq!(fine.status, 201, "{}", fine.body);
    assert_eq!(fine.body["service"]["model"], Value::Null, "blank is none");
    assert_eq!(fine.body["service"]["software"], "Kassa 4.2");
    let id = fine.body["id"].as_i64().unwrap();
    let renamed = json!({"number": "K1", "name": "Kasse neu", "store_id": store,
                         "serial_number": "SN-1"});
    let kept = proxy.patch(&format!("/terminals/{id}"), renamed).await;
    assert_eq!(
        kept.ok()["service"]["software"],
        "Kassa 4.2",
        "left out, kept"
    );
    proxy
        .put(
            "/settings/organisation",
            json!({"name": "", "tax_number": "1"}),
        )
        .await
        .expect_error(422, "validation");
}
