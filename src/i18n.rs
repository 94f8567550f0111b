//! Every word the app shows, in German and English, and the current language.
//!
//! The language comes from a choice the user saved, else the browser's language, else German (the
//! staff in the stores). Components read a text with [`tr`], which follows language switches.

use leptos::prelude::*;
use tss_model::Language;

const STORAGE_KEY: &str = "tss-console.language";

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Locale(RwSignal<Language>);

impl Locale {
    /// The current language (tracked).
    pub fn get(self) -> Language {
        self.0.get()
    }

    /// Switches the language and remembers the choice in the browser.
    pub fn set(self, language: Language) {
        self.0.set(language);
        if let Some(storage) = window().local_storage().ok().flatten() {
            // Not saving only means the choice is not remembered next time.
            let _ = storage.set_item(STORAGE_KEY, language.tag());
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", language.tag());
        }
    }
}

/// Puts the [`Locale`] into context for the whole app and returns it.
pub fn provide_locale() -> Locale {
    let locale = Locale(RwSignal::new(initial_language()));
    provide_context(locale);
    locale
}

/// The [`Locale`] from context, or a fresh one when a component is shown on its own (in tests).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(provide_locale)
}

fn initial_language() -> Language {
    let saved = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    let browser = window().navigator().language();
    saved
        .into_iter()
        .chain(browser)
        .find_map(|tag| Language::from_tag(&tag))
        .unwrap_or_default()
}

/// A text that follows the current language, for use in `view!`.
pub fn tr(text: Text) -> Signal<&'static str> {
    let locale = use_locale();
    Signal::derive(move || text.get(locale.get()))
}

/// Every fixed text of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// The product name in the header.
    AppName,
    /// Navigation to the Store List.
    NavStores,
    /// Navigation to the POS Terminal List.
    NavTerminals,
    /// Navigation to the Fiskaly Setup page.
    NavSettings,
    /// Label of the language switcher.
    LanguageLabel,
    /// Heading of the Store List.
    StoreListTitle,
    /// The Store List with nothing to show.
    StoreListEmpty,
    /// Heading of a store card.
    StoreCardTitle,
    /// Heading of the TSS section of a store card.
    FiskalyTssSetup,
    /// A store card with nothing loaded yet.
    StoreCardEmpty,
    /// Heading of the POS Terminal List.
    TerminalListTitle,
    /// The POS Terminal List with nothing to show.
    TerminalListEmpty,
    /// Heading of a terminal card.
    TerminalCardTitle,
    /// Heading of the client section of a terminal card.
    SignDeV2,
    /// A terminal card with nothing loaded yet.
    TerminalCardEmpty,
    /// Heading of the Fiskaly Setup page.
    FiskalySetupTitle,
    /// The Fiskaly Setup page before its form exists.
    FiskalySetupEmpty,
    /// Heading of the not-found page.
    NotFoundTitle,
    /// Explanation on the not-found page.
    NotFoundText,
    /// Link from the not-found page back to the stores.
    BackToStores,
}

impl Text {
    /// The text in `language`.
    pub fn get(self, language: Language) -> &'static str {
        let (de, en) = match self {
            Text::AppName => ("TSS-Konsole", "TSS Console"),
            Text::NavStores => ("Filialen", "Stores"),
            Text::NavTerminals => ("Kassen", "POS Terminals"),
            Text::NavSettings => ("Fiskaly-Einrichtung", "Fiskaly Setup"),
            Text::LanguageLabel => ("Sprache", "Language"),
            Text::StoreListTitle => ("Filialliste", "Store List"),
            Text::StoreListEmpty => ("Noch keine Filialen vorhanden.", "No stores yet."),
            Text::StoreCardTitle => ("Filiale", "Store"),
            Text::FiskalyTssSetup => ("Fiskaly-TSS-Einrichtung", "Fiskaly TSS Setup"),
            Text::StoreCardEmpty => (
                "Für diese Filiale sind noch keine TSS vorhanden.",
                "This store has no TSS yet.",
            ),
            Text::TerminalListTitle => ("Kassenliste", "POS Terminal List"),
            Text::TerminalListEmpty => ("Noch keine Kassen vorhanden.", "No POS terminals yet."),
            Text::TerminalCardTitle => ("Kasse", "POS Terminal"),
            Text::SignDeV2 => ("Sign DE V2", "Sign DE V2"),
            Text::TerminalCardEmpty => (
                "Für diese Kasse ist noch keine Client-ID vorhanden.",
                "This POS terminal has no client ID yet.",
            ),
            Text::FiskalySetupTitle => ("Fiskaly-Einrichtung", "Fiskaly Setup"),
            Text::FiskalySetupEmpty => (
                "Die Verbindungsdaten zu fiskaly sind noch nicht eingerichtet.",
                "The connection to fiskaly is not set up yet.",
            ),
            Text::NotFoundTitle => ("Seite nicht gefunden", "Page not found"),
            Text::NotFoundText => (
                "Diese Adresse gibt es in der TSS-Konsole nicht.",
                "There is no such page in the TSS Console.",
            ),
            Text::BackToStores => ("Zur Filialliste", "Go to the Store List"),
        };
        match language {
            Language::De => de,
            Language::En => en,
        }
    }
}
