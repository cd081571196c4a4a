//! Framework import and read queries.

use super::{now_ms, Db};
use crate::content::FrameworkContent;
use crate::domain::framework::{
    CompetencySummary, CompetencyView, DomainView, FrameworkSummary, FrameworkView, IndicatorView,
    Priority,
};
use anyhow::Context as _;
use sqlx::{Any, Row as _, Transaction};
use std::collections::HashSet;

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
         credential_description, credential_criteria) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13) \
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, \
         short_title = excluded.short_title, version = excluded.version, \
         language = excluded.language, is_default = excluded.is_default, \
         description = excluded.description, attribution = excluded.attribution, \
         imported_at = excluded.imported_at, retired_at = NULL, \
         competent_rule = excluded.competent_rule, credential_name = excluded.credential_name, \
         credential_description = excluded.credential_description, \
         credential_criteria = excluded.credential_criteria \
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
    .fetch_one(&mut *tx)
    .await
    .context("upsert framework")?;

    let mut report = ImportReport::default();
    let mut seen = [HashSet::new(), HashSet::new(), HashSet::new()];
    for (d_pos, domain) in framework.domains.iter().enumerate() {
        let domain_id: i64 = sqlx::query_scalar(
            "INSERT INTO domains (framework_id, slug, position, title, summary, retired_at) \
             VALUES ($1, $2, $3, $4, $5, NULL) \
             ON CONFLICT (framework_id, slug) DO UPDATE SET position = excluded.position, \
             title = excluded.title, summary = excluded.summary, retired_at = NULL \
             RETURNING id",
        )
        .bind(framework_id)
        .bind(domain.slug.as_str())
        .bind(position(d_pos))
        .bind(&domain.title)
        .bind(&domain.summary)
        .fetch_one(&mut *tx)
        .await
        .context("upsert domain")?;
        seen[0].insert(domain_id);
        for (c_pos, competency) in domain.competencies.iter().enumerate() {
            let competency_id: i64 = sqlx::query_scalar(
                "INSERT INTO competencies (framework_id, domain_id, slug, position, title, \
                 description, priority_hundredths, retired_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) \
                 ON CONFLICT (framework_id, slug) DO UPDATE SET domain_id = excluded.domain_id, \
                 position = excluded.position, title = excluded.title, \
                 description = excluded.description, priority_hundredths = excluded.priority_hundredths, \
                 retired_at = NULL RETURNING id",
            )
            .bind(framework_id)
            .bind(domain_id)
            .bind(competency.slug.as_str())
            .bind(position(c_pos))
            .bind(&competency.title)
            .bind(competency.description.join("\n"))
            .bind(competency.priority.map(to_hundredths))
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

/// Every framework that is not retired, the default first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<FrameworkSummary>> {
    let rows = sqlx::query(
        "SELECT f.slug, f.title, f.short_title, f.description, f.is_default, \
         (SELECT COUNT(*) FROM domains d WHERE d.framework_id = f.id AND d.retired_at IS NULL), \
         (SELECT COUNT(*) FROM competencies c WHERE c.framework_id = f.id AND c.retired_at IS NULL), \
         (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = f.id AND i.retired_at IS NULL) \
         FROM frameworks f WHERE f.retired_at IS NULL ORDER BY f.is_default DESC, f.title",
    )
    .fetch_all(db.pool())
    .await
    .context("list frameworks")?;
    rows.iter()
        .map(|r| {
            Ok(FrameworkSummary {
                slug: r.try_get(0)?,
                title: r.try_get(1)?,
                short_title: r.try_get(2)?,
                description: r.try_get(3)?,
                is_default: r.try_get::<i64, _>(4)? != 0,
                domain_count: count(r.try_get(5)?),
                competency_count: count(r.try_get(6)?),
                indicator_count: count(r.try_get(7)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .context("read framework list")
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

struct FrameworkRow {
    id: i64,
    slug: String,
    title: String,
    short_title: String,
    version: String,
    description: String,
    attribution: String,
}

async fn framework_row(db: &Db, slug: &str) -> anyhow::Result<Option<FrameworkRow>> {
    let row = sqlx::query(
        "SELECT id, slug, title, short_title, version, description, attribution \
         FROM frameworks WHERE slug = $1 AND retired_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await
    .context("find framework")?;
    row.map(|r| {
        Ok(FrameworkRow {
            id: r.try_get(0)?,
            slug: r.try_get(1)?,
            title: r.try_get(2)?,
            short_title: r.try_get(3)?,
            version: r.try_get(4)?,
            description: r.try_get(5)?,
            attribution: r.try_get(6)?,
        })
    })
    .transpose()
    .map_err(|e: sqlx::Error| anyhow::Error::from(e).context("read framework"))
}

/// A framework with its current domains and competencies, or `None` when there is no such slug.
pub async fn overview(db: &Db, slug: &str) -> anyhow::Result<Option<FrameworkView>> {
    let Some(f) = framework_row(db, slug).await? else {
        return Ok(None);
    };
    let domain_rows = sqlx::query(
        "SELECT id, slug, title, summary FROM domains \
         WHERE framework_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list domains")?;
    let competency_rows = sqlx::query(
        "SELECT c.domain_id, c.slug, c.title, c.priority_hundredths, \
         (SELECT COUNT(*) FROM indicators i WHERE i.competency_id = c.id AND i.retired_at IS NULL) \
         FROM competencies c WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY c.position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list competencies")?;

    let mut domains = Vec::with_capacity(domain_rows.len());
    for d in &domain_rows {
        let domain_id: i64 = d.try_get(0)?;
        let mut competencies = Vec::new();
        for c in &competency_rows {
            if c.try_get::<i64, _>(0)? == domain_id {
                competencies.push(CompetencySummary {
                    slug: c.try_get(1)?,
                    title: c.try_get(2)?,
                    priority: from_hundredths(c.try_get(3)?),
                    indicator_count: count(c.try_get(4)?),
                });
            }
        }
        domains.push(DomainView {
            slug: d.try_get(1)?,
            title: d.try_get(2)?,
            summary: d.try_get(3)?,
            competencies,
        });
    }
    Ok(Some(FrameworkView {
        slug: f.slug,
        title: f.title,
        short_title: f.short_title,
        version: f.version,
        description: f.description,
        attribution: f.attribution,
        domains,
    }))
}

/// One competency with its indicators, or `None` when either slug is unknown.
pub async fn competency(
    db: &Db,
    framework_slug: &str,
    competency_slug: &str,
) -> anyhow::Result<Option<CompetencyView>> {
    let Some(f) = framework_row(db, framework_slug).await? else {
        return Ok(None);
    };
    // All current competencies in framework order, to find this one and its neighbours.
    let rows = sqlx::query(
        "SELECT c.id, c.slug, c.title, c.description, c.priority_hundredths, d.slug, d.title \
         FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY d.position, c.position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list competencies")?;
    let mut ordered = Vec::with_capacity(rows.len());
    for r in &rows {
        ordered.push((r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?));
    }
    let Some(index) = ordered.iter().position(|(slug, _)| slug == competency_slug) else {
        return Ok(None);
    };
    let row = &rows[index];
    let competency_id: i64 = row.try_get(0)?;
    let description: String = row.try_get(3)?;
    let indicators = sqlx::query(
        "SELECT slug, text FROM indicators \
         WHERE competency_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("list indicators")?
    .iter()
    .map(|r| {
        Ok(IndicatorView {
            slug: r.try_get(0)?,
            text: r.try_get(1)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(CompetencyView {
        framework_slug: f.slug,
        framework_title: f.short_title,
        attribution: f.attribution,
        domain_slug: row.try_get(5)?,
        domain_title: row.try_get(6)?,
        slug: ordered[index].0.clone(),
        title: ordered[index].1.clone(),
        description: description.lines().map(str::to_owned).collect(),
        priority: from_hundredths(row.try_get(4)?),
        indicators,
        previous: index.checked_sub(1).and_then(|i| ordered.get(i)).cloned(),
        next: ordered.get(index + 1).cloned(),
    }))
}
