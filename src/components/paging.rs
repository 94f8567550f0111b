//! A list read a page at a time: the pages after the first, where the next one starts, and the
//! footer with the count and "Load more".

use leptos::prelude::*;
use tss_model::{ApiError, Page, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

use super::load_failure;
use crate::i18n::{tr, Text};

/// The pages after the first that a list shows, and where the next one starts.
pub struct Paging<T: Send + Sync + 'static> {
    /// The rows of the pages loaded after the first.
    pub more: RwSignal<Vec<T>>,
    /// The cursor of the next page; `None` when every row is shown.
    pub next: RwSignal<Option<String>>,
    /// A next page is on its way.
    pub loading: RwSignal<bool>,
    /// A next page could not be read.
    failed: RwSignal<Option<ApiError>>,
    /// How many rows the first page asks for: after more pages were loaded, a reload (a change
    /// elsewhere) reads as many rows again, so that the list does not shrink under the reader.
    wanted: StoredValue<u32>,
    /// Which query the rows are of (its query string).
    of_query: StoredValue<Option<String>>,
    /// Grows with every read of the first page: a next page asked for before it belongs to
    /// rows that are gone, and is dropped when it arrives.
    generation: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Paging<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paging<T> {}

impl<T: Send + Sync + 'static> Paging<T> {
    /// Nothing loaded yet.
    pub fn new() -> Paging<T> {
        Paging {
            more: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            failed: RwSignal::new(None),
            wanted: StoredValue::new(DEFAULT_PAGE_SIZE),
            of_query: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The first page of the query of `pairs` (its query-string pairs) is read (again): how many
    /// rows it asks for, as many as are shown now when the query is the same (a reload), one page
    /// when it is new. A next page on its way will be dropped; a new query's rows have no next
    /// page until its first arrives.
    pub fn first_page_size(self, pairs: Vec<(&'static str, String)>) -> u32 {
        // Joined by hand: `Debug` of strings would add Unicode tables to the wasm.
        let key: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
        let key = key.join("&");
        self.generation.update_value(|g| *g += 1);
        if self.of_query.get_value().as_ref() != Some(&key) {
            self.wanted.set_value(DEFAULT_PAGE_SIZE);
            self.of_query.set_value(Some(key));
            self.next.try_set(None);
        }
        self.wanted.get_value()
    }

    /// The first page arrived (or failed): the pages after it are gone.
    pub fn started(self, page: &Result<Page<T>, ApiError>) {
        self.more.try_set(Vec::new());
        self.failed.try_set(None);
        self.loading.try_set(false);
        self.next
            .try_set(page.as_ref().ok().and_then(|page| page.next.clone()));
    }

    /// A next page is asked for: its cursor and the generation it belongs to, unless every row
    /// is shown or one is on its way.
    pub fn next_cursor(self) -> Option<(String, u64)> {
        if self.loading.get_untracked() {
            return None;
        }
        let cursor = self.next.get_untracked()?;
        self.loading.set(true);
        Some((cursor, self.generation.get_value()))
    }

    /// A next page of `generation` arrived, or failed; dropped when the first page was read
    /// again meanwhile.
    pub fn continued(self, generation: u64, page: Result<Page<T>, ApiError>) {
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        self.loading.try_set(false);
        match page {
            Ok(page) => {
                let added = page.items.len() as u32;
                self.more.try_update(|more| more.extend(page.items));
                self.next.try_set(page.next);
                self.wanted
                    .try_update_value(|wanted| *wanted = (*wanted + added).min(MAX_PAGE_SIZE));
            }
            Err(error) => {
                self.failed.try_set(Some(error));
            }
        }
    }
}

impl<T: Send + Sync + 'static> Default for Paging<T> {
    fn default() -> Self {
        Paging::new()
    }
}

/// Below a paged list: "shown / total", "Load more" while there are more rows, and why the
/// last page could not be read.
#[component]
pub fn PagingFooter<T: Send + Sync + 'static>(
    /// The list's pages.
    paging: Paging<T>,
    /// How many rows are shown.
    shown: Signal<usize>,
    /// How many rows match.
    total: u64,
    /// Reads the next page.
    load_more: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <p class="more">
            <span class="count">{move || format!("{} / {total}", shown.get())}</span>
            {move || {
                let load_more = load_more.clone();
                paging.next.with(Option::is_some).then(|| view! {
                    " "
                    <button
                        type="button"
                        class="button"
                        name="load-more"
                        disabled=move || paging.loading.get()
                        on:click=move |_| load_more()
                    >
                        {tr(Text::LoadMore)}
                    </button>
                })
            }}
        </p>
        {move || paging.failed.get().map(|error| {
            let retry = Callback::new(move |_| paging.failed.set(None));
            load_failure(error, retry)
        })}
    }
}
