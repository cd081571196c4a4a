//! Submission to decision, in business days, against each cohort's target.

use super::{members, Binds};
use crate::domain::evaluation::{business_days, Turnaround, Waiting, OLDEST_SHOWN};
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct DecidedRow {
    submitted_at: i64,
    decided_at: i64,
    target: i64,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    teacher: String,
    competency: String,
    cohort: String,
    target: i64,
    submitted_at: i64,
}

/// Decided submissions of the teachers in scope (submission to decision), and those waiting
/// now (submission to `now`), with each cohort's target. `target` is the cohort's, for the page
/// (`None` over several cohorts).
pub(super) async fn turnaround(
    db: &crate::db::Db,
    b: Binds,
    target: Option<i64>,
    now: i64,
) -> anyhow::Result<Turnaround> {
    let m = members(b.all);
    let decided: Vec<DecidedRow> = b
        .query_as(&format!(
            "SELECT s.submitted_at, s.decided_at, co.turnaround_days AS target FROM submissions s \
             JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m} \
             JOIN cohorts co ON co.id = s.cohort_id \
             WHERE s.status IN ('competent', 'not_yet') \
             AND s.submitted_at IS NOT NULL AND s.decided_at IS NOT NULL"
        ))
        .fetch_all(db.pool())
        .await
        .context("decided submissions")?;
    let waiting: Vec<WaitingRow> = b
        .query_as(&format!(
            "SELECT s.id, u.name AS teacher, c.title AS competency, co.name AS cohort, \
               co.turnaround_days AS target, s.submitted_at FROM submissions s \
             JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m} \
             JOIN cohorts co ON co.id = s.cohort_id JOIN users u ON u.id = s.user_id \
             JOIN competencies c ON c.id = s.competency_id \
             WHERE s.status = 'submitted' AND s.submitted_at IS NOT NULL \
             ORDER BY s.submitted_at, s.id"
        ))
        .fetch_all(db.pool())
        .await
        .context("waiting submissions")?;
    let decided: Vec<(i64, i64)> = decided
        .iter()
        .map(|r| (business_days(r.submitted_at, r.decided_at), r.target))
        .collect();
    let waited: Vec<(i64, i64)> = waiting
        .iter()
        .map(|r| (business_days(r.submitted_at, now), r.target))
        .collect();
    let oldest = waiting
        .into_iter()
        .zip(&waited)
        .take(OLDEST_SHOWN)
        .map(|(r, (days, target))| Waiting {
            submission_id: r.id,
            teacher: r.teacher,
            competency: r.competency,
            cohort: r.cohort,
            submitted_at: r.submitted_at,
            days: *days,
            late: days > target,
        })
        .collect();
    Ok(Turnaround::from_days(target, &decided, &waited, oldest))
}
