//! `tss-proxy user add|reset-password|set-role|remove|list`: account management from the
//! server's shell, also when nobody can log in. Every change is an audit row by [`CLI_ACTOR`].

use std::io::BufRead;

use crate::auth::accounts::{self, AccountError};
use crate::auth::random_password;
use crate::config::UserCommand;
use crate::storage::{Failure, Outcome, Storage};
use tss_model::AuditAction;

/// Who the audit log names for a change made with this command.
pub const CLI_ACTOR: &str = "cli";

/// Runs `command` on `storage`; answers what to print. A change is recorded in the audit log,
/// also when it is refused.
pub async fn run(storage: &Storage, command: &UserCommand) -> Result<String, AccountError> {
    let result = execute(storage, command).await;
    let change = match command {
        UserCommand::Add { username, .. } => Some((AuditAction::AddUser, username)),
        UserCommand::ResetPassword { username, .. } => Some((AuditAction::ResetPassword, username)),
        UserCommand::SetRole { username, .. } => Some((AuditAction::ChangeRole, username)),
        UserCommand::Remove { username } => Some((AuditAction::RemoveUser, username)),
        UserCommand::List => None,
    };
    if let Some((action, username)) = change {
        let failure = result.as_ref().err().map(|error| Failure {
            message: error.to_string(),
            code: error.code(),
        });
        let event = Outcome {
            action,
            store_id: None,
            tss_id: None,
            terminal_id: None,
            account: accounts::is_valid_username(username).then_some(username.as_str()),
            actor: CLI_ACTOR,
            fiskaly_request_id: None,
        };
        storage.record_outcome(event, failure.as_ref()).await?;
    }
    result
}

async fn execute(storage: &Storage, command: &UserCommand) -> Result<String, AccountError> {
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
        UserCommand::SetRole { username, role } => {
            accounts::change_role(storage, username, *role).await?;
            Ok(format!("{username} is now {}", role.as_str()))
        }
        UserCommand::Remove { username } => {
            accounts::remove_user(storage, username).await?;
            Ok(format!("removed {username} and ended their sessions"))
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
