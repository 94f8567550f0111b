//! `tss-proxy user add|reset-password|list`: account management from the server's shell.

use std::io::BufRead;

use crate::auth::accounts::{self, AccountError};
use crate::auth::random_password;
use crate::config::UserCommand;
use crate::storage::Storage;

/// Runs `command` on `storage`; answers what to print.
pub async fn run(storage: &Storage, command: &UserCommand) -> Result<String, AccountError> {
    match command {
        UserCommand::Add {
            username,
            role,
            password_stdin,
        } => {
            let (password, shown) = password(*password_stdin)?;
            accounts::add_user(storage, username, *role, &password).await?;
            Ok(format!(
                "created {username} ({}){}",
                role.as_str(),
                shown_once(shown, &password)
            ))
        }
        UserCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            let (password, shown) = password(*password_stdin)?;
            accounts::reset_password(storage, username, &password).await?;
            Ok(format!(
                "set a new password for {username} and ended their sessions{}",
                shown_once(shown, &password)
            ))
        }
        UserCommand::List => {
            let users = storage.users().await?;
            Ok(users
                .iter()
                .map(|user| format!("{:<24} {}", user.username, user.role.as_str()))
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// The password to set, and whether it was generated (so must be shown).
fn password(from_stdin: bool) -> Result<(String, bool), AccountError> {
    if !from_stdin {
        return Ok((random_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

fn shown_once(generated: bool, password: &str) -> String {
    if generated {
        format!("; the password is {password} (shown only this once)")
    } else {
        String::new()
    }
}
