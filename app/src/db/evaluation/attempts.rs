//! Decisions, attempts to Competent, and teachers at the attempt limit.

use super::{members, Binds};
use crate::domain::evaluation::Attempts;
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct DecisionsRow {
    competent: i64,
    not_yet: i64,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    attempt: i64,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct Count {
    n: i64,
}

/// Decisions on the in-scope teachers' evidence, attempts to Competent, and those at the
/// attempt limit now (the moderation page's rule: last attempt Not yet, at or past their
/// cohort's attempts plus any extra allowed). `max_attempts` is carried for the page (0 over
/// several cohorts).
pub(super) async fn attempts(
    db: &crate::db::Db,
    b: Binds,
    max_attempts: i64,
) -> anyhow::Result<Attempts> {
    let m = members(b.all);
    let decisions: DecisionsRow = b
        .query_as(&format!(
            "SELECT \
           COALESCE(SUM(CASE WHEN s.status = 'competent' THEN 1 ELSE 0 END), 0) AS competent, \
           COALESCE(SUM(CASE WHEN s.status = 'not_yet' THEN 1 ELSE 0 END), 0) AS not_yet \
         FROM submissions s JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m}"
        ))
        .fetch_one(db.pool())
        .await
        .context("decisions")?;
    let to_competent: Vec<AttemptRow> = b
        .query_as(&format!(
            "SELECT s.attempt, COUNT(*) AS n FROM submissions s \
         JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m} \
         WHERE s.status = 'competent' GROUP BY s.attempt ORDER BY s.attempt"
        ))
        .fetch_all(db.pool())
        .await
        .context("attempts to Competent")?;
    let at_limit: Count = b
        .query_as(&format!(
            "SELECT COUNT(*) AS n FROM submissions s \
         JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m} \
         WHERE s.status = 'not_yet' AND s.attempt = ( \
           SELECT MAX(attempt) FROM submissions o WHERE o.user_id = s.user_id AND o.competency_id = s.competency_id) \
         AND s.attempt >= (SELECT max_attempts FROM cohorts WHERE id = s.cohort_id) + ( \
           SELECT CAST(COALESCE(SUM(extra), 0) AS BIGINT) FROM attempt_allowances a \
           WHERE a.user_id = s.user_id AND a.competency_id = s.competency_id)"
        ))
        .fetch_one(db.pool())
        .await
        .context("teachers at the attempt limit")?;
    Ok(Attempts {
        competent: decisions.competent,
        not_yet: decisions.not_yet,
        to_competent: to_competent.into_iter().map(|r| (r.attempt, r.n)).collect(),
        at_limit: at_limit.n,
        max_attempts,
    })
}
