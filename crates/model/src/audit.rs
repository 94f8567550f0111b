//! The audit log as the API shows it.

use serde::{Deserialize, Serialize};

use crate::OperationKind;

/// What a change recorded in the audit log was: one name for the proxy that records it, the
/// API that filters by it and the page that words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Generate New TSS.
    GenerateTss,
    /// Initial TSS.
    InitializeTss,
    /// Disable TSS.
    DisableTss,
    /// Replace TSS: a new TSS for a broken or ending one, with its terminals moved.
    ReplaceTss,
    /// Generate Client ID.
    GenerateClient,
    /// Generate Client IDs for every POS terminal of a store that cannot sign.
    GenerateClients,
    /// Deregister client.
    DeregisterClient,
    /// Refresh TSS, of one store or of all.
    RefreshTss,
    /// A new store.
    CreateStore,
    /// A store's details changed.
    UpdateStore,
    /// A new POS terminal.
    CreateTerminal,
    /// A POS terminal's details changed.
    UpdateTerminal,
    /// Stores and POS terminals imported from the ERP.
    ImportStores,
    /// New fiskaly connection settings.
    SaveFiskalySettings,
    /// A test of the fiskaly connection.
    TestFiskalyConnection,
    /// A new schedule for the nightly refresh.
    SaveRefreshSchedule,
    /// An alert acknowledged.
    AcknowledgeAlert,
    /// A new webhook.
    AddWebhook,
    /// A webhook's address, kinds or switch changed.
    ChangeWebhook,
    /// A webhook removed.
    RemoveWebhook,
    /// The organisation's name and tax number saved.
    SaveOrganisation,
    /// The tax-office report marked as submitted.
    SubmitReport,
    /// A new user account.
    AddUser,
    /// A user's new password.
    ResetPassword,
    /// A user's new role.
    ChangeRole,
    /// A user account removed.
    RemoveUser,
    /// A login, or a refused one.
    Login,
    /// A logout.
    Logout,
}

impl AuditAction {
    /// Every action, in the order the Audit Log's filter lists them.
    pub const ALL: [AuditAction; 28] = [
        AuditAction::GenerateTss,
        AuditAction::InitializeTss,
        AuditAction::RefreshTss,
        AuditAction::DisableTss,
        AuditAction::ReplaceTss,
        AuditAction::GenerateClient,
        AuditAction::GenerateClients,
        AuditAction::DeregisterClient,
        AuditAction::CreateStore,
        AuditAction::UpdateStore,
        AuditAction::CreateTerminal,
        AuditAction::UpdateTerminal,
        AuditAction::ImportStores,
        AuditAction::SaveFiskalySettings,
        AuditAction::TestFiskalyConnection,
        AuditAction::SaveRefreshSchedule,
        AuditAction::AcknowledgeAlert,
        AuditAction::AddWebhook,
        AuditAction::ChangeWebhook,
        AuditAction::RemoveWebhook,
        AuditAction::SaveOrganisation,
        AuditAction::SubmitReport,
        AuditAction::Login,
        AuditAction::Logout,
        AuditAction::AddUser,
        AuditAction::ResetPassword,
        AuditAction::ChangeRole,
        AuditAction::RemoveUser,
    ];

    /// The name the API and the database use, e.g. `disable_tss`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::GenerateTss => "generate_tss",
            AuditAction::InitializeTss => "initialize_tss",
            AuditAction::DisableTss => "disable_tss",
            AuditAction::ReplaceTss => "replace_tss",
            AuditAction::GenerateClient => "generate_client",
            AuditAction::GenerateClients => "generate_clients",
            AuditAction::DeregisterClient => "deregister_client",
            AuditAction::RefreshTss => "refresh_tss",
            AuditAction::CreateStore => "create_store",
            AuditAction::UpdateStore => "update_store",
            AuditAction::CreateTerminal => "create_terminal",
            AuditAction::UpdateTerminal => "update_terminal",
            AuditAction::ImportStores => "import_stores",
            AuditAction::SaveFiskalySettings => "save_fiskaly_settings",
            AuditAction::TestFiskalyConnection => "test_fiskaly_connection",
            AuditAction::SaveRefreshSchedule => "save_refresh_schedule",
            AuditAction::AcknowledgeAlert => "acknowledge_alert",
            AuditAction::AddWebhook => "add_webhook",
            AuditAction::ChangeWebhook => "change_webhook",
            AuditAction::RemoveWebhook => "remove_webhook",
            AuditAction::SaveOrganisation => "save_organisation",
            AuditAction::SubmitReport => "submit_report",
            AuditAction::AddUser => "add_user",
            AuditAction::ResetPassword => "reset_password",
            AuditAction::ChangeRole => "change_role",
            AuditAction::RemoveUser => "remove_user",
            AuditAction::Login => "login",
            AuditAction::Logout => "logout",
        }
    }

    /// The action named `name`, if there is one.
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl From<OperationKind> for AuditAction {
    fn from(kind: OperationKind) -> AuditAction {
        match kind {
            OperationKind::GenerateTss => AuditAction::GenerateTss,
            OperationKind::InitializeTss => AuditAction::InitializeTss,
            OperationKind::DisableTss => AuditAction::DisableTss,
            OperationKind::GenerateClient => AuditAction::GenerateClient,
            OperationKind::DeregisterClient => AuditAction::DeregisterClient,
            OperationKind::RefreshAll => AuditAction::RefreshTss,
            OperationKind::ReplaceTss => AuditAction::ReplaceTss,
            OperationKind::GenerateClients => AuditAction::GenerateClients,
        }
    }
}

/// One change made through the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Its position in the log (newest is highest).
    pub id: i64,
    /// When (unix seconds).
    pub at: i64,
    /// Who: the user name of the person who asked for it (`system` for the proxy's own work).
    pub actor: String,
    /// What was done.
    pub action: AuditAction,
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
    /// Only this action.
    pub action: Option<AuditAction>,
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
    /// The most events one page may hold.
    pub const MAX_PAGE: i64 = 500;

    /// How many events a page holds: `limit`, or 100 when not given.
    pub fn page_size(&self) -> i64 {
        self.limit.unwrap_or(100)
    }

    /// The filter's set fields as query-string pairs (values not yet URL-encoded).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let text = |name, value: &Option<String>| value.clone().map(|v| (name, v));
        let number = |name, value: Option<i64>| value.map(|v| (name, v.to_string()));
        [
            self.action.map(|a| ("action", a.as_str().to_owned())),
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

    #[test]
    fn every_action_is_spelled_once_as_the_api_and_the_database_spell_it() {
        for action in AuditAction::ALL {
            let wire = serde_json::to_value(action).unwrap();
            assert_eq!(wire.as_str(), Some(action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len(), "no action twice");
        let kind = serde_json::to_value(OperationKind::DisableTss).unwrap();
        assert_eq!(
            kind.as_str(),
            Some(AuditAction::from(OperationKind::DisableTss).as_str())
        );
    }
}
