//! The frame around every page: header, navigation and language switcher.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::Language;

use crate::components::Toasts;
use crate::i18n::{tr, use_locale, Text};

/// The app's frame; the current page goes inside.
#[component]
pub fn Layout(
    /// The page.
    children: Children,
) -> impl IntoView {
    view! {
        <header class="app-header">
            <span class="app-name">{tr(Text::AppName)}</span>
            <nav class="app-nav" aria-label=tr(Text::AppName)>
                <A href="/stores">{tr(Text::NavStores)}</A>
                <A href="/terminals">{tr(Text::NavTerminals)}</A>
                <A href="/settings">{tr(Text::NavSettings)}</A>
            </nav>
            <LanguageSwitcher />
        </header>
        <main class="app-main">{children()}</main>
        <Toasts />
    }
}

/// One button per language; the current one is pressed.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="language-switcher" role="group" aria-label=tr(Text::LanguageLabel)>
            {Language::ALL
                .into_iter()
                .map(|language| {
                    view! {
                        <button
                            type="button"
                            lang=language.tag()
                            aria-pressed=move || (locale.get() == language).to_string()
                            on:click=move |_| locale.set(language)
                        >
                            {language.tag().to_uppercase()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
