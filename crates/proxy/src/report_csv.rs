//! The tax-office report as a CSV file for a spreadsheet: UTF-8 with a byte order mark (so that
//! Excel reads the umlauts), `;`-separated, German headers, one line per POS terminal and per TSS.

use tss_model::{ReportStore, TaxReport, TSE_KIND};

use crate::schedule::berlin_date;

/// The header line's columns.
pub const COLUMNS: [&str; 15] = [
    "Unternehmen",
    "Steuernummer",
    "Filialnummer",
    "Filiale",
    "Straße",
    "Ort",
    "Art",
    "Kennung",
    "Seriennummer",
    "Modell",
    "Software",
    "BSI-Zertifizierung",
    "In Betrieb seit",
    "Außer Betrieb seit",
    "Geändert seit der letzten Meldung",
];

/// A `YYYY-MM-DD` day as `DD.MM.YYYY`; anything else as it is.
fn german_day(day: &str) -> String {
    match day.split('-').collect::<Vec<_>>()[..] {
        [year, month, date] => format!("{date}.{month}.{year}"),
        _ => day.to_owned(),
    }
}

fn yes_no(changed: bool) -> &'static str {
    if changed {
        "ja"
    } else {
        "nein"
    }
}

/// A cell as a spreadsheet may read it: one that starts like a formula (`=`, `+`, `-`, `@`)
/// gets a `'` first, so that a store or model name never runs as one.
fn cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    }
}

/// The report as the CSV file's bytes.
pub fn csv(report: &TaxReport) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(COLUMNS).expect("writing to memory");
    let organisation = &report.organisation;
    for store in &report.stores {
        for line in lines(store) {
            let mut record = vec![organisation.name.clone(), organisation.tax_number.clone()];
            record.extend(line);
            let record: Vec<String> = record.into_iter().map(cell).collect();
            writer.write_record(&record).expect("writing to memory");
        }
    }
    writer.into_inner().expect("writing to memory")
}

/// A store's lines without the organisation's columns.
fn lines(store: &ReportStore) -> Vec<Vec<String>> {
    let place = [
        store.number.clone(),
        store.name.clone(),
        store.street.clone(),
        store.city.clone(),
    ];
    let terminals = store.terminals.iter().map(|t| {
        let service = &t.service;
        let day = |d: &Option<String>| d.as_deref().map(german_day).unwrap_or_default();
        [
            "Kasse".to_owned(),
            t.number.clone(),
            t.serial_number.clone(),
            service.model.clone().unwrap_or_default(),
            service.software.clone().unwrap_or_default(),
            String::new(),
            day(&service.in_service_since),
            day(&service.out_of_service_since),
            yes_no(t.changed).to_owned(),
        ]
    });
    let tss = store.tss.iter().map(|t| {
        let day = |at: Option<i64>| at.map(berlin_date).unwrap_or_default();
        [
            format!("TSE ({TSE_KIND})"),
            t.tss_id.clone(),
            t.serial_number.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            t.bsi_certification_id.clone().unwrap_or_default(),
            day(t.initialized_at),
            day(t.disabled_at),
            yes_no(t.changed).to_owned(),
        ]
    });
    terminals
        .chain(tss)
        .map(|line| place.iter().cloned().chain(line).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tss_model::{Organisation, ReportTerminal, ReportTss, TerminalService};

    #[test]
    fn the_file_has_the_german_columns_umlauts_and_a_line_per_till_and_tss() {
        let report = TaxReport {
            organisation: Organisation {
                name: "Bäckerei Müller GmbH".into(),
                tax_number: "21/815/08150".into(),
            },
            stores: vec![ReportStore {
                store_id: 1,
                number: "S-001".into(),
                name: "Köln Süd".into(),
                street: "Hauptstraße 1".into(),
                city: "Köln".into(),
                terminals: vec![ReportTerminal {
                    terminal_id: 4,
                    number: "K-01".into(),
                    serial_number: "SN-1".into(),
                    service: TerminalService {
                        model: Some("Kasse 3000; Muster".into()),
                        software: Some("=HYPERLINK(\"x\")".into()),
                        in_service_since: Some("2025-07-01".into()),
                        out_of_service_since: None,
                    },
                    changed: true,
                }],
                tss: vec![ReportTss {
                    tss_id: "t-1".into(),
                    serial_number: Some("ab12".into()),
                    bsi_certification_id: Some("BSI-K-TR-0490-2021".into()),
                    initialized_at: Some(1_751_364_000),
                    disabled_at: None,
                    changed: false,
                }],
            }],
            last_submitted: None,
        };
        let text = String::from_utf8(csv(&report)).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(headers, COLUMNS);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], "Bäckerei Müller GmbH");
        assert_eq!(rows[0][3], "Köln Süd");
        assert_eq!(rows[0][6], "Kasse");
        assert_eq!(
            rows[0][9], "Kasse 3000; Muster",
            "a ; inside a field is quoted"
        );
        assert_eq!(rows[0][12], "01.07.2025");
        assert_eq!(rows[0][14], "ja");
        assert_eq!(rows[1][6], "TSE (Cloud-TSE)");
        assert_eq!(rows[1][11], "BSI-K-TR-0490-2021");
        assert_eq!(rows[1][12], "01.07.2025");
        assert_eq!(rows[1][14], "nein");
    }
}
