//! `/users`: the accounts, for administrators: add one, give one a new password or role, remove
//! one (after a confirmation). The proxy keeps the last administrator and checks every password.

use leptos::prelude::*;
use tss_model::{NewPassword, NewUser, Role, RoleChange, UserAccount};

use crate::api::use_api;
use crate::components::{
    api_action, list_or_message, refusal_of, ConfirmDialog, FieldError, FormPanel, Page,
};
use crate::i18n::{tr, use_locale, Text};
use crate::session::{role_text, use_session};

/// The Users page.
#[component]
pub fn Users() -> impl IntoView {
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let users = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.users().await }
    });
    view! {
        <Page name="users" title=tr(Text::NavUsers)>
            <FormPanel title=Text::NewUser>
                <NewUserForm on_added=reload />
            </FormPanel>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    users
                        .get()
                        .map(|loaded| {
                            list_or_message(
                                loaded,
                                Text::AuditEmpty,
                                move |list| {
                                    view! {
                                        <ul class="user-list">
                                            {list
                                                .into_iter()
                                                .map(|user| view! { <UserRow user on_changed=reload /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                },
                                reload,
                            )
                        })
                }}
            </Transition>
        </Page>
    }
}

/// A role chooser; `on_change` runs with the chosen role.
fn role_select(
    name: &'static str,
    current: Role,
    disabled: bool,
    on_change: impl Fn(Role) + 'static,
) -> impl IntoView {
    view! {
        <select
            name=name
            disabled=disabled
            on:change=move |ev| {
                if let Some(role) = Role::parse(&event_target_value(&ev)) {
                    on_change(role);
                }
            }
        >
            {Role::ALL
                .iter()
                .map(|role| {
                    view! {
                        <option value=role.as_str() selected=*role == current>
                            {tr(role_text(*role))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// A password field with its rule (at least 10 characters; the proxy checks it too).
fn password_field(label: Text, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="field">
            <span>{tr(label)}</span>
            <input
                type="password"
                name="password"
                autocomplete="new-password"
                minlength="10"
                required
                bind:value=value
            />
            <span class="field-hint">{tr(Text::PasswordHint)}</span>
        </label>
    }
}

/// The most characters of a user name (the proxy's `MAX_USERNAME_CHARS`).
const USERNAME_MAX: usize = 64;

/// The form for a new account: name, role, first password.
#[component]
fn NewUserForm(
    /// Runs after the proxy answered.
    on_added: Callback<()>,
) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator);
    let password = RwSignal::new(String::new());
    let add = api_action(
        |api, user: NewUser| api.add_user(user),
        Some(Text::Saved),
        move |saved| {
            if saved.is_some() {
                username.set(String::new());
            }
            on_added.run(());
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(NewUser {
            username: username.get_untracked(),
            role: role.get_untracked(),
            password: password.get_untracked(),
        });
        password.set(String::new());
    };
    view! {
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{tr(Text::Username)}</span>
                <input
                    type="text"
                    name="username"
                    autocomplete="off"
                    required
                    maxlength=USERNAME_MAX
                    bind:value=username
                />
                <FieldError refusal=refusal_of(add) field="username" />
            </label>
            <label class="field">
                <span>{tr(Text::Role)}</span>
                {role_select("role", Role::Operator, false, move |chosen| role.set(chosen))}
            </label>
            {password_field(Text::Password, password)}
            <button type="submit" class="button button-primary" disabled=move || add.pending().get()>
                {tr(Text::Save)}
            </button>
        </form>
    }
}

/// What an administrator changes about an account; one action for all, so one at a time.
#[derive(Debug, Clone)]
enum Change {
    Role(Role),
    Password(String),
    Remove,
}

/// One account: its role (changeable), a new password, and Remove behind a confirmation. The
/// logged-in administrator's own role and account are left to another administrator.
#[component]
fn UserRow(
    /// The account.
    user: UserAccount,
    /// Runs after a change was answered.
    on_changed: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let is_me = use_session()
        .user()
        .is_some_and(|me| me.username == user.username);
    let name = user.username.clone();
    let change = api_action(
        move |api, change: Change| match change {
            Change::Role(role) => {
                let call = api.set_role(name.clone(), RoleChange { role });
                Box::pin(async move { call.await.map(drop) })
            }
            Change::Password(password) => api.set_password(name.clone(), NewPassword { password }),
            Change::Remove => api.remove_user(name.clone()),
        },
        Some(Text::Saved),
        move |_| on_changed.run(()),
    );
    let new_password = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let named = user.username.clone();
    let submit_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(Change::Password(new_password.get_untracked()));
        new_password.set(String::new());
    };
    view! {
        <li class="card user-row" data-user=user.username.clone()>
            <h2 class="account-name">{user.username.clone()}</h2>
            <label class="field">
                <span>{tr(Text::Role)}</span>
                {role_select(
                    "user-role",
                    user.role,
                    is_me,
                    move |role| {
                        change.dispatch(Change::Role(role));
                    },
                )}
            </label>
            {is_me.then(|| view! { <p class="field-hint">{tr(Text::ThisIsYou)}</p> })}
            <details class="panel">
                <summary>{tr(Text::NewPassword)}</summary>
                <form class="form" on:submit=submit_password>
                    {password_field(Text::NewPassword, new_password)}
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || change.pending().get()
                    >
                        {tr(Text::Save)}
                    </button>
                </form>
            </details>
            <button
                type="button"
                class="button button-danger"
                hidden=is_me
                disabled=move || change.pending().get()
                on:click=move |_| confirming.set(true)
            >
                {tr(Text::RemoveUser)}
            </button>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || Text::ConfirmRemoveUserTitle.get(locale.get()).to_owned())
                confirm_label=Signal::derive(move || Text::ConfirmRemoveUserYes.get(locale.get()).to_owned())
                on_confirm=Callback::new(move |_| {
                    change.dispatch(Change::Remove);
                })
            >
                <p>
                    <strong>{named.clone()}</strong>
                    ": "
                    {tr(Text::ConfirmRemoveUserText)}
                </p>
            </ConfirmDialog>
        </li>
    }
}
