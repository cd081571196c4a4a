//! Self-ratings.

use super::{now_ms, Db};
use crate::domain::rating::{ChecklistRow, Level, Phase, Rating};
use anyhow::Context as _;

/// An indicator with one of the user's ratings of it (or none: `phase` is NULL).
#[derive(sqlx::FromRow)]
struct ChecklistLine {
    slug: String,
    text: String,
    phase: Option<Phase>,
    level: Option<Level>,
    note: Option<String>,
    evidence_url: Option<String>,
    updated_at: Option<i64>,
}

/// A competency's current indicators with the user's baseline and current ratings; `None`
/// when there is no such competency.
pub async fn checklist(
    db: &Db,
    user_id: i64,
    framework: &str,
    competency: &str,
) -> anyhow::Result<Option<Vec<ChecklistRow>>> {
    let competency_id: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
         WHERE f.slug = $1 AND c.slug = $2 AND c.retired_at IS NULL",
    )
    .bind(framework)
    .bind(competency)
    .fetch_optional(db.pool())
    .await
    .context("find competency")?;
    let Some(competency_id) = competency_id else {
        return Ok(None);
    };
    let rows: Vec<ChecklistLine> = sqlx::query_as(
        "SELECT i.slug, i.text, r.phase, r.level, r.note, r.evidence_url, r.updated_at \
         FROM indicators i LEFT JOIN self_ratings r ON r.indicator_id = i.id AND r.user_id = $2 \
         WHERE i.competency_id = $1 AND i.retired_at IS NULL ORDER BY i.position, r.phase",
    )
    .bind(competency_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("checklist")?;
    let mut out: Vec<ChecklistRow> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|row| row.slug != r.slug) {
            out.push(ChecklistRow {
                slug: r.slug.clone(),
                text: r.text,
                baseline: None,
                current: None,
            });
        }
        // No rating in this phase (the LEFT JOIN found none).
        let Some(phase) = r.phase else {
            continue;
        };
        let rating = Rating {
            level: r.level.context("a self-rating without a level")?,
            note: r.note.context("a self-rating without a note")?,
            evidence_url: r
                .evidence_url
                .context("a self-rating without an evidence link")?,
            updated_at: r.updated_at.context("a self-rating without a time")?,
        };
        if let Some(row) = out.last_mut() {
            match phase {
                Phase::Baseline => row.baseline = Some(rating),
                Phase::Current => row.current = Some(rating),
            }
        }
    }
    Ok(Some(out))
}

/// A validated rating to save.
#[derive(Debug, Clone)]
pub struct NewRating {
    /// Baseline or current.
    pub phase: Phase,
    /// The level.
    pub level: Level,
    /// Note (may be empty).
    pub note: String,
    /// Evidence link (may be empty).
    pub evidence_url: String,
}

/// Saves a rating (insert or replace); returns when, or `None` when the indicator is unknown.
pub async fn save(
    db: &Db,
    user_id: i64,
    framework: &str,
    indicator: &str,
    rating: &NewRating,
) -> anyhow::Result<Option<i64>> {
    let indicator_id: Option<i64> = sqlx::query_scalar(
        "SELECT i.id FROM indicators i JOIN frameworks f ON f.id = i.framework_id \
         WHERE f.slug = $1 AND i.slug = $2 AND i.retired_at IS NULL",
    )
    .bind(framework)
    .bind(indicator)
    .fetch_optional(db.pool())
    .await
    .context("find indicator")?;
    let Some(indicator_id) = indicator_id else {
        return Ok(None);
    };
    let now = now_ms();
    sqlx::query(
        "INSERT INTO self_ratings (user_id, indicator_id, phase, level, note, evidence_url, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id, indicator_id, phase) DO UPDATE SET level = excluded.level, \
         note = excluded.note, evidence_url = excluded.evidence_url, updated_at = excluded.updated_at, \
         version = self_ratings.version + 1",
    )
    .bind(user_id)
    .bind(indicator_id)
    .bind(rating.phase)
    .bind(rating.level)
    .bind(&rating.note)
    .bind(&rating.evidence_url)
    .bind(now)
    .execute(db.writer())
    .await
    .context("save rating")?;
    Ok(Some(now))
}
