//! User management for administrators: list, add, new password, new role, remove. Passwords are
//! checked and hashed by [`crate::auth::accounts`]; no answer ever holds a password or its hash.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use tss_model::{FieldProblem, NewPassword, NewUser, Role, RoleChange, UserAccount};

use crate::auth::accounts::{self, AccountError, MIN_PASSWORD_CHARS};
use crate::auth::Gate;
use crate::change::Change;
use crate::extract::{ApiJson, ApiPath};
use crate::storage::UserRecord;
use crate::{AppError, AppState};

/// The user routes, for administrators only.
pub fn routes(gate: &Gate) -> Router<AppState> {
    let routes = Router::new()
        .route("/users", get(list).post(add))
        .route("/users/{username}", axum::routing::delete(remove))
        .route("/users/{username}/password", put(set_password))
        .route("/users/{username}/role", put(set_role));
    gate.allow(Role::Admin, routes)
}

fn account(record: UserRecord) -> UserAccount {
    UserAccount {
        username: record.username,
        role: record.role,
        created_at: record.created_at,
    }
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        let message = sentence(&error.to_string());
        match error {
            AccountError::BadName => AppError::field("username", FieldProblem::Invalid, message),
            AccountError::ShortPassword => {
                let problem = FieldProblem::TooShort {
                    min: MIN_PASSWORD_CHARS,
                };
                AppError::field("password", problem, message)
            }
            AccountError::NameTaken(_) => AppError::field("username", FieldProblem::Taken, message),
            AccountError::LastAdmin(_) => AppError::Conflict(message),
            AccountError::NoSuchUser(_) => AppError::NotFound(message),
            AccountError::Input(_) => AppError::BadRequest(message),
            AccountError::Storage(e) => AppError::Storage(e),
        }
    }
}

/// `there is no user named x` → `There is no user named x.`, as the API's other messages read.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}.", first.to_uppercase(), chars.as_str())
    })
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<UserAccount>>, AppError> {
    let users = state.storage.users().await?;
    Ok(Json(users.into_iter().map(account).collect()))
}

async fn add(
    State(state): State<AppState>,
    change: Change,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserAccount>), AppError> {
    let username = new.username.trim();
    let result = async {
        accounts::add_user(&state.storage, username, new.role, &new.password).await?;
        stored_account(&state, username).await
    }
    .await;
    let user = change
        .about_account(username)
        .record(&state.storage, result)
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// The account as stored now (removed meanwhile by another administrator: 404).
async fn stored_account(state: &AppState, username: &str) -> Result<UserAccount, AppError> {
    let user = state.storage.user(username).await?;
    user.map(account)
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()).into())
}

async fn set_password(
    State(state): State<AppState>,
    change: Change,
    ApiPath(username): ApiPath<String>,
    ApiJson(new): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    let result = accounts::reset_password(&state.storage, &username, &new.password)
        .await
        .map_err(AppError::from);
    change.record(&state.storage, result).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_role(
    State(state): State<AppState>,
    change: Change,
    ApiPath(username): ApiPath<String>,
    ApiJson(new): ApiJson<RoleChange>,
) -> Result<Json<UserAccount>, AppError> {
    let result = async {
        accounts::change_role(&state.storage, &username, new.role).await?;
        stored_account(&state, &username).await
    }
    .await;
    change.record(&state.storage, result).await.map(Json)
}

async fn remove(
    State(state): State<AppState>,
    change: Change,
    ApiPath(username): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    let result = accounts::remove_user(&state.storage, &username)
        .await
        .map_err(AppError::from);
    change.record(&state.storage, result).await?;
    Ok(StatusCode::NO_CONTENT)
}
