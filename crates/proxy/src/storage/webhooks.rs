//! Webhooks and their deliveries. A new alert gets one delivery per enabled webhook of its kind
//! in the transaction that raises it; a replica sends a delivery after claiming it (its next
//! attempt pushed past the time a send may take), so two replicas never send the same attempt.

use sqlx::Row;
use tss_model::{
    AlertKind, Delivery, DeliveryStatus, PayloadStore, PayloadText, Webhook, WebhookInput,
    WebhookPayload,
};

use super::{Storage, StorageResult};

/// How long a claimed delivery is left to the replica that claimed it (seconds): longer than a
/// send may take.
const CLAIM_SECONDS: i64 = 120;

/// A delivery claimed for sending: where, with which secret, what.
pub struct DueDelivery {
    /// The delivery.
    pub id: i64,
    /// The webhook's URL.
    pub url: String,
    /// The webhook's secret, opened.
    pub secret: String,
    /// The body.
    pub payload: WebhookPayload,
    /// How many attempts came before this one.
    pub attempts: u32,
}

impl std::fmt::Debug for DueDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueDelivery")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered(u16),
    /// It did not: its status if it answered, and why.
    Failed(Option<u16>, String),
}

/// What a sealed webhook secret is bound to.
fn secret_context(id: i64) -> String {
    format!("webhook_secret:{id}")
}

/// The `kinds` column's spelling: `,cannot_sign,tss_error,` (commas around each, for `LIKE`).
fn kinds_text(kinds: &[AlertKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    format!(",{},", names.join(","))
}

/// Queues alert `alert_id` of `kind` for every enabled webhook of that kind, on `connection`
/// (inside the transaction that raises the alert).
pub(super) async fn queue_deliveries(
    connection: &mut sqlx::AnyConnection,
    alert_id: i64,
    kind: AlertKind,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (webhook_id, alert_id, next_attempt_at)
         SELECT id, $1, $2 FROM webhooks WHERE enabled = 1 AND kinds LIKE $3
         ON CONFLICT (webhook_id, alert_id) DO NOTHING",
    )
    .bind(alert_id)
    .bind(now)
    .bind(format!("%,{},%", kind.as_str()))
    .execute(connection)
    .await
    .map(drop)
}

impl Storage {
    /// Adds a webhook with `secret` (sealed); answers it.
    pub async fn insert_webhook(
        &self,
        input: &WebhookInput,
        secret: &str,
        now: i64,
    ) -> StorageResult<Webhook> {
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhooks (url, kinds, enabled, secret, created_at)
             VALUES ($1, $2, $3, '', $4) RETURNING id",
        )
        .bind(&input.url)
        .bind(kinds_text(&input.kinds))
        .bind(i64::from(input.enabled))
        .bind(now)
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query("UPDATE webhooks SET secret = $1 WHERE id = $2")
            .bind(self.sealer.seal(secret, &secret_context(id)))
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        self.webhook(id)
            .await?
            .ok_or_else(|| sqlx::Error::RowNotFound)
    }

    /// Every webhook.
    pub async fn webhooks(&self) -> StorageResult<Vec<Webhook>> {
        let rows = sqlx::query(&format!("{SELECT_WEBHOOKS} ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(webhook_from).collect())
    }

    /// One webhook.
    pub async fn webhook(&self, id: i64) -> StorageResult<Option<Webhook>> {
        let row = sqlx::query(&format!("{SELECT_WEBHOOKS} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(webhook_from))
    }

    /// Changes a webhook's URL, kinds and switch (its secret stays); `None` for an unknown one.
    pub async fn update_webhook(
        &self,
        id: i64,
        input: &WebhookInput,
    ) -> StorageResult<Option<Webhook>> {
        sqlx::query("UPDATE webhooks SET url = $1, kinds = $2, enabled = $3 WHERE id = $4")
            .bind(&input.url)
            .bind(kinds_text(&input.kinds))
            .bind(i64::from(input.enabled))
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.webhook(id).await
    }

    /// Removes a webhook with its deliveries; `false` for an unknown one.
    pub async fn delete_webhook(&self, id: i64) -> StorageResult<bool> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        let removed = sqlx::query("DELETE FROM webhooks WHERE id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        transaction.commit().await?;
        Ok(removed == 1)
    }

    /// A webhook's deliveries, newest first (at most 200).
    pub async fn deliveries(&self, webhook_id: i64) -> StorageResult<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT d.id, d.alert_id, a.kind, d.status, d.attempts, d.last_attempt_at,
                    d.last_status, d.last_error, d.delivered_at, d.next_attempt_at
             FROM webhook_deliveries d JOIN alerts a ON a.id = d.alert_id
             WHERE d.webhook_id = $1 ORDER BY d.id DESC LIMIT 200",
        )
        .bind(webhook_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery_from).collect()
    }

    /// Claims the next delivery due at `now` of an enabled webhook for this replica to send:
    /// its next attempt is pushed past the time a send may take, so no other replica sends it
    /// meanwhile. Answers its ID.
    pub async fn claim_due_delivery(&self, now: i64) -> StorageResult<Option<i64>> {
        sqlx::query_scalar(
            "UPDATE webhook_deliveries SET next_attempt_at = $1
             WHERE id = (SELECT d.id FROM webhook_deliveries d
                         JOIN webhooks w ON w.id = d.webhook_id
                         WHERE d.status = 'pending' AND d.next_attempt_at <= $2
                           AND w.enabled = 1
                         ORDER BY d.next_attempt_at, d.id LIMIT 1)
               AND status = 'pending' AND next_attempt_at <= $2
             RETURNING id",
        )
        .bind(now + CLAIM_SECONDS)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    /// A claimed delivery with what it sends: the webhook's URL and secret, the alert.
    pub async fn due_delivery(&self, id: i64) -> StorageResult<DueDelivery> {
        let row = sqlx::query(
            "SELECT d.id, d.attempts, w.id AS webhook_id, w.url, w.secret, a.id AS alert_id,
                    a.kind, a.store_id, s.number, s.name, a.tss_id, a.text_de, a.text_en,
                    a.raised_at
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
             JOIN alerts a ON a.id = d.alert_id JOIN stores s ON s.id = a.store_id
             WHERE d.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let webhook_id: i64 = row.try_get("webhook_id")?;
        let sealed: String = row.try_get("secret")?;
        let secret = self
            .sealer
            .open(&sealed, &secret_context(webhook_id))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let kind: String = row.try_get("kind")?;
        Ok(DueDelivery {
            id,
            url: row.try_get("url")?,
            secret,
            attempts: row.try_get::<i64, _>("attempts")?.max(0) as u32,
            payload: WebhookPayload {
                kind: AlertKind::parse(&kind).ok_or_else(|| sqlx::Error::Decode(kind.into()))?,
                alert_id: row.try_get("alert_id")?,
                store: PayloadStore {
                    id: row.try_get("store_id")?,
                    number: row.try_get("number")?,
                    name: row.try_get("name")?,
                },
                tss_id: row.try_get("tss_id")?,
                terminal_id: None,
                text: PayloadText {
                    de: row.try_get("text_de")?,
                    en: row.try_get("text_en")?,
                },
                raised_at: row.try_get("raised_at")?,
            },
        })
    }

    /// Records attempt `attempt` of delivery `id` at `now`: delivered, or to be tried again at
    /// `retry_at` — `None`: given up.
    pub async fn record_attempt(
        &self,
        id: i64,
        attempt: &Attempt,
        now: i64,
        retry_at: Option<i64>,
    ) -> StorageResult<()> {
        let (status, http_status, error, next) = match attempt {
            Attempt::Delivered(code) => (DeliveryStatus::Delivered, Some(*code), None, None),
            Attempt::Failed(code, error) => match retry_at {
                Some(at) => (
                    DeliveryStatus::Pending,
                    *code,
                    Some(error.as_str()),
                    Some(at),
                ),
                None => (DeliveryStatus::Failed, *code, Some(error.as_str()), None),
            },
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1,
                 last_attempt_at = $2, last_status = $3, last_error = $4, next_attempt_at = $5,
                 delivered_at = CASE WHEN $1 = 'delivered' THEN $2 ELSE delivered_at END
             WHERE id = $6",
        )
        .bind(status_text(status))
        .bind(now)
        .bind(http_status.map(i64::from))
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(&self.pool)
        .await
        .map(drop)
    }
}

const SELECT_WEBHOOKS: &str = "SELECT id, url, kinds, enabled, created_at FROM webhooks";

fn webhook_from(row: &sqlx::any::AnyRow) -> Webhook {
    let kinds: String = row.get("kinds");
    Webhook {
        id: row.get("id"),
        url: row.get("url"),
        kinds: kinds.split(',').filter_map(AlertKind::parse).collect(),
        enabled: row.get::<i64, _>("enabled") != 0,
        created_at: row.get("created_at"),
    }
}

fn status_text(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "pending",
        DeliveryStatus::Delivered => "delivered",
        DeliveryStatus::Failed => "failed",
    }
}

fn delivery_from(row: &sqlx::any::AnyRow) -> StorageResult<Delivery> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let status = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ]
    .into_iter()
    .find(|s| status_text(*s) == status)
    .ok_or_else(|| sqlx::Error::Decode(status.into()))?;
    Ok(Delivery {
        id: row.try_get("id")?,
        alert_id: row.try_get("alert_id")?,
        kind: AlertKind::parse(&kind).ok_or_else(|| sqlx::Error::Decode(kind.into()))?,
        status,
        attempts: row.try_get::<i64, _>("attempts")?.max(0) as u32,
        last_attempt_at: row.try_get("last_attempt_at")?,
        last_status: row
            .try_get::<Option<i64>, _>("last_status")?
            .map(|s| s as u16),
        last_error: row.try_get("last_error")?,
        delivered_at: row.try_get("delivered_at")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
    })
}
