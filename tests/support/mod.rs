//! Helpers the browser tests share: mount a view into its own element and read what it shows.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod fake_api;

use std::sync::Arc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// A view mounted into a fresh `<div>` of the test page; unmounts when dropped.
pub struct Mounted {
    /// The element the view lives in.
    pub root: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    /// The first element matching `selector`, which must exist.
    pub fn find(&self, selector: &str) -> web_sys::Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("nothing matches {selector} in: {}", self.root.inner_html()))
    }

    /// Every element matching `selector`.
    pub fn find_all(&self, selector: &str) -> Vec<web_sys::Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into().ok())
            .collect()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Mounts `view` into its own new element at the end of the page's body.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), view);
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

/// Points the browser at `path` without loading a page, as a click on a link would.
pub fn go_to(path: &str) {
    window()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

/// Lets the reactive system and the router settle.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// Opens `path` of the whole app, talking to `api`, in English.
pub async fn open_app(path: &str, api: fake_api::FakeApi) -> Mounted {
    open_app_in(path, api, tss_model::Language::En).await
}

/// Opens `path` of the whole app, talking to `api`, in `language`.
pub async fn open_app_in(
    path: &str,
    api: fake_api::FakeApi,
    language: tss_model::Language,
) -> Mounted {
    go_to(path);
    let mounted = mount(move || {
        tss_console::api::provide_api(Arc::new(api));
        tss_console::i18n::use_locale().set(language);
        view! { <tss_console::App /> }
    });
    settle().await;
    mounted
}

/// The text of the first element matching `selector`.
pub fn text_of(mounted: &Mounted, selector: &str) -> String {
    mounted.find(selector).text_content().unwrap_or_default()
}

/// The button labelled `label` (its text contains it), which must exist.
pub fn button(mounted: &Mounted, label: &str) -> HtmlElement {
    mounted
        .find_all("button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().contains(label))
        .unwrap_or_else(|| panic!("no button {label} in: {}", mounted.root.inner_html()))
        .unchecked_into()
}

/// Waits `ms` milliseconds of real time (for polling), letting the page work meanwhile.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    settle().await;
}

/// Types `text` into the input matching `selector`, as a user would (an `input` event).
pub fn type_into(mounted: &Mounted, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = mounted.find(selector).unchecked_into();
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Chooses `value` in the `<select>` matching `selector`, as a user would (a `change` event).
pub fn choose(mounted: &Mounted, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = mounted.find(selector).unchecked_into();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&event).unwrap();
}

/// Clicks the first element matching `selector`.
pub fn click(mounted: &Mounted, selector: &str) {
    mounted
        .find(selector)
        .unchecked_into::<HtmlElement>()
        .click();
}

/// The buttons' labels in the element matching `selector`.
pub fn button_labels(mounted: &Mounted, selector: &str) -> Vec<String> {
    mounted
        .find(selector)
        .query_selector_all("button")
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
