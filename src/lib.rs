//! tss-console: the single-page app store and head-office staff use to set up fiskaly TSSs and
//! POS clients and keep them healthy.
//!
//! This file holds the app shell and its routes; pages live in [`routes`], shared widgets in
//! [`components`], and every user-facing word in [`i18n`].

pub mod api;
pub mod components;
pub mod i18n;
pub mod live;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use components::Layout;
use routes::{
    Alerts, AuditLog, FiskalySetup, Login, NotFound, StoreCard, StoreList, TaxReportPage,
    TerminalCard, TerminalList, Users,
};
use session::{provide_session, SessionStatus};

/// The whole app: language, session, layout, and the page for the current path (the login page
/// while nobody is logged in).
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_locale();
    let api = api::use_api();
    components::use_toaster();
    live::provide_live();
    let session = provide_session(SessionStatus::Checking);
    let ask = api.session();
    leptos::task::spawn_local(async move {
        session.set(match ask.await {
            Ok(user) => SessionStatus::LoggedIn(user),
            Err(_) => SessionStatus::LoggedOut,
        });
    });
    let phase = Memo::new(move |_| match session.status() {
        SessionStatus::Checking => 0,
        SessionStatus::LoggedOut => 1,
        SessionStatus::LoggedIn(_) => 2,
    });
    view! {
        <Router>
            <Layout>
                {move || match phase.get() {
                    0 => view! { <p class="loading">{i18n::tr(i18n::Text::Loading)}</p> }.into_any(),
                    1 => view! { <Login /> }.into_any(),
                    _ => view! { <Pages /> }.into_any(),
                }}
            </Layout>
        </Router>
    }
}

/// The pages of a logged-in user, by path; they follow the proxy's changes live.
#[component]
fn Pages() -> impl IntoView {
    live::follow_changes();
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("") view=|| view! { <Redirect path="/stores" /> } />
            <Route path=path!("stores") view=StoreList />
            <Route path=path!("stores/:store_id") view=StoreCard />
            <Route path=path!("terminals") view=TerminalList />
            <Route path=path!("terminals/:terminal_id") view=TerminalCard />
            <Route path=path!("settings") view=FiskalySetup />
            <Route path=path!("audit") view=AuditLog />
            <Route path=path!("alerts") view=Alerts />
            <Route path=path!("report") view=TaxReportPage />
            <Route path=path!("users") view=Users />
        </Routes>
    }
}
