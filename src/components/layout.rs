//! The frame around every page: header, navigation and language switcher.

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::{Language, Role};

use crate::api::use_api;
use crate::session::{role_text, use_session, SessionStatus};

use crate::components::{LiveIndicator, Toasts};
use crate::i18n::{tr, use_locale, Text};

/// The app's frame; the current page goes inside.
#[component]
pub fn Layout(
    /// The page.
    children: Children,
) -> impl IntoView {
    let session = use_session();
    // On a narrow screen the navigation folds behind a Menu button, so the header stays one row.
    let menu_open = RwSignal::new(false);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    view! {
        <a class="skip-link" href="#main">{tr(Text::SkipToContent)}</a>
        <header class="app-header">
            <span class="app-name">{tr(Text::AppName)}</span>
            <Show when=move || session.user().is_some()>
                <button
                    type="button"
                    class="menu-button"
                    aria-controls="app-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    "☰ "
                    {tr(Text::Menu)}
                </button>
                <nav
                    id="app-nav"
                    class=move || if menu_open.get() { "app-nav open" } else { "app-nav" }
                    aria-label=tr(Text::AppName)
                >
                    <A href="/stores">{tr(Text::NavStores)}</A>
                    <A href="/terminals">{tr(Text::NavTerminals)}</A>
                    <A href="/alerts">{tr(Text::NavAlerts)}</A>
                    <A href="/report">{tr(Text::NavReport)}</A>
                    <Show when=move || session.may(Role::Admin)>
                        <A href="/settings">{tr(Text::NavSettings)}</A>
                        <A href="/audit">{tr(Text::NavAudit)}</A>
                        <A href="/users">{tr(Text::NavUsers)}</A>
                    </Show>
                </nav>
                <LiveIndicator />
            </Show>
            <LanguageSwitcher />
            <UserMenu />
        </header>
        <main class="app-main" id="main" tabindex="-1">{children()}</main>
        <Toasts />
    }
}

/// Who is logged in, with their role, and the logout button.
#[component]
fn UserMenu() -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let log_out = Action::new_local(move |_: &()| {
        let call = api.log_out();
        async move {
            // Whatever the answer, the app forgets the session; the proxy ends it or it expires.
            let _ = call.await;
            session.set(SessionStatus::LoggedOut);
        }
    });
    move || {
        session.user().map(|user| {
            view! {
                <div class="user-menu">
                    <span class="user-name">
                        {user.username} " (" {tr(role_text(user.role))} ")"
                    </span>
                    <button type="button" class="button" on:click=move |_| {
                        log_out.dispatch(());
                    }>{tr(Text::LogOut)}</button>
                </div>
            }
        })
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
