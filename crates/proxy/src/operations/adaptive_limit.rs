//! How many fiskaly reads the Refresh of every TSS runs at once: a limit that grows by one with
//! each call that succeeds (doubling a round while all do) and halves on fiskaly's 429 or 5xx,
//! at most once per [`CUT_INTERVAL`] (the answers of one burst count as one sign). Under a
//! sporadic refusal it soon grows back, since most calls succeed; under a sustained one few
//! succeed and it stays low. The call that was refused waits its `Retry-After` and tries again,
//! holding its slot.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::fiskaly::congestion::CongestionObserver;

/// The least time between two cuts of the limit.
pub const CUT_INTERVAL: Duration = Duration::from_secs(1);

/// A concurrency limit between 1 and a maximum that adapts to fiskaly's answers.
#[derive(Debug)]
pub struct AdaptiveLimit {
    slots: Arc<Semaphore>,
    max: usize,
    state: Mutex<LimitState>,
}

#[derive(Debug)]
struct LimitState {
    /// The limit now.
    limit: usize,
    /// Slots to take out of use as they come back (after a cut, while calls still hold them).
    owed: usize,
    last_cut: Option<Instant>,
}

/// Leave to make one call; give it back by dropping it.
#[derive(Debug)]
pub struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    limit: Arc<AdaptiveLimit>,
}

impl AdaptiveLimit {
    /// A limit that starts at `initial` and never exceeds `max` (both at least 1).
    pub fn new(initial: usize, max: usize) -> Arc<AdaptiveLimit> {
        let max = max.max(1);
        let initial = initial.clamp(1, max);
        Arc::new(AdaptiveLimit {
            slots: Arc::new(Semaphore::new(initial)),
            max,
            state: Mutex::new(LimitState {
                limit: initial,
                owed: 0,
                last_cut: None,
            }),
        })
    }

    /// The limit now.
    pub fn current(&self) -> usize {
        self.state().limit
    }

    /// Waits for a free slot.
    pub async fn slot(self: &Arc<Self>) -> Slot {
        let permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        Slot {
            permit: Some(permit),
            limit: Arc::clone(self),
        }
    }

    /// A call succeeded: the limit grows by one.
    pub fn succeeded(&self) {
        let mut state = self.state();
        if state.limit >= self.max {
            return;
        }
        state.limit += 1;
        if state.owed > 0 {
            state.owed -= 1;
        } else {
            self.slots.add_permits(1);
        }
    }

    /// fiskaly is overloaded: the limit halves, unless it was cut less than
    /// [`CUT_INTERVAL`] ago.
    pub fn cut(&self) {
        let mut state = self.state();
        if state.last_cut.is_some_and(|at| at.elapsed() < CUT_INTERVAL) {
            return;
        }
        state.last_cut = Some(Instant::now());
        let halved = (state.limit / 2).max(1);
        let mut to_remove = state.limit - halved;
        state.limit = halved;
        while to_remove > 0 {
            match self.slots.clone().try_acquire_owned() {
                Ok(permit) => permit.forget(),
                Err(_) => break,
            }
            to_remove -= 1;
        }
        state.owed += to_remove;
    }

    fn state(&self) -> std::sync::MutexGuard<'_, LimitState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl CongestionObserver for AdaptiveLimit {
    fn congested(&self, _retry_after: Option<Duration>) {
        self.cut();
    }
}

impl Slot {
    /// The call made in this slot succeeded: the limit grows.
    pub fn succeeded(&self) {
        self.limit.succeeded();
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let mut state = self.limit.state();
        if state.owed > 0 {
            state.owed -= 1;
            permit.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes every slot free now, without waiting.
    fn free_slots(limit: &Arc<AdaptiveLimit>) -> usize {
        limit.slots.available_permits()
    }

    #[tokio::test]
    async fn the_limit_grows_with_each_success_and_halves_once_a_burst() {
        let limit = AdaptiveLimit::new(8, 64);
        for _ in 0..8 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 16, "one round of 8 successes doubles it");
        for _ in 0..100 {
            limit.succeeded();
        }
        assert_eq!(limit.current(), 64, "never above the maximum");
        assert_eq!(free_slots(&limit), 64);
        limit.cut();
        assert_eq!(limit.current(), 32);
        assert_eq!(free_slots(&limit), 32);
        limit.cut();
        assert_eq!(
            limit.current(),
            32,
            "a second sign within a second is the same burst"
        );
        limit.succeeded();
        assert_eq!(limit.current(), 33);
        assert_eq!(free_slots(&limit), 33);
    }

    #[tokio::test]
    async fn a_cut_while_every_slot_is_taken_takes_them_back_as_calls_end() {
        let limit = AdaptiveLimit::new(4, 4);
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(limit.slot().await);
        }
        limit.cut();
        assert_eq!(limit.current(), 2);
        held.pop();
        held.pop();
        assert_eq!(free_slots(&limit), 0, "the first two returned are owed");
        held.pop();
        assert_eq!(free_slots(&limit), 1);
        held.pop();
        assert_eq!(free_slots(&limit), 2, "two at once, as the limit says");
    }

    #[tokio::test]
    async fn the_limit_never_falls_below_one() {
        let limit = AdaptiveLimit::new(1, 64);
        limit.cut();
        assert_eq!(limit.current(), 1);
        assert_eq!(free_slots(&limit), 1);
    }
}
