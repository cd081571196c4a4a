//! Units: import, reads, progress.

use super::{now_ms, Db};
use crate::content::units::UnitContent;
use crate::domain::unit::{UnitKind, UnitSummary, UnitView};
use anyhow::Context as _;
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
        .bind(unit.kind)
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

/// A unit as lists show it, with whether the user marked it done.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    slug: String,
    title: String,
    kind: UnitKind,
    minutes: i64,
    summary: String,
    done: i64,
}

impl From<SummaryRow> for UnitSummary {
    fn from(r: SummaryRow) -> Self {
        UnitSummary {
            slug: r.slug,
            title: r.title,
            kind: r.kind,
            minutes: u32::try_from(r.minutes).unwrap_or(0),
            summary: r.summary,
            done: r.done > 0,
        }
    }
}

/// One unit with its texts and the user's progress.
#[derive(sqlx::FromRow)]
struct UnitRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    competency_id: i64,
    prompt: Option<String>,
    indicators: String,
    body: String,
    considerations: Option<String>,
    competency_slug: String,
    competency_title: String,
    answer_id: Option<i64>,
}

/// A slug and its title or text.
#[derive(sqlx::FromRow)]
struct Labelled {
    slug: String,
    label: String,
}

/// The units of a competency in order, with done flags for `user_id`.
pub async fn list_for_competency(
    db: &Db,
    framework: &str,
    competency: &str,
    user_id: Option<i64>,
) -> anyhow::Result<Vec<UnitSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
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
    Ok(rows.into_iter().map(UnitSummary::from).collect())
}

/// One unit with its text rendered, or `None`.
pub async fn view(
    db: &Db,
    framework: &str,
    slug: &str,
    user_id: Option<i64>,
) -> anyhow::Result<Option<UnitView>> {
    let row: Option<UnitRow> = sqlx::query_as(
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
    let competency_id = r.competency_id;
    let wanted: Vec<&str> = r.indicators.split(',').collect();
    let all: Vec<Labelled> = sqlx::query_as(
        "SELECT slug, text AS label FROM indicators WHERE competency_id = $1 ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("unit indicators")?;
    let indicators = all
        .into_iter()
        .filter(|i| wanted.contains(&i.slug.as_str()))
        .map(|i| (i.slug, i.label))
        .collect();
    let siblings: Vec<Labelled> = sqlx::query_as(
        "SELECT slug, title AS label FROM units WHERE competency_id = $1 AND retired_at IS NULL \
         ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("sibling units")?;
    let siblings: Vec<(String, String)> = siblings.into_iter().map(|s| (s.slug, s.label)).collect();
    let here = siblings.iter().position(|(s, _)| s == slug).unwrap_or(0);
    let summary = UnitSummary::from(r.summary);
    let answer_entry = r.answer_id;
    // The reader's own answer, shown beside the considerations (issue 15).
    let answer_body: Option<String> = match (answer_entry, user_id) {
        (Some(id), Some(user)) => sqlx::query_scalar(
            "SELECT body FROM journal_entries WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(user)
        .fetch_optional(db.pool())
        .await
        .context("the reader's answer")?,
        _ => None,
    };
    let considerations = r.considerations;
    // A scenario's considerations come after the reader's own answer, never before.
    let locked = summary.kind == UnitKind::Scenario && answer_entry.is_none();
    Ok(Some(UnitView {
        framework_slug: framework.to_owned(),
        competency_slug: r.competency_slug,
        competency_title: r.competency_title,
        summary,
        prompt: r.prompt,
        indicators,
        body_html: crate::markdown::to_safe_html(&r.body),
        considerations_locked: locked && considerations.is_some(),
        considerations_html: considerations
            .filter(|_| !locked)
            .map(|c| crate::markdown::to_safe_html(&c)),
        answer_entry,
        answer_html: answer_body.map(|b| crate::markdown::to_safe_html(&b)),
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
