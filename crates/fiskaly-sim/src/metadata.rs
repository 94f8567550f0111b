//! fiskaly's metadata: a flat object of at most 40 pairs, keys up to 40 and values up to 500
//! characters; `null` and `""` values are accepted. Updates merge into what is there.

use serde_json::{Map, Value};

use crate::error::{FiskalyError, SimResult};

/// A TSS's or client's metadata.
pub type Metadata = Map<String, Value>;

const MAX_PAIRS: usize = 40;
const MAX_KEY_CHARS: usize = 40;
const MAX_VALUE_CHARS: usize = 500;

/// Checks an incoming metadata object against fiskaly's limits.
pub fn validate(metadata: &Metadata) -> SimResult<()> {
    if metadata.len() > MAX_PAIRS {
        return Err(FiskalyError::schema(format!(
            "metadata may hold at most {MAX_PAIRS} pairs"
        )));
    }
    for (key, value) in metadata {
        if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
            return Err(FiskalyError::schema(format!(
                "metadata key {key:?} must have 1 to {MAX_KEY_CHARS} characters"
            )));
        }
        let fits = match value {
            Value::Null => true,
            Value::String(text) => text.chars().count() <= MAX_VALUE_CHARS,
            Value::Number(_) | Value::Bool(_) => true,
            Value::Array(_) | Value::Object(_) => false,
        };
        if !fits {
            return Err(FiskalyError::schema(format!(
                "metadata value of {key:?} must be a flat value of at most {MAX_VALUE_CHARS} characters"
            )));
        }
    }
    Ok(())
}

/// Merges `update` into `target` and checks that the result still fits the pair limit.
pub fn merge(target: &mut Metadata, update: Option<Metadata>) -> SimResult<()> {
    let Some(update) = update else {
        return Ok(());
    };
    validate(&update)?;
    let mut merged = target.clone();
    merged.extend(update);
    validate(&merged)?;
    *target = merged;
    Ok(())
}
