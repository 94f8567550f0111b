//! Each path of the app shows its page inside the router and the layout.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use tss_console::i18n::Text;
use tss_console::App;
use tss_model::Language;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The app at `path`, logged in as an administrator, talking to an empty in-memory proxy.
async fn open(path: &str) -> support::Mounted {
    support::go_to(path);
    let mounted = support::mount(|| {
        tss_console::api::provide_api(std::sync::Arc::new(support::fake_api::FakeApi::default()));
        view! { <App /> }
    });
    support::settle().await;
    mounted
}

fn page_of(mounted: &support::Mounted) -> String {
    mounted
        .find("[data-page]")
        .get_attribute("data-page")
        .unwrap()
}

#[wasm_bindgen_test]
async fn every_route_renders_its_page() {
    let routes = [
        ("/stores", "store-list"),
        ("/stores/S-001", "store-card"),
        ("/terminals", "terminal-list"),
        ("/terminals/T-17", "terminal-card"),
        ("/settings", "fiskaly-setup"),
        ("/audit", "audit-log"),
        ("/alerts", "alerts"),
        ("/report", "tax-report"),
        ("/no/such/page", "not-found"),
    ];
    for (path, page) in routes {
        let mounted = open(path).await;
        assert_eq!(page_of(&mounted), page, "at {path}");
        assert_eq!(
            mounted.find_all("main [data-page]").len(),
            1,
            "one page at {path}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_root_redirects_to_the_store_list() {
    let mounted = open("/").await;
    support::sleep(20).await; // the session check, then the redirect
    assert_eq!(page_of(&mounted), "store-list");
    assert_eq!(window().location().pathname().unwrap(), "/stores");
}

#[wasm_bindgen_test]
async fn cards_show_the_store_and_terminal_named_in_the_path() {
    let api = support::fake_api::FakeApi::default();
    {
        let mut state = api.0.lock().unwrap();
        state.stores = vec![support::fake_api::store(
            1,
            "S-001",
            "Berlin Mitte",
            "Berlin",
        )];
    }
    let mounted = support::open_app("/stores/1", api.clone()).await;
    assert!(mounted.find("h1").text_content().unwrap().contains("S-001"));
    let mounted = support::open_app("/terminals/17", api).await;
    mounted.find("[data-not-found=terminal]");
}

#[wasm_bindgen_test]
async fn the_navigation_leads_to_every_list_and_marks_the_current_page() {
    let mounted = open("/terminals").await;
    let links: Vec<_> = mounted
        .find_all("nav a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "/stores",
            "/terminals",
            "/alerts",
            "/report",
            "/settings",
            "/audit",
            "/users"
        ]
    );
    let current = mounted.find("nav a[aria-current=page]");
    assert_eq!(current.get_attribute("href").as_deref(), Some("/terminals"));
}

#[wasm_bindgen_test]
async fn the_language_switch_changes_the_words() {
    let mounted = open("/stores").await;
    let button = |tag: &str| -> web_sys::HtmlElement {
        use wasm_bindgen::JsCast;
        mounted
            .find(&format!(".language-switcher button[lang={tag}]"))
            .unchecked_into()
    };
    button("de").click();
    support::settle().await;
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("de")
    );
    assert_eq!(
        mounted.find("h1").text_content().unwrap(),
        Text::StoreListTitle.get(Language::De)
    );
    button("en").click();
    support::settle().await;
    assert_eq!(
        mounted.find("h1").text_content().unwrap(),
        Text::StoreListTitle.get(Language::En)
    );
    assert_eq!(
        button("en").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
}
