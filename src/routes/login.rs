//! The login page, shown instead of any page while nobody is logged in; the address stays, so
//! the page asked for opens right after the login.

use leptos::prelude::*;
use tss_model::{ErrorCode, LoginRequest};

use crate::api::use_api;
use crate::components::Page;
use crate::i18n::{tr, use_locale, Text};
use crate::session::{use_session, SessionStatus};

/// The login form.
#[component]
pub fn Login() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let locale = use_locale();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let log_in = Action::new_local(move |login: &LoginRequest| {
        let call = api.log_in(login.clone());
        async move {
            match call.await {
                Ok(user) => {
                    error.set(None);
                    session.set(SessionStatus::LoggedIn(user));
                }
                Err(refusal) => {
                    password.set(String::new());
                    let language = locale.get_untracked();
                    error.set(Some(match refusal.error.code {
                        ErrorCode::Unauthenticated => Text::WrongLogin.get(language).to_owned(),
                        ErrorCode::TooManyAttempts => Text::TooManyLogins.get(language).to_owned(),
                        _ => crate::components::error_text::error_text(&refusal, language),
                    }));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        log_in.dispatch(LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <Page name="login" title=tr(Text::LoginTitle)>
            <form class="form login-form" on:submit=submit>
                <p>{tr(Text::LoginIntro)}</p>
                <label class="field">
                    <span>{tr(Text::Username)}</span>
                    <input
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        required
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span>{tr(Text::Password)}</span>
                    <input
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || log_in.pending().get()
                    aria-busy=move || log_in.pending().get().to_string()
                >
                    {tr(Text::LogIn)}
                </button>
            </form>
        </Page>
    }
}
