//! Webhooks: addresses an administrator sets up to hear of each new alert of the kinds chosen.
//! Each delivery is a JSON POST of a [`WebhookPayload`], signed with HMAC-SHA256 of the body
//! under the webhook's own secret ([`SIGNATURE_HEADER`]: `sha256=<hex>`), tried again with
//! growing pauses for 24 hours until the receiver answers 2xx, and never sent again after that.

use serde::{Deserialize, Serialize};

use crate::AlertKind;

/// The header that carries a delivery's signature: `sha256=` and the hex HMAC-SHA256 of the
/// body under the webhook's secret.
pub const SIGNATURE_HEADER: &str = "X-TSS-Console-Signature";

/// The header that names the delivery (the same on every attempt of it).
pub const DELIVERY_HEADER: &str = "X-TSS-Console-Delivery";

/// A webhook as the API shows it; its secret never (it is shown once, when it is made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// Its ID.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The alert kinds it hears of.
    pub kinds: Vec<AlertKind>,
    /// Whether it gets deliveries.
    pub enabled: bool,
    /// When it was made (unix seconds).
    pub created_at: i64,
}

/// The body of `POST /api/webhooks` and `PUT /api/webhooks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// Where deliveries go: an `https://` (or `http://`) URL.
    pub url: String,
    /// The alert kinds it hears of; at least one.
    pub kinds: Vec<AlertKind>,
    /// Whether it gets deliveries.
    pub enabled: bool,
}

/// `POST /api/webhooks`'s answer: the new webhook and its secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhook {
    /// The webhook.
    pub webhook: Webhook,
    /// The secret its deliveries are signed with; the receiver keeps it to check them.
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet; tried again at `next_attempt_at`.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up after 24 hours.
    Failed,
}

/// One alert's delivery to one webhook, with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Its ID (the [`DELIVERY_HEADER`]).
    pub id: i64,
    /// The alert.
    pub alert_id: i64,
    /// The alert's kind.
    pub kind: AlertKind,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// How many times it was sent.
    pub attempts: u32,
    /// When it was last sent (unix seconds).
    pub last_attempt_at: Option<i64>,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<u16>,
    /// What went wrong last, in English detail.
    pub last_error: Option<String>,
    /// When the receiver took it (unix seconds).
    pub delivered_at: Option<i64>,
    /// When it is sent next, while pending (unix seconds).
    pub next_attempt_at: Option<i64>,
}

/// The JSON body of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// The alert's kind.
    pub kind: AlertKind,
    /// The alert's ID.
    pub alert_id: i64,
    /// The store concerned.
    pub store: PayloadStore,
    /// The TSS concerned, if any.
    pub tss_id: Option<String>,
    /// The POS terminal concerned, if any.
    pub terminal_id: Option<i64>,
    /// What happened.
    pub text: PayloadText,
    /// When the alert was raised (unix seconds).
    pub raised_at: i64,
}

/// A store in a [`WebhookPayload`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadStore {
    /// The console's ID.
    pub id: i64,
    /// The store number.
    pub number: String,
    /// The store's name.
    pub name: String,
}

/// An alert's words in a [`WebhookPayload`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadText {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}
