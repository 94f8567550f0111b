//! Each store's readiness and counts, and each terminal's signing status, kept in their rows so
//! that paged lists and the fleet overview never judge the whole fleet per request.
//!
//! The database's triggers mark a store `status_stale` in the same transaction as any change of
//! its TSS, terminals or clients (and a store's own edit marks it too). After each change the
//! storage restates the stale stores ([`Storage::restate_stale_stores`]); every list and overview
//! does the same before it reads, so a status left stale by a replica that died in between is
//! restated by the next reader.
//!
//! A restate first writes the store's row (`status_stale = 0`): that holds the row (Postgres) or
//! the database (SQLite) until it commits, so a change committed meanwhile marks the store stale
//! again after it, never before.

use std::collections::BTreeMap;

use std::sync::atomic::Ordering;

use sqlx::{Any, Row, Transaction};
use tss_model::{
    alert_text, AlertKind, ClientState, Language, LiveEvent, Readiness, Signing, TssStanding,
    TssState,
};

use super::alerts::{cannot_sign_cause, raise_alert, resolve_alert};

use super::search_text::searchable;
use super::{Dialect, Storage, StorageResult};

/// What sorts the Store List by readiness: the [`Readiness`] order, worst first.
pub(super) fn readiness_rank(readiness: Readiness) -> i64 {
    Readiness::ALL
        .iter()
        .position(|r| *r == readiness)
        .unwrap_or_default() as i64
}

/// Separates the store number from the terminal number in a terminal's `list_key`: it sorts
/// before every printable character, so "S-1" + key comes before "S-10".
const KEY_SEPARATOR: char = '\u{1f}';

/// How many of each TSS state, in the `tss_states` column's spelling (`DISABLED=1;INITIALIZED=2`).
pub(super) fn tss_states_text(states: &[TssState]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for state in states {
        *counts.entry(state.to_string()).or_default() += 1;
    }
    counts
        .iter()
        .map(|(state, count)| format!("{state}={count}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// The counts of a `tss_states` column.
pub(super) fn tss_states_of(text: &str) -> BTreeMap<String, usize> {
    text.split(';')
        .filter_map(|part| part.split_once('='))
        .filter_map(|(state, count)| Some((state.to_owned(), count.parse().ok()?)))
        .collect()
}

/// One terminal of a store being restated.
struct TerminalStatus {
    id: i64,
    search_text: String,
    list_key: String,
    client_state: Option<String>,
    can_sign: bool,
}

impl Storage {
    /// Restates every store marked stale; answers their IDs. On SQLite up to
    /// [`RESTATED_AT_ONCE`] share a transaction (one commit, and its sync, for many: an import
    /// of thousands); on Postgres each has its own, so that a restate holds one store's rows at
    /// a time (see [`restate_store`]). A failure (a Postgres deadlock with a writer, say) leaves
    /// those stores marked, and makes the next reader look again at once.
    pub async fn restate_stale_stores(&self) -> StorageResult<Vec<i64>> {
        self.mark_expired_certificates().await?;
        let stale: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM stores WHERE status_stale = 1 ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let at_once = match self.dialect {
            Dialect::Sqlite => RESTATED_AT_ONCE,
            Dialect::Postgres => 1,
        };
        for stores in stale.chunks(at_once) {
            let mut transaction = self.pool.begin().await?;
            let mut restated = Ok(());
            for store_id in stores {
                restated = restate_store(&mut transaction, self.dialect, *store_id).await;
                if restated.is_err() {
                    break;
                }
            }
            let restated = match restated {
                Ok(()) => transaction.commit().await,
                Err(error) => Err(error),
            };
            if let Err(error) = restated {
                self.reads.stale_checked_at_ms.store(0, Ordering::Relaxed);
                return Err(error);
            }
        }
        Ok(stale)
    }

    /// Marks the certificates that have expired since they were read: fiskaly refuses their TSS
    /// from their `notAfter` on, with no read needed to learn it. The marks (through the
    /// database's triggers) leave their stores stale for the restate that follows.
    async fn mark_expired_certificates(&self) -> StorageResult<()> {
        sqlx::query(
            "UPDATE tss SET certificate_expired = 1
             WHERE certificate_expired = 0 AND certificate_not_after <= $1",
        )
        .bind(super::unix_now())
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// What a list or the overview does before it reads, at most once per
    /// [`STALE_CHECK_INTERVAL_MS`] per process: restates the stores a change left stale (a
    /// replica that died between its change and its restate), and tells the open pages. A
    /// failure is logged, not answered: the read goes on, and the next one tries again.
    pub(super) async fn restate_stale_stores_now_and_then(&self) {
        let now = super::unix_now_ms();
        let checked = self.reads.stale_checked_at_ms.load(Ordering::Relaxed);
        if now - checked < STALE_CHECK_INTERVAL_MS
            || self
                .reads
                .stale_checked_at_ms
                .compare_exchange(checked, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        match self.restate_stale_stores().await {
            Ok(restated) => {
                for store_id in restated {
                    self.live.publish(LiveEvent::Store { store_id });
                }
            }
            Err(error) => {
                tracing::warn!(%error, "stale stores could not be restated; the next reader will");
            }
        }
    }
}

/// How many stale stores one SQLite transaction restates at most.
const RESTATED_AT_ONCE: usize = 100;

/// How often a reader looks for stores left stale (milliseconds).
const STALE_CHECK_INTERVAL_MS: i64 = 1_000;

/// Reads store `store_id`'s TSS, terminals and clients and writes its status (and its
/// terminals') in `transaction`. On Postgres it first takes the store's terminals' rows, then
/// (as every writer's trigger does after its own row) the store's: the order a writer takes
/// them in, so the two never wait for each other in a circle.
async fn restate_store(
    transaction: &mut Transaction<'static, Any>,
    dialect: Dialect,
    store_id: i64,
) -> StorageResult<()> {
    {
        if dialect == Dialect::Postgres {
            sqlx::query(
                "SELECT id FROM terminals WHERE store_id = $1 ORDER BY id FOR NO KEY UPDATE",
            )
            .bind(store_id)
            .execute(&mut **transaction)
            .await?;
        }
        let store = sqlx::query(
            "UPDATE stores SET status_stale = 0 WHERE id = $1
             RETURNING number, name, city, readiness, signing_terminals",
        )
        .bind(store_id)
        .fetch_optional(&mut **transaction)
        .await?;
        let Some(store) = store else {
            return Ok(());
        };
        let (number, name, city): (String, String, String) =
            (store.get("number"), store.get("name"), store.get("city"));
        let was = Readiness::parse(&store.get::<String, _>("readiness"));
        let was_signing = match was {
            Some(Readiness::Ready) => true,
            Some(Readiness::SomeCannotSign) => store.get::<i64, _>("signing_terminals") > 0,
            _ => false,
        };

        // (A replaced TSS's certificate no longer counts for the store's expiry.)
        let tss: Vec<(TssState, bool, Option<i64>)> = sqlx::query(
            "SELECT state, certificate_expired,
                    CASE WHEN replaced_by IS NULL THEN certificate_not_after END
                        AS certificate_not_after
             FROM tss WHERE store_id = $1",
        )
        .bind(store_id)
        .fetch_all(&mut **transaction)
        .await?
        .into_iter()
        .map(|row| {
            let state = TssState::from(row.get::<String, _>("state"));
            let expired = row.get::<i64, _>("certificate_expired") != 0;
            (state, expired, row.get("certificate_not_after"))
        })
        .collect();
        let tss_states: Vec<TssState> = tss.iter().map(|(state, ..)| state.clone()).collect();
        let certificate_expires_at = tss
            .iter()
            .filter(|(state, ..)| matches!(state, TssState::Uninitialized | TssState::Initialized))
            .filter_map(|(.., not_after)| *not_after)
            .min();
        let (terminals, clients) = terminal_statuses(transaction, store_id, &number, &name).await?;
        let signing = Signing::of(
            tss.iter().map(|(state, expired, _)| TssStanding {
                state,
                certificate_expired: *expired,
            }),
            clients.iter().map(|c| {
                c.as_ref().map(|(client, state, expired)| {
                    let standing = TssStanding {
                        state,
                        certificate_expired: *expired,
                    };
                    (client, standing)
                })
            }),
        );
        sqlx::query(
            "UPDATE stores SET search_text = $1, readiness = $2, readiness_rank = $3,
                 signing_terminals = $4, terminal_count = $5, tss_states = $6,
                 certificate_expires_at = $7
             WHERE id = $8",
        )
        .bind(searchable([number.as_str(), &name, &city]))
        .bind(signing.readiness.as_str())
        .bind(readiness_rank(signing.readiness))
        .bind(signing.signing_terminals as i64)
        .bind(signing.terminals as i64)
        .bind(tss_states_text(&tss_states))
        .bind(certificate_expires_at)
        .bind(store_id)
        .execute(&mut **transaction)
        .await?;
        let store_label = format!("{number} {name}");
        note_signing_alert(transaction, store_id, &store_label, was_signing, &signing).await?;
        for terminal in terminals {
            sqlx::query(
                "UPDATE terminals SET search_text = $1, list_key = $2, client_state = $3,
                     can_sign = $4
                 WHERE id = $5 AND (search_text <> $1 OR list_key <> $2
                     OR client_state IS DISTINCT FROM $3 OR can_sign <> $4)",
            )
            .bind(terminal.search_text)
            .bind(terminal.list_key)
            .bind(terminal.client_state)
            .bind(i64::from(terminal.can_sign))
            .bind(terminal.id)
            .execute(&mut **transaction)
            .await?;
        }
        Ok(())
    }
}

/// Raises the alert of a store where some terminal signed (`was_signing`) and none can now (a
/// new till without its client yet is no alarm), and resolves it when one signs again (or the
/// store has no terminal to sign with).
async fn note_signing_alert(
    transaction: &mut Transaction<'static, Any>,
    store_id: i64,
    store: &str,
    was_signing: bool,
    signing: &Signing,
) -> StorageResult<()> {
    let cause = cannot_sign_cause(store_id);
    let now = super::unix_now();
    let signs = signing.signing_terminals > 0;
    match signing.readiness {
        _ if signs => resolve_alert(transaction, &cause, now).await,
        Readiness::NoTerminal => resolve_alert(transaction, &cause, now).await,
        _ if was_signing => {
            let detail = (signing.label(Language::De), signing.label(Language::En));
            let text = alert_text(AlertKind::CannotSign, store, None, (&detail.0, &detail.1));
            raise_alert(
                transaction,
                AlertKind::CannotSign,
                &cause,
                store_id,
                None,
                &text,
                now,
            )
            .await
            .map(drop)
        }
        _ => Ok(()),
    }
}

/// A terminal's client state with the state of its TSS and whether that TSS's certificate has
/// expired.
type ClientStanding = (ClientState, TssState, bool);

/// Each terminal of store `store_id` with its client (the REGISTERED one, else the newest; older
/// ones are history) and that client's TSS; and, for the store's verdict, each terminal's
/// [`ClientStanding`].
async fn terminal_statuses(
    transaction: &mut Transaction<'static, Any>,
    store_id: i64,
    store_number: &str,
    store_name: &str,
) -> StorageResult<(Vec<TerminalStatus>, Vec<Option<ClientStanding>>)> {
    let rows = sqlx::query(
        "SELECT t.id, t.number, t.name, t.serial_number,
                c.state AS client_state, x.state AS tss_state,
                x.certificate_expired
         FROM terminals t
         LEFT JOIN clients c ON c.client_id = (
             SELECT client_id FROM clients WHERE terminal_id = t.id
             ORDER BY CASE WHEN state = 'REGISTERED' THEN 0 ELSE 1 END, created_at DESC, seq DESC
             LIMIT 1)
         LEFT JOIN tss x ON x.tss_id = c.tss_id
         WHERE t.store_id = $1",
    )
    .bind(store_id)
    .fetch_all(&mut **transaction)
    .await?;
    let mut terminals = Vec::with_capacity(rows.len());
    let mut clients = Vec::with_capacity(rows.len());
    for row in rows {
        let number: String = row.get("number");
        let name: String = row.get("name");
        let serial: String = row.get("serial_number");
        let client_state: Option<String> = row.get("client_state");
        let tss_state: Option<String> = row.get("tss_state");
        let expired = row
            .get::<Option<i64>, _>("certificate_expired")
            .is_some_and(|e| e != 0);
        let client = client_state
            .clone()
            .zip(tss_state)
            .map(|(c, t)| (ClientState::from(c), TssState::from(t), expired));
        terminals.push(TerminalStatus {
            id: row.get("id"),
            search_text: searchable([number.as_str(), &name, &serial, store_number, store_name]),
            list_key: format!("{store_number}{KEY_SEPARATOR}{number}"),
            client_state,
            can_sign: client.as_ref().is_some_and(|(client, state, expired)| {
                let standing = TssStanding {
                    state,
                    certificate_expired: *expired,
                };
                tss_model::can_sign(client, standing)
            }),
        });
        clients.push(client);
    }
    Ok((terminals, clients))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tss_counts_survive_their_column() {
        let states = [
            TssState::Initialized,
            TssState::Disabled,
            TssState::Initialized,
        ];
        let text = tss_states_text(&states);
        assert_eq!(text, "DISABLED=1;INITIALIZED=2");
        assert_eq!(
            tss_states_of(&text),
            BTreeMap::from([("DISABLED".into(), 1), ("INITIALIZED".into(), 2)])
        );
        assert!(tss_states_of("").is_empty());
    }

    #[test]
    fn the_worst_readiness_sorts_first() {
        assert!(readiness_rank(Readiness::NoActiveTss) < readiness_rank(Readiness::Ready));
    }
}
