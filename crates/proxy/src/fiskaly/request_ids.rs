//! The `request-id` of fiskaly's last answer within an operation, for its audit row: an operation
//! runs inside [`recording`], every answer the client receives there is noted, and the operation
//! reads the last one with [`last_seen`] when it records its outcome.

use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    static LAST_SEEN: RefCell<Option<String>>;
}

/// Runs `work`, noting the request-id of every fiskaly answer it receives.
pub async fn recording<F: Future>(work: F) -> F::Output {
    LAST_SEEN.scope(RefCell::new(None), work).await
}

/// The request-id of the last fiskaly answer received inside the current [`recording`].
pub fn last_seen() -> Option<String> {
    LAST_SEEN
        .try_with(|seen| seen.borrow().clone())
        .ok()
        .flatten()
}

/// Notes fiskaly's answer's request-id (nothing happens outside a [`recording`]).
pub(super) fn note(request_id: &str) {
    let _ = LAST_SEEN.try_with(|seen| *seen.borrow_mut() = Some(request_id.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_the_last_answer_inside_the_recording_is_kept() {
        note("outside");
        let inside = recording(async {
            note("first");
            note("second");
            last_seen()
        })
        .await;
        assert_eq!(inside.as_deref(), Some("second"));
        assert_eq!(last_seen(), None);
    }
}
