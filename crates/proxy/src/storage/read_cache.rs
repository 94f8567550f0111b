//! What the lists and the overview read, kept until the next change: every open Store List
//! reads its page again after each change (live updates), so that many staff looking at the
//! same page cost one read per change, not one each.
//!
//! Every entry is tagged with the live hub's count of changes at the moment its read began
//! ([`crate::live::LiveHub::changes`], which grows with every change this process makes or hears
//! of from another replica); an entry of an older count is never handed out, nor one older than
//! [`MAX_AGE`] (a replica that missed another's notification reads again soon).

use std::collections::HashMap;
use std::sync::atomic::AtomicI64;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest an entry is handed out, changes or not.
pub const MAX_AGE: Duration = Duration::from_secs(2);

use tss_model::{FleetOverview, Page, StoreSummary, Terminal};

/// How many pages of one list are kept; when full, all are dropped (the next change would
/// drop them anyway).
const PAGES_KEPT: usize = 256;

/// The caches of one process's storage.
#[derive(Debug, Default)]
pub(super) struct ReadCaches {
    /// When a reader last looked for stores left stale (milliseconds since the epoch).
    pub stale_checked_at_ms: AtomicI64,
    /// The fleet overview last counted, with the count of changes it was counted at and when;
    /// locked while one request counts, so that the others wait for its answer.
    pub fleet: tokio::sync::Mutex<Option<(u64, Instant, FleetOverview)>>,
    /// Pages of the Store List.
    pub store_pages: PageCache<StoreSummary>,
    /// Pages of the POS Terminal List.
    pub terminal_pages: PageCache<Terminal>,
}

/// Pages of one list read since the last change, by their request.
#[derive(Debug)]
pub(super) struct PageCache<T> {
    pages: Mutex<Pages<T>>,
}

/// The pages read at one count of changes.
#[derive(Debug)]
struct Pages<T> {
    changes: u64,
    /// When the first of them was read.
    since: Instant,
    by_request: HashMap<String, Page<T>>,
}

impl<T> Pages<T> {
    fn new(changes: u64) -> Pages<T> {
        Pages {
            changes,
            since: Instant::now(),
            by_request: HashMap::new(),
        }
    }
}

impl<T> Default for PageCache<T> {
    fn default() -> Self {
        PageCache {
            pages: Mutex::new(Pages::new(0)),
        }
    }
}

impl<T: Clone> PageCache<T> {
    /// The page of `request` read at `changes` less than [`MAX_AGE`] ago, if one was.
    pub fn get(&self, changes: u64, request: &str) -> Option<Page<T>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.changes != changes || pages.since.elapsed() > MAX_AGE {
            return None;
        }
        pages.by_request.get(request).cloned()
    }

    /// Keeps `page` of `request`, whose read began at `changes`: unless a newer change is known.
    pub fn put(&self, changes: u64, request: String, page: &Page<T>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.changes > changes {
            return;
        }
        if pages.changes < changes
            || pages.by_request.len() >= PAGES_KEPT
            || pages.since.elapsed() > MAX_AGE
        {
            *pages = Pages::new(changes);
        }
        pages.by_request.insert(request, page.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: u64) -> Page<u8> {
        Page {
            items: vec![1],
            total,
            next: None,
        }
    }

    #[test]
    fn a_page_is_handed_out_only_until_the_next_change() {
        let cache = PageCache::default();
        cache.put(3, "q=a".into(), &page(1));
        assert_eq!(cache.get(3, "q=a"), Some(page(1)));
        assert_eq!(cache.get(3, "q=b"), None);
        assert_eq!(cache.get(4, "q=a"), None, "a change since");
        cache.put(5, "q=a".into(), &page(2));
        cache.put(4, "q=b".into(), &page(3));
        assert_eq!(
            cache.get(5, "q=b"),
            None,
            "read before a known change: not kept"
        );
        assert_eq!(cache.get(5, "q=a"), Some(page(2)));
    }
}
