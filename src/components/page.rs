//! The frame of one page: its heading and a marker tests and styles can find it by.

use leptos::prelude::*;

/// A page with its `<h1>`; the content goes inside.
#[component]
pub fn Page(
    /// A stable name of the page (`store-list`, …), set as `data-page`.
    name: &'static str,
    /// The heading.
    title: Signal<&'static str>,
    /// The page's content.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="page" data-page=name>
            <h1>{title}</h1>
            {children()}
        </section>
    }
}
