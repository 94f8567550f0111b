//! The tax-office report (§ 146a (4) AO): every store with its POS terminals and its TSS set up at
//! fiskaly, read in one snapshot; a submission keeps a fingerprint of each row, and the next
//! report marks the rows that are new or differ from it.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;
use tss_model::{
    Organisation, ReportStore, ReportTerminal, ReportTss, Submission, TaxReport, TerminalService,
};

use super::{Storage, StorageResult};

/// The settings key the organisation is saved under (JSON).
const ORGANISATION: &str = "organisation";

/// Each row's fingerprint by key (`terminal:<id>`, `tss:<id>`).
type Fingerprints = HashMap<String, String>;

fn terminal_fingerprint(store_id: i64, terminal: &ReportTerminal) -> String {
    let service = &terminal.service;
    format!(
        "{store_id}|{}|{}|{:?}|{:?}|{:?}|{:?}",
        terminal.number,
        terminal.serial_number,
        service.model,
        service.software,
        service.in_service_since,
        service.out_of_service_since
    )
}

fn tss_fingerprint(store_id: i64, tss: &ReportTss) -> String {
    format!(
        "{store_id}|{:?}|{:?}|{:?}|{:?}",
        tss.serial_number, tss.bsi_certification_id, tss.initialized_at, tss.disabled_at
    )
}

impl Storage {
    /// The organisation's name and tax number (empty until saved).
    pub async fn organisation(&self) -> StorageResult<Organisation> {
        Ok(self
            .setting(ORGANISATION)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Saves the organisation's name and tax number.
    pub async fn save_organisation(&self, organisation: &Organisation) -> StorageResult<()> {
        let json = serde_json::to_string(organisation).expect("an organisation serialises");
        self.save_setting(ORGANISATION, &json).await
    }

    /// The report of store `store_id`, or of every store; each row marked when it is new or
    /// changed since the last submission.
    pub async fn tax_report(&self, store_id: Option<i64>) -> StorageResult<TaxReport> {
        let (stores, last) = self.report_rows(store_id).await?;
        let submitted: Fingerprints = match &last {
            Some((_, fingerprints)) => serde_json::from_str(fingerprints).unwrap_or_default(),
            None => Fingerprints::new(),
        };
        let stores = stores
            .into_values()
            .map(|mut store| {
                for terminal in &mut store.terminals {
                    let key = format!("terminal:{}", terminal.terminal_id);
                    let now = terminal_fingerprint(store.store_id, terminal);
                    terminal.changed = submitted.get(&key) != Some(&now);
                }
                for tss in &mut store.tss {
                    let key = format!("tss:{}", tss.tss_id);
                    let now = tss_fingerprint(store.store_id, tss);
                    tss.changed = submitted.get(&key) != Some(&now);
                }
                store
            })
            .collect();
        Ok(TaxReport {
            organisation: self.organisation().await?,
            stores,
            last_submitted: last.map(|(submission, _)| submission),
        })
    }

    /// Marks the report of every store as submitted by `by` at `now`: its rows become what the
    /// next report compares with.
    pub async fn submit_report(&self, by: &str, now: i64) -> StorageResult<Submission> {
        let (stores, _) = self.report_rows(None).await?;
        let mut fingerprints = Fingerprints::new();
        for store in stores.values() {
            for terminal in &store.terminals {
                let key = format!("terminal:{}", terminal.terminal_id);
                fingerprints.insert(key, terminal_fingerprint(store.store_id, terminal));
            }
            for tss in &store.tss {
                let key = format!("tss:{}", tss.tss_id);
                fingerprints.insert(key, tss_fingerprint(store.store_id, tss));
            }
        }
        sqlx::query(
            "INSERT INTO report_submissions (submitted_at, submitted_by, fingerprints)
             VALUES ($1, $2, $3)",
        )
        .bind(now)
        .bind(by)
        .bind(serde_json::to_string(&fingerprints).expect("fingerprints serialise"))
        .execute(&self.pool)
        .await?;
        Ok(Submission {
            at: now,
            by: by.to_owned(),
        })
    }

    /// Every store asked for (by number) with its terminals and TSS, and the last submission
    /// with its fingerprints, in one snapshot.
    async fn report_rows(
        &self,
        store_id: Option<i64>,
    ) -> StorageResult<(BTreeMap<String, ReportStore>, Option<(Submission, String)>)> {
        let mut transaction = self.snapshot().await?;
        let only = store_id.unwrap_or(-1);
        let mut stores = BTreeMap::new();
        let store_rows = sqlx::query(
            "SELECT id, number, name, street, city FROM stores WHERE $1 = -1 OR id = $1",
        )
        .bind(only)
        .fetch_all(&mut *transaction)
        .await?;
        let mut numbers = HashMap::new();
        for row in store_rows {
            let (id, number): (i64, String) = (row.try_get("id")?, row.try_get("number")?);
            numbers.insert(id, number.clone());
            let store = ReportStore {
                store_id: id,
                number: number.clone(),
                name: row.try_get("name")?,
                street: row.try_get("street")?,
                city: row.try_get("city")?,
                terminals: Vec::new(),
                tss: Vec::new(),
            };
            stores.insert(number, store);
        }
        let terminals = sqlx::query(
            "SELECT id, store_id, number, serial_number, model, software, in_service_since,
                    out_of_service_since
             FROM terminals WHERE $1 = -1 OR store_id = $1 ORDER BY list_key, id",
        )
        .bind(only)
        .fetch_all(&mut *transaction)
        .await?;
        for row in terminals {
            let store_id: i64 = row.try_get("store_id")?;
            let Some(store) = numbers.get(&store_id).and_then(|n| stores.get_mut(n)) else {
                continue;
            };
            store.terminals.push(ReportTerminal {
                terminal_id: row.try_get("id")?,
                number: row.try_get("number")?,
                serial_number: row.try_get("serial_number")?,
                service: TerminalService {
                    model: row.try_get("model")?,
                    software: row.try_get("software")?,
                    in_service_since: row.try_get("in_service_since")?,
                    out_of_service_since: row.try_get("out_of_service_since")?,
                },
                changed: false,
            });
        }
        // A TSS counts from its deploy on (a CREATED one was never put into service).
        let tss = sqlx::query(
            "SELECT tss_id, store_id, serial_number, bsi_certification_id, time_init, time_disable
             FROM tss WHERE ($1 = -1 OR store_id = $1) AND state <> 'CREATED'
             ORDER BY time_creation, tss_id",
        )
        .bind(only)
        .fetch_all(&mut *transaction)
        .await?;
        for row in tss {
            let store_id: i64 = row.try_get("store_id")?;
            let Some(store) = numbers.get(&store_id).and_then(|n| stores.get_mut(n)) else {
                continue;
            };
            store.tss.push(ReportTss {
                tss_id: row.try_get("tss_id")?,
                serial_number: row.try_get("serial_number")?,
                bsi_certification_id: row.try_get("bsi_certification_id")?,
                initialized_at: row.try_get("time_init")?,
                disabled_at: row.try_get("time_disable")?,
                changed: false,
            });
        }
        let last = sqlx::query(
            "SELECT submitted_at, submitted_by, fingerprints FROM report_submissions
             ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&mut *transaction)
        .await?;
        transaction.commit().await?;
        let last = match last {
            Some(row) => Some((
                Submission {
                    at: row.try_get("submitted_at")?,
                    by: row.try_get("submitted_by")?,
                },
                row.try_get("fingerprints")?,
            )),
            None => None,
        };
        Ok((stores, last))
    }
}
