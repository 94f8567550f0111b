//! Alerts: raised once per cause while it lasts (the `one_open_alert_per_cause` index makes
//! replicas that raise the same one at once raise one), resolved when the cause goes away,
//! acknowledged by staff. A store that stops signing is noticed where its readiness is restated
//! ([`raise_alert`], [`resolve_alert`]); the TSS's causes by [`Storage::sweep_alerts`], which
//! every replica runs now and then.

use std::collections::HashSet;

use sqlx::Row;
use tss_model::{
    alert_text, expiring_before, Alert, AlertKind, AlertStatus, ErrorCode, TssState,
    TSS_CLIENT_WARNING,
};

use super::operations::to_text;
use super::webhooks::queue_deliveries;
use super::{Storage, StorageResult};

/// A cause that lasts: what the sweep found.
struct Cause {
    kind: AlertKind,
    key: String,
    store_id: i64,
    store: String,
    tss_id: String,
    detail: String,
}

/// Raises the alert of `cause` (e.g. `cannot_sign:12`) unless one is open for it, with a
/// delivery for each webhook of its kind; answers its ID when it is new.
pub(super) async fn raise_alert(
    connection: &mut sqlx::AnyConnection,
    kind: AlertKind,
    cause: &str,
    store_id: i64,
    tss_id: Option<&str>,
    text: &(String, String),
    now: i64,
) -> StorageResult<Option<i64>> {
    let raised: Option<i64> = sqlx::query_scalar(
        "INSERT INTO alerts (kind, cause, store_id, tss_id, text_de, text_en, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (cause) WHERE resolved_at IS NULL DO NOTHING RETURNING id",
    )
    .bind(kind.as_str())
    .bind(cause)
    .bind(store_id)
    .bind(tss_id)
    .bind(&text.0)
    .bind(&text.1)
    .bind(now)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(id) = raised {
        queue_deliveries(connection, id, kind, now).await?;
    }
    Ok(raised)
}

/// Resolves the open alert of `cause`, if there is one.
pub(super) async fn resolve_alert(
    connection: &mut sqlx::AnyConnection,
    cause: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query("UPDATE alerts SET resolved_at = $1 WHERE cause = $2 AND resolved_at IS NULL")
        .bind(now)
        .bind(cause)
        .execute(connection)
        .await
        .map(drop)
}

/// The cause key of a store that cannot sign.
pub(super) fn cannot_sign_cause(store_id: i64) -> String {
    format!("{}:{store_id}", AlertKind::CannotSign.as_str())
}

impl Storage {
    /// Raises an alert for each TSS in service (UNINITIALIZED or INITIALIZED, not replaced) with
    /// Error Text (not that fiskaly was out of reach), with a certificate in its last 90 days or
    /// with [`TSS_CLIENT_WARNING`] clients or more, and resolves the
    /// alerts of those causes that went away; `now` in unix seconds, `date` words a unix time
    /// as a date for the texts. Answers the IDs of the new alerts.
    pub async fn sweep_alerts(
        &self,
        now: i64,
        date: impl Fn(i64) -> String,
    ) -> StorageResult<Vec<i64>> {
        // Only alerts raised before the causes were read may be resolved as gone: another
        // replica may raise one meanwhile.
        let known: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM alerts")
            .fetch_one(&self.pool)
            .await?;
        let causes = self.lasting_causes(now, date).await?;
        let mut transaction = self.pool.begin().await?;
        let mut raised = Vec::new();
        for cause in &causes {
            let text = alert_text(
                cause.kind,
                &cause.store,
                Some(&cause.tss_id),
                (&cause.detail, &cause.detail),
            );
            let id = raise_alert(
                &mut transaction,
                cause.kind,
                &cause.key,
                cause.store_id,
                Some(&cause.tss_id),
                &text,
                now,
            )
            .await?;
            raised.extend(id);
        }
        let lasting: HashSet<&str> = causes.iter().map(|c| c.key.as_str()).collect();
        let open: Vec<String> = sqlx::query_scalar(
            "SELECT cause FROM alerts WHERE resolved_at IS NULL AND kind <> $1 AND id <= $2
             ORDER BY cause",
        )
        .bind(AlertKind::CannotSign.as_str())
        .bind(known.unwrap_or(0))
        .fetch_all(&mut *transaction)
        .await?;
        for cause in open.iter().filter(|c| !lasting.contains(c.as_str())) {
            resolve_alert(&mut transaction, cause, now).await?;
        }
        transaction.commit().await?;
        Ok(raised)
    }

    /// Every TSS cause that lasts at `now`.
    async fn lasting_causes(
        &self,
        now: i64,
        date: impl Fn(i64) -> String,
    ) -> StorageResult<Vec<Cause>> {
        let in_service = [TssState::Uninitialized, TssState::Initialized];
        let rows = sqlx::query(
            "SELECT 'tss_error' AS kind, t.tss_id, t.store_id, s.number, s.name,
                    t.error_text AS detail, CAST(NULL AS BIGINT) AS at,
                    CAST(NULL AS BIGINT) AS clients
             FROM tss t JOIN stores s ON s.id = t.store_id
             WHERE t.error_text IS NOT NULL AND t.state IN ($2, $3) AND t.replaced_by IS NULL
               AND (t.error_code IS NULL OR t.error_code NOT IN ($5, $6))
             UNION ALL
             SELECT 'certificate_expiring', t.tss_id, t.store_id, s.number, s.name,
                    CAST(NULL AS TEXT), t.certificate_not_after, CAST(NULL AS BIGINT)
             FROM tss t JOIN stores s ON s.id = t.store_id
             WHERE t.certificate_not_after <= $1 AND t.replaced_by IS NULL
               AND t.state IN ($2, $3)
             UNION ALL
             SELECT 'tss_nearly_full', t.tss_id, t.store_id, s.number, s.name,
                    CAST(NULL AS TEXT), CAST(NULL AS BIGINT), c.clients
             FROM (SELECT tss_id, COUNT(*) AS clients FROM clients WHERE state = 'REGISTERED'
                   GROUP BY tss_id HAVING COUNT(*) >= $4) c
             JOIN tss t ON t.tss_id = c.tss_id JOIN stores s ON s.id = t.store_id
             WHERE t.state IN ($2, $3) AND t.replaced_by IS NULL
             ORDER BY 2",
        )
        .bind(expiring_before(now))
        .bind(in_service[0].as_str())
        .bind(in_service[1].as_str())
        .bind(TSS_CLIENT_WARNING as i64)
        // (fiskaly or the database out of reach for a moment is no alert of its own.)
        .bind(to_text(ErrorCode::FiskalyUnavailable))
        .bind(to_text(ErrorCode::StorageUnavailable))
        .fetch_all(&self.pool)
        .await?;
        let mut causes = Vec::with_capacity(rows.len());
        for row in rows {
            let kind_text: String = row.try_get("kind")?;
            let Some(kind) = AlertKind::parse(&kind_text) else {
                continue;
            };
            let tss_id: String = row.try_get("tss_id")?;
            let detail = match kind {
                AlertKind::CertificateExpiring => {
                    date(row.try_get::<Option<i64>, _>("at")?.unwrap_or_default())
                }
                AlertKind::TssNearlyFull => row
                    .try_get::<Option<i64>, _>("clients")?
                    .unwrap_or_default()
                    .to_string(),
                _ => row
                    .try_get::<Option<String>, _>("detail")?
                    .unwrap_or_default(),
            };
            let (number, name): (String, String) = (row.try_get("number")?, row.try_get("name")?);
            causes.push(Cause {
                kind,
                key: format!("{}:{tss_id}", kind.as_str()),
                store_id: row.try_get("store_id")?,
                store: format!("{number} {name}"),
                tss_id,
                detail,
            });
        }
        Ok(causes)
    }

    /// The alerts of `status`, newest first (at most 500).
    pub async fn alerts(&self, status: AlertStatus) -> StorageResult<Vec<Alert>> {
        let condition = match status {
            AlertStatus::Open => "a.resolved_at IS NULL AND a.acknowledged_at IS NULL",
            AlertStatus::Acknowledged => "a.resolved_at IS NULL AND a.acknowledged_at IS NOT NULL",
            AlertStatus::Resolved => "a.resolved_at IS NOT NULL",
        };
        let rows = sqlx::query(&format!(
            "{SELECT_ALERTS} WHERE {condition} ORDER BY a.id DESC LIMIT 500"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(alert_from).collect()
    }

    /// One alert.
    pub async fn alert(&self, id: i64) -> StorageResult<Option<Alert>> {
        let row = sqlx::query(&format!("{SELECT_ALERTS} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(alert_from).transpose()
    }

    /// Records that `by` acknowledged alert `id` at `now` (the first acknowledgement stays);
    /// answers the alert, `None` for an unknown one.
    pub async fn acknowledge_alert(
        &self,
        id: i64,
        by: &str,
        now: i64,
    ) -> StorageResult<Option<Alert>> {
        sqlx::query(
            "UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2
             WHERE id = $3 AND acknowledged_at IS NULL",
        )
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.alert(id).await
    }
}

const SELECT_ALERTS: &str = "
    SELECT a.id, a.kind, a.store_id, s.number, s.name, a.tss_id, a.text_de, a.text_en,
           a.raised_at, a.resolved_at, a.acknowledged_by, a.acknowledged_at
    FROM alerts a JOIN stores s ON s.id = a.store_id";

fn alert_from(row: &sqlx::any::AnyRow) -> StorageResult<Alert> {
    let kind: String = row.try_get("kind")?;
    Ok(Alert {
        id: row.try_get("id")?,
        kind: AlertKind::parse(&kind).ok_or_else(|| sqlx::Error::Decode(kind.into()))?,
        store_id: row.try_get("store_id")?,
        store_number: row.try_get("number")?,
        store_name: row.try_get("name")?,
        tss_id: row.try_get("tss_id")?,
        text_de: row.try_get("text_de")?,
        text_en: row.try_get("text_en")?,
        raised_at: row.try_get("raised_at")?,
        resolved_at: row.try_get("resolved_at")?,
        acknowledged_by: row.try_get("acknowledged_by")?,
        acknowledged_at: row.try_get("acknowledged_at")?,
    })
}
