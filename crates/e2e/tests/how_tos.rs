//! Every how-to of the console, done as staff do it: clicks and typing in Chromium against the
//! real proxy in demo mode. Demo stores: 1 S-001 Berlin Mitte (ready), 8 S-008 Leipzig
//! (UNINITIALIZED TSS), 9 S-009 Dresden (DISABLED TSS; terminals 22 and 23 DEREGISTERED),
//! 11 S-011 Nürnberg (not set up).

use std::str::FromStr;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use fiskaly_sim::TssState as Forced;
use tss_e2e::{Stage, ADMIN_PASSWORD, DESKTOP, TABLET};
use tss_model::{Language, TssState};

/// How-to 1: Generate New TSS on a store that has none → the new entry shows INITIALIZED.
async fn generate_a_tss(size: (u32, u32), name: &str) {
    let stage = Stage::start(size).await;
    stage.open("/stores/11").await;
    stage
        .button("Generate New TSS")
        .await
        .click()
        .await
        .unwrap();
    stage.element(".operation-progress").await;
    let badge = stage
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "INITIALIZED")
        .await;
    assert_eq!(badge, "INITIALIZED");
    stage.screenshot(name).await;
    stage.open("/terminals/1").await;
    stage
        .wait_for_text(".facts", |t| t.contains("REGISTERED"))
        .await;
    stage.screenshot(&format!("terminal-card-{}", size.0)).await;
    stage.finish().await;
}

#[tokio::test]
async fn generate_a_tss_on_a_desktop() {
    generate_a_tss(DESKTOP, "generate-tss-desktop").await;
}

#[tokio::test]
async fn generate_a_tss_on_a_tablet() {
    generate_a_tss(TABLET, "generate-tss-tablet").await;
}

/// How-to 2: Disable TSS asks first; Esc and Cancel change nothing; Yes disables it and the
/// store's terminals show their clients DEREGISTERED; the simulator agrees.
async fn disable_a_tss(size: (u32, u32), name: &str) {
    let stage = Stage::start(size).await;
    stage.open("/stores/1").await;
    let tss_id = stage
        .element(".tss-entry")
        .await
        .attr("data-tss")
        .await
        .unwrap()
        .unwrap();
    let id = fiskaly_sim_id(&tss_id);

    stage.button("Disable TSS").await.click().await.unwrap();
    stage.element("dialog[open]").await;
    stage.screenshot(&format!("{name}-modal")).await;
    let focused = stage.browser.active_element().await.unwrap();
    assert_eq!(focused.text().await.unwrap(), "Cancel");
    focused.send_keys("\u{e00c}").await.unwrap(); // Escape
    assert!(stage
        .browser
        .find(Locator::Css("dialog[open]"))
        .await
        .is_err());

    stage.button("Disable TSS").await.click().await.unwrap();
    stage.element("dialog[open]").await;
    stage.cancel_dialog().await;
    assert!(stage
        .browser
        .find(Locator::Css("dialog[open]"))
        .await
        .is_err());
    assert_eq!(stage.simulator.tss(id).unwrap()["state"], "INITIALIZED");

    stage.button("Disable TSS").await.click().await.unwrap();
    stage.click("dialog[open] .button-danger").await;
    // A disabled TSS is folded below the active ones.
    stage
        .wait_for_text("details.inactive-tss > summary", |t| t.contains('1'))
        .await;
    stage.unfold_inactive_tss().await;
    stage
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "DISABLED")
        .await;
    stage
        .wait_for_text(".terminal-list", |t| t.matches("DEREGISTERED").count() == 3)
        .await;
    stage.screenshot(name).await;
    assert_eq!(stage.simulator.tss(id).unwrap()["state"], "DISABLED");
    let clients = stage.proxy.storage.clients_of_tss(&tss_id).await.unwrap();
    assert_eq!(clients.len(), 3);
    for client in clients {
        let at_fiskaly = stage
            .simulator
            .client(fiskaly_sim_id(&client.client_id))
            .unwrap();
        assert_eq!(at_fiskaly["state"], "DEREGISTERED");
    }
    let disables = stage
        .simulator
        .control()
        .calls()
        .iter()
        .filter(|c| c.path.ends_with(&tss_id) && c.state.as_deref() == Some("DISABLED"))
        .count();
    assert_eq!(disables, 1);
    stage.finish().await;
}

fn fiskaly_sim_id(tss_id: &str) -> uuid::Uuid {
    uuid::Uuid::from_str(tss_id).unwrap()
}

#[tokio::test]
async fn disable_a_tss_on_a_desktop() {
    disable_a_tss(DESKTOP, "disable-tss-desktop").await;
}

#[tokio::test]
async fn disable_a_tss_on_a_tablet() {
    disable_a_tss(TABLET, "disable-tss-tablet").await;
}

/// How-to 6: a terminal whose TSS is DISABLED cannot generate a client and is told to generate a
/// new TSS first; after a new TSS, Generate Client ID registers it.
#[tokio::test]
async fn recover_a_client_after_a_disabled_tss() {
    let stage = Stage::start(TABLET).await;
    stage.open("/terminals/22").await;
    let button = stage.button("Generate Client ID").await;
    assert!(!button.is_enabled().await.unwrap());
    let reason = stage.element(".action-reason").await.text().await.unwrap();
    assert_eq!(
        reason,
        "The TSS is DISABLED: generate a new TSS for this store first."
    );
    stage.screenshot("terminal-card-disabled-tss").await;

    stage.open("/stores/9").await;
    stage
        .button("Generate New TSS")
        .await
        .click()
        .await
        .unwrap();
    stage
        .wait_for_text(".tss-entry:last-child .state-badge-label", |t| {
            t == "INITIALIZED"
        })
        .await;
    stage.open("/terminals/22").await;
    stage
        .button("Generate Client ID")
        .await
        .click()
        .await
        .unwrap();
    stage
        .wait_for_text(".facts", |t| {
            t.contains("REGISTERED") && !t.contains("DEREGISTERED")
        })
        .await;
    stage.screenshot("terminal-card-registered").await;
    stage.finish().await;
}

/// How-to 7: Fiskaly Setup: save the connection settings; Test connection shows the environment.
#[tokio::test]
async fn save_the_fiskaly_settings_and_test_the_connection() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/settings").await;
    stage.element(".banner").await;
    let secret = stage.element("input[name=api_secret]").await;
    secret
        .send_keys(&fiskaly_sim::SimConfig::default().api_secret)
        .await
        .unwrap();
    stage.button("Save").await.click().await.unwrap();
    stage
        .wait_for_text("[role=status]", |t| t.contains("Saved"))
        .await;
    stage
        .wait_for_text(".field-hint", |t| t.contains("set – leave empty"))
        .await;
    assert!(
        stage.browser.find(Locator::Css(".banner")).await.is_err(),
        "saved settings replace the demo simulator banner"
    );
    stage.button("Test connection").await.click().await.unwrap();
    let shown = stage
        .wait_for_text(".connection-ok", |t| t.contains("TEST"))
        .await;
    assert!(shown.contains("TEST"));
    stage.screenshot("fiskaly-setup").await;
    stage.finish().await;
}

/// How-to 3: a store holding TSS in every state shows each badge with its meaning.
#[tokio::test]
async fn every_state_shows_its_badge_and_meaning() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores/11").await;
    // Stops at the deploy: CREATED. Stops at the admin PIN: UNINITIALIZED.
    stage.fail_next("PATCH", "/api/v2/tss/*", Some("UNINITIALIZED"), 5);
    stage.generate_and_wait(1).await;
    stage.fail_next("PATCH", "/api/v2/tss/*/admin", None, 5);
    stage.generate_and_wait(2).await;
    for count in 3..=7 {
        stage.generate_and_wait(count).await;
    }
    let initialized = stage
        .browser
        .find_all(Locator::Css(
            ".tss-entry:has(.state-badge[data-state=INITIALIZED])",
        ))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for entry in initialized {
        ids.push(entry.attr("data-tss").await.unwrap().unwrap());
    }
    assert_eq!(ids.len(), 5, "{ids:?}");
    for (id, state) in ids[..3]
        .iter()
        .zip([Forced::Deleted, Forced::Defective, Forced::Evicted])
    {
        stage
            .simulator
            .force_state(fiskaly_sim_id(id), state)
            .unwrap();
    }
    let to_disable = format!(".tss-entry[data-tss='{}']", ids[3]);
    stage.click(&format!("{to_disable} .button-danger")).await;
    stage.click("dialog[open] .button-danger").await;
    stage
        .wait_for_text("details.inactive-tss > summary", |t| t.contains('1'))
        .await;
    stage.button("Refresh TSS").await.click().await.unwrap();
    stage
        .wait_for_text("details.inactive-tss > summary", |t| t.contains('4'))
        .await;
    stage.unfold_inactive_tss().await;

    let badges = stage.tss_badges().await;
    let labels: Vec<&str> = badges.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels[..3],
        ["INITIALIZED", "CREATED", "UNINITIALIZED"],
        "the active TSS first, then those being set up: {labels:?}"
    );
    let mut inactive = labels[3..].to_vec();
    inactive.sort();
    assert_eq!(inactive, ["DEFECTIVE", "DELETED", "DISABLED", "EVICTED"]);
    for (label, meaning) in &badges {
        let state = TssState::from(label.clone());
        assert_eq!(meaning, state.meaning(Language::En), "{label}");
    }
    stage.screenshot("every-state").await;
    stage.finish().await;
}

/// How-to 4: Initial TSS on an UNINITIALIZED TSS (the demo's store 8 stopped half-way, with an
/// Error Text from then); with fiskaly in maintenance the Error Text says so; once it is back,
/// Initial TSS succeeds.
#[tokio::test]
async fn initialize_an_uninitialized_tss_through_a_fault() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores/8").await;
    stage.fail_next("POST", "/api/v2/tss/*/admin/auth", None, 5);
    stage.click_when_enabled("Initial TSS").await;
    stage.element(".tss-entry .operation-progress").await;
    stage
        .wait_until_gone(".tss-entry .operation-progress")
        .await;
    stage
        .wait_for_text(".error-text", |t| t.contains("fiskaly"))
        .await;
    // fiskaly's own words (its code, for support) are one click away.
    stage.click(".error-text details > summary").await;
    let error = stage
        .wait_for_text(".error-text", |t| t.contains("E_TSS_LOCKED"))
        .await;
    assert!(error.contains("fiskaly"), "{error}");
    assert_eq!(
        stage
            .element(".tss-entry .state-badge-label")
            .await
            .text()
            .await
            .unwrap(),
        "UNINITIALIZED"
    );
    stage.screenshot("initial-tss-error-text").await;

    stage.simulator.control().clear_faults();
    stage.click_when_enabled("Initial TSS").await;
    stage
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "INITIALIZED")
        .await;
    assert!(
        stage
            .browser
            .find(Locator::Css(".error-text"))
            .await
            .is_err(),
        "the Error Text is gone"
    );
    stage.finish().await;
}

/// How-to 5: states changed at fiskaly appear after Refresh TSS.
#[tokio::test]
async fn refresh_shows_what_fiskaly_changed() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores/12").await;
    stage.generate_and_wait(2).await;
    let mut ids = Vec::new();
    for entry in stage
        .browser
        .find_all(Locator::Css(".tss-entry"))
        .await
        .unwrap()
    {
        ids.push(entry.attr("data-tss").await.unwrap().unwrap());
    }
    stage
        .simulator
        .force_state(fiskaly_sim_id(&ids[0]), Forced::Defective)
        .unwrap();
    stage
        .simulator
        .force_state(fiskaly_sim_id(&ids[1]), Forced::Deleted)
        .unwrap();
    stage.button("Refresh TSS").await.click().await.unwrap();
    stage
        .wait_for_text("details.inactive-tss > summary", |t| t.contains('2'))
        .await;
    stage.unfold_inactive_tss().await;
    let labels: Vec<String> = stage
        .tss_badges()
        .await
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(labels, ["DEFECTIVE", "DELETED"]);
    stage.finish().await;
}

/// How-to 8: log in with a role. The administrator adds the viewer `vera` on the Users page; she
/// sees the store but Disable TSS and Generate New TSS are disabled with the role they need; the
/// administrator's Audit Log names who did what.
#[tokio::test]
async fn log_in_with_a_role_and_read_the_audit_log() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/users").await;
    stage.click(".panel > summary").await;
    stage.fill("form input[name=username]", "vera").await;
    let role = stage.element("form select[name=role]").await;
    role.select_by_value("viewer").await.unwrap();
    stage
        .fill("form input[name=password]", "vera-password-1")
        .await;
    stage.click(".panel form button[type=submit]").await;
    let vera = stage
        .wait_for_text("[data-user=vera]", |t| t.contains("vera"))
        .await;
    assert!(vera.contains("Remove user"), "{vera}");
    stage.screenshot("users-desktop").await;
    stage.log_out().await;
    stage.screenshot("login-desktop").await;
    stage.log_in("vera", "vera-password-1").await;
    stage.open("/stores/1").await;
    let disable = stage.button("Disable TSS").await;
    assert!(!disable.is_enabled().await.unwrap());
    let generate = stage.button("Generate New TSS").await;
    assert!(!generate.is_enabled().await.unwrap());
    let card = stage
        .element("[data-page=store-card]")
        .await
        .text()
        .await
        .unwrap();
    assert!(card.contains("Only with the role: Administrator"), "{card}");
    assert!(card.contains("Only with the role: Operator"), "{card}");
    let nav = stage.element(".app-nav").await.text().await.unwrap();
    assert!(!nav.contains("Audit Log"), "{nav}");

    stage.log_out().await;
    stage.log_in("admin", tss_e2e::ADMIN_PASSWORD).await;
    stage.open("/audit").await;
    let actors = stage
        .wait_for_text(".audit-list", |t| t.contains("vera"))
        .await;
    assert!(actors.contains("admin"), "{actors}");
    assert!(
        actors.contains("New user"),
        "adding vera is recorded: {actors}"
    );
    let newest = stage.element(".audit-row").await;
    let who = newest.find(Locator::Css(".audit-actor")).await.unwrap();
    assert_eq!(who.text().await.unwrap(), "admin");
    let action = newest.find(Locator::Css(".audit-action")).await.unwrap();
    assert_eq!(
        action.attr("data-action").await.unwrap().as_deref(),
        Some("login")
    );
    stage.screenshot("audit-log-desktop").await;
    stage.finish().await;
}

/// A store card whose TSS cannot be loaded says so with Retry and keeps Generate New TSS disabled;
/// with the terminals missing, Disable TSS waits, and its dialog then names the terminals.
#[tokio::test]
async fn a_failed_load_is_never_shown_as_empty() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores").await;
    stage.fail_requests_to("/api/stores/1/tss").await;
    stage.click("tr[data-store=S-001] a").await;
    let section = stage
        .wait_for_text("[aria-labelledby=tss-setup]", |t| {
            t.contains("Could not be loaded.")
        })
        .await;
    assert!(!section.contains("no TSS yet"), "{section}");
    let generate = stage.button("Generate New TSS").await;
    assert!(!generate.is_enabled().await.unwrap());
    stage.screenshot("tss-could-not-be-loaded").await;
    stage.heal_requests().await;
    stage.button("Retry").await.click().await.unwrap();
    stage.element(".tss-entry").await;
    assert!(stage
        .button("Generate New TSS")
        .await
        .is_enabled()
        .await
        .unwrap());

    stage.open("/stores").await;
    stage.fail_requests_to("/api/terminals?").await;
    stage.click("tr[data-store=S-001] a").await;
    stage
        .wait_for_text("[aria-labelledby=store-terminals]", |t| {
            t.contains("Could not be loaded.")
        })
        .await;
    let disable = stage.button("Disable TSS").await;
    assert!(!disable.is_enabled().await.unwrap());
    stage.heal_requests().await;
    stage.button("Retry").await.click().await.unwrap();
    stage.click_when_enabled("Disable TSS").await;
    let affected = stage
        .wait_for_text("dialog[open] .affected", |t| !t.is_empty())
        .await;
    assert!(
        !affected.contains("No POS terminal is affected"),
        "{affected}"
    );
    assert_eq!(affected.lines().count(), 3, "{affected}");
    stage.cancel_dialog().await;
    stage.finish().await;
}

/// In German, three refusals read in German: a taken store number at its field, a new TSS
/// fiskaly refuses (its limit), and Initial TSS with fiskaly in maintenance. A TSS another tab
/// generated meanwhile shows at once, so Generate asks before a second one.
#[tokio::test]
async fn server_errors_read_in_german() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores").await;
    stage.switch_language("de").await;
    stage.click(".panel > summary").await;
    for (field, value) in [
        ("number", "S-001"),
        ("name", "Doppelt"),
        ("street", "Weg 1"),
        ("city", "Köln"),
    ] {
        stage
            .fill(&format!(".panel input[name={field}]"), value)
            .await;
    }
    stage.click(".panel button[type=submit]").await;
    let at_field = stage
        .wait_for_text("[data-field-error=number]", |t| !t.is_empty())
        .await;
    assert_eq!(at_field, "Ist schon vergeben.");

    // A second tab generated a TSS meanwhile: this page shows it at once (live updates), so
    // Generate asks before a second one instead of running into the server's refusal.
    stage.open("/stores/11").await;
    stage
        .element("[aria-labelledby=tss-setup] .empty-state")
        .await;
    let other_tab = generate_from_another_tab(&stage, 11).await;
    assert_eq!(other_tab, 202);
    stage
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "INITIALIZED")
        .await;
    stage
        .button("Neue TSS erzeugen")
        .await
        .click()
        .await
        .unwrap();
    let question = stage.element("dialog[open]").await.text().await.unwrap();
    assert!(question.contains("Weitere TSS erzeugen?"), "{question}");

    // fiskaly refuses the new TSS (its limit): the refusal reads in German.
    stage.refuse_next("PUT", "/api/v2/tss/*", (403, "E_TSS_LIMIT_REACHED"));
    stage.click("dialog[open] .button-danger").await;
    let toast = stage
        .wait_for_text(".toast-error .toast-message", |t| !t.is_empty())
        .await;
    assert!(
        toast.starts_with("fiskaly hat die Aktion abgelehnt."),
        "{toast}"
    );

    stage.open("/stores/8").await;
    stage.fail_next("POST", "/api/v2/tss/*/admin/auth", None, 5);
    stage.click_when_enabled("TSS initialisieren").await;
    let error = stage
        .wait_for_text(".error-text", |t| t.contains("fiskaly"))
        .await;
    assert!(error.contains("Fehlertext"), "{error}");
    assert!(
        error.contains("fiskaly ist gerade nicht erreichbar")
            || error.contains("fiskaly hat die Aktion abgelehnt"),
        "{error}"
    );
    stage.screenshot("german-error-text").await;
    stage.finish().await;
}

/// Generate New TSS for `store_id` as another tab would, through the API with the page's own
/// session (same origin, the app's header); waits until the new TSS is INITIALIZED and answers
/// the HTTP status.
async fn generate_from_another_tab(stage: &Stage, store_id: i64) -> u64 {
    let script = "const done = arguments[arguments.length - 1];
        fetch('/api/stores/' + arguments[0] + '/tss', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-Requested-With': 'tss-console'},
            body: '{}'})
        .then(r => done(r.status));";
    let status = stage
        .browser
        .execute_async(script, vec![store_id.into()])
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let entries = stage.proxy.storage.tss_entries(store_id).await.unwrap();
        if entries.iter().any(|e| e.state == TssState::Initialized) {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 30,
            "the other tab's TSS did not settle"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    status.as_u64().unwrap()
}

/// A store tablet in German: no page scrolls sideways, the header is one row, and every button
/// and link of a page is a touch target of at least 44 px.
#[tokio::test]
async fn every_page_fits_a_german_tablet() {
    let stage = Stage::start(TABLET).await;
    stage.open("/stores").await;
    stage.switch_language("de").await;
    let check = "const problems = [];
        const width = document.documentElement.scrollWidth;
        if (width > 768) problems.push('scrollWidth ' + width);
        const header = document.querySelector('.app-header').getBoundingClientRect().height;
        if (header > 64) problems.push('header ' + header);
        for (const el of document.querySelectorAll('main button, main a, main summary')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;
            if (box.height < 44) problems.push((el.textContent || el.outerHTML).trim().slice(0, 40) + ' ' + box.height);
        }
        return problems;";
    for path in [
        "/stores",
        "/stores/1",
        "/stores/9",
        "/terminals",
        "/terminals/1",
        "/terminals/22",
        "/alerts",
        "/report",
        "/settings",
        "/audit",
        "/users",
    ] {
        stage.open(path).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let problems = stage.browser.execute(check, vec![]).await.unwrap();
        let problems = problems.as_array().cloned().unwrap_or_default();
        if !problems.is_empty() {
            stage.screenshot("tablet-layout-problem").await;
        }
        assert!(problems.is_empty(), "{path}: {problems:?}");
    }
    stage.open("/stores/1").await;
    stage.element("[data-page=store-card] .tss-entry").await;
    stage.screenshot("store-card-tablet-de").await;
    stage.finish().await;
}

/// Back and Forward never bring the Disable dialog back: neither inside the app nor when the
/// browser restores the store card from its back/forward cache after another page.
#[tokio::test]
async fn back_and_forward_never_reopen_the_disable_dialog() {
    let stage = Stage::start(DESKTOP).await;
    stage.open("/stores/1").await;
    stage.button("Disable TSS").await.click().await.unwrap();
    stage.element("dialog[open]").await;
    stage
        .browser
        .goto(&format!("{}/api/health", stage.base))
        .await
        .unwrap();
    stage.browser.back().await.unwrap();
    stage.element("[data-page=store-card] .tss-entry").await;
    assert!(
        stage
            .browser
            .find(Locator::Css("dialog[open]"))
            .await
            .is_err(),
        "the restored page shows no open dialog"
    );
    stage.button("Disable TSS").await.click().await.unwrap();
    stage.element("dialog[open]").await;
    stage.browser.back().await.unwrap();
    stage.element("[data-page=store-list]").await;
    stage.browser.forward().await.unwrap();
    stage.element("[data-page=store-card] .tss-entry").await;
    assert!(stage
        .browser
        .find(Locator::Css("dialog[open]"))
        .await
        .is_err());
    let tss = stage.element(".tss-entry .state-badge-label").await;
    assert_eq!(
        tss.text().await.unwrap(),
        "INITIALIZED",
        "nothing was disabled"
    );
    stage.finish().await;
}

/// Live updates: what one person does shows on another person's open page, without a reload.
/// Head office (desktop) disables a TSS while a store manager (tablet) looks at the same store;
/// head office then generates a new one, and later deregisters a till the manager has open.
#[tokio::test]
async fn two_people_see_each_others_changes_without_reloading() {
    let office = Stage::start(DESKTOP).await;
    let manager = manager_beside(&office).await;
    each_sees_the_other_disable_and_generate(&office, &manager, "live-disabled-on-the-tablet")
        .await;

    // Head office deregisters a till of store 2 whose card the manager has open.
    let of_store_2 = tss_model::TerminalQuery {
        store_id: Some(2),
        ..Default::default()
    };
    let terminals = office.proxy.storage.terminal_page(&of_store_2, 50, None);
    let terminal = terminals.await.unwrap().items[0].id;
    office.open(&format!("/terminals/{terminal}")).await;
    manager.open(&format!("/terminals/{terminal}")).await;
    manager
        .wait_for_text("[aria-labelledby=sign-de-v2]", |t| t.contains("REGISTERED"))
        .await;
    office.click_when_enabled("Deregister client").await;
    office.click("dialog[open] .button-danger").await;
    manager
        .wait_for_text("[aria-labelledby=sign-de-v2]", |t| {
            t.contains("DEREGISTERED")
        })
        .await;
    manager.screenshot("live-deregistered-on-the-tablet").await;
    let _ = manager.browser.close().await;
    office.finish().await;
}

/// A store manager's tablet beside `office`: a second browser, logged in as an administrator
/// of their own.
async fn manager_beside(office: &Stage) -> tss_e2e::Window {
    let manager_name = "filiale-berlin";
    tss_proxy::auth::accounts::add_user(
        &office.proxy.storage,
        manager_name,
        tss_model::Role::Admin,
        ADMIN_PASSWORD,
    )
    .await
    .unwrap();
    office
        .second_window(TABLET, manager_name, ADMIN_PASSWORD)
        .await
}

/// Head office disables the TSS of store 1 while the manager has the store open, then generates
/// a new one: the manager's card follows each within a second, without a reload.
async fn each_sees_the_other_disable_and_generate(
    office: &Stage,
    manager: &tss_e2e::Window,
    screenshot: &str,
) {
    office.open("/stores/1").await;
    manager.open("/stores/1").await;
    manager.element(".live-indicator[data-live=live]").await;
    office.element(".live-indicator[data-live=live]").await;
    assert!(manager
        .button("Disable TSS")
        .await
        .is_enabled()
        .await
        .unwrap());

    office.button("Disable TSS").await.click().await.unwrap();
    office.click("dialog[open] .button-danger").await;
    // A disabled TSS is folded below the active ones, on both pages.
    let folded = |t: &str| t.contains('1');
    office
        .wait_for_text("details.inactive-tss > summary", folded)
        .await;
    let disabled_at_office = Instant::now();
    manager
        .wait_for_text("details.inactive-tss > summary", folded)
        .await;
    let delay = disabled_at_office.elapsed();
    assert!(delay < Duration::from_secs(1), "took {delay:?}");
    manager.unfold_inactive_tss().await;
    manager
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "DISABLED")
        .await;
    let disable_buttons = manager
        .browser
        .find_all(Locator::XPath(
            "//button[contains(normalize-space(.), 'Disable TSS')][not(@disabled)]",
        ))
        .await
        .unwrap();
    assert!(disable_buttons.is_empty(), "no enabled Disable TSS");
    manager.screenshot(screenshot).await;

    // Head office generates a new TSS: the manager sees its steps and then INITIALIZED.
    office.click_when_enabled("Generate New TSS").await;
    let step = manager
        .wait_for_text(".operation-step", |t| t.contains("Step"))
        .await;
    assert!(step.contains("of 6"), "{step}");
    manager
        .wait_for_text(".tss-entry .state-badge-label", |t| t == "INITIALIZED")
        .await;
}

/// The chain's set-up at scale: two replicas on one Postgres database behind nginx (the
/// project's `deploy/nginx.conf`). Through nginx the app works as on one proxy, nginx hands the
/// requests to both replicas, and head office and the store see each other's changes live
/// whichever replica their pages and streams went to.
#[tokio::test]
async fn through_nginx_in_front_of_two_replicas_two_people_see_each_others_changes() {
    let office = Stage::behind_nginx(DESKTOP).await;
    let manager = manager_beside(&office).await;
    let disables_at_fiskaly = || {
        office
            .simulator
            .control()
            .calls()
            .iter()
            .filter(|c| c.method == "PATCH" && c.state.as_deref() == Some("DISABLED"))
            .count()
    };
    let disabled_before = disables_at_fiskaly();
    each_sees_the_other_disable_and_generate(&office, &manager, "replicas-behind-nginx").await;
    let served = office.requests_served_by_each_replica();
    assert_eq!(served.len(), 2);
    assert!(
        served.iter().all(|&n| n > 0),
        "both replicas served: {served:?}"
    );
    assert_eq!(
        disables_at_fiskaly() - disabled_before,
        1,
        "one Disable, one PATCH at fiskaly"
    );
    let _ = manager.browser.close().await;
    office.finish().await;
}

/// The Store List's summary bar on a German tablet: its "cannot sign" part shows only the stores
/// that cannot sign (kept in the URL, so a reload or a shared link shows the same), a search
/// narrows them further, and a second press shows every store again.
#[tokio::test]
async fn the_summary_bar_shows_the_stores_that_cannot_sign() {
    let stage = Stage::start(TABLET).await;
    stage.switch_language("de").await;
    stage.open("/stores").await;
    let cannot_sign = ".fleet-part[data-filter=cannot_sign]";
    let part = stage.wait_for_text(cannot_sign, |t| !t.is_empty()).await;
    assert_eq!(part, "4 von 12 Filialen können nicht signieren");
    stage
        .wait_for_text("p.more .count", |t| t == "12 / 12")
        .await;
    stage.click(cannot_sign).await;
    stage.wait_for_text("p.more .count", |t| t == "4 / 4").await;
    let url = stage.browser.current_url().await.unwrap();
    assert!(url.as_str().contains("readiness=cannot_sign"), "{url}");
    let badges = stage
        .wait_for_text("table.list tbody", |t| !t.is_empty())
        .await;
    assert!(!badges.contains("Bereit zum Signieren"), "{badges}");
    for store in ["S-008", "S-009", "S-011"] {
        assert!(badges.contains(store), "{store} cannot sign: {badges}");
    }
    stage.screenshot("summary-bar-cannot-sign-tablet-de").await;

    stage.open("/stores?readiness=cannot_sign").await;
    stage.wait_for_text("p.more .count", |t| t == "4 / 4").await;
    let pressed = stage
        .element(&format!("{cannot_sign}[aria-pressed=true]"))
        .await;
    assert!(pressed.text().await.unwrap().contains("4 von 12"));
    stage.fill("input[name=q]", "dresden").await;
    stage.wait_for_text("p.more .count", |t| t == "1 / 1").await;
    stage
        .wait_for_text("table.list tbody", |t| t.contains("S-009"))
        .await;

    stage.open("/stores?readiness=cannot_sign").await;
    stage.wait_for_text("p.more .count", |t| t == "4 / 4").await;
    stage.click(cannot_sign).await;
    stage
        .wait_for_text("p.more .count", |t| t == "12 / 12")
        .await;
    let url = stage.browser.current_url().await.unwrap();
    assert!(!url.as_str().contains("readiness"), "{url}");
    stage.finish().await;
}

/// The fleet's Refresh of every TSS: head office starts it on a desktop (fiskaly answering
/// slowly); a viewer's German tablet beside it sees its progress move on and its end with how
/// many TSS it read and how many failed, without a reload.
#[tokio::test]
async fn refresh_of_every_tss_shows_progress_and_ends_with_a_count() {
    let office = Stage::start(DESKTOP).await;
    let viewer = "kasse-koeln";
    let role = tss_model::Role::Viewer;
    tss_proxy::auth::accounts::add_user(&office.proxy.storage, viewer, role, ADMIN_PASSWORD)
        .await
        .unwrap();
    let tablet = office.second_window(TABLET, viewer, ADMIN_PASSWORD).await;
    tablet.switch_language("de").await;
    tablet.open("/stores").await;
    office.open("/stores").await;
    office
        .wait_for_text("p.more .count", |t| t == "12 / 12")
        .await;
    office.simulator.control().latency = Duration::from_millis(1_500);
    office.click_when_enabled("Refresh every TSS").await;
    let running = tablet
        .wait_for_text(".refresh-line[data-refresh=running]", |t| {
            t.contains(" von ") && !t.contains(": 0 von")
        })
        .await;
    let total: u64 = running
        .split(" von ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("a count of all TSS: {running:?}"));
    assert!(total >= 10, "{running}");
    tablet
        .screenshot("refresh-every-tss-running-tablet-de")
        .await;
    let ended = tablet
        .wait_for_text(".refresh-line[data-refresh=succeeded]", |t| !t.is_empty())
        .await;
    office.simulator.control().latency = Duration::ZERO;
    assert!(
        ended.contains(&format!("{total} gelesen, 0 fehlgeschlagen")),
        "{ended}"
    );
    let on_desktop = office
        .wait_for_text(".refresh-line[data-refresh=succeeded]", |t| !t.is_empty())
        .await;
    assert!(
        on_desktop.contains(&format!("{total} read, 0 failed")),
        "{on_desktop}"
    );
    office.screenshot("refresh-every-tss-ended-desktop").await;
    let start_again = office.button("Refresh every TSS").await;
    assert!(
        start_again.is_enabled().await.unwrap(),
        "a new run may start"
    );
    let _ = tablet.browser.close().await;
    office.finish().await;
}

/// Import from the ERP on a German desktop: a small CSV file with one bad line shows that line's
/// error (line and column) in the preview, the Import button stays disabled, and nothing is
/// imported.
#[tokio::test]
async fn an_import_with_a_bad_line_shows_its_error_and_imports_nothing() {
    let stage = Stage::start(DESKTOP).await;
    stage.switch_language("de").await;
    stage.open("/stores").await;
    stage
        .wait_for_text("p.more .count", |t| t == "12 / 12")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filialen.csv");
    std::fs::write(
        &path,
        "Filialnummer;Filialname;Straße;Ort;Kassennummer;Kassenname;Seriennummer\n\
         S-101;Kiel Holstenstraße;Holstenstraße 1;Kiel;K1;Kasse 1;SN-101-1\n\
         S-102;Lübeck Altstadt;Breite Straße 2;Lübeck;K1;Kasse 1;SN/102\n",
    )
    .unwrap();
    stage.click("details.import > summary").await;
    let input = stage.element("input[name=import-file]").await;
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    let problems = stage
        .wait_for_text(".import-problems", |t| !t.is_empty())
        .await;
    assert_eq!(problems, "Zeile 3, Seriennummer: Kein / oder _ (DSFinV-K).");
    let summary = stage
        .wait_for_text(".import-summary", |t| !t.is_empty())
        .await;
    // The bad line counts among the lines, not among the stores and terminals to write.
    assert!(
        summary.starts_with("2 Zeilen · 1 Filiale: 1 neu"),
        "{summary}"
    );
    let import = stage.button("Importieren").await;
    assert!(
        !import.is_enabled().await.unwrap(),
        "a file with a bad line"
    );
    stage.screenshot("import-bad-line-desktop-de").await;

    stage.open("/stores").await;
    stage
        .wait_for_text("p.more .count", |t| t == "12 / 12")
        .await;
    stage.finish().await;
}

/// How-to: fiskaly declares a store's TSS DEFECTIVE; Replace TSS brings every till back in one
/// action: a new TSS, each terminal registered there, the store ready to sign again.
#[tokio::test]
async fn replace_a_defective_tss_in_one_action() {
    let stage = Stage::start(TABLET).await;
    stage.open("/stores/1").await;
    let old = stage
        .element(".tss-entry")
        .await
        .attr("data-tss")
        .await
        .unwrap()
        .unwrap();
    stage
        .simulator
        .force_state(fiskaly_sim_id(&old), Forced::Defective)
        .unwrap();
    stage.button("Refresh TSS").await.click().await.unwrap();
    stage
        .wait_for_text("[data-page=store-card] .state-badge[data-readiness]", |t| {
            t.contains("No active TSS")
        })
        .await;
    stage.unfold_inactive_tss().await;
    stage.click_when_enabled("Replace TSS").await;
    let dialog = stage
        .wait_for_text("dialog[open]", |t| t.contains("new client IDs"))
        .await;
    assert_eq!(dialog.matches("Kasse").count(), 3, "{dialog}");
    assert!(
        stage
            .browser
            .find(Locator::Css("dialog[open] input[name=disable_old]"))
            .await
            .is_err(),
        "a DEFECTIVE TSS cannot be disabled"
    );
    stage.screenshot("replace-tss-modal").await;
    stage.click("dialog[open] .button-danger").await;
    stage
        .wait_for_text("[data-page=store-card] .state-badge[data-readiness]", |t| {
            t.ends_with("Ready to sign (3 of 3 POS terminals)")
        })
        .await;
    stage
        .wait_for_text(".terminal-list", |t| {
            t.matches("REGISTERED").count() == 3 && !t.contains("Cannot sign")
        })
        .await;
    stage.screenshot("replace-tss-done").await;
    let tss = stage.proxy.storage.tss_entries(1).await.unwrap();
    let new = tss.iter().find(|e| e.tss_id != old).expect("the new TSS");
    assert_eq!(new.state, TssState::Initialized);
    let at_fiskaly = stage.simulator.tss(fiskaly_sim_id(&new.tss_id)).unwrap();
    assert_eq!(at_fiskaly["number_registered_clients"], 3);
    assert_eq!(
        stage.simulator.tss(fiskaly_sim_id(&old)).unwrap()["state"],
        "DEFECTIVE"
    );
    stage.finish().await;
}

/// A certificate set to expire in 30 days: the store card warns on its TSS, the Store List
/// counts it, marks the store and filters to it (German tablet).
#[tokio::test]
async fn a_certificate_expiring_in_30_days_is_warned_about_on_the_card_and_in_the_list() {
    let stage = Stage::start(TABLET).await;
    stage.open("/stores").await;
    stage.switch_language("de").await;
    let old = stage
        .proxy
        .storage
        .tss_ids(Some(1))
        .await
        .unwrap()
        .remove(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    stage
        .simulator
        .set_certificate_expiry(fiskaly_sim_id(&old), now + 30 * 24 * 60 * 60 + 60)
        .unwrap();
    stage.open("/stores/1").await;
    stage
        .button("TSS aktualisieren")
        .await
        .click()
        .await
        .unwrap();
    let warning = stage
        .wait_for_text(".tss-entry .certificate", |t| t.contains("läuft in"))
        .await;
    assert!(
        warning.ends_with("Zertifikat läuft in 30 Tagen ab"),
        "{warning}"
    );
    stage.screenshot("certificate-expiring-card").await;

    stage.open("/stores").await;
    let part = stage
        .wait_for_text("[data-filter=certificate_expiring]", |t| t.starts_with('1'))
        .await;
    assert_eq!(
        part,
        "1 mit TSS-Zertifikat, das in ≤ 90 Tagen abläuft oder abgelaufen ist"
    );
    stage.click("[data-filter=certificate_expiring]").await;
    stage
        .wait_for_text("table.list tbody", |t| {
            t.contains("S-001") && !t.contains("S-002")
        })
        .await;
    let row = stage
        .element("[data-store=S-001] .certificate-warning")
        .await;
    let row = row.text().await.unwrap();
    assert!(row.ends_with("Zertifikat läuft in 30 Tagen ab"), "{row}");
    stage.screenshot("certificate-expiring-list").await;
    stage.finish().await;
}

/// What a webhook receiver got: each request's signature header and body.
type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>;

/// A receiver of webhook deliveries on loopback: keeps each request's signature and body.
async fn webhook_receiver() -> (String, Received) {
    use axum::body::Bytes;
    use axum::http::HeaderMap;
    let received: Received = Default::default();
    let kept = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                let signature = headers[tss_model::SIGNATURE_HEADER]
                    .to_str()
                    .unwrap_or_default()
                    .to_owned();
                kept.lock().unwrap().push((signature, body.to_vec()));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// How-to: the console watches the fleet. An administrator adds a webhook and marks the
/// tax-office report submitted; fiskaly marks a TSS DEFECTIVE; after a refresh the Alerts page
/// lists the store, the webhook received one signed POST, the administrator acknowledges it;
/// after Generate New TSS the report marks the new TSS as changed since the last report.
#[tokio::test]
async fn alerts_a_signed_webhook_and_the_report_after_a_tss_breaks() {
    use hmac::Mac;
    let stage = Stage::start(DESKTOP).await;
    let (url, received) = webhook_receiver().await;
    stage.open("/alerts").await;
    let field = stage.element("form[name=webhook] input[name=url]").await;
    field.send_keys(&url).await.unwrap();
    // Only stores that stop signing (the demo has a TSS with Error Text of its own).
    for kind in ["tss_error", "certificate_expiring", "tss_nearly_full"] {
        stage
            .click(&format!("form[name=webhook] input[value={kind}]"))
            .await;
    }
    stage.click("form[name=webhook] button[type=submit]").await;
    let secret = stage
        .wait_for_text("[data-secret] code", |t| t.len() == 64)
        .await;
    stage.screenshot("webhook-added").await;

    stage.open("/report").await;
    stage.click_when_enabled("Mark as submitted").await;
    stage.click("dialog[open] .button-danger").await;
    stage
        .wait_for_text(".last-submitted", |t| t.contains("admin"))
        .await;

    let old = stage
        .proxy
        .storage
        .tss_ids(Some(1))
        .await
        .unwrap()
        .remove(0);
    stage
        .simulator
        .force_state(fiskaly_sim_id(&old), Forced::Defective)
        .unwrap();
    stage.open("/stores/1").await;
    stage.button("Refresh TSS").await.click().await.unwrap();
    stage
        .wait_for_text("[data-page=store-card] .state-badge[data-readiness]", |t| {
            t.contains("No active TSS")
        })
        .await;
    // What every replica does every 30 s, now.
    let http = tss_proxy::webhooks::client();
    tss_proxy::watch::once(&stage.proxy.operations, &http, jiff::Timestamp::now()).await;
    // (The proxy's own watch may be sending it at this moment.)
    for _ in 0..50 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let deliveries = received.lock().unwrap().clone();
    assert_eq!(deliveries.len(), 1, "one POST for the one alert");
    let (signature, body) = &deliveries[0];
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(signature, &format!("sha256={expected}"));
    let payload: tss_model::WebhookPayload = serde_json::from_slice(body).unwrap();
    assert_eq!(payload.store.number, "S-001");

    let open = stage
        .proxy
        .storage
        .alerts(tss_model::AlertStatus::Open)
        .await
        .unwrap();
    let id = open
        .iter()
        .find(|a| a.kind == tss_model::AlertKind::CannotSign && a.store_number == "S-001")
        .expect("S-001's alert")
        .id;
    let ours = format!("[data-alert='{id}']");
    stage.open("/alerts").await;
    let alert = stage
        .wait_for_text(&ours, |t| t.contains("can no longer sign"))
        .await;
    assert!(alert.contains("No active TSS"), "{alert}");
    stage.screenshot("alerts-open").await;
    stage.click(&format!("{ours} .toolbar button")).await;
    stage.wait_until_gone(&ours).await;
    stage.click("[data-status=acknowledged]").await;
    stage
        .wait_for_text(&format!("{ours} .acknowledged"), |t| t.starts_with("admin"))
        .await;

    // A new TSS for the store (the Replace how-to moves its tills too).
    stage.open("/stores/1").await;
    stage.click_when_enabled("Generate New TSS").await;
    stage
        .wait_for_text(".tss-list .tss-entry .state-badge-label", |t| {
            t == "INITIALIZED"
        })
        .await;
    let new = stage
        .proxy
        .storage
        .tss_ids(Some(1))
        .await
        .unwrap()
        .into_iter()
        .find(|id| *id != old)
        .unwrap();
    stage.open("/report").await;
    let row = format!("[data-report-store=S-001] [data-row='tss:{new}'] [data-changed]");
    stage.element(&row).await;
    let old_row = format!("[data-report-store=S-001] [data-row='tss:{old}']");
    let old_text = stage.element(&old_row).await.text().await.unwrap();
    assert!(!old_text.contains("changed"), "{old_text}");
    stage.screenshot("report-changed").await;
    stage.finish().await;
}
