//! A cohort's evaluation figures (issue 17), aggregated in SQL: one statement for the overall
//! funnel, one for every competency's, whatever the cohort's size.

use crate::domain::evaluation::{Attempts, CompetencyFunnel, Evaluation, Funnel};
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct FunnelRow {
    joined: i64,
    baseline: i64,
    units: i64,
    submitted: i64,
    competent: i64,
}

impl From<FunnelRow> for Funnel {
    fn from(r: FunnelRow) -> Self {
        Self {
            joined: r.joined,
            baseline: r.baseline,
            units: r.units,
            submitted: r.submitted,
            competent: r.competent,
        }
    }
}

#[derive(sqlx::FromRow)]
struct CompetencyRow {
    slug: String,
    title: String,
    joined: i64,
    baseline: i64,
    units: i64,
    submitted: i64,
    competent: i64,
}

#[derive(sqlx::FromRow)]
struct CohortRow {
    name: String,
    framework_id: i64,
    max_attempts: i64,
}

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

/// The cohort's teachers who joined in `[from, to)` (epoch ms) as `t(user_id)`.
/// Binds: $1 cohort, $2 framework, $3 from, $4 to.
const TEACHERS: &str = "WITH t AS (SELECT m.user_id FROM memberships m \
     WHERE m.cohort_id = $1 AND m.role = 'teacher' AND m.created_at >= $3 AND m.created_at < $4)";

/// [`TEACHERS`] for statements without the framework. Binds: $1 cohort, $2 from, $3 to.
const TEACHERS_OF_COHORT: &str = "WITH t AS (SELECT m.user_id FROM memberships m \
     WHERE m.cohort_id = $1 AND m.role = 'teacher' AND m.created_at >= $2 AND m.created_at < $3)";

/// The funnels of `cohort_id` for teachers who joined in `[from, to)` (epoch ms); `from` and
/// `to` as chosen are carried into the answer for the page. `None` when there is no such
/// cohort. Only live (not retired) indicators, units and competencies count.
pub async fn evaluation(
    db: &super::Db,
    cohort_id: i64,
    range: (i64, i64),
    chosen: (String, String),
) -> anyhow::Result<Option<Evaluation>> {
    let Some(cohort) = sqlx::query_as::<_, CohortRow>(
        "SELECT name, framework_id, max_attempts FROM cohorts WHERE id = $1",
    )
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("the cohort")?
    else {
        return Ok(None);
    };
    let overall: FunnelRow = sqlx::query_as(&format!(
        "{TEACHERS} SELECT COUNT(*) AS joined, \
           COALESCE(SUM(CASE WHEN (SELECT COUNT(*) FROM self_ratings r JOIN indicators i ON i.id = r.indicator_id \
               WHERE r.user_id = t.user_id AND r.phase = 'baseline' AND i.framework_id = $2 AND i.retired_at IS NULL) \
             >= (SELECT COUNT(*) FROM indicators WHERE framework_id = $2 AND retired_at IS NULL) THEN 1 ELSE 0 END), 0) AS baseline, \
           COALESCE(SUM(CASE WHEN (SELECT COUNT(*) FROM unit_progress p JOIN units u ON u.id = p.unit_id \
               WHERE p.user_id = t.user_id AND u.framework_id = $2 AND u.retired_at IS NULL) \
             >= (SELECT COUNT(*) FROM units WHERE framework_id = $2 AND retired_at IS NULL) THEN 1 ELSE 0 END), 0) AS units, \
           COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = t.user_id \
               AND s.cohort_id = $1 AND s.status <> 'draft') THEN 1 ELSE 0 END), 0) AS submitted, \
           COALESCE(SUM(CASE WHEN (SELECT COUNT(DISTINCT s.competency_id) FROM submissions s JOIN competencies c ON c.id = s.competency_id \
               WHERE s.user_id = t.user_id AND s.cohort_id = $1 AND s.status = 'competent' AND c.retired_at IS NULL) \
             >= (SELECT COUNT(*) FROM competencies WHERE framework_id = $2 AND retired_at IS NULL) THEN 1 ELSE 0 END), 0) AS competent \
         FROM t"
    ))
    .bind(cohort_id)
    .bind(cohort.framework_id)
    .bind(range.0)
    .bind(range.1)
    .fetch_one(db.pool())
    .await
    .context("the overall funnel")?;
    let per: Vec<CompetencyRow> = sqlx::query_as(&format!(
        "{TEACHERS} SELECT c.slug, c.title, COUNT(t.user_id) AS joined, \
           COALESCE(SUM(CASE WHEN t.user_id IS NOT NULL AND (SELECT COUNT(*) FROM self_ratings r JOIN indicators i ON i.id = r.indicator_id \
               WHERE r.user_id = t.user_id AND r.phase = 'baseline' AND i.competency_id = c.id AND i.retired_at IS NULL) \
             >= (SELECT COUNT(*) FROM indicators WHERE competency_id = c.id AND retired_at IS NULL) THEN 1 ELSE 0 END), 0) AS baseline, \
           COALESCE(SUM(CASE WHEN t.user_id IS NOT NULL AND (SELECT COUNT(*) FROM unit_progress p JOIN units u ON u.id = p.unit_id \
               WHERE p.user_id = t.user_id AND u.competency_id = c.id AND u.retired_at IS NULL) \
             >= (SELECT COUNT(*) FROM units WHERE competency_id = c.id AND retired_at IS NULL) THEN 1 ELSE 0 END), 0) AS units, \
           COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = t.user_id \
               AND s.cohort_id = $1 AND s.competency_id = c.id AND s.status <> 'draft') THEN 1 ELSE 0 END), 0) AS submitted, \
           COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = t.user_id \
               AND s.cohort_id = $1 AND s.competency_id = c.id AND s.status = 'competent') THEN 1 ELSE 0 END), 0) AS competent \
         FROM competencies c JOIN domains d ON d.id = c.domain_id LEFT JOIN t ON 1 = 1 \
         WHERE c.framework_id = $2 AND c.retired_at IS NULL \
         GROUP BY c.id, c.slug, c.title, d.position, c.position \
         ORDER BY d.position, c.position"
    ))
    .bind(cohort_id)
    .bind(cohort.framework_id)
    .bind(range.0)
    .bind(range.1)
    .fetch_all(db.pool())
    .await
    .context("the funnel per competency")?;
    let attempts = attempts(db, cohort_id, range, cohort.max_attempts).await?;
    Ok(Some(Evaluation {
        cohort_id,
        cohort_name: cohort.name,
        from: chosen.0,
        to: chosen.1,
        overall: overall.into(),
        competencies: per
            .into_iter()
            .map(|r| CompetencyFunnel {
                slug: r.slug,
                title: r.title,
                funnel: Funnel {
                    joined: r.joined,
                    baseline: r.baseline,
                    units: r.units,
                    submitted: r.submitted,
                    competent: r.competent,
                },
            })
            .collect(),
        attempts,
    }))
}

/// Decisions on the in-range teachers' evidence in this cohort, attempts to Competent, and
/// those at the attempt limit now (the moderation page's rule: last attempt Not yet, at or
/// past the cohort's attempts plus any extra allowed).
async fn attempts(
    db: &super::Db,
    cohort_id: i64,
    range: (i64, i64),
    max_attempts: i64,
) -> anyhow::Result<Attempts> {
    let decisions: DecisionsRow = sqlx::query_as(&format!(
        "{TEACHERS_OF_COHORT} SELECT \
           COALESCE(SUM(CASE WHEN s.status = 'competent' THEN 1 ELSE 0 END), 0) AS competent, \
           COALESCE(SUM(CASE WHEN s.status = 'not_yet' THEN 1 ELSE 0 END), 0) AS not_yet \
         FROM submissions s JOIN t ON t.user_id = s.user_id \
         WHERE s.cohort_id = $1"
    ))
    .bind(cohort_id)
    .bind(range.0)
    .bind(range.1)
    .fetch_one(db.pool())
    .await
    .context("decisions")?;
    let to_competent: Vec<AttemptRow> = sqlx::query_as(&format!(
        "{TEACHERS_OF_COHORT} SELECT s.attempt, COUNT(*) AS n FROM submissions s JOIN t ON t.user_id = s.user_id \
         WHERE s.cohort_id = $1 AND s.status = 'competent' \
         GROUP BY s.attempt ORDER BY s.attempt"
    ))
    .bind(cohort_id)
    .bind(range.0)
    .bind(range.1)
    .fetch_all(db.pool())
    .await
    .context("attempts to Competent")?;
    let at_limit: i64 = sqlx::query_scalar(&format!(
        "{TEACHERS_OF_COHORT} SELECT COUNT(*) FROM submissions s JOIN t ON t.user_id = s.user_id \
         WHERE s.cohort_id = $1 AND s.status = 'not_yet' AND s.attempt = ( \
           SELECT MAX(attempt) FROM submissions o WHERE o.user_id = s.user_id AND o.competency_id = s.competency_id) \
         AND s.attempt >= (SELECT max_attempts FROM cohorts WHERE id = $1) + ( \
           SELECT CAST(COALESCE(SUM(extra), 0) AS BIGINT) FROM attempt_allowances a \
           WHERE a.user_id = s.user_id AND a.competency_id = s.competency_id)"
    ))
    .bind(cohort_id)
    .bind(range.0)
    .bind(range.1)
    .fetch_one(db.pool())
    .await
    .context("teachers at the attempt limit")?;
    Ok(Attempts {
        competent: decisions.competent,
        not_yet: decisions.not_yet,
        to_competent: to_competent.into_iter().map(|r| (r.attempt, r.n)).collect(),
        at_limit,
        max_attempts,
    })
}
