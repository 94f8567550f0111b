//! The `cursor` of a paged list: where the next page starts, as the position after the last row
//! of the page before. Opaque to callers (base64url of a small JSON); a cursor that was changed,
//! or that belongs to another list or order, is refused rather than guessed at.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The position after the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "after", rename_all = "snake_case", deny_unknown_fields)]
pub enum Position {
    /// Stores by number: after this store number.
    StoreNumber {
        /// The last store number shown.
        number: String,
    },
    /// Stores by readiness: after this rank and store number.
    StoreReadiness {
        /// The last store's readiness rank.
        rank: i64,
        /// The last store number shown.
        number: String,
    },
    /// Terminals: after this list key and ID.
    Terminal {
        /// The last terminal's list key (store number, terminal number).
        key: String,
        /// The last terminal's ID.
        id: i64,
    },
}

/// A cursor that is not one this proxy gave out for this list.
#[derive(Debug, thiserror::Error)]
#[error("This list position is not valid (it may be from an older link or another list). Start again from the first page.")]
pub struct BadCursor;

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The cursor is not one of this list and order.
    #[error(transparent)]
    BadCursor(#[from] BadCursor),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

impl Position {
    /// The cursor that names this position.
    pub fn cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a position is always JSON"))
    }

    /// The position a cursor names. Its texts may hold no control character but the list key's
    /// separator (a database cannot compare a NUL, and this proxy never wrote one).
    pub fn of(cursor: &str) -> Result<Position, BadCursor> {
        let json = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| BadCursor)?;
        let position: Position = serde_json::from_slice(&json).map_err(|_| BadCursor)?;
        let text = match &position {
            Position::StoreNumber { number } | Position::StoreReadiness { number, .. } => number,
            Position::Terminal { key, .. } => key,
        };
        if text.chars().any(|c| c.is_control() && c != '\u{1f}') {
            return Err(BadCursor);
        }
        Ok(position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_its_position_and_nothing_else() {
        let position = Position::StoreReadiness {
            rank: 1,
            number: "S-012".into(),
        };
        assert_eq!(Position::of(&position.cursor()).unwrap(), position);
        assert!(Position::of("not a cursor").is_err());
        assert!(Position::of(&URL_SAFE_NO_PAD.encode(b"{\"after\":\"nothing\"}")).is_err());
        let extra = br#"{"after":"store_number","number":"1","x":2}"#;
        assert!(Position::of(&URL_SAFE_NO_PAD.encode(extra)).is_err());
        let nul = br#"{"after":"store_number","number":"S-1\u0000"}"#;
        assert!(Position::of(&URL_SAFE_NO_PAD.encode(nul)).is_err());
        let terminal = Position::Terminal {
            key: "S-1\u{1f}K-1".into(),
            id: 4,
        };
        assert_eq!(Position::of(&terminal.cursor()).unwrap(), terminal);
    }
}
