//! This process as one of the replicas sharing a database: it says it is alive, renews the
//! leases of the operations it runs, takes over those of a replica that died, keeps its watch
//! ([`crate::watch`]: the nightly refresh, alerts), and (on Postgres) relays its live updates to the others and theirs
//! to its own streams.

use std::time::Duration;

use crate::operations::{OperationError, Operations};
use crate::storage::{LiveRelay, Storage, TakeOver};

/// How often a replica says it is alive, renews its leases and looks for orphaned operations:
/// well within [`crate::storage::LEASE`], so a live replica never loses one.
pub const RENEW_EVERY: Duration = Duration::from_secs(2);

/// Why this process cannot serve the database next to the replicas already there.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// This replica would start a second built-in demo simulator on the same database.
    #[error(
        "replica {0} already serves this database: the built-in demo simulator is for one replica \
         only (each would keep its own TSSs). Run one standalone fiskaly-sim and start every \
         replica with --fiskaly-url pointing at it, or use fiskaly itself"
    )]
    DemoNotAlone(String),
    /// Another replica runs the built-in demo simulator on this database.
    #[error(
        "replica {0} serves this database with its built-in demo simulator, whose TSSs no other \
         replica can reach: stop it, or restart every replica against one standalone fiskaly-sim \
         (--fiskaly-url)"
    )]
    DemoElsewhere(String),
    /// The database failed.
    #[error("the database failed: {0}")]
    Storage(#[from] sqlx::Error),
    /// Interrupted operations could not be taken over.
    #[error("cannot resume interrupted operations: {0}")]
    Resume(#[from] OperationError),
}

/// This process's place among the replicas; dropping it stops the renewals (the leases then run
/// out and another replica takes the operations over).
#[derive(Debug)]
pub struct Membership {
    storage: Storage,
    renewals: tokio::task::JoinHandle<()>,
    watch: Option<tokio::task::JoinHandle<()>>,
    _relay: Option<LiveRelay>,
    /// How many interrupted operations this replica took over when it joined.
    pub resumed: usize,
}

impl Membership {
    /// Keeps this replica's watch ([`crate::watch`]: the nightly refresh, alerts, webhook
    /// deliveries) while it is a member. A serving proxy does; the tests hand the clock to the
    /// watch themselves.
    pub fn keep_watch(&mut self, operations: &Operations) {
        if self.watch.is_none() {
            self.watch = Some(tokio::spawn(crate::watch::run(operations.clone())));
        }
    }

    /// Leaves cleanly: the operations still running here are free for another replica at once.
    pub async fn leave(self) {
        self.renewals.abort();
        if let Some(watch) = &self.watch {
            watch.abort();
        }
        if let Err(error) = self.storage.leave().await {
            tracing::warn!(%error, "could not hand this replica's operations over");
        }
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        self.renewals.abort();
        if let Some(watch) = &self.watch {
            watch.abort();
        }
    }
}

/// Whether a replica (`demo`: with the built-in simulator) may serve `storage`'s database next
/// to those already there: a demo simulator serves one replica only.
pub async fn admit(storage: &Storage, demo: bool) -> Result<(), JoinError> {
    let others = storage.other_replicas().await?;
    if let (true, Some(other)) = (demo, others.first()) {
        return Err(JoinError::DemoNotAlone(other.name.clone()));
    }
    if let Some(other) = others.iter().find(|other| other.demo) {
        return Err(JoinError::DemoElsewhere(other.name.clone()));
    }
    Ok(())
}

/// Joins the replicas on `operations`' database (`demo`: with the built-in simulator; see
/// [`admit`]): takes over what was interrupted (on SQLite everything that runs, as one process
/// owns the file), then keeps its leases alive in the background.
pub async fn join(operations: &Operations, demo: bool) -> Result<Membership, JoinError> {
    let storage = operations.storage().clone();
    let relay = storage.relay_live_updates().await?;
    storage.keep_alive(demo).await?;
    let which = if storage.dialect().is_shared() {
        TakeOver::AtStart
    } else {
        TakeOver::Everything
    };
    let resumed = operations.resume(which).await?;
    let renewals = tokio::spawn(keep_alive(operations.clone(), demo));
    Ok(Membership {
        storage,
        renewals,
        watch: None,
        _relay: relay,
        resumed,
    })
}

/// Every [`RENEW_EVERY`]: says this replica is alive, renews its leases and takes over the
/// operations of replicas that died.
async fn keep_alive(operations: Operations, demo: bool) {
    let mut ticks = tokio::time::interval(RENEW_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = operations.storage().keep_alive(demo).await {
            tracing::warn!(%error, "cannot renew this replica's leases; retrying");
            continue;
        }
        match operations.resume(TakeOver::Orphaned).await {
            Ok(0) => {}
            Ok(taken) => tracing::info!(taken, "took over operations of a replica that stopped"),
            Err(error) => tracing::warn!(%error, "cannot take over orphaned operations"),
        }
    }
}
