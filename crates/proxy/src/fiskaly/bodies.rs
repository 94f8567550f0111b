//! The parts of fiskaly's answers the proxy reads. Counters come as strings or numbers, unknown
//! states are kept, unknown fields are ignored.

use serde::{Deserialize, Deserializer};
use tss_model::{ClientState, TssState};

/// A TSS as fiskaly answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct TssBody {
    /// The TSS ID.
    #[serde(rename = "_id")]
    pub id: String,
    /// Its state.
    pub state: TssState,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The admin PUK, present only while CREATED.
    #[serde(default)]
    pub admin_puk: Option<String>,
    /// `time_creation`.
    #[serde(default)]
    pub time_creation: Option<i64>,
    /// `time_init`.
    #[serde(default)]
    pub time_init: Option<i64>,
    /// `time_disable`.
    #[serde(default)]
    pub time_disable: Option<i64>,
    /// The TSS's serial number (hex).
    #[serde(default)]
    pub serial_number: Option<String>,
    /// The BSI certification ID of fiskaly's cloud TSE.
    #[serde(default)]
    pub bsi_certification_id: Option<String>,
    /// The TSS's X.509 certificate, base64 (see [`super::read_certificate`]).
    #[serde(default)]
    pub certificate: Option<String>,
    /// Signed system logs so far (a string in the spec, a number in some answers).
    #[serde(default, deserialize_with = "counter")]
    pub signature_counter: Option<u64>,
}

/// A client as fiskaly answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct ClientBody {
    /// The client ID.
    #[serde(rename = "_id")]
    pub id: String,
    /// Its state.
    pub state: ClientState,
    /// The POS device's serial number.
    pub serial_number: String,
}

/// `POST /auth`'s answer.
#[derive(Clone, Deserialize)]
pub struct AuthBody {
    /// The bearer token.
    pub access_token: String,
    /// Seconds it is valid.
    pub access_token_expires_in: u64,
    /// The token to get the next one with.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Seconds the refresh token is valid.
    #[serde(default)]
    pub refresh_token_expires_in: Option<u64>,
    /// Who the token is for.
    pub access_token_claims: Claims,
}

impl std::fmt::Debug for AuthBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthBody")
            .field("access_token_expires_in", &self.access_token_expires_in)
            .field("access_token_claims", &self.access_token_claims)
            .finish_non_exhaustive()
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    /// `TEST` or `LIVE`.
    pub env: String,
}

/// A list answer.
#[derive(Debug, Clone, Deserialize)]
pub struct ListBody<T> {
    /// The items of this page.
    pub data: Vec<T>,
}

fn counter<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Counter {
        Number(u64),
        Text(String),
    }
    match Option::<Counter>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Counter::Number(n)) => Ok(Some(n)),
        Some(Counter::Text(text)) => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_read_as_strings_or_numbers_and_unknown_states_are_kept() {
        let text: TssBody = serde_json::from_str(
            r#"{"_id":"a","state":"INITIALIZED","signature_counter":"17","extra":1}"#,
        )
        .unwrap();
        assert_eq!(text.signature_counter, Some(17));
        let number: TssBody =
            serde_json::from_str(r#"{"_id":"a","state":"SUSPENDED","signature_counter":17}"#)
                .unwrap();
        assert_eq!(number.signature_counter, Some(17));
        assert_eq!(number.state, TssState::Unknown("SUSPENDED".into()));
        let absent: TssBody = serde_json::from_str(r#"{"_id":"a","state":"CREATED"}"#).unwrap();
        assert_eq!(absent.signature_counter, None);
    }
}
