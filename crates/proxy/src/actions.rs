//! What the audit log calls each change, and which API route makes it: one table, so that the
//! role gate, the request readers and the handlers name a refused request the same way as an
//! accepted one.

use axum::http::Method;
use tss_model::OperationKind;

/// A change the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Generate New TSS.
    GenerateTss,
    /// Initial TSS.
    InitializeTss,
    /// Disable TSS.
    DisableTss,
    /// Generate Client ID.
    GenerateClient,
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
    /// New fiskaly connection settings.
    SaveFiskalySettings,
    /// A test of the fiskaly connection.
    TestFiskalyConnection,
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

impl Action {
    /// The name the audit log shows and filters by; an operation's is its kind's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::GenerateTss => "generate_tss",
            Action::InitializeTss => "initialize_tss",
            Action::DisableTss => "disable_tss",
            Action::GenerateClient => "generate_client",
            Action::DeregisterClient => "deregister_client",
            Action::RefreshTss => "refresh_tss",
            Action::CreateStore => "create_store",
            Action::UpdateStore => "update_store",
            Action::CreateTerminal => "create_terminal",
            Action::UpdateTerminal => "update_terminal",
            Action::SaveFiskalySettings => "save_fiskaly_settings",
            Action::TestFiskalyConnection => "test_fiskaly_connection",
            Action::AddUser => "add_user",
            Action::ResetPassword => "reset_password",
            Action::ChangeRole => "change_role",
            Action::RemoveUser => "remove_user",
            Action::Login => "login",
            Action::Logout => "logout",
        }
    }

    /// The change `method` on the route `path` (its pattern, e.g. `/api/tss/{tss_id}/disable`)
    /// makes; `None` for reads, for log in and out (recorded by their handlers with what they
    /// learn), and for paths that name no route.
    pub fn of_route(method: &Method, path: &str) -> Option<Action> {
        let path = path.strip_prefix("/api").unwrap_or(path);
        let action = match (method.as_str(), path) {
            ("POST", "/stores") => Action::CreateStore,
            ("PATCH", "/stores/{id}") => Action::UpdateStore,
            ("POST", "/stores/{id}/tss") => Action::GenerateTss,
            ("POST", "/stores/{id}/tss/refresh" | "/refresh") => Action::RefreshTss,
            ("POST", "/tss/{tss_id}/initialize") => Action::InitializeTss,
            ("POST", "/tss/{tss_id}/disable") => Action::DisableTss,
            ("POST", "/terminals") => Action::CreateTerminal,
            ("PATCH", "/terminals/{id}") => Action::UpdateTerminal,
            ("POST", "/terminals/{id}/client") => Action::GenerateClient,
            ("POST", "/terminals/{id}/client/deregister") => Action::DeregisterClient,
            ("PUT", "/settings/fiskaly") => Action::SaveFiskalySettings,
            ("POST", "/settings/fiskaly/test") => Action::TestFiskalyConnection,
            ("POST", "/users") => Action::AddUser,
            ("PUT", "/users/{username}/password") => Action::ResetPassword,
            ("PUT", "/users/{username}/role") => Action::ChangeRole,
            ("DELETE", "/users/{username}") => Action::RemoveUser,
            _ => return None,
        };
        Some(action)
    }
}

impl From<OperationKind> for Action {
    fn from(kind: OperationKind) -> Action {
        match kind {
            OperationKind::GenerateTss => Action::GenerateTss,
            OperationKind::InitializeTss => Action::InitializeTss,
            OperationKind::DisableTss => Action::DisableTss,
            OperationKind::GenerateClient => Action::GenerateClient,
            OperationKind::DeregisterClient => Action::DeregisterClient,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operations_action_is_named_as_its_kind_on_the_wire() {
        for kind in [
            OperationKind::GenerateTss,
            OperationKind::InitializeTss,
            OperationKind::DisableTss,
            OperationKind::GenerateClient,
            OperationKind::DeregisterClient,
        ] {
            let wire = serde_json::to_value(kind).unwrap();
            assert_eq!(Action::from(kind).as_str(), wire.as_str().unwrap());
        }
    }

    #[test]
    fn every_change_of_the_api_has_its_action_and_reads_have_none() {
        let of = |method: Method, path: &str| Action::of_route(&method, path);
        assert_eq!(of(Method::POST, "/api/stores"), Some(Action::CreateStore));
        assert_eq!(of(Method::POST, "/refresh"), Some(Action::RefreshTss));
        assert_eq!(
            of(Method::POST, "/api/tss/{tss_id}/disable"),
            Some(Action::DisableTss)
        );
        assert_eq!(
            of(Method::DELETE, "/users/{username}"),
            Some(Action::RemoveUser)
        );
        assert_eq!(of(Method::GET, "/api/stores"), None);
        assert_eq!(of(Method::POST, "/api/session"), None);
        assert_eq!(of(Method::DELETE, "/session"), None);
    }
}
