//! User accounts as an administrator manages them through the API (`/api/users`).

use serde::{Deserialize, Serialize};

use crate::Role;

/// An account as `GET /api/users` lists it (never its password or hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccount {
    /// The name it logs in with.
    pub username: String,
    /// What it may do.
    pub role: Role,
    /// When it was created (unix seconds).
    pub created_at: i64,
}

/// `POST /api/users`: creates an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// The name to log in with: 1 to 64 letters, digits or `. - _ @`.
    pub username: String,
    /// What it may do.
    pub role: Role,
    /// Its first password, at least 10 characters.
    pub password: String,
}

/// `PUT /api/users/{username}/password`: sets a new password and ends the account's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The new password, at least 10 characters.
    pub password: String,
}

/// `PUT /api/users/{username}/role`: gives an account another role, from its next request on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// The new role.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_user_with_an_unknown_field_is_refused() {
        let json = r#"{"username":"anna","role":"viewer","password":"0123456789","admin":true}"#;
        let error = serde_json::from_str::<NewUser>(json).unwrap_err();
        assert!(error.to_string().contains("admin"), "{error}");
    }
}
