//! fiskaly's signs of overload as they happen inside a call's retries, for work that paces
//! itself by them (the Refresh of every TSS): that work runs inside [`observed_by`], and every
//! answer 429 or 5xx the client receives there, with its `Retry-After`, is told to the observer
//! before the client waits and tries again.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Work that wants to hear of fiskaly's overload answers.
pub trait CongestionObserver: Send + Sync {
    /// fiskaly answered 429 or 5xx; `retry_after` is its `Retry-After`, if it gave one.
    fn congested(&self, retry_after: Option<Duration>);
}

tokio::task_local! {
    static OBSERVER: Arc<dyn CongestionObserver>;
}

/// Runs `work`, telling `observer` of every overload answer the client receives in it.
pub async fn observed_by<F: Future>(observer: Arc<dyn CongestionObserver>, work: F) -> F::Output {
    OBSERVER.scope(observer, work).await
}

/// Tells the current observer, if any, of an answer with HTTP `status`.
pub(super) fn note(status: u16, retry_after: Option<Duration>) {
    if status == 429 || (500..600).contains(&status) {
        let _ = OBSERVER.try_with(|observer| observer.congested(retry_after));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Heard(Mutex<Vec<Option<Duration>>>);

    impl CongestionObserver for Heard {
        fn congested(&self, retry_after: Option<Duration>) {
            self.0.lock().unwrap().push(retry_after);
        }
    }

    #[tokio::test]
    async fn only_overload_answers_inside_the_observed_work_are_told() {
        let heard = Arc::new(Heard::default());
        note(429, None);
        observed_by(heard.clone(), async {
            note(429, Some(Duration::from_secs(1)));
            note(404, None);
            note(503, None);
        })
        .await;
        assert_eq!(
            *heard.0.lock().unwrap(),
            vec![Some(Duration::from_secs(1)), None]
        );
    }
}
