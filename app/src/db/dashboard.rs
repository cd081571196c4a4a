//! Loads what the dashboard is built from: four queries, whatever the size of the framework.

use super::Db;
use crate::domain::dashboard::{self, CompetencyIn, Dashboard, IndicatorIn, UnitIn};
use crate::domain::rating::Level;
use anyhow::Context as _;
use sqlx::Row as _;

/// The framework a teacher is working on: their latest cohort's, else the default one.
async fn framework_of(db: &Db, user_id: i64) -> anyhow::Result<Option<(i64, String, String)>> {
    let row = sqlx::query(
        "SELECT f.id, f.slug, f.title FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         JOIN frameworks f ON f.id = c.framework_id \
         WHERE m.user_id = $1 AND m.role = 'teacher' AND f.retired_at IS NULL \
         ORDER BY m.id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("teacher's framework")?;
    let row = match row {
        Some(r) => Some(r),
        None => sqlx::query(
            "SELECT id, slug, title FROM frameworks WHERE retired_at IS NULL \
             ORDER BY is_default DESC, id LIMIT 1",
        )
        .fetch_optional(db.pool())
        .await
        .context("default framework")?,
    };
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// The dashboard of a teacher; `None` when no framework is loaded at all.
pub async fn load(db: &Db, user_id: i64) -> anyhow::Result<Option<Dashboard>> {
    let Some((framework_id, slug, title)) = framework_of(db, user_id).await? else {
        return Ok(None);
    };
    let competencies = sqlx::query(
        "SELECT c.id, c.slug, c.title, d.slug, d.title FROM competencies c \
         JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY d.position, c.position",
    )
    .bind(framework_id)
    .fetch_all(db.pool())
    .await
    .context("competencies")?
    .iter()
    .map(|r| {
        Ok(CompetencyIn {
            id: r.try_get(0)?,
            slug: r.try_get(1)?,
            title: r.try_get(2)?,
            domain_slug: r.try_get(3)?,
            domain_title: r.try_get(4)?,
            validated: false,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let units = sqlx::query(
        "SELECT u.competency_id, u.slug, u.title, u.minutes, u.indicators, \
         (SELECT COUNT(*) FROM unit_progress p WHERE p.unit_id = u.id AND p.user_id = $2) \
         FROM units u JOIN competencies c ON c.id = u.competency_id JOIN domains d ON d.id = c.domain_id \
         WHERE u.framework_id = $1 AND u.retired_at IS NULL \
         ORDER BY d.position, c.position, u.position",
    )
    .bind(framework_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("units")?
    .iter()
    .map(|r| {
        Ok(UnitIn {
            competency_id: r.try_get(0)?,
            slug: r.try_get(1)?,
            title: r.try_get(2)?,
            minutes: u32::try_from(r.try_get::<i64, _>(3)?).unwrap_or(0),
            indicators: r
                .try_get::<String, _>(4)?
                .split(',')
                .map(str::to_owned)
                .collect(),
            done: r.try_get::<i64, _>(5)? > 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let indicators = sqlx::query(
        "SELECT i.competency_id, i.slug, i.text, \
         (SELECT s.level FROM self_ratings s WHERE s.indicator_id = i.id AND s.user_id = $2 AND s.phase = 'baseline'), \
         (SELECT s.level FROM self_ratings s WHERE s.indicator_id = i.id AND s.user_id = $2 AND s.phase = 'current') \
         FROM indicators i JOIN competencies c ON c.id = i.competency_id JOIN domains d ON d.id = c.domain_id \
         WHERE i.framework_id = $1 AND i.retired_at IS NULL \
         ORDER BY d.position, c.position, i.position",
    )
    .bind(framework_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("indicators")?
    .iter()
    .map(|r| {
        Ok(IndicatorIn {
            competency_id: r.try_get(0)?,
            slug: r.try_get(1)?,
            text: r.try_get(2)?,
            baseline: r.try_get::<Option<i64>, _>(3)?.and_then(Level::from_value),
            current: r.try_get::<Option<i64>, _>(4)?.and_then(Level::from_value),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(dashboard::build(
        &slug,
        &title,
        &competencies,
        &units,
        &indicators,
    )))
}
