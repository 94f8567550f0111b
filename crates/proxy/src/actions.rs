//! Which API route makes which change of the audit log ([`AuditAction`], the model's one name for
//! it): one table, so that the role gate, the request readers and the handlers name a refused
//! request the same way as an accepted one.

use axum::http::Method;
use tss_model::AuditAction;

/// The change `method` on the route `path` (its pattern, e.g. `/api/tss/{tss_id}/disable`)
/// makes; `None` for reads, for log in and out (recorded by their handlers with what they
/// learn), and for paths that name no route.
pub fn of_route(method: &Method, path: &str) -> Option<AuditAction> {
    let path = path.strip_prefix("/api").unwrap_or(path);
    let action = match (method.as_str(), path) {
        ("POST", "/stores") => AuditAction::CreateStore,
        ("PATCH", "/stores/{id}") => AuditAction::UpdateStore,
        ("POST", "/stores/{id}/tss") => AuditAction::GenerateTss,
        ("POST", "/stores/{id}/tss/refresh" | "/refresh") => AuditAction::RefreshTss,
        ("POST", "/tss/{tss_id}/initialize") => AuditAction::InitializeTss,
        ("POST", "/tss/{tss_id}/disable") => AuditAction::DisableTss,
        ("POST", "/tss/{tss_id}/replace") => AuditAction::ReplaceTss,
        ("POST", "/stores/{id}/clients") => AuditAction::GenerateClients,
        ("POST", "/terminals") => AuditAction::CreateTerminal,
        ("PATCH", "/terminals/{id}") => AuditAction::UpdateTerminal,
        ("POST", "/import") => AuditAction::ImportStores,
        ("POST", "/terminals/{id}/client") => AuditAction::GenerateClient,
        ("POST", "/terminals/{id}/client/deregister") => AuditAction::DeregisterClient,
        ("PUT", "/settings/fiskaly") => AuditAction::SaveFiskalySettings,
        ("POST", "/settings/fiskaly/test") => AuditAction::TestFiskalyConnection,
        ("PUT", "/settings/schedule") => AuditAction::SaveRefreshSchedule,
        ("POST", "/alerts/{id}/acknowledge") => AuditAction::AcknowledgeAlert,
        ("POST", "/webhooks") => AuditAction::AddWebhook,
        ("PUT", "/webhooks/{id}") => AuditAction::ChangeWebhook,
        ("DELETE", "/webhooks/{id}") => AuditAction::RemoveWebhook,
        ("PUT", "/settings/organisation") => AuditAction::SaveOrganisation,
        ("POST", "/report/submitted") => AuditAction::SubmitReport,
        ("POST", "/users") => AuditAction::AddUser,
        ("PUT", "/users/{username}/password") => AuditAction::ResetPassword,
        ("PUT", "/users/{username}/role") => AuditAction::ChangeRole,
        ("DELETE", "/users/{username}") => AuditAction::RemoveUser,
        _ => return None,
    };
    Some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_of_the_api_has_its_action_and_reads_have_none() {
        let of = |method: Method, path: &str| of_route(&method, path);
        assert_eq!(
            of(Method::POST, "/api/stores"),
            Some(AuditAction::CreateStore)
        );
        assert_eq!(of(Method::POST, "/refresh"), Some(AuditAction::RefreshTss));
        assert_eq!(
            of(Method::POST, "/api/tss/{tss_id}/disable"),
            Some(AuditAction::DisableTss)
        );
        assert_eq!(
            of(Method::DELETE, "/users/{username}"),
            Some(AuditAction::RemoveUser)
        );
        assert_eq!(of(Method::GET, "/api/stores"), None);
        assert_eq!(of(Method::POST, "/api/session"), None);
        assert_eq!(of(Method::DELETE, "/session"), None);
    }
}
