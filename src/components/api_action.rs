//! Mutations: an action that calls the proxy, shows the outcome in a toast, and lets the page
//! refetch. Its `pending()` drives the spinner and keeps the button from firing twice; its
//! `value()` holds the last refusal, so that a form can show a field's error at the field.

use std::rc::Rc;

use leptos::prelude::*;
use tss_model::ApiError;

use crate::api::{use_api, ApiFuture, ApiHandle};
use crate::components::use_toaster;
use crate::i18n::{use_locale, Text};
use crate::session::use_session;

/// An action running `call` with the API; on success it shows `success` (if any), on failure the
/// error in the staff's language (which stays until dismissed); then it runs `after` either way,
/// with what the server answered on success (so that the page shows it without asking again),
/// `None` on failure. Its value is the refusal of the last call, if any.
pub fn api_action<I, O>(
    call: impl Fn(&ApiHandle, I) -> ApiFuture<O> + 'static,
    success: Option<Text>,
    after: impl Fn(Option<&O>) + 'static,
) -> Action<I, Option<ApiError>>
where
    I: Clone + 'static,
    O: 'static,
{
    let api = use_api();
    let toaster = use_toaster();
    let locale = use_locale();
    let session = use_session();
    let after = Rc::new(after);
    Action::new_local(move |input: &I| {
        let call = call(&api, input.clone());
        let after = after.clone();
        async move {
            match call.await {
                Ok(answer) => {
                    if let Some(text) = success {
                        toaster.success(text.get(locale.get_untracked()));
                    }
                    after(Some(&answer));
                    None
                }
                Err(error) => {
                    session.notice(&error);
                    toaster.failure(&error);
                    after(None);
                    Some(error)
                }
            }
        }
    })
}

/// The refusal of an action's last call, for a form to show at its field.
pub fn refusal_of<I: 'static>(action: Action<I, Option<ApiError>>) -> Signal<Option<ApiError>> {
    let value = action.value();
    Signal::derive(move || value.get().flatten())
}
