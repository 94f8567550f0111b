//! What the storage tells the open pages after each change it commits (see [`crate::live`]):
//! the IDs a page needs to know whether the change concerns it. Before it tells, it restates the
//! stores the change marked stale (see [`super::store_status`]), so that a page reloading on the
//! news reads the new readiness.

use tss_model::{LiveEvent, OperationKind, OperationStatus};

use super::operations::to_text;
use super::Storage;
use crate::live::LiveHub;

impl Storage {
    /// The hub that hands this storage's changes to the open `GET /api/events` streams.
    pub fn live(&self) -> &LiveHub {
        &self.live
    }

    /// Restates the stale stores, then hands `event` to the open pages.
    pub(super) async fn announce(&self, event: LiveEvent) {
        if let Err(error) = self.restate_stale_stores().await {
            // (restate_stale_stores made the next reader look again.)
            tracing::warn!(%error, "a store's readiness could not be restated; the next reader will");
        }
        self.live.publish(event);
    }

    /// Announces a change of TSS `tss_id` (its state, Error Text or operation).
    pub(super) async fn tss_changed(&self, tss_id: &str) {
        let store: Option<i64> = sqlx::query_scalar("SELECT store_id FROM tss WHERE tss_id = $1")
            .bind(tss_id)
            .fetch_optional(&self.pool)
            .await
            .unwrap_or(None);
        if let Some(store_id) = store {
            self.tss_of_store_changed(store_id, tss_id).await;
        }
    }

    /// Announces a change of TSS `tss_id` of store `store_id`.
    pub(super) async fn tss_of_store_changed(&self, store_id: i64, tss_id: &str) {
        self.announce(LiveEvent::Tss {
            store_id,
            tss_id: tss_id.to_owned(),
        })
        .await;
    }

    /// Announces that terminal `terminal_id` of store `store_id` was created or edited.
    pub(super) async fn terminal_changed(&self, terminal_id: i64, store_id: i64) {
        self.announce(LiveEvent::Terminal {
            store_id,
            terminal_id,
        })
        .await;
    }

    /// Announces a change of the client of terminal `terminal_id`.
    pub(super) async fn client_changed(&self, terminal_id: i64) {
        let store: Option<i64> = sqlx::query_scalar("SELECT store_id FROM terminals WHERE id = $1")
            .bind(terminal_id)
            .fetch_optional(&self.pool)
            .await
            .unwrap_or(None);
        if let Some(store_id) = store {
            self.announce(LiveEvent::Client {
                store_id,
                terminal_id,
            })
            .await;
        }
    }

    /// Announces a change of operation `operation_id`: of its terminal's client, or its TSS,
    /// or of the Refresh of every TSS.
    pub(super) async fn operation_changed(&self, operation_id: i64) {
        let row: Option<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT kind, status, tss_id, terminal_id FROM operations WHERE id = $1",
        )
        .bind(operation_id)
        .fetch_optional(&self.pool)
        .await
        .unwrap_or(None);
        match row {
            Some((kind, status, ..)) if kind == to_text(OperationKind::RefreshAll) => {
                let ended = status != to_text(OperationStatus::Running);
                self.announce(LiveEvent::FleetRefresh { ended }).await
            }
            Some((_, _, tss_id, terminal_id)) => {
                self.operation_subject_changed(tss_id.as_deref(), terminal_id)
                    .await
            }
            None => {}
        }
    }

    /// Announces a change of an operation about `terminal_id`'s client and TSS `tss_id` (a
    /// client operation shows on its TSS's entry too, and its failure becomes its Error Text).
    pub(super) async fn operation_subject_changed(
        &self,
        tss_id: Option<&str>,
        terminal_id: Option<i64>,
    ) {
        if let Some(terminal_id) = terminal_id {
            self.client_changed(terminal_id).await;
        }
        if let Some(tss_id) = tss_id {
            self.tss_changed(tss_id).await;
        }
    }
}
