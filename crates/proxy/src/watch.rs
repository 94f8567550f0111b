//! What each replica does by itself every [`LOOK_EVERY`]: starts the nightly refresh when it is
//! due, raises and resolves the alerts of the TSS's causes, and sends the webhook deliveries
//! that are due. Every step is safe to run on several replicas at once (the day's run, each open
//! alert and each delivery attempt are claimed in the database).

use std::time::Duration;

use jiff::Timestamp;

use crate::operations::Operations;
use crate::{schedule, webhooks};

/// How often a replica looks.
pub const LOOK_EVERY: Duration = Duration::from_secs(30);

/// One look at `now`, sending deliveries with `http`; a failure is logged, and the next look
/// tries again.
pub async fn once(operations: &Operations, http: &reqwest::Client, now: Timestamp) {
    if let Err(error) = schedule::look(operations, now).await {
        tracing::warn!(%error, "the nightly refresh could not be started; trying again");
    }
    let swept = operations
        .storage()
        .sweep_alerts(now.as_second(), schedule::berlin_date)
        .await;
    match swept {
        Ok(raised) if !raised.is_empty() => tracing::info!(?raised, "alerts raised"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "alerts could not be looked at; trying again"),
    }
    let storage = operations.storage();
    if let Err(error) = webhooks::deliver_due(storage, http, now.as_second()).await {
        tracing::warn!(%error, "webhook deliveries could not be sent; trying again");
    }
}

/// Every [`LOOK_EVERY`]: [`once`].
pub async fn run(operations: Operations) {
    let http = webhooks::client();
    let mut ticks = tokio::time::interval(LOOK_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        once(&operations, &http, Timestamp::now()).await;
    }
}
