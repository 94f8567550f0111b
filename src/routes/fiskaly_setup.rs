//! `/settings`: the Fiskaly Setup page: base URL, API key, API secret (write-only), Save, Test
//! connection; a banner while the console runs against its built-in simulator; the nightly
//! refresh's schedule.

use leptos::prelude::*;
use tss_model::{Backend, ConnectionTest, FiskalySettings, FiskalySettingsInput, Role};

use super::refresh_schedule::RefreshScheduleSection;
use crate::api::use_api;
use crate::components::{api_action, load_failure, use_toaster, ActionButton, Page};
use crate::i18n::{tr, use_locale, Text};

/// The Fiskaly Setup page.
#[component]
pub fn FiskalySetup() -> impl IntoView {
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let settings = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.settings().await }
    });
    view! {
        <Page name="fiskaly-setup" title=tr(Text::FiskalySetupTitle)>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    settings
                        .get()
                        .map(|result| match result {
                            Ok(current) => {
                                view! {
                                    <SettingsForm
                                        current
                                        on_saved=Callback::new(move |_| version.update(|v| *v += 1))
                                    />
                                }
                                    .into_any()
                            }
                            Err(error) => {
                                load_failure(error, Callback::new(move |_| version.update(|v| *v += 1)))
                            }
                        })
                }}
            </Transition>
            <RefreshScheduleSection />
        </Page>
    }
}

/// The settings form and the connection test.
#[component]
fn SettingsForm(
    /// The settings now.
    current: FiskalySettings,
    /// Runs after a save.
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let toaster = use_toaster();
    let base_url = RwSignal::new(current.base_url.clone());
    let api_key = RwSignal::new(current.api_key.clone());
    let api_secret = RwSignal::new(String::new());
    let save = api_action(
        |api, input: FiskalySettingsInput| api.save_settings(input),
        Some(Text::Saved),
        move |_| on_saved.run(()),
    );
    let environment = RwSignal::new(None::<String>);
    let api = use_api();
    let test = Action::new_local(move |_: &()| {
        let api = api.clone();
        async move {
            match api.test_connection().await {
                Ok(ConnectionTest { env }) => environment.set(Some(env)),
                Err(error) => {
                    environment.set(None);
                    toaster.failure(&error);
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secret = api_secret.get_untracked();
        save.dispatch(FiskalySettingsInput {
            base_url: base_url.get_untracked(),
            api_key: api_key.get_untracked(),
            api_secret: (!secret.is_empty()).then_some(secret),
        });
        api_secret.set(String::new());
    };
    let secret_hint = if current.api_secret_set {
        Text::SecretSet
    } else {
        Text::SecretNotSet
    };
    view! {
        {(current.backend == Backend::Simulator)
            .then(|| view! { <p class="banner" role="note">{tr(Text::SimulatorBanner)}</p> })}
        <form class="form" on:submit=submit>
            <label class="field">
                <span>{tr(Text::BaseUrl)}</span>
                <input type="url" name="base_url" required bind:value=base_url />
            </label>
            <label class="field">
                <span>{tr(Text::ApiKey)}</span>
                <input type="text" name="api_key" required bind:value=api_key />
            </label>
            <label class="field">
                <span>{tr(Text::ApiSecret)}</span>
                <input
                    type="password"
                    name="api_secret"
                    autocomplete="new-password"
                    placeholder=tr(secret_hint)
                    bind:value=api_secret
                />
                <span class="field-hint" data-secret-set=current.api_secret_set.to_string()>
                    {tr(secret_hint)}
                </span>
            </label>
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {tr(Text::Save)}
            </button>
        </form>
        <div class="toolbar">
            <ActionButton
                needs=Role::Admin
                label=tr(Text::TestConnection)
                pending=test.pending()
                on_click=Callback::new(move |_| {
                    test.dispatch(());
                })
            />
            {move || {
                environment
                    .get()
                    .map(|env| {
                        view! {
                            <span class="connection-ok" role="status">
                                {Text::ConnectionOk.get(locale.get())} " " <strong>{env}</strong>
                            </span>
                        }
                    })
            }}
        </div>
    }
}
