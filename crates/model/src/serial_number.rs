//! fiskaly's rules for a POS device's serial number, checked as staff type and again by the proxy.

use serde::{Deserialize, Serialize};

use crate::Language;

/// Why a serial number is not accepted by fiskaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerialProblem {
    /// Empty.
    Empty,
    /// More than 70 characters.
    TooLong,
    /// Starts or ends with a space.
    OuterSpace,
    /// Holds `/` or `_`, which DSFinV-K forbids.
    SlashOrUnderscore,
    /// Holds a character outside `A-Z a-z 0-9 space ' ( ) + , - . : = ?`.
    OtherCharacter,
}

impl SerialProblem {
    /// The reason in words for staff.
    pub fn message(self, language: Language) -> &'static str {
        match (self, language) {
            (SerialProblem::Empty, Language::En) => "Enter the device serial number.",
            (SerialProblem::Empty, Language::De) => "Bitte die Seriennummer des Geräts eingeben.",
            (SerialProblem::TooLong, Language::En) => "At most 70 characters.",
            (SerialProblem::TooLong, Language::De) => "Höchstens 70 Zeichen.",
            (SerialProblem::OuterSpace, Language::En) => "No space at the start or the end.",
            (SerialProblem::OuterSpace, Language::De) => "Kein Leerzeichen am Anfang oder Ende.",
            (SerialProblem::SlashOrUnderscore, Language::En) => "No / or _ (DSFinV-K).",
            (SerialProblem::SlashOrUnderscore, Language::De) => "Kein / oder _ (DSFinV-K).",
            (SerialProblem::OtherCharacter, Language::En) => {
                "Only letters A–Z, digits and space ' ( ) + , - . : = ?"
            }
            (SerialProblem::OtherCharacter, Language::De) => {
                "Nur Buchstaben A–Z, Ziffern und Leerzeichen ' ( ) + , - . : = ?"
            }
        }
    }
}

/// The first problem fiskaly would have with `serial`, or `None` when it is accepted.
pub fn serial_number_problem(serial: &str) -> Option<SerialProblem> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " '()+,-.:=?".contains(c);
    if serial.is_empty() {
        Some(SerialProblem::Empty)
    } else if serial.chars().count() > 70 {
        Some(SerialProblem::TooLong)
    } else if serial.starts_with(' ') || serial.ends_with(' ') {
        Some(SerialProblem::OuterSpace)
    } else if serial.contains(['/', '_']) {
        Some(SerialProblem::SlashOrUnderscore)
    } else if !serial.chars().all(allowed) {
        Some(SerialProblem::OtherCharacter)
    } else {
        None
    }
}

/// A TSS description fiskaly accepts (`^[A-Za-z0-9 '()+,-./:=?]{0,100}$`) made from free text:
/// German letters are spelt out (ä → ae, ß → ss), anything else becomes a space.
pub fn tss_description(text: &str) -> String {
    let mut description = String::new();
    for c in text.chars() {
        match c {
            'ä' => description.push_str("ae"),
            'ö' => description.push_str("oe"),
            'ü' => description.push_str("ue"),
            'Ä' => description.push_str("Ae"),
            'Ö' => description.push_str("Oe"),
            'Ü' => description.push_str("Ue"),
            'ß' => description.push_str("ss"),
            c if c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c) => description.push(c),
            _ => description.push(' '),
        }
    }
    description.chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_follow_fiskalys_rules() {
        assert_eq!(serial_number_problem("KASSE-01"), None);
        assert_eq!(serial_number_problem("POS 7 (Filiale 12)"), None);
        assert_eq!(serial_number_problem(&"9".repeat(70)), None);
        assert_eq!(serial_number_problem(""), Some(SerialProblem::Empty));
        assert_eq!(
            serial_number_problem(&"9".repeat(71)),
            Some(SerialProblem::TooLong)
        );
        assert_eq!(
            serial_number_problem(" K1"),
            Some(SerialProblem::OuterSpace)
        );
        assert_eq!(
            serial_number_problem("K1 "),
            Some(SerialProblem::OuterSpace)
        );
        assert_eq!(
            serial_number_problem("K/1"),
            Some(SerialProblem::SlashOrUnderscore)
        );
        assert_eq!(
            serial_number_problem("K_1"),
            Some(SerialProblem::SlashOrUnderscore)
        );
        assert_eq!(
            serial_number_problem("Kässe"),
            Some(SerialProblem::OtherCharacter)
        );
    }

    #[test]
    fn every_problem_has_a_message_in_both_languages() {
        for problem in [
            SerialProblem::Empty,
            SerialProblem::TooLong,
            SerialProblem::OuterSpace,
            SerialProblem::SlashOrUnderscore,
            SerialProblem::OtherCharacter,
        ] {
            assert_ne!(problem.message(Language::De), problem.message(Language::En));
        }
    }

    #[test]
    fn descriptions_fit_fiskalys_pattern() {
        assert_eq!(
            tss_description("S-012 Köln Hauptstraße"),
            "S-012 Koeln Hauptstrasse"
        );
        assert_eq!(tss_description("Filiale #3 & Co"), "Filiale  3   Co");
        let long = tss_description(&"x".repeat(150));
        assert_eq!(long.len(), 100);
        let allowed = |c: char| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c);
        assert!(tss_description("Ünïcödé ✓ — ok").chars().all(allowed));
    }
}
