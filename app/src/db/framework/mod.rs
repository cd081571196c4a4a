//! Framework import and read queries.

use super::{now_ms, Db};
use crate::content::FrameworkContent;
use crate::domain::framework::{
    CompetencySummary, CompetencyView, DomainView, FrameworkSummary, FrameworkView, IndicatorView,
    Priority,
};
use anyhow::Context as _;
use sqlx::{Any, Transaction};
use std::collections::HashSet;

mod case;
mod read;
pub use case::*;
pub use read::*;

/// What one import changed, for the log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Items (domains, competencies, indicators) present in the file.
    pub current: usize,
    /// Items newly retired because they left the file.
    pub retired: usize,
}

/// Imports (or re-imports) one framework in one transaction. Idempotent: ids are kept by slug,
/// nothing is deleted, and items no longer in the file are marked retired.
#[tracing::instrument(skip(db, framework), fields(framework = %framework.slug))]
pub async fn import(db: &Db, framework: &FrameworkContent) -> anyhow::Result<ImportReport> {
    db.structures.clear();
    let mut tx = db.begin_write().await.context("begin import")?;
    let now = now_ms();
    let framework_id: i64 = sqlx::query_scalar(
        "INSERT INTO frameworks (slug, title, short_title, version, language, is_default, \
         description, attribution, imported_at, retired_at, competent_rule, credential_name, \
         credential_description, credential_criteria, creator) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14) \
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, \
         short_title = excluded.short_title, version = excluded.version, \
         language = excluded.language, is_default = excluded.is_default, \
         description = excluded.description, attribution = excluded.attribution, \
         imported_at = excluded.imported_at, retired_at = NULL, \
         competent_rule = excluded.competent_rule, credential_name = excluded.credential_name, \
         credential_description = excluded.credential_description, \
         credential_criteria = excluded.credential_criteria, creator = excluded.creator \
         RETURNING id",
    )
    .bind(framework.slug.as_str())
    .bind(&framework.title)
    .bind(&framework.short_title)
    .bind(&framework.version)
    .bind(&framework.language)
    .bind(i64::from(framework.is_default))
    .bind(&framework.description)
    .bind(&framework.attribution)
    .bind(now)
    .bind(framework.competent_rule.as_str())
    .bind(
        framework
            .credential
            .as_ref()
            .map_or("", |k| k.name.as_str()),
    )
    .bind(
        framework
            .credential
            .as_ref()
            .map_or("", |k| k.description.as_str()),
    )
    .bind(
        framework
            .credential
            .as_ref()
            .map_or("", |k| k.criteria.as_str()),
    )
    .bind(&framework.creator)
    .fetch_one(&mut *tx)
    .await
    .context("upsert framework")?;

    let mut report = ImportReport::default();
    let mut seen = [HashSet::new(), HashSet::new(), HashSet::new()];
    for (d_pos, domain) in framework.domains.iter().enumerate() {
        let domain_id: i64 = sqlx::query_scalar(
            "INSERT INTO domains (framework_id, slug, position, title, summary, summary_adapted, \
             retired_at) VALUES ($1, $2, $3, $4, $5, $6, NULL) \
             ON CONFLICT (framework_id, slug) DO UPDATE SET position = excluded.position, \
             title = excluded.title, summary = excluded.summary, \
             summary_adapted = excluded.summary_adapted, retired_at = NULL \
             RETURNING id",
        )
        .bind(framework_id)
        .bind(domain.slug.as_str())
        .bind(position(d_pos))
        .bind(&domain.title)
        .bind(&domain.summary)
        .bind(i64::from(domain.summary_adapted))
        .fetch_one(&mut *tx)
        .await
        .context("upsert domain")?;
        seen[0].insert(domain_id);
        for (c_pos, competency) in domain.competencies.iter().enumerate() {
            let competency_id: i64 = sqlx::query_scalar(
                "INSERT INTO competencies (framework_id, domain_id, slug, position, title, \
                 description, priority_hundredths, description_adapted, retired_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL) \
                 ON CONFLICT (framework_id, slug) DO UPDATE SET domain_id = excluded.domain_id, \
                 position = excluded.position, title = excluded.title, \
                 description = excluded.description, priority_hundredths = excluded.priority_hundredths, \
                 description_adapted = excluded.description_adapted, \
                 retired_at = NULL RETURNING id",
            )
            .bind(framework_id)
            .bind(domain_id)
            .bind(competency.slug.as_str())
            .bind(position(c_pos))
            .bind(&competency.title)
            .bind(competency.description.join("\n"))
            .bind(competency.priority.map(to_hundredths))
            .bind(i64::from(competency.description_adapted))
            .fetch_one(&mut *tx)
            .await
            .context("upsert competency")?;
            seen[1].insert(competency_id);
            for (i_pos, indicator) in competency.indicators.iter().enumerate() {
                let indicator_id: i64 = sqlx::query_scalar(
                    "INSERT INTO indicators (framework_id, competency_id, slug, position, text, \
                     retired_at) VALUES ($1, $2, $3, $4, $5, NULL) \
                     ON CONFLICT (framework_id, slug) DO UPDATE SET \
                     competency_id = excluded.competency_id, position = excluded.position, \
                     text = excluded.text, retired_at = NULL RETURNING id",
                )
                .bind(framework_id)
                .bind(competency_id)
                .bind(indicator.slug.as_str())
                .bind(position(i_pos))
                .bind(&indicator.text)
                .fetch_one(&mut *tx)
                .await
                .context("upsert indicator")?;
                seen[2].insert(indicator_id);
            }
        }
    }
    report.current = seen.iter().map(HashSet::len).sum();
    for (table, ids) in ["domains", "competencies", "indicators"].iter().zip(&seen) {
        report.retired += retire_missing(&mut tx, table, framework_id, ids, now).await?;
    }
    tx.commit().await.context("commit import")?;
    tracing::info!(
        current = report.current,
        retired = report.retired,
        "framework imported"
    );
    Ok(report)
}

/// Ratings are stored as whole hundredths: sqlx's `Any` driver mis-types a NULL `f64` for
/// PostgreSQL (it binds a NULL FLOAT4), so no nullable float column is used.
fn to_hundredths(rating: f64) -> i64 {
    // Ratings are validated to 0..=10 on load, so this cannot overflow.
    (rating * 100.0).round() as i64
}

fn from_hundredths(stored: Option<i64>) -> Option<Priority> {
    stored.and_then(|h| u16::try_from(h).ok()).map(Priority)
}

fn position(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

/// Marks rows of `table` that the import did not see as retired (kept, never deleted).
async fn retire_missing(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    framework_id: i64,
    seen: &HashSet<i64>,
    now: i64,
) -> anyhow::Result<usize> {
    // `table` is one of three fixed names above, never user input.
    let select = format!("SELECT id FROM {table} WHERE framework_id = $1 AND retired_at IS NULL");
    let live: Vec<i64> = sqlx::query_scalar(&select)
        .bind(framework_id)
        .fetch_all(&mut **tx)
        .await
        .with_context(|| format!("list live {table}"))?;
    let update = format!("UPDATE {table} SET retired_at = $1 WHERE id = $2");
    let mut retired = 0;
    for id in live.into_iter().filter(|id| !seen.contains(id)) {
        sqlx::query(&update)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await
            .with_context(|| format!("retire {table} {id}"))?;
        retired += 1;
    }
    Ok(retired)
}
