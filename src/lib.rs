//! tss-console: the single-page app store and head-office staff use to set up fiskaly TSSs and
//! POS clients and keep them healthy.
//!
//! This file holds the app shell and its routes; pages live in [`routes`], shared widgets in
//! [`components`], and every user-facing word in [`i18n`].

pub mod api;
pub mod components;
pub mod i18n;
pub mod routes;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use components::Layout;
use routes::{FiskalySetup, NotFound, StoreCard, StoreList, TerminalCard, TerminalList};

/// The whole app: language, layout and the page for the current path.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_locale();
    api::use_api();
    components::use_toaster();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=|| view! { <Redirect path="/stores" /> } />
                    <Route path=path!("stores") view=StoreList />
                    <Route path=path!("stores/:store_id") view=StoreCard />
                    <Route path=path!("terminals") view=TerminalList />
                    <Route path=path!("terminals/:terminal_id") view=TerminalCard />
                    <Route path=path!("settings") view=FiskalySetup />
                </Routes>
            </Layout>
        </Router>
    }
}
