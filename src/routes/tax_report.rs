//! `/report`: the tax-office notification (§ 146a (4) AO): for each store its POS terminals and
//! TSE, rows new or changed since the last submitted report marked; the CSV download; for
//! administrators the business's name and tax number and "Als übermittelt markieren".

use leptos::prelude::*;
use leptos_router::components::A;
use tss_model::{Organisation, ReportStore, Role, TaxReport, TSE_KIND};

use crate::api::use_api;
use crate::components::format::maybe_date_time;
use crate::components::{
    api_action, load_failure, refusal_of, ActionButton, ConfirmDialog, FieldError, Page,
};
use crate::i18n::{tr, use_locale, Text};
use crate::session::use_session;

/// The report page.
#[component]
pub fn TaxReportPage() -> impl IntoView {
    let api = use_api();
    let version = RwSignal::new(0_u32);
    let report = LocalResource::new(move || {
        version.track();
        let api = api.clone();
        async move { api.report(None).await }
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    let submit = api_action(
        |api, _: ()| api.submit_report(),
        Some(Text::SubmitReport),
        move |_| reload.run(()),
    );
    let session = use_session();
    let locale = use_locale();
    let confirming = RwSignal::new(false);
    view! {
        <Page name="tax-report" title=tr(Text::NavReport)>
            <p class="field-hint">{tr(Text::ReportHint)}</p>
            <div class="toolbar">
                <a class="button" href="/api/report.csv" download="Meldung-146a.csv">
                    {tr(Text::DownloadCsv)}
                </a>
                <ActionButton
                    label=tr(Text::MarkSubmitted)
                    needs=Role::Admin
                    pending=submit.pending()
                    on_click=Callback::new(move |_| confirming.set(true))
                />
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || Text::ConfirmSubmitTitle.get(locale.get()).to_owned())
                confirm_label=Signal::derive(move || Text::ConfirmSubmitYes.get(locale.get()).to_owned())
                on_confirm=Callback::new(move |_| {
                    submit.dispatch(());
                })
            >
                <p>{tr(Text::ConfirmSubmitText)}</p>
            </ConfirmDialog>
            <Transition fallback=move || view! { <p class="loading">{tr(Text::Loading)}</p> }>
                {move || {
                    report
                        .get()
                        .map(|loaded| match loaded {
                            Ok(report) => {
                                let admin = session.may(Role::Admin);
                                view! { <ReportView report admin on_saved=reload /> }.into_any()
                            }
                            Err(error) => load_failure(error, reload),
                        })
                }}
            </Transition>
        </Page>
    }
}

/// The organisation, the last submission and every store's rows.
#[component]
fn ReportView(
    /// The report.
    report: TaxReport,
    /// Whether the user may change the organisation.
    admin: bool,
    /// Runs after the organisation was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let submitted = match &report.last_submitted {
        Some(last) => view! {
            <p class="last-submitted">
                {tr(Text::LastSubmitted)} ": " {maybe_date_time(Some(last.at))} " · " {last.by.clone()}
            </p>
        }
        .into_any(),
        None => view! { <p class="last-submitted">{tr(Text::NeverSubmitted)}</p> }.into_any(),
    };
    view! {
        <OrganisationForm current=report.organisation.clone() admin on_saved />
        {submitted}
        {report.stores.into_iter().map(|store| view! { <StoreRows store /> }).collect_view()}
    }
}

/// The business's name and tax number; a form for administrators.
#[component]
fn OrganisationForm(
    /// What is saved.
    current: Organisation,
    /// Whether the user may change it.
    admin: bool,
    /// Runs after a save.
    on_saved: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(current.name);
    let tax_number = RwSignal::new(current.tax_number);
    let save = api_action(
        |api, organisation: Organisation| api.save_organisation(organisation),
        Some(Text::Saved),
        move |_| on_saved.run(()),
    );
    let refusal = refusal_of(save);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(Organisation {
            name: name.get_untracked(),
            tax_number: tax_number.get_untracked(),
        });
    };
    view! {
        <form class="form" name="organisation" on:submit=submit>
            <label class="field">
                <span>{tr(Text::Organisation)}</span>
                <input type="text" name="name" required disabled=!admin bind:value=name />
                <FieldError refusal field="name" />
            </label>
            <label class="field">
                <span>{tr(Text::TaxNumber)}</span>
                <input type="text" name="tax_number" required disabled=!admin bind:value=tax_number />
                <FieldError refusal field="tax_number" />
            </label>
            {admin
                .then(|| {
                    view! {
                        <button type="submit" class="button" disabled=move || save.pending().get()>
                            {tr(Text::SaveOrganisation)}
                        </button>
                    }
                })}
        </form>
    }
}

/// A `YYYY-MM-DD` day as `DD.MM.YYYY`, or a dash.
fn day(value: &Option<String>) -> String {
    match value.as_deref().map(|d| d.split('-').collect::<Vec<_>>()) {
        Some(parts) if parts.len() == 3 => format!("{}.{}.{}", parts[2], parts[1], parts[0]),
        _ => "–".into(),
    }
}

/// A unix time's day, or a dash.
fn day_of(at: Option<i64>) -> String {
    maybe_date_time(at).chars().take(10).collect()
}

/// One store: its terminals and TSS, the changed rows marked.
#[component]
fn StoreRows(
    /// The store.
    store: ReportStore,
) -> impl IntoView {
    let changed = move |changed: bool| {
        changed.then(|| {
            view! { <span class="state-badge tone-pending" data-changed="">{tr(Text::Changed)}</span> }
        })
    };
    let terminals = store.terminals.into_iter().map(move |t| {
        let service = t.service;
        view! {
            <tr data-row=format!("terminal:{}", t.terminal_id)>
                <td>{tr(Text::Till)}</td>
                <td>{t.number}</td>
                <td><code>{t.serial_number}</code></td>
                <td>{service.model.unwrap_or_default()} " " {service.software.unwrap_or_default()}</td>
                <td>{day(&service.in_service_since)}</td>
                <td>{day(&service.out_of_service_since)}</td>
                <td>{changed(t.changed)}</td>
            </tr>
        }
    });
    let tss = store.tss.into_iter().map(move |t| {
        let row = format!("tss:{}", t.tss_id);
        view! {
            <tr data-row=row>
                <td>{format!("TSE ({TSE_KIND})")}</td>
                <td><code>{t.tss_id}</code></td>
                <td><code>{t.serial_number.unwrap_or_default()}</code></td>
                <td>{t.bsi_certification_id.unwrap_or_default()}</td>
                <td>{day_of(t.initialized_at)}</td>
                <td>{day_of(t.disabled_at)}</td>
                <td>{changed(t.changed)}</td>
            </tr>
        }
    });
    let (number, name, street, city) = (store.number, store.name, store.street, store.city);
    let href = format!("/stores/{}", store.store_id);
    let marker = number.clone();
    view! {
        <section class="card" data-report-store=marker>
            <h2>
                <A href=href>{number} " " {name}</A>
            </h2>
            <p class="address">{street} ", " {city}</p>
            <table class="list">
                <thead>
                    <tr>
                        <th>{tr(Text::Kind)}</th>
                        <th>{tr(Text::Number)}</th>
                        <th>{tr(Text::SerialNumber)}</th>
                        <th>{tr(Text::Model)} " / " {tr(Text::BsiCertification)}</th>
                        <th>{tr(Text::InServiceSince)}</th>
                        <th>{tr(Text::OutOfServiceSince)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{terminals.collect_view()} {tss.collect_view()}</tbody>
            </table>
        </section>
    }
}
