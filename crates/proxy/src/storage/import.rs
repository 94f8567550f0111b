//! An ERP import against what the console has: which stores and POS terminals a file adds,
//! changes or finds as they are (the preview), and writing exactly that in one transaction.
//! A file read again finds everything as it is and writes nothing.

use std::collections::HashMap;

use sqlx::Row;
use tss_model::{ImportReport, LiveEvent, StoreInput};

use super::{is_unique_violation, unix_now, Storage, StorageResult};
use crate::erp_import::{FileTerminal, ImportFile};

/// Why an import was not written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Someone added or renumbered one of its stores or terminals meanwhile: nothing was
    /// written.
    #[error("a store or POS terminal of the file was added or renumbered meanwhile")]
    ChangedMeanwhile,
    /// The database failed; nothing was written.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// What the console has of the file's stores and terminals, by their numbers.
struct Known {
    /// Each store's details, by number.
    stores: HashMap<String, StoreInput>,
    /// Each terminal's name and serial number, by store number and terminal number.
    terminals: HashMap<(String, String), (String, String)>,
}

/// What an import writes.
#[derive(Default)]
struct Plan<'a> {
    new_stores: Vec<&'a StoreInput>,
    changed_stores: Vec<&'a StoreInput>,
    new_terminals: Vec<&'a FileTerminal>,
    changed_terminals: Vec<&'a FileTerminal>,
    report: ImportReport,
}

impl Storage {
    /// What importing `file` would change; nothing is written.
    pub async fn preview_import(&self, file: &ImportFile) -> StorageResult<ImportReport> {
        let known = self.known().await?;
        Ok(plan(file, &known).report)
    }

    /// Imports `file` (which must have no problems) in one transaction and tells the open
    /// pages to read again; answers what it changed.
    pub async fn apply_import(&self, file: &ImportFile) -> Result<ImportReport, ImportError> {
        let known = self.known().await?;
        let plan = plan(file, &known);
        let mut report = plan.report.clone();
        report.applied = true;
        let writes = plan.new_stores.len()
            + plan.changed_stores.len()
            + plan.new_terminals.len()
            + plan.changed_terminals.len();
        if writes == 0 {
            return Ok(report);
        }
        // Every write names its store and terminal by number, as the file does: a store
        // renumbered or added since the plan was read makes the import write nothing.
        let mut transaction = self.pool.begin().await?;
        let now = unix_now();
        for store in &plan.new_stores {
            sqlx::query(
                "INSERT INTO stores (number, name, street, city, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&store.number)
            .bind(&store.name)
            .bind(&store.street)
            .bind(&store.city)
            .bind(now)
            .execute(&mut *transaction)
            .await
            .map_err(meanwhile)?;
        }
        for store in &plan.changed_stores {
            let changed = sqlx::query(
                "UPDATE stores SET name = $1, street = $2, city = $3, status_stale = 1
                 WHERE number = $4",
            )
            .bind(&store.name)
            .bind(&store.street)
            .bind(&store.city)
            .bind(&store.number)
            .execute(&mut *transaction)
            .await?;
            written_once(changed.rows_affected())?;
        }
        for terminal in &plan.new_terminals {
            let added = sqlx::query(
                "INSERT INTO terminals (store_id, number, name, serial_number, created_at)
                 SELECT id, $2, $3, $4, $5 FROM stores WHERE number = $1",
            )
            .bind(&terminal.store_number)
            .bind(&terminal.number)
            .bind(&terminal.name)
            .bind(&terminal.serial_number)
            .bind(now)
            .execute(&mut *transaction)
            .await
            .map_err(meanwhile)?;
            written_once(added.rows_affected())?;
        }
        for terminal in &plan.changed_terminals {
            let changed = sqlx::query(
                "UPDATE terminals SET name = $1, serial_number = $2
                 WHERE number = $3 AND store_id = (SELECT id FROM stores WHERE number = $4)",
            )
            .bind(&terminal.name)
            .bind(&terminal.serial_number)
            .bind(&terminal.number)
            .bind(&terminal.store_number)
            .execute(&mut *transaction)
            .await?;
            written_once(changed.rows_affected())?;
        }
        transaction.commit().await?;
        self.announce(LiveEvent::Reload).await;
        Ok(report)
    }

    /// Every store and terminal the console has, by number.
    async fn known(&self) -> StorageResult<Known> {
        let stores = sqlx::query("SELECT number, name, street, city FROM stores")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let input = StoreInput {
                    number: row.get("number"),
                    name: row.get("name"),
                    street: row.get("street"),
                    city: row.get("city"),
                };
                (input.number.clone(), input)
            })
            .collect();
        let terminals = sqlx::query(
            "SELECT s.number AS store_number, t.number, t.name, t.serial_number
             FROM terminals t JOIN stores s ON s.id = t.store_id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            (
                (row.get("store_number"), row.get("number")),
                (row.get("name"), row.get("serial_number")),
            )
        })
        .collect();
        Ok(Known { stores, terminals })
    }
}

/// A write that found no row (its store was renumbered since the plan was read) ends the
/// import, which then writes nothing.
fn written_once(rows: u64) -> Result<(), ImportError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(ImportError::ChangedMeanwhile)
    }
}

/// A unique key that was free when the import was planned is taken now.
fn meanwhile(error: sqlx::Error) -> ImportError {
    if is_unique_violation(&error) {
        ImportError::ChangedMeanwhile
    } else {
        ImportError::Storage(error)
    }
}

/// What importing `file` over `known` writes, and its report.
fn plan<'a>(file: &'a ImportFile, known: &Known) -> Plan<'a> {
    let mut plan = Plan {
        report: ImportReport {
            lines: file.lines,
            problems: file.problems.clone(),
            ..ImportReport::default()
        },
        ..Plan::default()
    };
    for store in &file.stores {
        match known.stores.get(&store.input.number) {
            None => {
                plan.new_stores.push(&store.input);
                plan.report.stores.new += 1;
            }
            Some(had) if *had != store.input => {
                plan.changed_stores.push(&store.input);
                plan.report.stores.changed += 1;
            }
            Some(_) => plan.report.stores.unchanged += 1,
        }
    }
    for terminal in &file.terminals {
        let key = (terminal.store_number.clone(), terminal.number.clone());
        match known.terminals.get(&key) {
            None => {
                plan.new_terminals.push(terminal);
                plan.report.terminals.new += 1;
            }
            Some((name, serial)) if *name != terminal.name || *serial != terminal.serial_number => {
                plan.changed_terminals.push(terminal);
                plan.report.terminals.changed += 1;
            }
            Some(_) => plan.report.terminals.unchanged += 1,
        }
    }
    plan
}
