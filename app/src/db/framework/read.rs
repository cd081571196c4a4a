//! Reading frameworks: the list, a framework's overview, one competency's page.

use super::*;

/// Every framework that is not retired, the default first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<FrameworkSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT f.slug, f.title, f.short_title, f.description, f.is_default, \
         (SELECT COUNT(*) FROM domains d WHERE d.framework_id = f.id AND d.retired_at IS NULL) \
           AS domain_count, \
         (SELECT COUNT(*) FROM competencies c WHERE c.framework_id = f.id AND c.retired_at IS NULL) \
           AS competency_count, \
         (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = f.id AND i.retired_at IS NULL) \
           AS indicator_count \
         FROM frameworks f WHERE f.retired_at IS NULL ORDER BY f.is_default DESC, f.title",
    )
    .fetch_all(db.pool())
    .await
    .context("list frameworks")?;
    Ok(rows
        .into_iter()
        .map(|r| FrameworkSummary {
            slug: r.slug,
            title: r.title,
            short_title: r.short_title,
            description: r.description,
            is_default: r.is_default != 0,
            domain_count: count(r.domain_count),
            competency_count: count(r.competency_count),
            indicator_count: count(r.indicator_count),
        })
        .collect())
}

/// A framework as the list shows it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    slug: String,
    title: String,
    short_title: String,
    description: String,
    is_default: i64,
    domain_count: i64,
    competency_count: i64,
    indicator_count: i64,
}

/// A domain of the overview.
#[derive(sqlx::FromRow)]
struct DomainRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    summary_adapted: i64,
}

/// A competency of the overview.
#[derive(sqlx::FromRow)]
struct OverviewCompetencyRow {
    domain_id: i64,
    slug: String,
    title: String,
    priority_hundredths: Option<i64>,
    indicator_count: i64,
}

/// A competency with its domain, in framework order.
#[derive(sqlx::FromRow)]
struct CompetencyRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    description_adapted: i64,
    priority_hundredths: Option<i64>,
    domain_slug: String,
    domain_title: String,
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

#[derive(sqlx::FromRow)]
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
    sqlx::query_as(
        "SELECT id, slug, title, short_title, version, description, attribution \
         FROM frameworks WHERE slug = $1 AND retired_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("find framework {slug}"))
}

/// A framework with its current domains and competencies, or `None` when there is no such slug.
pub async fn overview(db: &Db, slug: &str) -> anyhow::Result<Option<FrameworkView>> {
    let Some(f) = framework_row(db, slug).await? else {
        return Ok(None);
    };
    let domain_rows: Vec<DomainRow> = sqlx::query_as(
        "SELECT id, slug, title, summary, summary_adapted FROM domains \
         WHERE framework_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list domains")?;
    let competency_rows: Vec<OverviewCompetencyRow> = sqlx::query_as(
        "SELECT c.domain_id, c.slug, c.title, c.priority_hundredths, \
         (SELECT COUNT(*) FROM indicators i WHERE i.competency_id = c.id AND i.retired_at IS NULL) \
           AS indicator_count \
         FROM competencies c WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY c.position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list competencies")?;

    let course_pages: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM course_pages WHERE framework_id = $1 AND retired_at IS NULL",
    )
    .bind(f.id)
    .fetch_one(db.pool())
    .await
    .context("count course pages")?;
    let mut domains = Vec::with_capacity(domain_rows.len());
    for d in domain_rows {
        let competencies = competency_rows
            .iter()
            .filter(|c| c.domain_id == d.id)
            .map(|c| CompetencySummary {
                slug: c.slug.clone(),
                title: c.title.clone(),
                priority: from_hundredths(c.priority_hundredths),
                indicator_count: count(c.indicator_count),
            })
            .collect();
        domains.push(DomainView {
            slug: d.slug,
            title: d.title,
            summary: d.summary,
            summary_adapted: d.summary_adapted != 0,
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
        course_pages: count(course_pages),
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
    let rows: Vec<CompetencyRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title, c.description, c.description_adapted, c.priority_hundredths, \
         d.slug AS domain_slug, d.title AS domain_title \
         FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY d.position, c.position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("list competencies")?;
    let ordered: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.slug.clone(), r.title.clone()))
        .collect();
    let Some(index) = ordered.iter().position(|(slug, _)| slug == competency_slug) else {
        return Ok(None);
    };
    let row = &rows[index];
    let indicators: Vec<IndicatorRow> = sqlx::query_as(
        "SELECT slug, text FROM indicators \
         WHERE competency_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(db.pool())
    .await
    .context("list indicators")?;
    let indicators = indicators
        .into_iter()
        .map(|r| IndicatorView {
            slug: r.slug,
            text: r.text,
        })
        .collect();
    Ok(Some(CompetencyView {
        framework_slug: f.slug,
        framework_title: f.short_title,
        attribution: f.attribution,
        domain_slug: row.domain_slug.clone(),
        domain_title: row.domain_title.clone(),
        slug: ordered[index].0.clone(),
        title: ordered[index].1.clone(),
        description: row.description.lines().map(str::to_owned).collect(),
        description_adapted: row.description_adapted != 0,
        priority: from_hundredths(row.priority_hundredths),
        indicators,
        previous: index.checked_sub(1).and_then(|i| ordered.get(i)).cloned(),
        next: ordered.get(index + 1).cloned(),
    }))
}

/// An indicator's slug and text.
#[derive(sqlx::FromRow)]
struct IndicatorRow {
    slug: String,
    text: String,
}

/// The slug of the default framework (the one marked so, else the first by title); `None`
/// when none is loaded.
pub async fn default_slug(db: &Db) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT slug FROM frameworks WHERE retired_at IS NULL ORDER BY is_default DESC, title LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
    .context("the default framework")
}
