//! One browser window on the console: a headless Chromium session through ChromeDriver, and
//! what a person does in it (log in, open a page, press a button, wait for a text).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::cdp;

/// Headless Chromium's window is this much taller than its viewport (its own chrome).
const WINDOW_CHROME_HEIGHT: u32 = 143;

/// A browser window pointed at the console.
pub struct Window {
    /// The browser.
    pub browser: Client,
    /// The app's address, e.g. `http://127.0.0.1:4711`.
    pub base: String,
}

impl Window {
    /// A new headless Chromium session through the ChromeDriver on `driver_port`, with a
    /// viewport of `size`, for the console at `base`; it has loaded nothing yet.
    pub async fn connect(driver_port: u16, base: &str, size: (u32, u32)) -> Window {
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--lang=en-US"],
                "prefs": {"intl.accept_languages": "en-US"}
            }
        });
        let capabilities = capabilities.as_object().unwrap().clone();
        let started = Instant::now();
        let browser = loop {
            let mut builder = ClientBuilder::rustls().unwrap();
            match builder
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{driver_port}"))
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("cannot start Chromium through chromedriver: {error}"),
            }
        };
        browser
            .set_window_size(size.0, size.1 + WINDOW_CHROME_HEIGHT)
            .await
            .unwrap();
        Window {
            browser,
            base: base.to_owned(),
        }
    }

    /// Logs in on the login page the app shows, and waits for the page asked for.
    pub async fn log_in(&self, username: &str, password: &str) {
        for (field, value) in [("username", username), ("password", password)] {
            self.fill(&format!(".login-form input[name={field}]"), value)
                .await;
        }
        self.click(".login-form button[type=submit]").await;
        let shown = self
            .browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("[data-page]:not([data-page=login])"))
            .await;
        if shown.is_err() {
            self.screenshot("login-failed").await;
            let page = self.element("main").await.text().await.unwrap_or_default();
            panic!("logging in as {username} failed (target/e2e/login-failed.png); the page says: {page}");
        }
    }

    /// Replaces the text of the input matching `css` with `value`, typed key by key.
    pub async fn fill(&self, css: &str, value: &str) {
        let input = self.element(css).await;
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    /// Logs out with the header's button and waits for the login page.
    pub async fn log_out(&self) {
        self.click(".user-menu button").await;
        self.element("[data-page=login]").await;
    }

    /// Opens a path of the app and waits until its page is shown.
    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        self.element("[data-page]").await;
    }

    /// The first element matching `css`, waiting up to 15 s for it to appear.
    pub async fn element(&self, css: &str) -> Element {
        self.browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Clicks the first element matching `css`, waiting for it to appear.
    pub async fn click(&self, css: &str) {
        self.element(css).await.click().await.unwrap();
    }

    /// The button whose text contains `label`, waiting for it.
    pub async fn button(&self, label: &str) -> Element {
        let xpath = format!("//button[contains(normalize-space(.), '{label}')]");
        self.browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {label:?}: {e}"))
    }

    /// Clicks the button whose text contains `label` once it is enabled (a button stays disabled
    /// while its TSS's operation runs, and a click on it then does nothing).
    pub async fn click_when_enabled(&self, label: &str) {
        let started = Instant::now();
        loop {
            let button = self.button(label).await;
            if button.is_enabled().await.unwrap_or(false) {
                button.click().await.unwrap();
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the button {label:?} stayed disabled"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no element matches `css` (e.g. an operation's progress bar).
    pub async fn wait_until_gone(&self, css: &str) {
        let started = Instant::now();
        while self.browser.find(Locator::Css(css)).await.is_ok() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{css} stayed on the page"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of the first element matching `css` satisfies `check`.
    pub async fn wait_for_text(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.browser.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if check(&text) {
                        return text;
                    }
                }
            }
            if started.elapsed() > Duration::from_secs(30) {
                self.screenshot("wait-failed").await;
                let page = self.element("main").await.text().await.unwrap_or_default();
                panic!("{css} never showed the expected text (target/e2e/wait-failed.png); the page says: {page}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot of the key moment to `target/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
        std::fs::create_dir_all(&folder).unwrap();
        let png = self.browser.screenshot().await.unwrap();
        std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
    }

    /// Slows the browser's CPU and network as `throttling` says (DevTools, through ChromeDriver).
    pub async fn throttle(&self, throttling: cdp::Throttling) {
        for command in throttling.commands() {
            self.browser
                .issue_cmd(command)
                .await
                .unwrap_or_else(|e| panic!("DevTools refused a throttling command: {e}"));
        }
    }

    /// Clicks Generate New TSS (confirming "another TSS" when the store has an active one) and
    /// waits until the store shows `count` TSS and nothing runs.
    pub async fn generate_and_wait(&self, count: usize) {
        // The store's TSS must be loaded before the page knows whether it will ask.
        self.element("[aria-labelledby=tss-setup] :is(.tss-entry, .empty-state)")
            .await;
        let has_active = self
            .browser
            .find(Locator::Css(
                ".tss-entry .state-badge[data-state=INITIALIZED]",
            ))
            .await
            .is_ok();
        self.button("Generate New TSS").await.click().await.unwrap();
        if has_active {
            self.click("dialog[open] .button-danger").await;
        }
        let started = Instant::now();
        loop {
            let entries = self
                .browser
                .find_all(Locator::Css(".tss-entry"))
                .await
                .unwrap();
            let running = self
                .browser
                .find_all(Locator::Css(".operation-progress"))
                .await
                .unwrap();
            if entries.len() == count && running.is_empty() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the new TSS did not settle"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Clicks Cancel in the open confirmation dialog.
    pub async fn cancel_dialog(&self) {
        self.click("dialog[open] .confirm-actions button:first-child")
            .await;
    }

    /// Unfolds the store card's disabled and broken TSS, if it has any.
    pub async fn unfold_inactive_tss(&self) {
        if let Ok(summary) = self
            .browser
            .find(Locator::Css("details.inactive-tss:not([open]) > summary"))
            .await
        {
            summary.click().await.unwrap();
        }
    }

    /// Switches the app's language with the header's switcher (`de` or `en`).
    pub async fn switch_language(&self, tag: &str) {
        self.element(&format!(".language-switcher button[lang={tag}]"))
            .await
            .click()
            .await
            .unwrap();
        self.element(&format!("html[lang={tag}]")).await;
    }

    /// Makes the page's own requests to URLs containing `part` (GET only) fail as a network
    /// error would, until the next page load or [`Stage::heal_requests`].
    pub async fn fail_requests_to(&self, part: &str) {
        let script = "const part = arguments[0];
            window.__realFetch = window.__realFetch || window.fetch;
            window.fetch = (input, init) => {
                const url = typeof input === 'string' ? input : input.url;
                const method = (init && init.method) || (input && input.method) || 'GET';
                if (url.includes(part) && method === 'GET') {
                    return Promise.reject(new TypeError('Failed to fetch'));
                }
                return window.__realFetch(input, init);
            };";
        self.browser
            .execute(script, vec![part.into()])
            .await
            .unwrap();
    }

    /// Lets the page's requests through again.
    pub async fn heal_requests(&self) {
        self.browser
            .execute(
                "if (window.__realFetch) { window.fetch = window.__realFetch; }",
                vec![],
            )
            .await
            .unwrap();
    }

    /// The state badges of the store card's TSS, as (label, meaning) in page order (unfold the
    /// inactive ones first to read theirs).
    pub async fn tss_badges(&self) -> Vec<(String, String)> {
        let mut badges = Vec::new();
        for badge in self
            .browser
            .find_all(Locator::Css(".tss-entry .state-badge"))
            .await
            .unwrap()
        {
            let label = badge
                .find(Locator::Css(".state-badge-label"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let meaning = badge.attr("title").await.unwrap().unwrap_or_default();
            badges.push((label, meaning));
        }
        badges
    }
}
