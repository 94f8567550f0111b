//! Search without regard to case or umlauts: the text a row is found by and the words searched
//! for are folded the same way, so that "koln" and "Koeln" find Köln and "strasse" Straße.
//!
//! A row's text is kept twice: folded ([`fold`]: lower case, accents dropped, ß as ss) and, where
//! that differs, also with the German spellings without umlauts (ae, oe, ue) as their vowel
//! ([`without_digraphs`]). A word searched for matches either: "koeln" without its digraph
//! finds the second form of "Köln", while "e2" still finds the serial number "SN-1AE2" in the
//! first.

/// `text` in lower case, with accents dropped (ä → a, é → e) and ß as ss.
pub fn fold(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => plain.push_str("ss"),
            c => plain.push(without_accent(c)),
        }
    }
    plain
}

/// Folded `text` with the German spellings without umlauts (ae, oe, ue) as their vowel, so that
/// "koeln" and "koln" read alike.
pub fn without_digraphs(folded: &str) -> String {
    folded
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u")
}

/// The letter `c` without its accent; other characters as they are.
fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        c => c,
    }
}

/// Between a row's two forms of its text: no word holds it.
const FORMS_SEPARATOR: &str = " | ";

/// The text a row is found by: its searchable fields folded, one space apart, and again without
/// German digraphs where that differs.
pub fn searchable<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let folded = fields.into_iter().map(fold).collect::<Vec<_>>().join(" ");
    let plain = without_digraphs(&folded);
    if plain == folded {
        folded
    } else {
        format!("{folded}{FORMS_SEPARATOR}{plain}")
    }
}

/// The most words a search takes; more are ignored (a pasted paragraph stays cheap).
const MAX_WORDS: usize = 6;

/// How many characters a trigram index needs to find a word.
const TRIGRAM: usize = 3;

/// One word of a search: folded, and without German digraphs where that differs; a row matches
/// when its text holds either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(Vec<String>);

/// The words of `query`.
pub fn words(query: &str) -> Vec<Word> {
    query
        .split_whitespace()
        .take(MAX_WORDS)
        .map(|word| {
            let folded = fold(word);
            let plain = without_digraphs(&folded);
            Word(if plain == folded {
                vec![folded]
            } else {
                vec![folded, plain]
            })
        })
        .collect()
}

impl Word {
    /// The forms of the word a row's text may hold.
    pub fn forms(&self) -> &[String] {
        &self.0
    }

    /// The `LIKE` patterns (escaped with `\`), one per form, that find the word anywhere.
    pub fn like_patterns(&self) -> Vec<String> {
        self.0.iter().map(|form| like_pattern(form)).collect()
    }

    /// The FTS5 query that finds any form of the word anywhere through a trigram index; `None`
    /// when a form is shorter than a trigram (the index cannot find it).
    pub fn trigram_query(&self) -> Option<String> {
        let phrases: Option<Vec<String>> = self
            .0
            .iter()
            .map(|form| {
                (form.chars().count() >= TRIGRAM)
                    .then(|| format!("\"{}\"", form.replace('"', "\"\"")))
            })
            .collect();
        phrases.map(|phrases| phrases.join(" OR "))
    }
}

/// The `LIKE` pattern (escaped with `\`) that finds `form` anywhere in a text.
fn like_pattern(form: &str) -> String {
    let mut pattern = String::from("%");
    for c in form.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The trigrams of `form`: what a trigram index holds of it.
pub fn trigrams(form: &str) -> Vec<String> {
    let chars: Vec<char> = form.chars().collect();
    chars.windows(TRIGRAM).map(|w| w.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `query` finds a row with `fields`, as `LIKE` would.
    fn finds(query: &str, fields: &[&str]) -> bool {
        let text = searchable(fields.iter().copied());
        words(query)
            .iter()
            .all(|word| word.forms().iter().any(|form| text.contains(form.as_str())))
    }

    #[test]
    fn umlauts_and_their_spellings_find_each_other() {
        assert!(finds("koln", &["Köln"]));
        assert!(finds("Koeln", &["Köln"]));
        assert!(finds("KÖLN", &["Koeln"]));
        assert!(finds("koln", &["Koeln"]));
        assert!(finds("strasse", &["Hauptstraße"]));
        assert!(finds("Muehlheim ruhr", &["Mühlheim an der Ruhr"]));
        assert!(finds("metro", &["Café Métro"]));
        assert!(!finds("bonn", &["Köln"]));
    }

    #[test]
    fn any_part_of_a_word_is_found_even_across_a_digraph() {
        assert!(finds("e2", &["SN-1AE2"]));
        assert!(finds("ae2", &["SN-1AE2"]));
        assert!(finds("erwache", &["Feuerwache"]));
        assert!(finds("el", &["Michael"]));
    }

    #[test]
    fn each_word_becomes_escaped_patterns_and_a_quoted_query() {
        assert_eq!(words("  Köln  S-01 ")[0].like_patterns(), ["%koln%"]);
        assert_eq!(words("koeln")[0].like_patterns(), ["%koeln%", "%koln%"]);
        assert_eq!(words("100%_")[0].like_patterns(), ["%100\\%\\_%"]);
        assert!(words("   ").is_empty());
        assert_eq!(words("a b c d e f g h").len(), MAX_WORDS);
        assert_eq!(words("Köln")[0].trigram_query().unwrap(), "\"koln\"");
        assert_eq!(
            words("Koeln")[0].trigram_query().unwrap(),
            "\"koeln\" OR \"koln\""
        );
        assert_eq!(words("a\"bc")[0].trigram_query().unwrap(), "\"a\"\"bc\"");
        assert_eq!(
            words("kö")[0].trigram_query(),
            None,
            "too short for a trigram"
        );
        assert_eq!(words("oel")[0].trigram_query(), None, "ol is too short");
        assert_eq!(trigrams("koln"), ["kol", "oln"]);
        assert!(trigrams("ko").is_empty());
    }

    #[test]
    fn the_searchable_text_holds_every_field_in_both_forms() {
        assert_eq!(
            searchable(["S-012", "Filiale Domplatz", "Köln"]),
            "s-012 filiale domplatz koln"
        );
        assert_eq!(searchable(["Koeln"]), "koeln | koln");
    }
}
