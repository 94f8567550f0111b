//! Webhook deliveries leave the console here: each body is the alert as a
//! [`tss_model::WebhookPayload`], signed with HMAC-SHA256 under the webhook's secret
//! ([`tss_model::SIGNATURE_HEADER`]), POSTed, and its attempt recorded; one that fails is tried
//! again after 1, 2, 4, … minutes (at most an hour apart) until 24 hours after the alert.

use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use tss_model::{DELIVERY_HEADER, SIGNATURE_HEADER};

use crate::storage::{Attempt, DueDelivery, Storage, StorageResult};

/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// How long after its alert a delivery is tried (seconds).
const GIVE_UP_AFTER: i64 = 24 * 60 * 60;

/// How many deliveries one look sends at most.
const AT_ONCE: usize = 50;

/// A new webhook secret: 32 random bytes, hex.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex(&bytes)
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: what [`SIGNATURE_HEADER`]
/// carries, and what a receiver computes to check it.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// When a delivery of an alert raised at `raised_at` that failed its `attempts`th attempt at
/// `now` is tried next; `None` when that would be more than 24 hours after the alert.
pub fn retry_at(raised_at: i64, attempts: u32, now: i64) -> Option<i64> {
    let pause = (60_i64 << attempts.saturating_sub(1).min(6)).min(60 * 60);
    let at = now + pause;
    (at <= raised_at + GIVE_UP_AFTER).then_some(at)
}

/// The HTTP client deliveries are sent with: a receiver's redirect is not followed (the signed
/// body goes only where the administrator said).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a TLS backend is compiled in")
}

/// Sends the deliveries due at `now`, claiming each just before it is sent (so no other replica
/// sends it too), and records each attempt; answers how many were sent. A delivery that cannot
/// be read (its secret no longer opens) is given up, not left to stall the others.
pub async fn deliver_due(
    storage: &Storage,
    http: &reqwest::Client,
    now: i64,
) -> StorageResult<usize> {
    let mut sent = 0;
    while sent < AT_ONCE {
        let Some(id) = storage.claim_due_delivery(now).await? else {
            break;
        };
        let delivery = match storage.due_delivery(id).await {
            Ok(delivery) => delivery,
            Err(error) => {
                tracing::warn!(delivery = id, %error, "a webhook delivery cannot be read; given up");
                let attempt = Attempt::Failed(None, "the delivery could not be read".into());
                storage.record_attempt(id, &attempt, now, None).await?;
                continue;
            }
        };
        let attempt = send(http, &delivery).await;
        let retry = match &attempt {
            Attempt::Delivered(_) => None,
            Attempt::Failed(..) => retry_at(delivery.payload.raised_at, delivery.attempts + 1, now),
        };
        if let Attempt::Failed(_, error) = &attempt {
            tracing::warn!(delivery = id, %error, "a webhook delivery failed");
        }
        storage.record_attempt(id, &attempt, now, retry).await?;
        sent += 1;
    }
    Ok(sent)
}

/// One attempt of `delivery`.
async fn send(http: &reqwest::Client, delivery: &DueDelivery) -> Attempt {
    let body = serde_json::to_vec(&delivery.payload).expect("a payload serialises");
    let sent = http
        .post(&delivery.url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature(&delivery.secret, &body))
        .header(DELIVERY_HEADER, delivery.id.to_string())
        .body(body)
        .send()
        .await;
    match sent {
        Ok(answer) if answer.status().is_success() => Attempt::Delivered(answer.status().as_u16()),
        Ok(answer) => Attempt::Failed(
            Some(answer.status().as_u16()),
            format!("the receiver answered {}", answer.status()),
        ),
        Err(error) => Attempt::Failed(
            None,
            // (Without its URL: it may hold credentials.)
            format!("the receiver could not be reached: {}", error.without_url()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        let signed = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(
            signed,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(new_secret().len(), 64);
        assert_ne!(new_secret(), new_secret());
    }

    #[test]
    fn a_failed_delivery_waits_longer_each_time_and_gives_up_after_a_day() {
        let raised = 1_000_000;
        assert_eq!(retry_at(raised, 1, raised), Some(raised + 60));
        assert_eq!(retry_at(raised, 2, raised + 60), Some(raised + 180));
        assert_eq!(retry_at(raised, 3, raised), Some(raised + 240));
        assert_eq!(
            retry_at(raised, 20, raised),
            Some(raised + 3_600),
            "at most an hour"
        );
        assert_eq!(retry_at(raised, 5, raised + 24 * 3_600 - 100), None);
    }
}
