//! Mutations: an action that calls the proxy, shows the outcome in a toast, and lets the page
//! refetch. Its `pending()` drives the spinner and keeps the button from firing twice.

use std::rc::Rc;

use leptos::prelude::*;

use crate::api::{use_api, ApiFuture, ApiHandle};
use crate::components::use_toaster;
use crate::i18n::{use_locale, Text};
use crate::session::use_session;

/// An action running `call` with the API; on success it shows `success` (if any), on failure the
/// proxy's message (which stays until dismissed); then it runs `after` either way, told whether
/// the call succeeded.
pub fn api_action<I, O>(
    call: impl Fn(&ApiHandle, I) -> ApiFuture<O> + 'static,
    success: Option<Text>,
    after: impl Fn(bool) + 'static,
) -> Action<I, ()>
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
            let succeeded = match call.await {
                Ok(_) => {
                    if let Some(text) = success {
                        toaster.success(text.get(locale.get_untracked()));
                    }
                    true
                }
                Err(error) => {
                    session.notice(&error);
                    toaster.error(error.error.message);
                    false
                }
            };
            after(succeeded);
        }
    })
}
