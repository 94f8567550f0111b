//! What a state means for a store, in the words staff read, in German and English.

use crate::Language;

/// One state's meaning in both languages.
pub(crate) struct Meaning {
    /// German, for store staff.
    pub de: &'static str,
    /// English, for head office.
    pub en: &'static str,
}

impl Meaning {
    /// The meaning in `language`.
    pub fn get(&self, language: Language) -> &'static str {
        match language {
            Language::De => self.de,
            Language::En => self.en,
        }
    }
}
