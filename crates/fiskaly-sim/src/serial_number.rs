//! fiskaly's rule for a client's `serial_number`, the POS device's own serial, as the reference
//! words it: "1–70 characters from `A-Za-z0-9 '()+,-./:=?`, no leading or trailing space, no `/`
//! or `_` (DSFinV-K), unique among the TSS's clients (400 `E_ILLEGAL_CLIENT_SERIAL`)". Uniqueness
//! needs the TSS's other clients and is checked where they are known (`routes/client.rs`).

use crate::error::{FiskalyError, SimResult};

/// The longest serial number: 70 characters.
pub const MAX_CHARS: usize = 70;

/// The punctuation of fiskaly's character class `'()+,-./:=?` (with the space), without the `/`
/// that DSFinV-K forbids. `_` is not in the class to begin with.
const PUNCTUATION: &str = " '()+,-.:=?";

/// Checks `serial` against every part of the rule except uniqueness; 400
/// `E_ILLEGAL_CLIENT_SERIAL` naming the first part it breaks.
pub fn check(serial: &str) -> SimResult<()> {
    let length = serial.chars().count();
    let problem = if length == 0 {
        "is empty; it needs 1 to 70 characters".to_owned()
    } else if length > MAX_CHARS {
        format!("has {length} characters; at most {MAX_CHARS} are allowed")
    } else if serial.starts_with(' ') || serial.ends_with(' ') {
        "starts or ends with a space".to_owned()
    } else if let Some(forbidden) = serial.chars().find(|&c| c == '/' || c == '_') {
        format!("contains {forbidden:?}, which DSFinV-K forbids")
    } else if let Some(other) = serial.chars().find(|&c| !allowed(c)) {
        format!("contains {other:?}; only A-Z, a-z, 0-9 and {PUNCTUATION:?} are allowed")
    } else {
        return Ok(());
    };
    Err(illegal(format!("serial_number {serial:?} {problem}")))
}

/// 400 `E_ILLEGAL_CLIENT_SERIAL` with `message`.
pub fn illegal(message: String) -> FiskalyError {
    FiskalyError::new(400, "E_ILLEGAL_CLIENT_SERIAL", message)
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || PUNCTUATION.contains(c)
}
