//! `/coordinator/cohorts/:id/evaluation`: how a cohort is doing, for its coordinators; and
//! `/coordinator/evaluation`: the same over every cohort of a framework, for institution
//! coordinators (issue 17). For teachers who joined in a chosen range of days: the funnel from
//! joining to Competent, growth per indicator and self-assessment accuracy, review turnaround,
//! attempts, and assessors. Each chart is server-rendered SVG with its figures in a table
//! beside it; the range is a plain GET form, so the page works without JavaScript; each table
//! is also a CSV file.

mod sections;
use sections::{AssessorsSection, GrowthSection, TurnaroundSection};

use crate::api::evaluation::{get_evaluation, get_institution_evaluation};
use crate::components::error_panel::ErrorPanel;
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::account::Role;
use crate::domain::evaluation::{percent, Attempts, Evaluation, Funnel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::t;

/// The evaluation page (coordinators).
#[component]
pub fn EvaluationPage() -> impl IntoView {
    view! {
        <Title text=t!(evaluation.title) />
        <Private role=Role::Coordinator children=|_| view! { <EvaluationLoader /> } />
    }
}

/// The institution's evaluation page (institution coordinators).
#[component]
pub fn InstitutionEvaluationPage() -> impl IntoView {
    view! {
        <Title text=t!(evaluation.title_all) />
        <Private role=Role::Coordinator children=|_| view! { <InstitutionLoader /> } />
    }
}

#[component]
fn InstitutionLoader() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get("framework").unwrap_or_default(),
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    };
    let data = Resource::new(args, |(framework, from, to)| {
        get_institution_evaluation(framework, from, to)
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(evaluation.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => view! { <EvaluationBody e /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EvaluationLoader() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        let cohort = params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        let q = query.read();
        (
            cohort,
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    };
    let data = Resource::new(args, |(cohort, from, to)| get_evaluation(cohort, from, to));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(evaluation.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(e) => view! { <EvaluationBody e /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EvaluationBody(e: Evaluation) -> impl IntoView {
    let id = e.cohort_id;
    let all = id == 0;
    let attempts = e.attempts.clone();
    let range_query = format!(
        "?from={}&to={}{}",
        crate::domain::url::encode(&e.from),
        crate::domain::url::encode(&e.to),
        if all {
            format!("&framework={}", crate::domain::url::encode(&e.framework))
        } else {
            String::new()
        }
    );
    // Where the CSV files are: `{files}/funnel.csv{range_query}`.
    let files = if all {
        "/coordinator/evaluation".to_owned()
    } else {
        format!("/coordinator/cohorts/{id}/evaluation")
    };
    let (back, back_label) = if all {
        (
            "/coordinator".to_owned(),
            t!(evaluation.back_cohorts).to_owned(),
        )
    } else {
        (
            format!("/coordinator/cohorts/{id}"),
            format!("← {}", e.cohort_name),
        )
    };
    let framework_title = e
        .frameworks
        .iter()
        .find(|(slug, _)| *slug == e.framework)
        .map(|(_, title)| title.clone())
        .unwrap_or_else(|| e.framework.clone());
    let heading = if all {
        crate::i18n::k::evaluation::heading_all(&framework_title)
    } else {
        crate::i18n::k::evaluation::heading_cohort(&e.cohort_name)
    };
    let framework_field = all.then(|| {
        let options = e
            .frameworks
            .iter()
            .map(|(slug, title)| {
                view! { <option value=slug.clone() selected=*slug == e.framework>{title.clone()}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="evaluation-framework">{t!(evaluation.framework_label)}</label>
                <select id="evaluation-framework" name="framework">{options}</select>
            </div>
        }
    });
    let growth = e.growth.clone();
    let turnaround = e.turnaround.clone();
    let assessors = e.assessors.clone();
    let everyone = if all {
        t!(evaluation.everyone_all)
    } else {
        t!(evaluation.everyone_cohort)
    };
    let who = match (e.from.is_empty(), e.to.is_empty()) {
        (true, true) => everyone.to_owned(),
        (false, true) => crate::i18n::k::evaluation::who_from(&e.from),
        (true, false) => crate::i18n::k::evaluation::who_to(&e.to),
        (false, false) => crate::i18n::k::evaluation::who_range(&e.from, &e.to),
    };
    let rows = e
        .competencies
        .iter()
        .map(|c| {
            let cells = c
                .funnel
                .stages()
                .into_iter()
                .skip(1)
                .map(|(_, n)| {
                    view! { <td>{format!("{n} ({})", percent(n, c.funnel.joined))}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{c.title.clone()}</th>
                    <td>{c.funnel.joined}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p><A exact=true href=back>{back_label}</A></p>
        <h1>{heading}</h1>
        <form method="get" class="evaluation-range" aria-label=t!(evaluation.range_label)>
            {framework_field}
            <div class="field">
                <label for="evaluation-from">{t!(evaluation.joined_from)}</label>
                <input id="evaluation-from" name="from" type="date" value=e.from.clone() />
            </div>
            <div class="field">
                <label for="evaluation-to">{t!(evaluation.joined_to)}</label>
                <input id="evaluation-to" name="to" type="date" value=e.to.clone() />
            </div>
            <button type="submit" class="button">{t!(evaluation.show)}</button>
        </form>
        <section class="section" aria-labelledby="funnel-heading">
            <h2 id="funnel-heading">{t!(evaluation.funnel_heading)}</h2>
            <p>
                {crate::i18n::k::evaluation::funnel_intro(&who)}
                <a href=format!("{files}/funnel.csv{range_query}") download="" rel="external">
                    {t!(evaluation.download_both)}
                </a>
            </p>
            <FunnelChart funnel=e.overall />
            <TableScroll label=t!(evaluation.per_competency)>
                <table class="table">
                    <caption>{t!(evaluation.per_competency_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(evaluation.col_competency)}</th>
                            <th scope="col">{t!(evaluation.col_joined)}</th>
                            <th scope="col">{t!(evaluation.col_baseline_complete)}</th>
                            <th scope="col">{t!(evaluation.col_units_done)}</th>
                            <th scope="col">{t!(evaluation.col_evidence_submitted)}</th>
                            <th scope="col">{t!(evaluation.col_competent)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        </section>
        <GrowthSection rows=growth csv=format!("{files}/growth.csv{range_query}") />
        <TurnaroundSection t=turnaround csv=format!("{files}/turnaround.csv{range_query}") />
        <AttemptsSection cohort_id=id a=attempts csv=format!("{files}/attempts.csv{range_query}") />
        <AssessorsSection a=assessors csv=format!("{files}/assessors.csv{range_query}") />
    }
}

/// Decisions and attempts of the same teachers, and who is at the attempt limit now.
#[component]
fn AttemptsSection(cohort_id: i64, a: Attempts, csv: String) -> impl IntoView {
    let decided = a.competent + a.not_yet;
    let allowed = if cohort_id == 0 {
        t!(evaluation.allowed_each).to_owned()
    } else {
        crate::i18n::k::evaluation::allowed_cohort(a.max_attempts)
    };
    let rows = a
        .to_competent
        .iter()
        .map(|(attempt, n)| {
            view! {
                <tr>
                    <th scope="row">{crate::i18n::k::evaluation::attempt_n(attempt)}</th>
                    <td>{*n}</td>
                    <td>{percent(*n, a.competent)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="attempts-heading">
            <h2 id="attempts-heading">{t!(evaluation.attempts_heading)}</h2>
            <p>
                {if crate::i18n::singular(decided) {
                    crate::i18n::k::evaluation::attempts_summary_one(
                        decided,
                        a.not_yet,
                        percent(a.not_yet, decided),
                        a.competent,
                        a.mean_to_competent(),
                        &allowed,
                    )
                } else {
                    crate::i18n::k::evaluation::attempts_summary_other(
                        decided,
                        a.not_yet,
                        percent(a.not_yet, decided),
                        a.competent,
                        a.mean_to_competent(),
                        &allowed,
                    )
                }}
                <a href=csv download="" rel="external">
                    {t!(evaluation.download_attempts)}
                </a>
            </p>
            <TableScroll label=t!(evaluation.attempts_table)>
                <table class="table">
                    <caption>{t!(evaluation.attempts_table)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(evaluation.col_attempt)}</th>
                            <th scope="col">{t!(evaluation.col_competent_decisions)}</th>
                            <th scope="col">{t!(evaluation.col_share)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
            <p>
                {crate::i18n::k::evaluation::at_limit(a.at_limit)}
                {(cohort_id != 0).then(|| view! {
                    <A exact=true href=format!("/coordinator/cohorts/{cohort_id}/moderation")>{t!(evaluation.allow_extra)}</A>
                })}
            </p>
        </section>
    }
}

/// The overall funnel: a bar per stage (its share of those who joined, drawn in a 400-unit
/// track like the dashboard's growth chart), then the same figures as a table.
#[component]
fn FunnelChart(funnel: Funnel) -> impl IntoView {
    let joined = funnel.joined;
    let stages = funnel.stages();
    let bars = stages
        .iter()
        .map(|(name, n)| {
            let width = if joined > 0 { n * 400 / joined } else { 0 };
            view! {
                <div class="growth__row">
                    <span class="growth__label">{*name}</span>
                    <span class="growth__line">
                        <svg class="growth__track" viewBox="0 0 400 12" preserveAspectRatio="none" focusable="false">
                            <rect class="growth__current" x="0" y="0" width=width height="12" />
                        </svg>
                        <span class="growth__value">{format!("{n} · {}", percent(*n, joined))}</span>
                    </span>
                </div>
            }
        })
        .collect_view();
    let rows = stages
        .iter()
        .map(|(name, n)| {
            view! {
                <tr>
                    <th scope="row">{*name}</th>
                    <td>{*n}</td>
                    <td>{percent(*n, joined)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="growth">
            <div
                class="growth__chart"
                role="img"
                aria-label=t!(evaluation.funnel_chart_label)
            >
                {bars}
            </div>
            <TableScroll label=t!(evaluation.overall_table)>
                <table class="growth__table">
                    <caption>{t!(evaluation.overall_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(evaluation.col_stage)}</th>
                            <th scope="col">{t!(evaluation.col_teachers)}</th>
                            <th scope="col">{t!(evaluation.col_share)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        </figure>
    }
}
