//! The evaluation page's tables as CSV files, one file per table, for a cohort or for every
//! cohort of a framework.

use super::{cohort_coordinator, csv_file, internal, refuse, signed_in, Range, Refused};
use crate::startup::AppState;
use app::auth::CurrentSession;
use app::db::evaluation::Scope;
use app::domain::evaluation::{
    percent, show_kappa, show_share, Evaluation, Funnel, TURNAROUND_BINS,
};
use app::domain::time::utc_date;
use app::export::Table;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

type Make = fn(&Evaluation) -> Table;

/// The table a file name asks for, or 404.
fn table_for(file: &str) -> Result<(&'static str, Make), Refused> {
    Ok(match file {
        "funnel.csv" => ("funnel", funnel_table),
        "attempts.csv" => ("attempts", attempts_table),
        "growth.csv" => ("growth", growth_table),
        "turnaround.csv" => ("turnaround", turnaround_table),
        "assessors.csv" => ("assessors", assessors_table),
        _ => return Err(refuse(StatusCode::NOT_FOUND, "There is no such table.")),
    })
}

/// The range from the query string, or a 400 naming the field.
fn bounds(
    query: Result<Query<Range>, axum::extract::rejection::QueryRejection>,
) -> Result<(Range, (i64, i64)), Refused> {
    let Query(range) = query.map_err(|_| {
        refuse(
            StatusCode::BAD_REQUEST,
            "from: a date as YYYY-MM-DD is needed",
        )
    })?;
    let b = app::api::evaluation::join_range(&range.from, &range.to).map_err(|e| match e {
        app::error::AppError::Invalid { field, message } => {
            refuse(StatusCode::BAD_REQUEST, &format!("{field}: {message}"))
        }
        other => internal(anyhow::anyhow!("{other}")),
    })?;
    Ok((range, b))
}

/// The file: computed, audited (`export.<table>` on `subject`), then sent.
async fn export(
    state: &AppState,
    actor: i64,
    scope: Scope,
    subject: &str,
    (range, b): (Range, (i64, i64)),
    (name, make): (&str, Make),
) -> Result<Response, Refused> {
    let chosen = (range.from.trim().to_owned(), range.to.trim().to_owned());
    let now = app::db::now_ms();
    let evaluation = app::db::evaluation::evaluation(&state.db, scope, b, chosen, now)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            refuse(
                StatusCode::NOT_FOUND,
                "That cohort or framework was not found.",
            )
        })?;
    let table = make(&evaluation);
    let bytes = table.to_csv().map_err(|e| internal(e.into()))?;
    app::db::audit::record(
        &state.db,
        Some(actor),
        &format!("export.{name}"),
        subject,
        &serde_json::json!({
            "framework": evaluation.framework,
            "from": evaluation.from,
            "to": evaluation.to,
            "rows": table.rows.len(),
        })
        .to_string(),
    )
    .await
    .map_err(internal)?;
    let who = if evaluation.cohort_id == 0 {
        format!("all-cohorts-{}", evaluation.framework)
    } else {
        format!("cohort-{}", evaluation.cohort_id)
    };
    Ok(csv_file(
        &format!("{who}-{name}-{}.csv", utc_date(now)),
        bytes,
    ))
}

/// `GET /coordinator/cohorts/{id}/evaluation/{file}`: the cohort's coordinators.
pub(super) async fn cohort_table(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path((id, file)): Path<(String, String)>,
    query: Result<Query<Range>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let (who, cohort_id) = cohort_coordinator(&state, session, &id).await?;
    let table = table_for(&file)?;
    let range = bounds(query)?;
    export(
        &state,
        who.user_id,
        Scope::Cohort(cohort_id),
        &format!("cohort:{cohort_id}"),
        range,
        table,
    )
    .await
}

/// `GET /coordinator/evaluation/{file}?framework=`: institution coordinators.
pub(super) async fn institution_table(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(file): Path<String>,
    query: Result<Query<Range>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let who = signed_in(session)?;
    if !who.is_admin {
        tracing::warn!(user = who.user_id, "institution evaluation export refused");
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "Only an institution coordinator can export every cohort's figures.",
        ));
    }
    let table = table_for(&file)?;
    let range = bounds(query)?;
    let slug = match range.0.framework.trim() {
        "" => app::db::framework::default_slug(&state.db)
            .await
            .map_err(internal)?
            .ok_or_else(|| refuse(StatusCode::NOT_FOUND, "No framework is loaded."))?,
        s => s.to_owned(),
    };
    export(
        &state,
        who.user_id,
        Scope::Framework(slug),
        "institution",
        range,
        table,
    )
    .await
}

/// The evaluation's funnels as one table: a row for everyone (`overall`), then one per
/// competency; each stage as a count and a share of those who joined.
pub fn funnel_table(e: &Evaluation) -> Table {
    let row = |scope: &str, f: &Funnel| {
        let mut cells = vec![scope.to_owned()];
        for (_, n) in f.stages() {
            cells.push(n.to_string());
        }
        for (_, n) in f.stages().into_iter().skip(1) {
            cells.push(percent(n, f.joined));
        }
        cells
    };
    let mut rows = vec![row("overall", &e.overall)];
    rows.extend(e.competencies.iter().map(|c| row(&c.slug, &c.funnel)));
    Table {
        header: vec![
            "scope",
            "joined",
            "baseline complete",
            "units done",
            "evidence submitted",
            "competent",
            "baseline complete (share)",
            "units done (share)",
            "evidence submitted (share)",
            "competent (share)",
        ],
        rows,
    }
}

/// The evaluation's attempts as a table of `measure, value` rows: decisions by kind, then
/// Competent decisions by attempt number, then those at the limit now.
pub fn attempts_table(e: &Evaluation) -> Table {
    let a = &e.attempts;
    let mut rows = vec![
        vec!["decisions: competent".to_owned(), a.competent.to_string()],
        vec!["decisions: not yet".to_owned(), a.not_yet.to_string()],
        vec![
            "mean attempts to competent".to_owned(),
            a.mean_to_competent(),
        ],
    ];
    rows.extend(
        a.to_competent
            .iter()
            .map(|(attempt, n)| vec![format!("competent at attempt {attempt}"), n.to_string()]),
    );
    rows.push(vec![
        "attempts allowed".to_owned(),
        if e.cohort_id == 0 {
            "per cohort".to_owned()
        } else {
            a.max_attempts.to_string()
        },
    ]);
    rows.push(vec![
        "at the attempt limit now".to_owned(),
        a.at_limit.to_string(),
    ]);
    Table {
        header: vec!["measure", "value"],
        rows,
    }
}

/// Growth per indicator: self-ratings (means and counts), assessed levels, and how the two
/// compare.
pub fn growth_table(e: &Evaluation) -> Table {
    Table {
        header: vec![
            "competency",
            "indicator",
            "baseline mean (1-4)",
            "baseline ratings",
            "current mean (1-4)",
            "current ratings",
            "assessed not evident",
            "assessed partly evident",
            "assessed evident",
            "self-rating agrees",
            "self-rating above",
            "self-rating below",
        ],
        rows: e
            .growth
            .iter()
            .map(|g| {
                vec![
                    g.competency.clone(),
                    g.indicator.clone(),
                    g.baseline.show(),
                    g.baseline.n.to_string(),
                    g.current.show(),
                    g.current.n.to_string(),
                    g.assessed[0].to_string(),
                    g.assessed[1].to_string(),
                    g.assessed[2].to_string(),
                    g.agree.to_string(),
                    g.above.to_string(),
                    g.below.to_string(),
                ]
            })
            .collect(),
    }
}

/// Turnaround as `measure, value` rows, in business days: the figures, then the histogram.
pub fn turnaround_table(e: &Evaluation) -> Table {
    let t = &e.turnaround;
    let days = |d: Option<i64>| d.map_or_else(|| "–".to_owned(), |d| d.to_string());
    let mut rows = vec![
        vec![
            "target (business days)".to_owned(),
            t.target_days
                .map_or_else(|| "per cohort".to_owned(), |d| d.to_string()),
        ],
        vec!["decisions".to_owned(), t.decided.to_string()],
        vec!["median (business days)".to_owned(), days(t.median)],
        vec!["90th percentile (business days)".to_owned(), days(t.p90)],
        vec!["decisions beyond the target".to_owned(), t.late.to_string()],
        vec!["waiting now".to_owned(), t.waiting.to_string()],
        vec![
            "waiting beyond the target".to_owned(),
            t.waiting_late.to_string(),
        ],
    ];
    for ((lo, hi), n) in TURNAROUND_BINS.iter().zip(&t.bins) {
        let label = match hi {
            Some(hi) => format!("decisions in {lo}-{hi} business days"),
            None => format!("decisions in {lo} or more business days"),
        };
        rows.push(vec![label, n.to_string()]);
    }
    Table {
        header: vec!["measure", "value"],
        rows,
    }
}

/// Assessors: a row for all markers together, then one per assessor.
pub fn assessors_table(e: &Evaluation) -> Table {
    let a = &e.assessors;
    let pairs = |g: Option<app::domain::assessment::Agreement>| {
        g.map_or(0, |g| i64::from(g.pairs)).to_string()
    };
    let mut rows = vec![vec![
        "all markers".to_owned(),
        a.rows.iter().map(|r| r.first).sum::<i64>().to_string(),
        a.rows.iter().map(|r| r.second).sum::<i64>().to_string(),
        a.rows.iter().map(|r| r.competent).sum::<i64>().to_string(),
        a.rows.iter().map(|r| r.not_yet).sum::<i64>().to_string(),
        a.rows.iter().map(|r| r.lapsed).sum::<i64>().to_string(),
        a.second_marked.to_string(),
        show_share(a.decisions.map(|d| d.percent)),
        show_kappa(a.decisions.and_then(|d| d.kappa)),
        pairs(a.indicators),
        show_share(a.indicators.map(|d| d.percent)),
        show_kappa(a.indicators.and_then(|d| d.kappa)),
    ]];
    rows.extend(a.rows.iter().map(|r| {
        vec![
            r.name.clone(),
            r.first.to_string(),
            r.second.to_string(),
            r.competent.to_string(),
            r.not_yet.to_string(),
            r.lapsed.to_string(),
            r.moderated.to_string(),
            percent(r.decisions_agreed, r.moderated),
            String::new(),
            pairs(r.agreement),
            show_share(r.agreement.map(|d| d.percent)),
            show_kappa(r.agreement.and_then(|d| d.kappa)),
        ]
    }));
    Table {
        header: vec![
            "assessor",
            "first reviews",
            "second markings",
            "competent",
            "not yet",
            "claims lapsed",
            "second-marked submissions",
            "decisions agreed",
            "decisions kappa",
            "indicator pairs",
            "indicator levels agreed",
            "indicator kappa",
        ],
        rows,
    }
}
