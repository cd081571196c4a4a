//! Coordinators' exports as CSV files (issue 17; the format is `app::export`):
//!
//! - `GET /coordinator/cohorts/{id}/roster.csv`: the cohort's teachers with their progress.
//!   The cohort's coordinators and institution coordinators; anyone else gets 404 (as if the
//!   cohort did not exist), a signed-out visitor 401.
//! - `GET /coordinator/cohorts/{id}/evaluation/{funnel,attempts,growth,turnaround,assessors}.csv?from=&to=`:
//!   the evaluation page's tables for teachers who joined in the range (either end may be
//!   empty), one file per table. The same people may have them as the roster.
//! - `GET /coordinator/evaluation/{…}.csv?framework=&from=&to=`: the same tables over every
//!   cohort of a framework; institution coordinators only (403 for others).
//! - `GET /coordinator/audit.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the audit trail from the start
//!   of `from` to the end of `to` (UTC days, both included; at most 366 days and
//!   [`AUDIT_MAX_ROWS`] entries). Institution coordinators only: it spans every cohort.
//!
//! Each export is itself audited (`export.roster`, `export.audit`, with the number of rows):
//! the entry is written before the file is sent, and a failed write sends no file. No export
//! carries journal text, notes or rationales. Answers are `private, no-store`.

use crate::startup::AppState;
use app::auth::{CurrentSession, Principal};
use app::domain::account::Role;
use app::domain::time::{day_start, iso_minute, utc_date, xsd_date_time, DAY_MS};
use app::export::Table;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

mod evaluation;
pub use evaluation::{
    assessors_table, attempts_table, funnel_table, growth_table, turnaround_table,
};

/// Most audit entries one file holds; a longer range is refused with a request to narrow it.
pub const AUDIT_MAX_ROWS: i64 = 100_000;
/// Longest range of days one audit export covers.
const AUDIT_MAX_DAYS: i64 = 366;

/// The export routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/coordinator/cohorts/{id}/roster.csv", get(roster))
        .route(
            "/coordinator/cohorts/{id}/evaluation/{file}",
            get(evaluation::cohort_table),
        )
        .route(
            "/coordinator/evaluation/{file}",
            get(evaluation::institution_table),
        )
        .route("/coordinator/audit.csv", get(audit))
}

/// A refusal or failure, answered as plain text with its status (bad input names its field).
#[derive(Debug)]
pub(crate) struct Refused(StatusCode, String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.0, self.1).into_response()
    }
}

pub(crate) fn refuse(status: StatusCode, message: &str) -> Refused {
    Refused(status, message.to_owned())
}

pub(crate) fn internal(e: anyhow::Error) -> Refused {
    tracing::error!(error = ?e, "export failed");
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The export could not be made; please try again.",
    )
}

/// `bytes` as a CSV download named `name`, never cached.
pub(crate) fn csv_file(name: &str, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The signed-in person, or the 401 answer.
pub(crate) fn signed_in(session: CurrentSession) -> Result<Principal, Refused> {
    session.0.ok_or_else(|| {
        refuse(
            StatusCode::UNAUTHORIZED,
            "Please sign in as a coordinator to export.",
        )
    })
}

async fn roster(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let (who, cohort_id) = cohort_coordinator(&state, session, &id).await?;
    let rows = app::db::cohort::roster(&state.db, cohort_id)
        .await
        .map_err(internal)?;
    let table = roster_table(&rows);
    let bytes = table.to_csv().map_err(|e| internal(e.into()))?;
    app::db::audit::record(
        &state.db,
        Some(who.user_id),
        "export.roster",
        &format!("cohort:{cohort_id}"),
        &format!("{{\"rows\":{}}}", table.rows.len()),
    )
    .await
    .map_err(internal)?;
    let today = utc_date(app::db::now_ms());
    Ok(csv_file(
        &format!("cohort-{cohort_id}-roster-{today}.csv"),
        bytes,
    ))
}

/// The caller and the cohort when the caller coordinates it (or is an institution
/// coordinator and it exists); 401 signed out, 404 otherwise.
pub(crate) async fn cohort_coordinator(
    state: &AppState,
    session: CurrentSession,
    id: &str,
) -> Result<(Principal, i64), Refused> {
    let who = signed_in(session)?;
    let not_found = || refuse(StatusCode::NOT_FOUND, "That cohort was not found.");
    let cohort_id = id.parse::<i64>().map_err(|_| not_found())?;
    if !who.has_role(cohort_id, Role::Coordinator) {
        tracing::warn!(user = who.user_id, cohort_id, "cohort export refused");
        return Err(not_found());
    }
    if !app::db::cohort::exists(&state.db, cohort_id)
        .await
        .map_err(internal)?
    {
        return Err(not_found());
    }
    Ok((who, cohort_id))
}

/// The roster as a table: one row per teacher, counts as "done" and "of" columns so a
/// spreadsheet can compute shares; dates in UTC.
pub fn roster_table(rows: &[app::db::cohort::RosterRow]) -> Table {
    Table {
        header: vec![
            "name",
            "email",
            "status",
            "joined (UTC)",
            "baseline indicators rated",
            "current indicators rated",
            "indicators",
            "units done",
            "units",
            "journal entries",
            "competencies submitted",
            "competencies competent",
            "competencies",
            "badges held",
            "last activity (UTC)",
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.email.clone(),
                    if r.active { "active" } else { "deactivated" }.to_owned(),
                    utc_date(r.joined_at),
                    r.baseline_rated.to_string(),
                    r.current_rated.to_string(),
                    r.indicators_total.to_string(),
                    r.units_done.to_string(),
                    r.units_total.to_string(),
                    r.journal_entries.to_string(),
                    r.competencies_submitted.to_string(),
                    r.competencies_competent.to_string(),
                    r.competencies_total.to_string(),
                    r.badges.to_string(),
                    r.last_activity.map(iso_minute).unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

/// The audit export's query string, as typed into the date fields.
#[derive(serde::Deserialize)]
pub(crate) struct Range {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The framework's slug, for the institution's evaluation (empty: the default one).
    #[serde(default)]
    pub framework: String,
}

/// `[from, to)` in epoch ms for the two fields, or a 400 answer naming the field.
fn parse_range(range: &Range) -> Result<(i64, i64), Refused> {
    let bad =
        |field: &str, what: &str| refuse(StatusCode::BAD_REQUEST, &format!("{field}: {what}"));
    let from =
        day_start(&range.from).ok_or_else(|| bad("from", "a date as YYYY-MM-DD is needed"))?;
    let to = day_start(&range.to).ok_or_else(|| bad("to", "a date as YYYY-MM-DD is needed"))?;
    if to < from {
        return Err(bad("to", "the end comes before the start"));
    }
    let end = to + DAY_MS;
    if end - from > AUDIT_MAX_DAYS * DAY_MS {
        return Err(bad("to", "at most 366 days at a time"));
    }
    Ok((from, end))
}

async fn audit(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    query: Result<Query<Range>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refused> {
    let who = signed_in(session)?;
    if !who.is_admin {
        tracing::warn!(user = who.user_id, "audit export refused");
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "Only an institution coordinator can export the audit trail.",
        ));
    }
    let Query(range) = query.map_err(|_| {
        refuse(
            StatusCode::BAD_REQUEST,
            "from: a date as YYYY-MM-DD is needed",
        )
    })?;
    let (from, end) = parse_range(&range)?;
    let entries = app::db::audit::entries_between(&state.db, from, end, AUDIT_MAX_ROWS)
        .await
        .map_err(internal)?;
    if i64::try_from(entries.len()).unwrap_or(i64::MAX) > AUDIT_MAX_ROWS {
        return Err(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "to: more than 100,000 entries in this range; choose a shorter one",
        ));
    }
    let table = audit_table(&entries);
    let bytes = table.to_csv().map_err(|e| internal(e.into()))?;
    let detail = serde_json::json!({
        "from": range.from.trim(),
        "to": range.to.trim(),
        "rows": table.rows.len(),
    });
    app::db::audit::record(
        &state.db,
        Some(who.user_id),
        "export.audit",
        "institution",
        &detail.to_string(),
    )
    .await
    .map_err(internal)?;
    Ok(csv_file(
        &format!("audit-{}-to-{}.csv", utc_date(from), utc_date(end - DAY_MS)),
        bytes,
    ))
}

/// The audit entries as a table; times as XML Schema date-times (UTC).
pub fn audit_table(entries: &[app::db::audit::AuditEntry]) -> Table {
    Table {
        header: vec!["id", "at (UTC)", "actor", "action", "subject", "detail"],
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    xsd_date_time(e.at),
                    e.actor_email.clone().unwrap_or_default(),
                    e.action.clone(),
                    e.subject.clone(),
                    e.detail.clone(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_dates_only() {
        assert_eq!(day_start("1970-01-02"), Some(DAY_MS));
        assert_eq!(day_start(" 2026-12-01 "), day_start("2026-12-01"));
        for bad in [
            "",
            "2026-1-01",
            "2026-02-31",
            "2026-13-01",
            "01/12/2026",
            "2026-12-01T00:00:00Z",
            "x",
        ] {
            assert_eq!(day_start(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ranges_include_both_days_and_are_bounded() {
        let r = |from: &str, to: &str| {
            parse_range(&Range {
                from: from.into(),
                to: to.into(),
                framework: String::new(),
            })
            .map_err(|a| a.0)
        };
        let one = r("2026-12-01", "2026-12-01").expect("one day");
        assert_eq!(one.1 - one.0, DAY_MS);
        assert!(r("2025-12-01", "2026-11-30").is_ok(), "365 days");
        assert_eq!(
            r("2025-01-01", "2026-01-02"),
            Err(StatusCode::BAD_REQUEST),
            "367 days"
        );
        assert_eq!(r("2026-12-02", "2026-12-01"), Err(StatusCode::BAD_REQUEST));
        assert_eq!(r("", "2026-12-01"), Err(StatusCode::BAD_REQUEST));
    }
}
