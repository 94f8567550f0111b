//! The audit log as the API shows it.

use serde::{Deserialize, Serialize};

/// One change made through the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Its position in the log (newest is highest).
    pub id: i64,
    /// When (unix seconds).
    pub at: i64,
    /// Who: the user name of the person who asked for it (`system` for the proxy's own work).
    pub actor: String,
    /// What was done, e.g. `disable_tss`, `create_store`.
    pub action: String,
    /// The store concerned.
    pub store_id: Option<i64>,
    /// The TSS concerned.
    pub tss_id: Option<String>,
    /// The terminal concerned.
    pub terminal_id: Option<i64>,
    /// The user account concerned (adding, removing, a new role or password).
    pub account: Option<String>,
    /// `succeeded` or `failed`.
    pub result: String,
    /// What went wrong, as English detail.
    pub error: Option<String>,
    /// The kind of failure, which the app words in the staff's language.
    #[serde(default)]
    pub error_code: Option<crate::ErrorCode>,
    /// fiskaly's `request-id` of its last answer in this action, for fiskaly's support.
    pub fiskaly_request_id: Option<String>,
}

/// `GET /api/audit?…`: which events to read; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditFilter {
    /// Only this action, e.g. `disable_tss`.
    pub action: Option<String>,
    /// Only events of this store.
    pub store_id: Option<i64>,
    /// Only events of this TSS.
    pub tss_id: Option<String>,
    /// Only events of this terminal.
    pub terminal_id: Option<i64>,
    /// Only `succeeded` or `failed`.
    pub result: Option<String>,
    /// Only what this user did.
    pub actor: Option<String>,
    /// Only events older than this ID: the next page.
    pub before_id: Option<i64>,
    /// At most this many (1–500; 100 when not given).
    pub limit: Option<i64>,
}

impl AuditFilter {
    /// The filter's set fields as query-string pairs (values not yet URL-encoded).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let text = |name, value: &Option<String>| value.clone().map(|v| (name, v));
        let number = |name, value: Option<i64>| value.map(|v| (name, v.to_string()));
        [
            text("action", &self.action),
            number("store_id", self.store_id),
            text("tss_id", &self.tss_id),
            number("terminal_id", self.terminal_id),
            text("result", &self.result),
            text("actor", &self.actor),
            number("before_id", self.before_id),
            number("limit", self.limit),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_set_fields_become_query_pairs() {
        let filter = AuditFilter {
            actor: Some("anna".into()),
            before_id: Some(40),
            ..AuditFilter::default()
        };
        assert_eq!(
            filter.query_pairs(),
            vec![("actor", "anna".to_owned()), ("before_id", "40".to_owned())]
        );
        assert!(AuditFilter::default().query_pairs().is_empty());
    }
}
