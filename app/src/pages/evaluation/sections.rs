//! The evaluation page's sections after the funnel: growth per indicator with self-assessment
//! accuracy, turnaround, and assessors. Each chart draws its bars as SVG in a 400-unit track
//! (like the dashboard's growth chart) with its words as HTML, and the same figures follow in
//! a table.

use crate::components::layout::TableScroll;
use crate::domain::evaluation::{
    percent, show_kappa, show_share, Assessors, IndicatorGrowth, Turnaround, TURNAROUND_BINS,
};
use crate::domain::rating::Level;
use crate::domain::time::utc_date;
use leptos::prelude::*;

use crate::t;

/// One bar: `width` of 400 units, with the 1–4 grid behind it when `grid`.
fn bar(width: i64, class: &'static str, grid: bool) -> impl IntoView {
    let w = width.clamp(0, 400);
    view! {
        <svg class="growth__track" viewBox="0 0 400 12" preserveAspectRatio="none" focusable="false">
            {grid.then(|| {
                [100u32, 200, 300, 400]
                    .map(|x| view! { <line class="growth__grid" x1=x y1="0" x2=x y2="12" /> })
            })}
            <rect class=class x="0" y="0" width=w height="12" />
        </svg>
    }
}

/// Growth per indicator and how self-ratings compare with assessors' levels.
#[component]
pub fn GrowthSection(rows: Vec<IndicatorGrowth>, csv: String) -> impl IntoView {
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
    let mut last = String::new();
    let bars = rows
        .iter()
        .map(|g| {
            let group = (g.competency != last).then(|| {
                last.clone_from(&g.competency);
                view! { <span class="evaluation__group">{g.competency.clone()}</span> }
            });
            // Means in tenths (10–40) on the 400-unit track: × 10.
            let width = |m: crate::domain::evaluation::Mean| m.tenths().unwrap_or(0) * 10;
            view! {
                {group}
                <div class="growth__row">
                    <span class="growth__label evaluation__indicator">{g.indicator.clone()}</span>
                    <span class="growth__line">
                        {bar(width(g.baseline), "growth__baseline", true)}
                        <span class="growth__value">{g.baseline.show()}</span>
                    </span>
                    <span class="growth__line">
                        {bar(width(g.current), "growth__current", true)}
                        <span class="growth__value">{g.current.show()}</span>
                    </span>
                </div>
            }
        })
        .collect_view();
    let table_rows = rows
        .iter()
        .map(|g| {
            let compared = g.agree + g.above + g.below;
            view! {
                <tr>
                    <td>{g.competency.clone()}</td>
                    <th scope="row">{g.indicator.clone()}</th>
                    <td>{format!("{} ({})", g.baseline.show(), g.baseline.n)}</td>
                    <td>{format!("{} ({})", g.current.show(), g.current.n)}</td>
                    <td>{format!("{} · {} · {}", g.assessed[0], g.assessed[1], g.assessed[2])}</td>
                    <td>{if compared == 0 { "–".to_owned() } else { percent(g.agree, compared) }}</td>
                    <td>{g.above}</td>
                    <td>{g.below}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="growth-heading">
            <h2 id="growth-heading">{t!(evaluation.growth_heading)}</h2>
            <p>
                {t!(evaluation.growth_intro)}
                <a href=csv download="" rel="external">{t!(evaluation.download_growth)}</a>
            </p>
            <figure class="growth">
                <div
                    class="growth__chart"
                    role="img"
                    aria-label=t!(evaluation.growth_chart_label)
                >
                    <div class="growth__axis">
                        <span class="growth__ticks">{ticks}</span>
                    </div>
                    {bars}
                </div>
                <figcaption class="growth__legend">
                    <span class="growth__key growth__key--baseline" aria-hidden="true"></span>
                    {t!(evaluation.legend_baseline)}
                    <span class="growth__key growth__key--current" aria-hidden="true"></span>
                    {t!(evaluation.legend_now)}
                </figcaption>
            </figure>
            <p>
                {t!(evaluation.accuracy_intro)}
            </p>
            <TableScroll label=t!(evaluation.growth_table)>
                <table class="table">
                    <caption>{t!(evaluation.growth_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(evaluation.col_competency)}</th>
                            <th scope="col">{t!(evaluation.col_indicator)}</th>
                            <th scope="col">{t!(evaluation.col_baseline)}</th>
                            <th scope="col">{t!(evaluation.col_now)}</th>
                            <th scope="col">{t!(evaluation.col_assessed)}</th>
                            <th scope="col">{t!(evaluation.col_agrees)}</th>
                            <th scope="col">{t!(evaluation.col_above)}</th>
                            <th scope="col">{t!(evaluation.col_below)}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </TableScroll>
        </section>
    }
}

/// Submission to decision in business days, against the target, and the oldest waiting.
#[component]
pub fn TurnaroundSection(t: Turnaround, csv: String) -> impl IntoView {
    let days = |d: Option<i64>| d.map_or_else(|| "–".to_owned(), |d| d.to_string());
    let target_text = match t.target_days {
        Some(d) => crate::i18n::k::evaluation::target_cohort(d),
        None => t!(evaluation.target_each).to_owned(),
    };
    let most = t.bins.iter().copied().max().unwrap_or(0).max(1);
    // A bin is beyond the target when all its days are (one cohort's target only).
    let beyond = |lo: i64| t.target_days.is_some_and(|d| lo > d);
    let label = |lo: i64, hi: Option<i64>| match hi {
        Some(hi) if hi == lo => crate::i18n::k::evaluation::bin_days(lo),
        Some(hi) => crate::i18n::k::evaluation::bin_range(lo, hi),
        None => crate::i18n::k::evaluation::bin_more(lo),
    };
    let (beyond_text, waiting_beyond_text) = (
        t!(evaluation.beyond_target),
        t!(evaluation.waiting_beyond_target),
    );
    let bars = TURNAROUND_BINS
        .iter()
        .zip(&t.bins)
        .map(|((lo, hi), n)| {
            let late = beyond(*lo);
            view! {
                <div class="growth__row">
                    <span class="growth__label">
                        {label(*lo, *hi)}
                        {late.then_some(beyond_text)}
                    </span>
                    <span class="growth__line">
                        {bar(n * 400 / most, if late { "evaluation__late" } else { "growth__current" }, false)}
                        <span class="growth__value">{*n}</span>
                    </span>
                </div>
            }
        })
        .collect_view();
    let bin_rows = TURNAROUND_BINS
        .iter()
        .zip(&t.bins)
        .map(|((lo, hi), n)| {
            view! {
                <tr>
                    <th scope="row">{label(*lo, *hi)}</th>
                    <td>{*n}</td>
                    <td>{percent(*n, t.decided)}</td>
                </tr>
            }
        })
        .collect_view();
    let several = t.target_days.is_none();
    let waiting_rows = t
        .oldest
        .iter()
        .map(|w| {
            view! {
                <tr class=w.late.then_some("evaluation__late-row")>
                    <th scope="row">{w.teacher.clone()}</th>
                    <td>{w.competency.clone()}</td>
                    {several.then(|| view! { <td>{w.cohort.clone()}</td> })}
                    <td>{utc_date(w.submitted_at)}</td>
                    <td>{w.days}{w.late.then_some(waiting_beyond_text)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="turnaround-heading">
            <h2 id="turnaround-heading">{t!(evaluation.turnaround_heading)}</h2>
            <p>
                {
                    // One text node, so the two sentences read (and are found) as one.
                    let summary = if crate::i18n::singular(t.decided) {
                        crate::i18n::k::evaluation::turnaround_summary_one(t.decided, days(t.median), days(t.p90))
                    } else {
                        crate::i18n::k::evaluation::turnaround_summary_other(t.decided, days(t.median), days(t.p90))
                    };
                    let late = if crate::i18n::singular(t.late) {
                        crate::i18n::k::evaluation::turnaround_late_one(&target_text, t.late)
                    } else {
                        crate::i18n::k::evaluation::turnaround_late_other(&target_text, t.late)
                    };
                    format!("{summary}{late}")
                }
                <a href=csv download="" rel="external">{t!(evaluation.download_turnaround)}</a>
            </p>
            <figure class="growth">
                <div
                    class="growth__chart"
                    role="img"
                    aria-label=t!(evaluation.turnaround_chart_label)
                >
                    {bars}
                </div>
                <TableScroll label=t!(evaluation.decisions_by_days)>
                    <table class="growth__table">
                        <caption>{t!(evaluation.decisions_by_days)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(evaluation.col_business_days)}</th>
                                <th scope="col">{t!(evaluation.col_decisions)}</th>
                                <th scope="col">{t!(evaluation.col_share)}</th>
                            </tr>
                        </thead>
                        <tbody>{bin_rows}</tbody>
                    </table>
                </TableScroll>
            </figure>
            <h3>{t!(evaluation.waiting_heading)}</h3>
            <p>
                {if crate::i18n::singular(t.waiting) {
                    crate::i18n::k::evaluation::waiting_one(t.waiting, t.waiting_late)
                } else {
                    crate::i18n::k::evaluation::waiting_other(t.waiting, t.waiting_late)
                }}
            </p>
            {(!t.oldest.is_empty()).then(|| view! {
                <TableScroll label=t!(evaluation.oldest_waiting)>
                    <table class="table">
                        <caption>{t!(evaluation.oldest_waiting)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(evaluation.col_teacher)}</th>
                                <th scope="col">{t!(evaluation.col_competency)}</th>
                                {several.then(|| view! { <th scope="col">{t!(evaluation.col_cohort)}</th> })}
                                <th scope="col">{t!(evaluation.col_submitted)}</th>
                                <th scope="col">{t!(evaluation.col_days_waiting)}</th>
                            </tr>
                        </thead>
                        <tbody>{waiting_rows}</tbody>
                    </table>
                </TableScroll>
            })}
        </section>
    }
}

/// Decisions per assessor, lapsed claims, and agreement between markers from moderation.
#[component]
pub fn AssessorsSection(a: Assessors, csv: String) -> impl IntoView {
    let rows = a
        .rows
        .iter()
        .map(|r| {
            let agreement = r.agreement.map_or_else(
                || "–".to_owned(),
                |g| format!("{} (κ {})", show_share(Some(g.percent)), show_kappa(g.kappa)),
            );
            view! {
                <tr>
                    <th scope="row">{r.name.clone()}</th>
                    <td>{r.first}</td>
                    <td>{r.second}</td>
                    <td>{r.competent}</td>
                    <td>{r.not_yet}</td>
                    <td>{r.lapsed}</td>
                    <td>{r.moderated}</td>
                    <td>{if r.moderated == 0 { "–".to_owned() } else { percent(r.decisions_agreed, r.moderated) }}</td>
                    <td>{agreement}</td>
                </tr>
            }
        })
        .collect_view();
    let decisions = a.decisions.map_or_else(
        || t!(evaluation.decisions_none).to_owned(),
        |d| {
            crate::i18n::k::evaluation::decisions_agreed(
                show_share(Some(d.percent)),
                show_kappa(d.kappa),
            )
        },
    );
    let levels = a.indicators.map_or_else(String::new, |g| {
        crate::i18n::k::evaluation::levels_agreed(
            show_share(Some(g.percent)),
            g.pairs,
            show_kappa(g.kappa),
        )
    });
    view! {
        <section class="section" aria-labelledby="assessors-heading">
            <h2 id="assessors-heading">{t!(evaluation.assessors_heading)}</h2>
            <p>
                {crate::i18n::k::evaluation::assessors_summary(
                    a.second_marked,
                    a.decided,
                    percent(a.second_marked, a.decided),
                    &decisions,
                    &levels,
                )}
                <a href=csv download="" rel="external">{t!(evaluation.download_assessors)}</a>
            </p>
            <TableScroll label=t!(evaluation.per_assessor)>
                <table class="table">
                    <caption>{t!(evaluation.per_assessor_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(evaluation.col_assessor)}</th>
                            <th scope="col">{t!(evaluation.col_first_reviews)}</th>
                            <th scope="col">{t!(evaluation.col_second_markings)}</th>
                            <th scope="col">{t!(evaluation.col_competent)}</th>
                            <th scope="col">{t!(evaluation.col_not_yet)}</th>
                            <th scope="col">{t!(evaluation.col_claims_lapsed)}</th>
                            <th scope="col">{t!(evaluation.col_second_marked)}</th>
                            <th scope="col">{t!(evaluation.col_decisions_agreed)}</th>
                            <th scope="col">{t!(evaluation.col_levels_agreed)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        </section>
    }
}
