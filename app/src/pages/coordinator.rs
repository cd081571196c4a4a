//! `/coordinator`: the cohorts a coordinator runs, and creating one.

use crate::api::cohort::{list_cohorts, CreateCohort};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::account::{Role, Viewer};
use crate::domain::cohort::CohortSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::t;

/// Cohorts list (coordinators only).
#[component]
pub fn CoordinatorPage() -> impl IntoView {
    view! {
        <Title text=t!(coordinator.title) />
        <Private role=Role::Coordinator children=|viewer| view! { <Cohorts viewer /> } />
    }
}

#[component]
fn Cohorts(viewer: Viewer) -> impl IntoView {
    let create = ServerAction::<CreateCohort>::new();
    let cohorts = Resource::new(move || create.version().get(), |_| list_cohorts());
    view! {
        <h1>{t!(coordinator.title)}</h1>
        {viewer.is_admin.then(|| view! {
            <p>
                <A exact=true href="/coordinator/evaluation">{t!(coordinator.institution_evaluation)}</A>
            </p>
        })}
        <Suspense fallback=|| view! { <p class="loading">{t!(coordinator.loading)}</p> }>
            {move || Suspend::new(async move {
                match cohorts.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p>{t!(coordinator.no_cohorts)}</p> }.into_any()
                    }
                    Ok(list) => view! { <CohortTable list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        {viewer.is_admin.then(|| view! { <NewCohortForm create /> <AuditExport /> })}
    }
}

/// The audit trail as a CSV file for a range of days (institution coordinators): a plain GET
/// form, so the browser downloads the file with or without JavaScript.
#[component]
fn AuditExport() -> impl IntoView {
    view! {
        <section class="section narrow" aria-labelledby="audit-export-heading">
            <h2 id="audit-export-heading">{t!(coordinator.audit_heading)}</h2>
            <p>{t!(coordinator.audit_intro)}</p>
            <form method="get" action="/coordinator/audit.csv">
                <div class="field">
                    <label for="audit-from">{t!(coordinator.audit_from)}</label>
                    <input id="audit-from" name="from" type="date" required />
                </div>
                <div class="field">
                    <label for="audit-to">{t!(coordinator.audit_to)}</label>
                    <input id="audit-to" name="to" type="date" required />
                </div>
                <button type="submit" class="button">{t!(coordinator.audit_download)}</button>
            </form>
        </section>
    }
}

#[component]
fn CohortTable(list: Vec<CohortSummary>) -> impl IntoView {
    view! {
        <TableScroll label=t!(coordinator.your_cohorts)>
            <table class="table">
                    <caption class="visually-hidden">{t!(coordinator.your_cohorts)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(coordinator.col_cohort)}</th>
                            <th scope="col">{t!(coordinator.col_dates)}</th>
                            <th scope="col">{t!(coordinator.col_framework)}</th>
                            <th scope="col">{t!(coordinator.col_members)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <td>
                                            <A exact=true href=format!("/coordinator/cohorts/{}", c.id)>{c.name}</A>
                                        </td>
                                        <td>{crate::i18n::k::coordinator::dates(&c.starts_on, &c.ends_on)}</td>
                                        <td>{c.framework}</td>
                                        <td>{c.member_count}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
        </TableScroll>
    }
}

#[component]
fn NewCohortForm(create: ServerAction<CreateCohort>) -> impl IntoView {
    let error = use_form_error(create);
    // A new cohort opens at once, as it does without JavaScript (the server's redirect): the
    // next thing to do is to invite its members, and the form cannot be sent twice.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(
                &format!("/coordinator/cohorts/{id}?changed=created"),
                Default::default(),
            );
        }
    });
    view! {
        <section class="section narrow" aria-labelledby="new-cohort-heading">
            <h2 id="new-cohort-heading">{t!(coordinator.new_cohort_heading)}</h2>
            <ActionForm action=create>
                <FormAlert
                    error
                    fields=&["cohort[name]", "cohort[starts_on]", "cohort[ends_on]"]
                />
                <TextField label=t!(coordinator.name_label) name="cohort[name]" error />
                <TextField
                    label=t!(coordinator.first_day)
                    name="cohort[starts_on]"
                    kind="date"
                    hint=t!(coordinator.first_day_hint)
                    error
                />
                <TextField label=t!(coordinator.last_day) name="cohort[ends_on]" kind="date" error />
                <button class="button" type="submit" disabled=move || create.pending().get()>
                    {t!(coordinator.create_cohort)}
                </button>
            </ActionForm>
        </section>
    }
}
