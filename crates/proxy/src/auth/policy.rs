//! Who may do what: the one table the server checks every API request against.

use axum::http::Method;
use tss_model::Role;

/// What a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anybody: logging in, the health check, and paths that name no endpoint (they answer 404).
    Public,
    /// A session whose role includes this one.
    AtLeast(Role),
}

/// What `method` on the route `path` (its pattern below `/api`, e.g. `/tss/{tss_id}/disable`)
/// needs; `None` for a path that names no route.
pub fn access(method: &Method, path: Option<&str>) -> Access {
    let Some(path) = path else {
        return Access::Public;
    };
    let path = path.strip_prefix("/api").unwrap_or(path);
    let reads = [Method::GET, Method::HEAD].contains(method);
    match path {
        "/health" => Access::Public,
        "/session" if method == Method::POST => Access::Public,
        "/session" => Access::AtLeast(Role::Viewer),
        "/tss/{tss_id}/disable" => Access::AtLeast(Role::Admin),
        "/audit" => Access::AtLeast(Role::Admin),
        _ if path.starts_with("/settings") || path.starts_with("/users") => {
            Access::AtLeast(Role::Admin)
        }
        _ if reads => Access::AtLeast(Role::Viewer),
        _ => Access::AtLeast(Role::Operator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roles_the_issue_names_get_their_actions() {
        let needs = |method: Method, path: &str| access(&method, Some(path));
        use Access::*;
        assert_eq!(needs(Method::POST, "/api/session"), Public);
        assert_eq!(needs(Method::GET, "/api/health"), Public);
        assert_eq!(access(&Method::GET, None), Public);
        assert_eq!(needs(Method::GET, "/api/session"), AtLeast(Role::Viewer));
        assert_eq!(needs(Method::GET, "/api/stores"), AtLeast(Role::Viewer));
        for operator in [
            "/stores/{id}/tss",
            "/tss/{tss_id}/initialize",
            "/stores/{id}/tss/refresh",
            "/refresh",
            "/terminals/{id}/client",
            "/terminals/{id}/client/deregister",
        ] {
            assert_eq!(needs(Method::POST, operator), AtLeast(Role::Operator));
        }
        assert_eq!(
            needs(Method::POST, "/api/tss/{tss_id}/disable"),
            AtLeast(Role::Admin)
        );
        assert_eq!(
            needs(Method::GET, "/settings/fiskaly"),
            AtLeast(Role::Admin)
        );
        assert_eq!(
            needs(Method::PUT, "/settings/fiskaly"),
            AtLeast(Role::Admin)
        );
        assert_eq!(needs(Method::GET, "/audit"), AtLeast(Role::Admin));
        assert_eq!(needs(Method::GET, "/users"), AtLeast(Role::Admin));
        assert_eq!(needs(Method::POST, "/users"), AtLeast(Role::Admin));
        assert_eq!(
            needs(Method::PUT, "/users/{username}/role"),
            AtLeast(Role::Admin)
        );
        assert_eq!(
            needs(Method::DELETE, "/users/{username}"),
            AtLeast(Role::Admin)
        );
    }
}
