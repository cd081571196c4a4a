//! `/dashboard`: where a teacher stands. Progress per domain, the next step drawn from their own
//! ratings, and the growth chart (server-rendered SVG with a table for screen readers).

use crate::api::dashboard::get_dashboard;
use crate::components::assessment::StatusLabel;
use crate::components::error_panel::ErrorPanel;
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::dashboard::{hundredths, Dashboard, DomainProgress, GrowthRow};
use crate::domain::rating::Level;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::t;

/// The dashboard page (signed-in only).
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text=t!(dashboard.title) />
        <Private children=|viewer| {
            // A teacher's dashboard only for teachers (and people not in a cohort yet, whose
            // course is open): an assessor or coordinator is pointed to their own work.
            if crate::domain::account::landing(viewer.is_admin, &viewer.roles) == "/dashboard" {
                view! { <DashboardLoader /> }.into_any()
            } else {
                view! { <NotATeacher viewer /> }.into_any()
            }
        } />
    }
}

/// The dashboard of someone who holds roles but teaches in no cohort: where their work is.
#[component]
fn NotATeacher(viewer: crate::domain::account::Viewer) -> impl IntoView {
    use crate::domain::account::Role;
    let assesses = viewer.has_role_anywhere(Role::Assessor);
    let coordinates = viewer.has_role_anywhere(Role::Coordinator);
    view! {
        <h1>{t!(dashboard.title)}</h1>
        <p class="lead">
            {t!(dashboard.not_teacher_lead)}
        </p>
        <ul class="link-list">
            {assesses.then(|| view! {
                <li><A exact=true href="/assess">{t!(dashboard.assess_queue)}</A>{t!(dashboard.assess_queue_after)}</li>
            })}
            {coordinates.then(|| view! {
                <li><A exact=true href="/coordinator">{t!(dashboard.cohorts)}</A>{t!(dashboard.cohorts_after)}</li>
            })}
        </ul>
    }
}

#[component]
fn DashboardLoader() -> impl IntoView {
    let dashboard = Resource::new(|| (), |()| get_dashboard());
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(dashboard.loading)}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let query = use_query_map();
    let welcome = Signal::derive(move || query.read().get("welcome").is_some());
    let fw = d.framework_slug.clone();
    let baseline = (d.baseline_rated < d.indicators_total).then(|| {
        let start = d
            .baseline_next
            .clone()
            .map(|c| format!("/frameworks/{fw}/competencies/{c}/checklist?phase=baseline"));
        view! { <BaselineInvitation welcome rated=d.baseline_rated total=d.indicators_total start /> }
    });
    let fw_for_steps = fw.clone();
    let fw_for_growth = fw.clone();
    // Decisions not opened yet come first, where nobody can miss them (issue 15).
    let decisions: Vec<_> = d
        .evidence
        .iter()
        .filter_map(|e| {
            e.new_decision
                .map(|competent| (e.slug.clone(), e.title.clone(), competent, e.badge.clone()))
        })
        .collect();
    let notices = (!decisions.is_empty()).then(|| {
        let items = decisions
            .into_iter()
            .map(|(slug, title, competent, badge)| {
                let href = format!("/frameworks/{fw}/competencies/{slug}/evidence");
                if competent {
                    view! {
                        <li>
                            <strong>{crate::i18n::k::dashboard::decision_competent(&title)}</strong>" "
                            <A exact=true href=href>{t!(dashboard.read_feedback)}<span class="visually-hidden">{crate::i18n::k::dashboard::for_title(&title)}</span></A>" · "
                            {match badge {
                                Some(id) => view! {
                                    <A exact=true href=format!("/credentials/{id}")>{t!(dashboard.see_new_badge)}</A>
                                }
                                .into_any(),
                                None => view! { <A exact=true href="/credentials">{t!(dashboard.your_credentials)}</A> }.into_any(),
                            }}
                        </li>
                    }
                    .into_any()
                } else {
                    view! {
                        <li>
                            <strong>{crate::i18n::k::dashboard::decision_not_yet(&title)}</strong>" "
                            <A exact=true href=href>{t!(dashboard.see_improve)}<span class="visually-hidden">{crate::i18n::k::dashboard::for_title(&title)}</span></A>
                        </li>
                    }
                    .into_any()
                }
            })
            .collect_view();
        view! {
            <section class="callout callout--decision" aria-labelledby="decisions-heading">
                <h2 id="decisions-heading">{t!(dashboard.decisions_heading)}</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    view! {
        <h1>{t!(dashboard.title)}</h1>
        <p class="lead">{d.framework_title.clone()}</p>
        {notices}
        {baseline}
        <section class="section" aria-labelledby="next-heading">
            <h2 id="next-heading">{t!(dashboard.next_heading)}</h2>
            {if d.next_steps.is_empty() {
                view! { <p>{t!(dashboard.all_units_done)}</p> }
                    .into_any()
            } else {
                view! {
                    <ol class="next-steps">
                        {d
                            .next_steps
                            .clone()
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <li class="next-steps__item">
                                        <A exact=true href=format!("/frameworks/{fw_for_steps}/units/{}", s.unit_slug)>
                                            {s.unit_title}
                                        </A>
                                        <span class="meta">
                                            {crate::i18n::k::dashboard::step_meta(&s.competency_title, s.minutes)}
                                        </span>
                                        <p class="next-steps__why">{s.reason}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
        <section class="section" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{t!(dashboard.progress_heading)}</h2>
            <div class="domain-progress">
                {d.domains.clone().into_iter().map(|p| view! { <DomainCard p /> }).collect_view()}
            </div>
        </section>
        <section class="section" id="evidence" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{t!(dashboard.evidence_heading)}</h2>
            <p>{t!(dashboard.evidence_text)}</p>
            <TableScroll label=t!(dashboard.evidence_table)>
                <table class="evidence-status">
                    <caption class="visually-hidden">{t!(dashboard.evidence_table)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(dashboard.col_competency)}</th>
                            <th scope="col">{t!(dashboard.col_status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .evidence
                            .clone()
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <A exact=true href=format!("/frameworks/{fw}/competencies/{}/evidence", e.slug)>{e.title}<span class="visually-hidden">{t!(dashboard.evidence_suffix)}</span></A>
                                        </th>
                                        <td>
                                            <StatusLabel status=e.status />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableScroll>
        </section>
        <section class="section" aria-labelledby="growth-heading">
            <h2 id="growth-heading">{t!(dashboard.growth_heading)}</h2>
            <p>
                {t!(dashboard.growth_text)}
            </p>
            <GrowthChart rows=d.growth.clone() framework=fw_for_growth />
        </section>
    }
}

#[component]
fn BaselineInvitation(
    welcome: Signal<bool>,
    rated: u32,
    total: u32,
    start: Option<String>,
) -> impl IntoView {
    let start = start.unwrap_or_default();
    view! {
        <section class="callout" class:callout--welcome=welcome aria-labelledby="baseline-heading">
            <h2 id="baseline-heading">
                {move || {
                    if welcome.get() { t!(dashboard.welcome_heading) } else { t!(dashboard.baseline_heading) }
                }}
            </h2>
            <p>
                {t!(dashboard.baseline_text)}
            </p>
            <p class="meta">{crate::i18n::k::dashboard::baseline_count(rated, total)}</p>
            <p class="actions">
                <a class="button" href=start>
                    {if rated == 0 { t!(dashboard.rate_start) } else { t!(dashboard.continue_baseline) }}
                </a>
                {move || {
                    welcome
                        .get()
                        .then(|| {
                        view! {
                            <A exact=true href="/dashboard" attr:class="button button--secondary">
                                {t!(dashboard.skip)}
                            </A>
                        }
                    })
                }}
            </p>
        </section>
    }
}

#[component]
fn DomainCard(p: DomainProgress) -> impl IntoView {
    let bar = |label: &'static str, done: u32, total: u32| {
        let max = total.max(1).to_string();
        view! {
            <div class="progress">
                <div class="progress__label">
                    <span>{label}</span>
                    <span>{crate::i18n::k::dashboard::of_total(done, total)}</span>
                </div>
                <progress value=done.to_string() max=max aria-label=crate::i18n::k::dashboard::bar_label(label, done, total)>
                    {crate::i18n::k::dashboard::of_total(done, total)}
                </progress>
            </div>
        }
    };
    view! {
        <article class="domain-card">
            <h3>{p.title.clone()}</h3>
            {bar(t!(dashboard.units_done), p.units_done, p.units_total)}
            {bar(t!(dashboard.indicators_rated), p.indicators_rated, p.indicators_total)}
            {bar(t!(dashboard.competencies_validated), p.competencies_validated, p.competencies_total)}
        </article>
    }
}

/// One bar of the growth chart: the mean level × 100 (0 to 400) drawn as a rectangle in a
/// 400-unit track that stretches to the row's width, with the 1–4 grid lines behind it. Only
/// the bars are SVG: the chart's words are HTML text, so they keep their size on a phone.
#[component]
fn GrowthBar(value: Option<u32>, class: &'static str) -> impl IntoView {
    let v = value.unwrap_or(0).min(400);
    view! {
        <span class="growth__line">
            <svg class="growth__track" viewBox="0 0 400 12" preserveAspectRatio="none" focusable="false">
                {[100u32, 200, 300, 400]
                    .map(|x| view! { <line class="growth__grid" x1=x y1="0" x2=x y2="12" /> })}
                <rect class=class x="0" y="0" width=v height="12" />
            </svg>
            <span class="growth__value">{value.map(hundredths).unwrap_or_else(|| "–".into())}</span>
        </span>
    }
}

/// Baseline against now, per competency: a bar chart with the same figures in a table. The
/// chart is one image for assistive technology (the table is the accessible form). With
/// `framework`, each competency links to its checklist (the teacher's own pages); a document
/// others read (the printed Learning Statement) leaves it out and links nowhere private.
#[component]
pub fn GrowthChart(
    rows: Vec<GrowthRow>,
    #[prop(optional, into)] framework: Option<String>,
) -> impl IntoView {
    let ticks = Level::ALL
        .iter()
        .map(|l| {
            view! {
                <span class=format!("growth__tick growth__tick--{}", l.value())>
                    {l.value()}
                    <span class="growth__tick-name">{format!(" {}", l.label())}</span>
                </span>
            }
        })
        .collect_view();
    let bars = rows
        .iter()
        .map(|r| {
            view! {
                <div class="growth__row">
                    <span class="growth__label">{r.title.clone()}</span>
                    <GrowthBar value=r.baseline class="growth__baseline" />
                    <GrowthBar value=r.current class="growth__current" />
                </div>
            }
        })
        .collect_view();
    let table_rows = rows
        .iter()
        .map(|r| {
            let title = match &framework {
                Some(framework) => {
                    let checklist =
                        format!("/frameworks/{framework}/competencies/{}/checklist", r.slug);
                    // Named apart from the evidence table's link to the same competency.
                    view! { <a href=checklist>{r.title.clone()}<span class="visually-hidden">{t!(dashboard.checklist_suffix)}</span></a> }.into_any()
                }
                None => r.title.clone().into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{title}</th>
                    <td>{r.baseline.map(hundredths).unwrap_or_else(|| t!(dashboard.not_rated).into())}</td>
                    <td>{r.current.map(hundredths).unwrap_or_else(|| t!(dashboard.not_rated).into())}</td>
                    <td>{crate::i18n::k::dashboard::of_total(r.rated, r.total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="growth">
            <div
                class="growth__chart"
                role="img"
                aria-label=t!(dashboard.chart_label)
            >
                <div class="growth__axis">
                    <span class="growth__ticks">{ticks}</span>
                </div>
                {bars}
            </div>
            <figcaption class="growth__legend">
                <span class="growth__key growth__key--baseline" aria-hidden="true"></span>
                {t!(dashboard.legend_baseline)}
                <span class="growth__key growth__key--current" aria-hidden="true"></span>
                {t!(dashboard.now)}
            </figcaption>
            <TableScroll label=t!(dashboard.growth_table)>
                <table class="growth__table">
                    <caption>{t!(dashboard.growth_table)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(dashboard.col_competency)}</th>
                            <th scope="col">{t!(dashboard.col_baseline)}</th>
                            <th scope="col">{t!(dashboard.now)}</th>
                            <th scope="col">{t!(dashboard.indicators_rated)}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </TableScroll>
        </figure>
    }
}
