//! The Fiskaly Setup page's **nightly refresh**: on or off, and the time of day (Europe/Berlin)
//! at which the console reads every TSS from fiskaly by itself.

use leptos::prelude::*;
use tss_model::RefreshSchedule;

use crate::api::use_api;
use crate::components::{api_action, load_failure, refusal_of, FieldError};
use crate::i18n::{tr, Text};

/// The schedule's section: loads it, and saves what the administrator sets.
#[component]
pub fn RefreshScheduleSection() -> impl IntoView {
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let saved = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.schedule().await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <section class="card" aria-labelledby="nightly-refresh">
            <h2 id="nightly-refresh">{tr(Text::NightlyRefresh)}</h2>
            <p class="field-hint">{tr(Text::NightlyRefreshHint)}</p>
            {move || {
                saved
                    .get()
                    .map(|loaded| match loaded {
                        Ok(current) => view! { <ScheduleForm current on_saved=reload /> }.into_any(),
                        Err(error) => load_failure(error, reload),
                    })
            }}
        </section>
    }
}

/// The on/off switch and the time, with Save.
#[component]
fn ScheduleForm(
    /// The saved schedule.
    current: RefreshSchedule,
    /// Runs after a save.
    on_saved: Callback<()>,
) -> impl IntoView {
    let enabled = RwSignal::new(current.enabled);
    let time = RwSignal::new(current.time.clone());
    let save = api_action(
        |api, schedule: RefreshSchedule| api.save_schedule(schedule),
        Some(Text::Saved),
        move |_| on_saved.run(()),
    );
    let refusal = refusal_of(save);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(RefreshSchedule {
            enabled: enabled.get_untracked(),
            time: time.get_untracked(),
        });
    };
    view! {
        <form class="form" name="schedule" on:submit=submit>
            <label class="check">
                <input type="checkbox" name="enabled" bind:checked=enabled />
                <span>{tr(Text::NightlyRefreshOn)}</span>
            </label>
            <label class="field">
                <span>{tr(Text::NightlyRefreshTime)}</span>
                <input type="time" name="time" required bind:value=time />
                <FieldError refusal field="time" />
            </label>
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {tr(Text::Save)}
            </button>
        </form>
    }
}
