//! Import from the ERP: a CSV file of stores and POS terminals, its columns, and what a preview
//! or an import of it answers (`POST /api/import/preview`, `POST /api/import`).
//!
//! The file is UTF-8 (a byte order mark is allowed), its first line names the columns (in any
//! order, in English or German, case and outer spaces ignored), fields are separated by `;` or
//! `,` (whichever the header uses) and may be quoted with `"`. Each line names a store; a line
//! that also fills the three terminal columns names one of its POS terminals (store number and
//! terminal number identify it). A store on several lines must read the same on each.

use serde::{Deserialize, Serialize};

use crate::{Language, SerialProblem};

/// The most characters of a store number (as the forms take it).
pub const STORE_NUMBER_MAX: usize = 20;
/// The most characters of a store's or terminal's name.
pub const NAME_MAX: usize = 100;
/// The most characters of a street.
pub const STREET_MAX: usize = 100;
/// The most characters of a city.
pub const CITY_MAX: usize = 60;
/// The most characters of a terminal number.
pub const TERMINAL_NUMBER_MAX: usize = 20;
/// The most lines an import file may have.
pub const IMPORT_MAX_LINES: usize = 100_000;

/// A column of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportColumn {
    /// The store's number (required).
    StoreNumber,
    /// The store's name (required).
    StoreName,
    /// Street and house number (required).
    Street,
    /// City (required).
    City,
    /// The POS terminal's number within its store.
    TerminalNumber,
    /// The POS terminal's name.
    TerminalName,
    /// The POS terminal's device serial number.
    SerialNumber,
}

impl ImportColumn {
    /// Every column, in the order the documented example file has them.
    pub const ALL: [ImportColumn; 7] = [
        ImportColumn::StoreNumber,
        ImportColumn::StoreName,
        ImportColumn::Street,
        ImportColumn::City,
        ImportColumn::TerminalNumber,
        ImportColumn::TerminalName,
        ImportColumn::SerialNumber,
    ];

    /// Its English header, e.g. `store_number`.
    pub fn header(self) -> &'static str {
        match self {
            ImportColumn::StoreNumber => "store_number",
            ImportColumn::StoreName => "store_name",
            ImportColumn::Street => "street",
            ImportColumn::City => "city",
            ImportColumn::TerminalNumber => "terminal_number",
            ImportColumn::TerminalName => "terminal_name",
            ImportColumn::SerialNumber => "serial_number",
        }
    }

    /// Its German header, e.g. `Filialnummer`.
    pub fn german_header(self) -> &'static str {
        match self {
            ImportColumn::StoreNumber => "Filialnummer",
            ImportColumn::StoreName => "Filialname",
            ImportColumn::Street => "Straße",
            ImportColumn::City => "Ort",
            ImportColumn::TerminalNumber => "Kassennummer",
            ImportColumn::TerminalName => "Kassenname",
            ImportColumn::SerialNumber => "Seriennummer",
        }
    }

    /// The column a header names, in either language, whatever its case and outer spaces.
    pub fn parse(header: &str) -> Option<ImportColumn> {
        let header = header.trim();
        ImportColumn::ALL.into_iter().find(|column| {
            header.eq_ignore_ascii_case(column.header())
                || header.to_lowercase() == column.german_header().to_lowercase()
        })
    }

    /// Whether every line must fill it (the store's columns).
    pub fn required(self) -> bool {
        !self.of_terminal()
    }

    /// Whether it describes the POS terminal (filled all three, or none).
    pub fn of_terminal(self) -> bool {
        matches!(
            self,
            ImportColumn::TerminalNumber | ImportColumn::TerminalName | ImportColumn::SerialNumber
        )
    }

    /// The most characters it takes; the serial number follows its own rules instead.
    pub fn max_chars(self) -> Option<usize> {
        match self {
            ImportColumn::StoreNumber => Some(STORE_NUMBER_MAX),
            ImportColumn::StoreName | ImportColumn::TerminalName => Some(NAME_MAX),
            ImportColumn::Street => Some(STREET_MAX),
            ImportColumn::City => Some(CITY_MAX),
            ImportColumn::TerminalNumber => Some(TERMINAL_NUMBER_MAX),
            ImportColumn::SerialNumber => None,
        }
    }
}

/// Why a line (or the file) cannot be imported. On the wire a flat object,
/// `{"kind": "too_long", "max": 100}` (read through [`ReasonWire`]: a data-carrying enum's own
/// serde code would cost the SPA several KB of wasm to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReasonWire", into = "ReasonWire")]
pub enum ImportReason {
    /// The file is not UTF-8 (from this line on).
    NotUtf8,
    /// The line cannot be read as CSV (e.g. a quote left open).
    Unreadable,
    /// The file has no header line.
    NoHeader,
    /// The header lacks this column.
    MissingColumn,
    /// The header names a column the import does not know.
    UnknownColumn {
        /// The header as written.
        name: String,
    },
    /// The line has another number of fields than the header.
    FieldCount {
        /// The header's number of columns.
        expected: usize,
        /// The line's.
        found: usize,
    },
    /// The field is empty, but required.
    Required,
    /// The field is longer than the console takes.
    TooLong {
        /// The most characters it takes.
        max: usize,
    },
    /// The field holds a control character (a NUL, a line break inside quotes, …), which no
    /// field of the console takes.
    ControlCharacter,
    /// A serial number fiskaly would refuse.
    SerialNumber {
        /// The rule it breaks.
        problem: SerialProblem,
    },
    /// Some of the terminal's columns are filled, this one is not.
    TerminalIncomplete,
    /// The store reads differently on an earlier line.
    StoreDiffers {
        /// That line.
        line: u64,
    },
    /// The same POS terminal (store and terminal number) is on an earlier line too.
    TerminalTwice {
        /// That line.
        line: u64,
    },
    /// The file has more lines than one import takes.
    TooManyLines {
        /// The most lines.
        max: usize,
    },
}

/// Which reason, on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReasonKind {
    NotUtf8,
    Unreadable,
    NoHeader,
    MissingColumn,
    UnknownColumn,
    FieldCount,
    Required,
    TooLong,
    ControlCharacter,
    SerialNumber,
    TerminalIncomplete,
    StoreDiffers,
    TerminalTwice,
    TooManyLines,
}

/// An [`ImportReason`] as it travels: its kind and the values that kind names.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ReasonWire {
    kind: ReasonKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    found: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    problem: Option<SerialProblem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

impl TryFrom<ReasonWire> for ImportReason {
    type Error = &'static str;

    fn try_from(wire: ReasonWire) -> Result<ImportReason, Self::Error> {
        use ImportReason::*;
        let missing = "the reason lacks a value its kind names";
        Ok(match wire.kind {
            ReasonKind::NotUtf8 => NotUtf8,
            ReasonKind::Unreadable => Unreadable,
            ReasonKind::NoHeader => NoHeader,
            ReasonKind::MissingColumn => MissingColumn,
            ReasonKind::UnknownColumn => UnknownColumn {
                name: wire.name.ok_or(missing)?,
            },
            ReasonKind::FieldCount => FieldCount {
                expected: wire.expected.ok_or(missing)?,
                found: wire.found.ok_or(missing)?,
            },
            ReasonKind::Required => Required,
            ReasonKind::TooLong => TooLong {
                max: wire.max.ok_or(missing)?,
            },
            ReasonKind::ControlCharacter => ControlCharacter,
            ReasonKind::SerialNumber => SerialNumber {
                problem: wire.problem.ok_or(missing)?,
            },
            ReasonKind::TerminalIncomplete => TerminalIncomplete,
            ReasonKind::StoreDiffers => StoreDiffers {
                line: wire.line.ok_or(missing)?,
            },
            ReasonKind::TerminalTwice => TerminalTwice {
                line: wire.line.ok_or(missing)?,
            },
            ReasonKind::TooManyLines => TooManyLines {
                max: wire.max.ok_or(missing)?,
            },
        })
    }
}

impl From<ImportReason> for ReasonWire {
    fn from(reason: ImportReason) -> ReasonWire {
        let mut wire = ReasonWire {
            kind: ReasonKind::NotUtf8,
            name: None,
            expected: None,
            found: None,
            max: None,
            problem: None,
            line: None,
        };
        wire.kind = match reason {
            ImportReason::NotUtf8 => ReasonKind::NotUtf8,
            ImportReason::Unreadable => ReasonKind::Unreadable,
            ImportReason::NoHeader => ReasonKind::NoHeader,
            ImportReason::MissingColumn => ReasonKind::MissingColumn,
            ImportReason::UnknownColumn { name } => {
                wire.name = Some(name);
                ReasonKind::UnknownColumn
            }
            ImportReason::FieldCount { expected, found } => {
                (wire.expected, wire.found) = (Some(expected), Some(found));
                ReasonKind::FieldCount
            }
            ImportReason::Required => ReasonKind::Required,
            ImportReason::TooLong { max } => {
                wire.max = Some(max);
                ReasonKind::TooLong
            }
            ImportReason::ControlCharacter => ReasonKind::ControlCharacter,
            ImportReason::SerialNumber { problem } => {
                wire.problem = Some(problem);
                ReasonKind::SerialNumber
            }
            ImportReason::TerminalIncomplete => ReasonKind::TerminalIncomplete,
            ImportReason::StoreDiffers { line } => {
                wire.line = Some(line);
                ReasonKind::StoreDiffers
            }
            ImportReason::TerminalTwice { line } => {
                wire.line = Some(line);
                ReasonKind::TerminalTwice
            }
            ImportReason::TooManyLines { max } => {
                wire.max = Some(max);
                ReasonKind::TooManyLines
            }
        };
        wire
    }
}

/// One problem of an import file: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The line in the file, from 1 (the header).
    pub line: u64,
    /// The column, when the problem is one field's.
    pub column: Option<ImportColumn>,
    /// What is wrong.
    pub reason: ImportReason,
}

impl ImportProblem {
    /// The problem in words for staff: "Zeile 3, Seriennummer: Kein / oder _ (DSFinV-K)."
    pub fn message(&self, language: Language) -> String {
        let column = self.column.map(|c| match language {
            Language::De => c.german_header(),
            Language::En => c.header(),
        });
        let place = match (language, column) {
            (Language::De, Some(column)) => format!("Zeile {}, {column}", self.line),
            (Language::De, None) => format!("Zeile {}", self.line),
            (Language::En, Some(column)) => format!("Line {}, {column}", self.line),
            (Language::En, None) => format!("Line {}", self.line),
        };
        format!("{place}: {}", self.reason_text(language))
    }

    fn reason_text(&self, language: Language) -> String {
        use ImportReason::*;
        let de = language == Language::De;
        match &self.reason {
            NotUtf8 if de => "Die Datei ist nicht UTF-8. Bitte als „CSV UTF-8“ speichern.".into(),
            NotUtf8 => "The file is not UTF-8. Save it as \"CSV UTF-8\".".into(),
            Unreadable if de => "Die Zeile ist kein gültiges CSV (Anführungszeichen?).".into(),
            Unreadable => "The line is not valid CSV (a quote left open?).".into(),
            NoHeader if de => "Die Datei hat keine Kopfzeile mit den Spaltennamen.".into(),
            NoHeader => "The file has no header line naming the columns.".into(),
            MissingColumn if de => "Diese Spalte fehlt in der Kopfzeile.".into(),
            MissingColumn => "The header lacks this column.".into(),
            UnknownColumn { name } if de => format!("Unbekannte Spalte „{name}“."),
            UnknownColumn { name } => format!("Unknown column \"{name}\"."),
            FieldCount { expected, found } if de => {
                format!("{found} Felder statt {expected} wie in der Kopfzeile.")
            }
            FieldCount { expected, found } => {
                format!("{found} fields instead of {expected} as in the header.")
            }
            Required if de => "Darf nicht leer sein.".into(),
            Required => "Must not be empty.".into(),
            TooLong { max } if de => format!("Höchstens {max} Zeichen."),
            TooLong { max } => format!("At most {max} characters."),
            ControlCharacter if de => {
                "Enthält ein Steuerzeichen (z. B. einen Zeilenumbruch).".into()
            }
            ControlCharacter => "Holds a control character (a line break, say).".into(),
            SerialNumber { problem } => problem.message(language).into(),
            TerminalIncomplete if de => {
                "Kassennummer, Kassenname und Seriennummer: alle drei oder keins.".into()
            }
            TerminalIncomplete => {
                "Terminal number, name and serial number: all three or none.".into()
            }
            StoreDiffers { line } if de => {
                format!("Die Filiale steht in Zeile {line} mit anderen Angaben.")
            }
            StoreDiffers { line } => format!("The store reads differently on line {line}."),
            TerminalTwice { line } if de => format!("Diese Kasse steht schon in Zeile {line}."),
            TerminalTwice { line } => format!("This POS terminal is on line {line} already."),
            TooManyLines { max } if de => format!("Höchstens {max} Zeilen je Import."),
            TooManyLines { max } => format!("At most {max} lines per import."),
        }
    }
}

/// How many records of one kind an import adds, changes, or finds as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Not in the console yet.
    pub new: u64,
    /// In the console, with other values.
    pub changed: u64,
    /// In the console as the file has them.
    pub unchanged: u64,
}

/// What a preview or an import of a file found, and whether it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The lines read after the header (empty ones not counted).
    pub lines: u64,
    /// The stores the file names.
    pub stores: ImportCounts,
    /// The POS terminals the file names.
    pub terminals: ImportCounts,
    /// Every problem found; the file is imported only when there is none.
    pub problems: Vec<ImportProblem>,
    /// Whether the file was written (an import without problems; never a preview).
    pub applied: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_read_in_either_language_whatever_its_case() {
        assert_eq!(
            ImportColumn::parse(" Store_Number "),
            Some(ImportColumn::StoreNumber)
        );
        assert_eq!(ImportColumn::parse("STRASSE"), None);
        assert_eq!(ImportColumn::parse("straße"), Some(ImportColumn::Street));
        assert_eq!(
            ImportColumn::parse("Seriennummer"),
            Some(ImportColumn::SerialNumber)
        );
        assert_eq!(ImportColumn::parse("Bemerkung"), None);
    }

    #[test]
    fn a_problem_names_its_line_and_column_in_the_staffs_language() {
        let problem = ImportProblem {
            line: 3,
            column: Some(ImportColumn::SerialNumber),
            reason: ImportReason::SerialNumber {
                problem: SerialProblem::SlashOrUnderscore,
            },
        };
        assert_eq!(
            problem.message(Language::De),
            "Zeile 3, Seriennummer: Kein / oder _ (DSFinV-K)."
        );
        assert_eq!(
            problem.message(Language::En),
            "Line 3, serial_number: No / or _ (DSFinV-K)."
        );
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(
            json["reason"],
            serde_json::json!({"kind": "serial_number", "problem": "slash_or_underscore"})
        );
        assert_eq!(
            serde_json::from_value::<ImportProblem>(json).unwrap(),
            problem
        );
        let refused =
            serde_json::json!({"line": 2, "column": null, "reason": {"kind": "too_long"}});
        assert!(
            serde_json::from_value::<ImportProblem>(refused).is_err(),
            "a reason without the value its kind names"
        );
    }
}
