//! Growth per indicator (self-ratings at baseline and now, levels assessed) and how teachers'
//! current self-ratings compare with the assessors' levels.

use super::{members, Binds};
use crate::domain::evaluation::{IndicatorGrowth, Mean, SELF_ON_RUBRIC_SQL};
use anyhow::{bail, Context as _};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: i64,
    indicator: String,
    competency: String,
}

#[derive(sqlx::FromRow)]
struct SelfRow {
    indicator_id: i64,
    phase: String,
    total: i64,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct AssessedRow {
    indicator_id: i64,
    level: i64,
    /// The current self-rating read on the rubric (1–3); 0 for none.
    self_level: i64,
    n: i64,
}

/// Each live indicator of the framework, in its order.
pub(super) async fn growth(db: &crate::db::Db, b: Binds) -> anyhow::Result<Vec<IndicatorGrowth>> {
    let m = members(b.all);
    let indicators = sqlx::query_as::<_, IndicatorRow>(
        "SELECT i.id, i.text AS indicator, c.title AS competency FROM indicators i \
         JOIN competencies c ON c.id = i.competency_id JOIN domains d ON d.id = c.domain_id \
         WHERE i.framework_id = $1 AND i.retired_at IS NULL \
         ORDER BY d.position, c.position, i.position",
    )
    .bind(b.framework)
    .fetch_all(db.pool());
    let ratings_sql = format!(
            "SELECT r.indicator_id, r.phase, CAST(SUM(r.level) AS BIGINT) AS total, COUNT(*) AS n \
             FROM self_ratings r WHERE r.user_id IN (SELECT m.user_id FROM memberships m WHERE {m}) \
             GROUP BY r.indicator_id, r.phase"
    );
    let ratings = b.query_as::<SelfRow>(&ratings_sql).fetch_all(db.pool());
    let on_rubric = SELF_ON_RUBRIC_SQL.replace("{}", "sr.level");
    // The standing review of each teacher's latest decided attempt per competency: the second
    // marker's when moderation upheld it, the first otherwise.
    let assessed_sql = format!(
            "WITH latest AS (SELECT s.id, s.user_id FROM submissions s \
               JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m} \
               WHERE s.status IN ('competent', 'not_yet') AND NOT EXISTS ( \
                 SELECT 1 FROM submissions o WHERE o.user_id = s.user_id AND o.cohort_id = s.cohort_id \
                 AND o.competency_id = s.competency_id AND o.status IN ('competent', 'not_yet') \
                 AND o.attempt > s.attempt)) \
             SELECT rr.indicator_id, rr.level, \
               CASE WHEN sr.level IS NULL THEN 0 ELSE {on_rubric} END AS self_level, COUNT(*) AS n \
             FROM latest l \
             JOIN reviews r ON r.submission_id = l.id AND r.kind = CASE WHEN EXISTS ( \
               SELECT 1 FROM moderations m WHERE m.submission_id = l.id AND m.resolution = 'second') \
               THEN 'second' ELSE 'first' END \
             JOIN review_ratings rr ON rr.review_id = r.id \
             LEFT JOIN self_ratings sr ON sr.user_id = l.user_id AND sr.indicator_id = rr.indicator_id \
               AND sr.phase = 'current' \
             GROUP BY rr.indicator_id, rr.level, CASE WHEN sr.level IS NULL THEN 0 ELSE {on_rubric} END"
    );
    let assessed = b
        .query_as::<AssessedRow>(&assessed_sql)
        .fetch_all(db.pool());
    // Three reads at once, on three pooled connections.
    let (indicators, ratings, assessed) = tokio::try_join!(indicators, ratings, assessed)
        .context("indicators, self-ratings and assessed levels")?;
    let mut by_id: HashMap<i64, IndicatorGrowth> = HashMap::new();
    for r in ratings {
        let g = by_id.entry(r.indicator_id).or_default();
        let mean = Mean {
            sum: r.total,
            n: r.n,
        };
        match r.phase.as_str() {
            "baseline" => g.baseline = mean,
            "current" => g.current = mean,
            other => bail!("unknown rating phase {other:?}"),
        }
    }
    for r in assessed {
        let g = by_id.entry(r.indicator_id).or_default();
        let Some(slot) = usize::try_from(r.level - 1)
            .ok()
            .and_then(|i| g.assessed.get_mut(i))
        else {
            bail!("rubric level {} out of range", r.level);
        };
        *slot += r.n;
        match r.self_level {
            0 => {}
            s if s == r.level => g.agree += r.n,
            s if s > r.level => g.above += r.n,
            _ => g.below += r.n,
        }
    }
    Ok(indicators
        .into_iter()
        .map(|i| IndicatorGrowth {
            competency: i.competency,
            indicator: i.indicator,
            ..by_id.remove(&i.id).unwrap_or_default()
        })
        .collect())
}
