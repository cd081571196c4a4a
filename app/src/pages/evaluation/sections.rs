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
            <h2 id="growth-heading">"Growth per indicator"</h2>
            <p>
                "Mean self-rating at baseline and now (1 Not yet to 4 Demonstrating). Assessed levels are those of each teacher's latest decided attempt, from the review that stands. "
                <a href=csv download="" rel="external">"Download growth per indicator (CSV)"</a>
            </p>
            <figure class="growth">
                <div
                    class="growth__chart"
                    role="img"
                    aria-label="Bar chart: baseline and current mean self-rating per indicator. The same figures are in the table that follows."
                >
                    <div class="growth__axis">
                        <span class="growth__ticks">{ticks}</span>
                    </div>
                    {bars}
                </div>
                <figcaption class="growth__legend">
                    <span class="growth__key growth__key--baseline" aria-hidden="true"></span>
                    "Baseline "
                    <span class="growth__key growth__key--current" aria-hidden="true"></span>
                    "Now"
                </figcaption>
            </figure>
            <p>
                "Self-assessment accuracy compares each assessed teacher's current self-rating with the assessor's level on the same indicator, reading Not yet as Not evident, Emerging and Developing as Partly evident, and Demonstrating as Evident. “Above” means the teacher rated themselves higher than the assessor did."
            </p>
            <TableScroll label="Growth and self-assessment accuracy per indicator">
                <table class="table">
                    <caption>"Per indicator: mean self-rating (ratings), assessed levels, and self-ratings against them"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Competency"</th>
                            <th scope="col">"Indicator"</th>
                            <th scope="col">"Baseline"</th>
                            <th scope="col">"Now"</th>
                            <th scope="col">"Assessed: not · partly · evident"</th>
                            <th scope="col">"Self-rating agrees"</th>
                            <th scope="col">"Above"</th>
                            <th scope="col">"Below"</th>
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
        Some(d) => format!("The cohort's target is {d} business days"),
        None => "Each cohort sets its own target".to_owned(),
    };
    let most = t.bins.iter().copied().max().unwrap_or(0).max(1);
    // A bin is beyond the target when all its days are (one cohort's target only).
    let beyond = |lo: i64| t.target_days.is_some_and(|d| lo > d);
    let label = |lo: i64, hi: Option<i64>| match hi {
        Some(hi) if hi == lo => format!("{lo} days"),
        Some(hi) => format!("{lo}–{hi} days"),
        None => format!("{lo} days or more"),
    };
    let bars = TURNAROUND_BINS
        .iter()
        .zip(&t.bins)
        .map(|((lo, hi), n)| {
            let late = beyond(*lo);
            view! {
                <div class="growth__row">
                    <span class="growth__label">
                        {label(*lo, *hi)}
                        {late.then_some(" (beyond the target)")}
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
                    <td>{w.days}{w.late.then_some(" – beyond the target")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="turnaround-heading">
            <h2 id="turnaround-heading">"Review turnaround"</h2>
            <p>
                {format!(
                    "{} {}, from submission to decision in business days (Monday to Friday): median {}, 90th percentile {}. {target_text}: {} {} beyond it. ",
                    t.decided,
                    if t.decided == 1 { "decision" } else { "decisions" },
                    days(t.median),
                    days(t.p90),
                    t.late,
                    if t.late == 1 { "was" } else { "were" },
                )}
                <a href=csv download="" rel="external">"Download turnaround (CSV)"</a>
            </p>
            <figure class="growth">
                <div
                    class="growth__chart"
                    role="img"
                    aria-label="Bar chart: decisions by business days from submission. The same figures are in the table that follows."
                >
                    {bars}
                </div>
                <TableScroll label="Decisions by business days from submission">
                    <table class="growth__table">
                        <caption>"Decisions by business days from submission"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Business days"</th>
                                <th scope="col">"Decisions"</th>
                                <th scope="col">"Share"</th>
                            </tr>
                        </thead>
                        <tbody>{bin_rows}</tbody>
                    </table>
                </TableScroll>
            </figure>
            <h3>"Waiting now"</h3>
            <p>
                {format!(
                    "{} {} waiting for a decision; {} beyond the target.",
                    t.waiting,
                    if t.waiting == 1 { "submission is" } else { "submissions are" },
                    t.waiting_late,
                )}
            </p>
            {(!t.oldest.is_empty()).then(|| view! {
                <TableScroll label="The oldest waiting submissions">
                    <table class="table">
                        <caption>"The oldest waiting submissions"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Teacher"</th>
                                <th scope="col">"Competency"</th>
                                {several.then(|| view! { <th scope="col">"Cohort"</th> })}
                                <th scope="col">"Submitted (UTC)"</th>
                                <th scope="col">"Business days waiting"</th>
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
        || "no submission has been second-marked yet".to_owned(),
        |d| {
            format!(
                "the two markers' decisions agreed on {} (κ {})",
                show_share(Some(d.percent)),
                show_kappa(d.kappa)
            )
        },
    );
    let levels = a.indicators.map_or_else(String::new, |g| {
        format!(
            "; their indicator levels agreed on {} of {} pairs (κ {})",
            show_share(Some(g.percent)),
            g.pairs,
            show_kappa(g.kappa)
        )
    });
    view! {
        <section class="section" aria-labelledby="assessors-heading">
            <h2 id="assessors-heading">"Assessors"</h2>
            <p>
                {format!(
                    "{} of {} decided submissions were second-marked ({}): {decisions}{levels}. κ is Cohen's kappa: agreement beyond chance, 1 for perfect, 0 for chance. ",
                    a.second_marked,
                    a.decided,
                    percent(a.second_marked, a.decided),
                )}
                <a href=csv download="" rel="external">"Download assessors (CSV)"</a>
            </p>
            <TableScroll label="Per assessor">
                <table class="table">
                    <caption>"Per assessor: reviews, decisions, claims that lapsed, and agreement when second-marked"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Assessor"</th>
                            <th scope="col">"First reviews"</th>
                            <th scope="col">"Second markings"</th>
                            <th scope="col">"Competent"</th>
                            <th scope="col">"Not yet"</th>
                            <th scope="col">"Claims lapsed"</th>
                            <th scope="col">"Second-marked"</th>
                            <th scope="col">"Decisions agreed"</th>
                            <th scope="col">"Indicator levels agreed"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        </section>
    }
}
