//! Units: import, reads, progress.

use super::{now_ms, Db};
use crate::content::units::UnitContent;
use crate::domain::unit::{UnitKind, UnitSummary, UnitView};
use anyhow::Context as _;
use sqlx::Row as _;
use std::collections::HashSet;

/// Imports a framework's units (idempotent; units missing from the files are retired).
pub async fn import(db: &Db, framework_slug: &str, units: &[UnitContent]) -> anyhow::Result<usize> {
    db.structures.clear();
    let mut tx = db.begin_write().await.context("begin unit import")?;
    let framework_id: i64 = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
        .bind(framework_slug)
        .fetch_one(&mut *tx)
        .await
        .context("framework of units")?;
    let mut seen = HashSet::new();
    for unit in units {
        let competency_id: i64 =
            sqlx::query_scalar("SELECT id FROM competencies WHERE framework_id = $1 AND slug = $2")
                .bind(framework_id)
                .bind(unit.competency.as_str())
                .fetch_one(&mut *tx)
                .await
                .context("competency of unit")?;
        let indicators = unit
            .indicators
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (framework_id, competency_id, slug, position, title, kind, minutes, summary, \
             prompt, indicators, body, considerations, retired_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL) \
             ON CONFLICT (framework_id, slug) DO UPDATE SET competency_id = excluded.competency_id, \
             position = excluded.position, title = excluded.title, kind = excluded.kind, \
             minutes = excluded.minutes, summary = excluded.summary, prompt = excluded.prompt, \
             indicators = excluded.indicators, body = excluded.body, \
             considerations = excluded.considerations, retired_at = NULL RETURNING id",
        )
        .bind(framework_id)
        .bind(competency_id)
        .bind(unit.slug.as_str())
        .bind(i64::from(unit.order))
        .bind(&unit.title)
        .bind(unit.kind.as_str())
        .bind(i64::from(unit.minutes))
        .bind(&unit.summary)
        .bind(unit.prompt.as_deref())
        .bind(indicators)
        .bind(&unit.body)
        .bind(unit.considerations.as_deref())
        .fetch_one(&mut *tx)
        .await
        .context("upsert unit")?;
        seen.insert(id);
    }
    let live: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM units WHERE framework_id = $1 AND retired_at IS NULL")
            .bind(framework_id)
            .fetch_all(&mut *tx)
            .await
            .context("list units")?;
    for id in live.into_iter().filter(|id| !seen.contains(id)) {
        sqlx::query("UPDATE units SET retired_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("retire unit")?;
    }
    tx.commit().await.context("commit unit import")?;
    Ok(seen.len())
}

fn summary_from(r: &sqlx::any::AnyRow, done: bool) -> Result<UnitSummary, sqlx::Error> {
    Ok(UnitSummary {
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        kind: UnitKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(UnitKind::Reading),
        minutes: u32::try_from(r.try_get::<i64, _>("minutes")?).unwrap_or(0),
        summary: r.try_get("summary")?,
        done,
    })
}

/// The units of a competency in order, with done flags for `user_id`.
pub async fn list_for_competency(
    db: &Db,
    framework: &str,
    competency: &str,
    user_id: Option<i64>,
) -> anyhow::Result<Vec<UnitSummary>> {
    let rows = sqlx::query(
        "SELECT u.slug, u.title, u.kind, u.minutes, u.summary, \
         (SELECT COUNT(*) FROM unit_progress p WHERE p.unit_id = u.id AND p.user_id = $3) AS done, \
         (SELECT MIN(j.id) FROM journal_entries j WHERE j.unit_id = u.id AND j.user_id = $3 \
          AND j.deleted_at IS NULL AND j.body <> '') AS answer_id \
         FROM units u JOIN competencies c ON c.id = u.competency_id \
         JOIN frameworks f ON f.id = u.framework_id \
         WHERE f.slug = $1 AND c.slug = $2 AND u.retired_at IS NULL ORDER BY u.position",
    )
    .bind(framework)
    .bind(competency)
    .bind(user_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await
    .context("list units")?;
    rows.iter()
        .map(|r| summary_from(r, r.try_get::<i64, _>("done")? > 0))
        .collect::<Result<_, _>>()
        .context("read units")
}

/// One unit with its text rendered, or `None`.
pub async fn view(
    db: &Db,
    framework: &str,
    slug: &str,
    user_id: Option<i64>,
) -> anyhow::Result<Option<UnitView>> {
    let row = sqlx::query(
        "SELECT u.id, u.competency_id, u.slug, u.title, u.kind, u.minutes, u.summary, u.prompt, \
         u.indicators, u.body, u.considerations, c.slug AS competency_slug, c.title AS competency_title, \
         (SELECT COUNT(*) FROM unit_progress p WHERE p.unit_id = u.id AND p.user_id = $3) AS done, \
         (SELECT MIN(j.id) FROM journal_entries j WHERE j.unit_id = u.id AND j.user_id = $3 \
          AND j.deleted_at IS NULL AND j.body <> '') AS answer_id \
         FROM units u JOIN competencies c ON c.id = u.competency_id JOIN frameworks f ON f.id = u.framework_id \
         WHERE f.slug = $1 AND u.slug = $2 AND u.retired_at IS NULL",
    )
    .bind(framework)
    .bind(slug)
    .bind(user_id.unwrap_or(0))
    .fetch_optional(db.pool())
    .await
    .context("find unit")?;
    let Some(r) = row else { return Ok(None) };
    let competency_id: i64 = r.try_get("competency_id")?;
    let wanted: Vec<String> = r
        .try_get::<String, _>("indicators")?
        .split(',')
        .map(str::to_owned)
        .collect();
    let mut indicators = Vec::new();
    for i in
        sqlx::query("SELECT slug, text FROM indicators WHERE competency_id = $1 ORDER BY position")
            .bind(competency_id)
            .fetch_all(db.pool())
            .await
            .context("unit indicators")?
    {
        let slug: String = i.try_get(0)?;
        if wanted.contains(&slug) {
            indicators.push((slug, i.try_get(1)?));
        }
    }
    let siblings: Vec<(String, String)> = sqlx::query(
        "SELECT slug, title FROM units WHERE competency_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("sibling units")?
    .iter()
    .map(|s| Ok((s.try_get(0)?, s.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let here = siblings.iter().position(|(s, _)| s == slug).unwrap_or(0);
    let done = r.try_get::<i64, _>("done")? > 0;
    let summary = summary_from(&r, done)?;
    let answer_entry: Option<i64> = r.try_get("answer_id")?;
    let considerations = r.try_get::<Option<String>, _>("considerations")?;
    // A scenario's considerations come after the reader's own answer, never before.
    let locked = summary.kind == UnitKind::Scenario && answer_entry.is_none();
    Ok(Some(UnitView {
        framework_slug: framework.to_owned(),
        competency_slug: r.try_get("competency_slug")?,
        competency_title: r.try_get("competency_title")?,
        summary,
        prompt: r.try_get("prompt")?,
        indicators,
        body_html: crate::markdown::to_safe_html(&r.try_get::<String, _>("body")?),
        considerations_locked: locked && considerations.is_some(),
        considerations_html: considerations
            .filter(|_| !locked)
            .map(|c| crate::markdown::to_safe_html(&c)),
        answer_entry,
        previous: here.checked_sub(1).and_then(|i| siblings.get(i)).cloned(),
        next: siblings.get(here + 1).cloned(),
    }))
}

/// Marks a unit done (or not done) for a user. `false` when there is no such unit.
pub async fn set_done(
    db: &Db,
    framework: &str,
    slug: &str,
    user_id: i64,
    done: bool,
) -> anyhow::Result<bool> {
    let unit_id: Option<i64> = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN frameworks f ON f.id = u.framework_id \
         WHERE f.slug = $1 AND u.slug = $2 AND u.retired_at IS NULL",
    )
    .bind(framework)
    .bind(slug)
    .fetch_optional(db.pool())
    .await
    .context("find unit")?;
    let Some(unit_id) = unit_id else {
        return Ok(false);
    };
    if done {
        sqlx::query(
            "INSERT INTO unit_progress (user_id, unit_id, done_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, unit_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(unit_id)
        .bind(now_ms())
        .execute(db.writer())
        .await
        .context("mark unit done")?;
    } else {
        sqlx::query("DELETE FROM unit_progress WHERE user_id = $1 AND unit_id = $2")
            .bind(user_id)
            .bind(unit_id)
            .execute(db.writer())
            .await
            .context("mark unit not done")?;
    }
    Ok(true)
}
