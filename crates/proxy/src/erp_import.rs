//! Reading an import file from the ERP (its format: `tss_model`'s `import` module): the stores
//! and POS terminals it names, or every problem it has, each with its line and column. Nothing
//! here touches the database; `storage/import.rs` compares and writes.

use std::collections::HashMap;

use tss_model::{
    serial_number_problem, ImportColumn, ImportProblem, ImportReason, StoreInput, IMPORT_MAX_LINES,
};

/// A store as the file has it, with the first line that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    /// Its first line.
    pub line: u64,
    /// Number, name, street, city.
    pub input: StoreInput,
}

/// A POS terminal as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTerminal {
    /// Its line.
    pub line: u64,
    /// The number of its store.
    pub store_number: String,
    /// Its number within the store.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Its device serial number.
    pub serial_number: String,
}

/// What an import file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportFile {
    /// The lines read after the header, empty ones not counted.
    pub lines: u64,
    /// Each store once, in the order of their first lines.
    pub stores: Vec<FileStore>,
    /// Each POS terminal, in file order.
    pub terminals: Vec<FileTerminal>,
    /// Every problem found; with any, nothing is imported.
    pub problems: Vec<ImportProblem>,
}

/// Reads `bytes` as an import file.
pub fn read(bytes: &[u8]) -> ImportFile {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            return with_problem(line, None, ImportReason::NotUtf8);
        }
    };
    let lines = LineNumbers::of(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return with_problem(1, None, ImportReason::NoHeader),
            Some(Err(error)) => {
                let line = lines.of_error(&error);
                return with_problem(line, None, ImportReason::Unreadable);
            }
            Some(Ok(record)) if is_blank(&record) => continue,
            Some(Ok(record)) => break record,
        }
    };
    let columns = match columns_of(&header, lines.of_record(&header)) {
        Ok(columns) => columns,
        Err(problems) => {
            return ImportFile {
                problems,
                ..ImportFile::default()
            }
        }
    };
    let mut file = Lines::new(columns);
    for record in records {
        match record {
            Err(error) => file.problem(lines.of_error(&error), None, ImportReason::Unreadable),
            Ok(record) if is_blank(&record) => {}
            Ok(record) => {
                let line = lines.of_record(&record);
                if file.read.lines as usize >= IMPORT_MAX_LINES {
                    let max = IMPORT_MAX_LINES;
                    file.problem(line, None, ImportReason::TooManyLines { max });
                    break;
                }
                file.add(line, &record);
            }
        }
    }
    file.read
}

/// Whether every field of `record` is empty or spaces.
fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

/// The line numbers of a text, for the records read from it: the csv crate's own count is off
/// after a CRLF and after a blank line.
struct LineNumbers<'a> {
    text: &'a str,
    /// Where each `\n` is.
    breaks: Vec<usize>,
}

impl<'a> LineNumbers<'a> {
    fn of(text: &'a str) -> LineNumbers<'a> {
        let breaks = text.match_indices('\n').map(|(at, _)| at).collect();
        LineNumbers { text, breaks }
    }

    /// The line (from 1) of the first character at or after byte `at` that is not a line break.
    fn at(&self, at: u64) -> u64 {
        let start = self.text.as_bytes()[(at as usize).min(self.text.len())..]
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .map_or(self.text.len(), |skip| at as usize + skip);
        self.breaks.partition_point(|b| *b < start) as u64 + 1
    }

    fn of_record(&self, record: &csv::StringRecord) -> u64 {
        record.position().map_or(0, |p| self.at(p.byte()))
    }

    fn of_error(&self, error: &csv::Error) -> u64 {
        error.position().map_or(0, |p| self.at(p.byte()))
    }
}
/// A file that is only `reason`, at `line` and `column`.
fn with_problem(line: u64, column: Option<ImportColumn>, reason: ImportReason) -> ImportFile {
    ImportFile {
        problems: vec![ImportProblem {
            line,
            column,
            reason,
        }],
        ..ImportFile::default()
    }
}

/// The field separator the header line (the first line that is not blank) uses: `;` (as
/// German spreadsheets write CSV) unless it has more commas.
fn delimiter_of(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    let count = |c| header.matches(c).count();
    if count(',') > count(';') {
        b','
    } else {
        b';'
    }
}

/// Which column each field of the header names (`None` for an empty one, as a spreadsheet
/// leaves after a trailing separator); the problems of a header that lacks a required column,
/// names one twice, or names one the import does not know.
fn columns_of(
    header: &csv::StringRecord,
    line: u64,
) -> Result<Vec<Option<ImportColumn>>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for name in header.iter() {
        if name.trim().is_empty() {
            columns.push(None);
            continue;
        }
        match ImportColumn::parse(name) {
            Some(column) if !columns.contains(&Some(column)) => columns.push(Some(column)),
            _ => problems.push(ImportProblem {
                line,
                column: None,
                reason: ImportReason::UnknownColumn {
                    name: name.trim().to_owned(),
                },
            }),
        }
    }
    let has_terminals = columns.iter().flatten().any(|c| c.of_terminal());
    for column in ImportColumn::ALL {
        if !columns.contains(&Some(column)) && (column.required() || has_terminals) {
            problems.push(ImportProblem {
                line,
                column: Some(column),
                reason: ImportReason::MissingColumn,
            });
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// The lines read so far, and what is known to check the next one against.
struct Lines {
    /// The column of each field (`None`: an unnamed one, which must stay empty).
    columns: Vec<Option<ImportColumn>>,
    read: ImportFile,
    /// Each store number's place in `read.stores`.
    stores: HashMap<String, usize>,
    /// Each terminal's line, by store number and terminal number.
    terminals: HashMap<(String, String), u64>,
}

impl Lines {
    fn new(columns: Vec<Option<ImportColumn>>) -> Lines {
        Lines {
            columns,
            read: ImportFile::default(),
            stores: HashMap::new(),
            terminals: HashMap::new(),
        }
    }

    fn problem(&mut self, line: u64, column: Option<ImportColumn>, reason: ImportReason) {
        self.read.problems.push(ImportProblem {
            line,
            column,
            reason,
        });
    }

    /// Reads `line`: its store, its terminal if it names one.
    fn add(&mut self, line: u64, record: &csv::StringRecord) {
        self.read.lines += 1;
        let unnamed_filled = record.iter().enumerate().any(|(i, field)| {
            self.columns.get(i).is_none_or(Option::is_none) && !field.trim().is_empty()
        });
        let named = self
            .columns
            .iter()
            .rposition(Option::is_some)
            .map_or(0, |i| i + 1);
        if record.len() < named || unnamed_filled {
            let (expected, found) = (self.columns.len(), record.len());
            self.problem(line, None, ImportReason::FieldCount { expected, found });
            return;
        }
        let raw = |column: ImportColumn| -> &str {
            self.columns
                .iter()
                .position(|c| *c == Some(column))
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let values: HashMap<ImportColumn, String> = ImportColumn::ALL
            .into_iter()
            .map(|column| (column, raw(column).to_owned()))
            .collect();
        let before = self.read.problems.len();
        let mut text = |column: ImportColumn| -> String {
            let value = values[&column].trim();
            if values[&column].chars().any(char::is_control) {
                self.problem(line, Some(column), ImportReason::ControlCharacter);
            } else if column == ImportColumn::SerialNumber {
                return values[&column].clone();
            } else if value.is_empty() && column.required() {
                self.problem(line, Some(column), ImportReason::Required);
            } else if let Some(max) = column
                .max_chars()
                .filter(|max| value.chars().count() > *max)
            {
                self.problem(line, Some(column), ImportReason::TooLong { max });
            }
            value.to_owned()
        };
        let store = StoreInput {
            number: text(ImportColumn::StoreNumber),
            name: text(ImportColumn::StoreName),
            street: text(ImportColumn::Street),
            city: text(ImportColumn::City),
        };
        let terminal = [
            ImportColumn::TerminalNumber,
            ImportColumn::TerminalName,
            ImportColumn::SerialNumber,
        ]
        .map(|column| (column, text(column)));
        let filled = terminal
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .count();
        if filled > 0 && filled < terminal.len() {
            for (column, _) in terminal.iter().filter(|(_, v)| v.trim().is_empty()) {
                self.problem(line, Some(*column), ImportReason::TerminalIncomplete);
            }
        }
        let [(_, number), (_, name), (_, serial_number)] = terminal;
        if filled == 3 && !serial_number.chars().any(char::is_control) {
            if let Some(problem) = serial_number_problem(&serial_number) {
                let reason = ImportReason::SerialNumber { problem };
                self.problem(line, Some(ImportColumn::SerialNumber), reason);
            }
        }
        if self.read.problems.len() > before {
            return;
        }
        self.add_store(line, store.clone());
        if filled == 3 {
            self.add_terminal(FileTerminal {
                line,
                store_number: store.number,
                number,
                name,
                serial_number,
            });
        }
    }

    /// A store on `line`: new to the file, or the same as on its first line.
    fn add_store(&mut self, line: u64, input: StoreInput) {
        match self.stores.get(&input.number) {
            Some(&at) if self.read.stores[at].input != input => {
                let first = self.read.stores[at].line;
                self.problem(line, None, ImportReason::StoreDiffers { line: first });
            }
            Some(_) => {}
            None => {
                self.stores
                    .insert(input.number.clone(), self.read.stores.len());
                self.read.stores.push(FileStore { line, input });
            }
        }
    }

    /// A POS terminal, unless the file named it before.
    fn add_terminal(&mut self, terminal: FileTerminal) {
        let key = (terminal.store_number.clone(), terminal.number.clone());
        if let Some(&first) = self.terminals.get(&key) {
            let column = Some(ImportColumn::TerminalNumber);
            let reason = ImportReason::TerminalTwice { line: first };
            self.problem(terminal.line, column, reason);
            return;
        }
        self.terminals.insert(key, terminal.line);
        self.read.terminals.push(terminal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "store_number;store_name;street;city;terminal_number;terminal_name;serial_number\n";

    fn reasons(file: &ImportFile) -> Vec<(u64, Option<ImportColumn>, ImportReason)> {
        file.problems
            .iter()
            .map(|p| (p.line, p.column, p.reason.clone()))
            .collect()
    }

    #[test]
    fn a_file_names_stores_once_and_their_terminals() {
        let text = format!(
            "{HEADER}S-1;Köln Mitte;Hohe Straße 1;Köln;K1;Kasse 1;SN-1\n\
             S-1;Köln Mitte;Hohe Straße 1;Köln;K2;Kasse 2;SN-2\n\
             \n\
             S-2;Bonn;Markt 2;Bonn;;;\n"
        );
        let file = read(text.as_bytes());
        assert_eq!(file.problems, []);
        assert_eq!(file.lines, 3);
        let numbers: Vec<_> = file
            .stores
            .iter()
            .map(|s| s.input.number.as_str())
            .collect();
        assert_eq!(numbers, ["S-1", "S-2"]);
        assert_eq!(file.stores[0].input.street, "Hohe Straße 1");
        assert_eq!(file.terminals.len(), 2);
        assert_eq!(file.terminals[1].line, 3);
        assert_eq!(file.terminals[1].serial_number, "SN-2");
    }

    #[test]
    fn commas_quotes_a_bom_and_german_headers_are_read() {
        let text = "\u{feff}Ort,Filialnummer,Filialname,Straße\r\n\
                    \"Frankfurt, Main\",S-9,\"Zeil \"\"Mitte\"\"\",Zeil 1\r\n";
        let file = read(text.as_bytes());
        assert_eq!(file.problems, []);
        assert_eq!(file.stores[0].input.city, "Frankfurt, Main");
        assert_eq!(file.stores[0].input.name, "Zeil \"Mitte\"");
        assert!(file.terminals.is_empty());
    }

    #[test]
    fn each_bad_field_is_named_by_line_and_column() {
        let long = "x".repeat(101);
        let text = format!(
            "{HEADER}S-1;{long};Weg 1;Köln;K1;Kasse 1;SN_1\n\
             ;Bonn;Markt 2;Bonn;K1;;SN-3\n\
             S-3;Essen;Weg 3;Essen;K1;Kasse 1\n"
        );
        let file = read(text.as_bytes());
        assert_eq!(
            reasons(&file),
            [
                (
                    2,
                    Some(ImportColumn::StoreName),
                    ImportReason::TooLong { max: 100 }
                ),
                (
                    2,
                    Some(ImportColumn::SerialNumber),
                    ImportReason::SerialNumber {
                        problem: tss_model::SerialProblem::SlashOrUnderscore
                    }
                ),
                (3, Some(ImportColumn::StoreNumber), ImportReason::Required),
                (
                    3,
                    Some(ImportColumn::TerminalName),
                    ImportReason::TerminalIncomplete
                ),
                (
                    4,
                    None,
                    ImportReason::FieldCount {
                        expected: 7,
                        found: 6
                    }
                ),
            ]
        );
        assert!(file.stores.is_empty() && file.terminals.is_empty());
    }

    #[test]
    fn lines_are_counted_as_an_editor_counts_them_after_crlf_and_blank_lines() {
        let text = "store_number;store_name;street;city\r\n\
                    S-1;Köln;Weg 1;Köln\r\n\
                    \r\n\
                    \r\n\
                    S-2;;Weg 2;Bonn\r\n\
                    S-3;Essen;Weg 3;\r\n";
        assert_eq!(
            reasons(&read(text.as_bytes())),
            [
                (5, Some(ImportColumn::StoreName), ImportReason::Required),
                (6, Some(ImportColumn::City), ImportReason::Required),
            ]
        );
    }

    #[test]
    fn a_trailing_separator_is_no_column_but_a_control_character_is_refused() {
        let text = "\nstore_number,store_name,street,city,\n\
                    S-1,Köln,Weg 1,Köln,\n\
                    S-2,\"Bonn\nNord\",Weg 2,Bonn,\n\
                    S-3,Essen\0,Weg 3,Essen\n\
                    S-4,Kiel,Weg 4,Kiel,extra\n";
        let file = read(text.as_bytes());
        assert_eq!(
            reasons(&file),
            [
                (
                    4,
                    Some(ImportColumn::StoreName),
                    ImportReason::ControlCharacter
                ),
                (
                    6,
                    Some(ImportColumn::StoreName),
                    ImportReason::ControlCharacter
                ),
                (
                    7,
                    None,
                    ImportReason::FieldCount {
                        expected: 5,
                        found: 5
                    }
                ),
            ]
        );
        assert_eq!(file.stores.len(), 1);
    }

    #[test]
    fn a_store_that_reads_differently_or_a_terminal_named_twice_is_refused() {
        let text = format!(
            "{HEADER}S-1;Köln;Weg 1;Köln;K1;Kasse 1;SN-1\n\
             S-1;Köln;Weg 2;Köln;K2;Kasse 2;SN-2\n\
             S-1;Köln;Weg 1;Köln;K1;Kasse 1b;SN-9\n"
        );
        assert_eq!(
            reasons(&read(text.as_bytes())),
            [
                (3, None, ImportReason::StoreDiffers { line: 2 }),
                (
                    4,
                    Some(ImportColumn::TerminalNumber),
                    ImportReason::TerminalTwice { line: 2 }
                ),
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_or_lacks_columns_says_so() {
        let latin1 = b"store_number;store_name;street;city\nS-1;K\xf6ln;Weg 1;K\xf6ln\n";
        assert_eq!(reasons(&read(latin1)), [(2, None, ImportReason::NotUtf8)]);
        let header = read(b"store_number;name;street;terminal_number\n");
        let missing: Vec<_> = reasons(&header);
        assert!(missing.contains(&(
            1,
            None,
            ImportReason::UnknownColumn {
                name: "name".into()
            }
        )));
        assert!(missing.contains(&(1, Some(ImportColumn::City), ImportReason::MissingColumn)));
        assert!(missing.contains(&(
            1,
            Some(ImportColumn::SerialNumber),
            ImportReason::MissingColumn
        )));
        assert_eq!(reasons(&read(b"")), [(1, None, ImportReason::NoHeader)]);
    }
}
