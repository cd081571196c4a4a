//! Course pages: import from `content/course/`, the course index, one page with its
//! placeholders filled from the live units.

use super::{now_ms, Db};
use crate::content::course::PageContent;
use crate::domain::assessment::CompetentRule;
use crate::domain::course::{fill_in, CourseFacts, CourseIndex, PageKind, PageSummary, PageView};
use crate::domain::lang::Lang;
use anyhow::Context as _;
use std::collections::HashSet;

/// Imports a framework's course pages (idempotent; pages missing from the files are retired).
/// Errors: the framework is not imported, or a statement fails.
pub async fn import(db: &Db, framework_slug: &str, pages: &[PageContent]) -> anyhow::Result<usize> {
    let mut tx = db.begin_write().await.context("begin course import")?;
    let framework_id: i64 = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
        .bind(framework_slug)
        .fetch_one(&mut *tx)
        .await
        .context("framework of course pages")?;
    let mut seen = HashSet::new();
    for page in pages {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO course_pages (framework_id, slug, position, kind, title, summary, body, \
             retired_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) \
             ON CONFLICT (framework_id, slug) DO UPDATE SET position = excluded.position, \
             kind = excluded.kind, title = excluded.title, summary = excluded.summary, \
             body = excluded.body, retired_at = NULL RETURNING id",
        )
        .bind(framework_id)
        .bind(page.slug.as_str())
        .bind(i64::from(page.order))
        .bind(page.kind.as_str())
        .bind(&page.title)
        .bind(&page.summary)
        .bind(&page.body)
        .fetch_one(&mut *tx)
        .await
        .context("upsert course page")?;
        seen.insert(id);
    }
    let live: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM course_pages WHERE framework_id = $1 AND retired_at IS NULL",
    )
    .bind(framework_id)
    .fetch_all(&mut *tx)
    .await
    .context("list course pages")?;
    for id in live.into_iter().filter(|id| !seen.contains(id)) {
        sqlx::query("UPDATE course_pages SET retired_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("retire course page")?;
    }
    tx.commit().await.context("commit course import")?;
    Ok(seen.len())
}

#[derive(sqlx::FromRow)]
struct FrameworkRow {
    id: i64,
    slug: String,
    short_title: String,
    competent_rule: String,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    units: i64,
    min_minutes: Option<i64>,
    max_minutes: Option<i64>,
    total_minutes: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PageRow {
    slug: String,
    title: String,
    kind: String,
    summary: String,
    body: String,
}

fn to_u32(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

async fn framework(
    db: &Db,
    slug: &str,
    lang: Lang,
) -> anyhow::Result<Option<(FrameworkRow, CourseFacts)>> {
    let Some(f): Option<FrameworkRow> = sqlx::query_as(
        "SELECT id, slug, short_title, competent_rule FROM frameworks \
         WHERE slug = $1 AND retired_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await
    .context("course framework")?
    else {
        return Ok(None);
    };
    let facts: FactsRow = sqlx::query_as(
        "SELECT COUNT(*) AS units, MIN(minutes) AS min_minutes, MAX(minutes) AS max_minutes, \
         CAST(SUM(minutes) AS BIGINT) AS total_minutes FROM units WHERE framework_id = $1 AND retired_at IS NULL",
    )
    .bind(f.id)
    .fetch_one(db.pool())
    .await
    .context("course facts")?;
    let rule = CompetentRule::parse(&f.competent_rule)
        .with_context(|| format!("stored competent rule {:?}", f.competent_rule))?;
    let facts = CourseFacts {
        units: to_u32(Some(facts.units)),
        min_minutes: to_u32(facts.min_minutes),
        max_minutes: to_u32(facts.max_minutes),
        total_minutes: to_u32(facts.total_minutes),
        competent_rule: rule.explain_in(lang).to_owned(),
    };
    Ok(Some((f, facts)))
}

fn summary(row: &PageRow) -> anyhow::Result<PageSummary> {
    Ok(PageSummary {
        slug: row.slug.clone(),
        title: row.title.clone(),
        kind: PageKind::parse(&row.kind)
            .with_context(|| format!("stored course page kind {:?}", row.kind))?,
        summary: row.summary.clone(),
    })
}

/// The course index of a framework (pages in order, and the units' figures) in `lang`, or
/// `None` when there is no such framework.
pub async fn index(
    db: &Db,
    framework_slug: &str,
    lang: Lang,
) -> anyhow::Result<Option<CourseIndex>> {
    let Some((f, facts)) = framework(db, framework_slug, lang).await? else {
        return Ok(None);
    };
    let rows: Vec<PageRow> = sqlx::query_as(
        "SELECT slug, title, kind, summary, '' AS body FROM course_pages \
         WHERE framework_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(f.id)
    .fetch_all(db.pool())
    .await
    .context("course pages")?;
    let mut index = CourseIndex {
        framework_slug: f.slug,
        framework_title: f.short_title,
        facts,
        pages: rows.iter().map(summary).collect::<anyhow::Result<_>>()?,
    };
    crate::db::translation::texts(db, framework_slug, lang, &["framework", "page"])
        .await?
        .course(&mut index);
    Ok(Some(index))
}

/// One course page in `lang` (its translation where there is one) with its placeholders
/// filled and its Markdown rendered to safe HTML, or `None` when the framework or page does
/// not exist (or the page is retired).
pub async fn view(
    db: &Db,
    framework_slug: &str,
    page: &str,
    lang: Lang,
) -> anyhow::Result<Option<PageView>> {
    let Some((f, facts)) = framework(db, framework_slug, lang).await? else {
        return Ok(None);
    };
    let row: Option<PageRow> = sqlx::query_as(
        "SELECT slug, title, kind, summary, body FROM course_pages \
         WHERE framework_id = $1 AND slug = $2 AND retired_at IS NULL",
    )
    .bind(f.id)
    .bind(page)
    .fetch_optional(db.pool())
    .await
    .context("course page")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let texts =
        crate::db::translation::texts(db, framework_slug, lang, &["framework", "page"]).await?;
    let body = texts.get("page", &row.slug, "body").unwrap_or(&row.body);
    let body_html = crate::markdown::to_safe_html(&fill_in(body, &facts, lang));
    let mut view = PageView {
        framework_slug: f.slug,
        framework_title: f.short_title,
        summary: summary(&row)?,
        body_html,
    };
    texts.lay(
        "framework",
        framework_slug,
        "short_title",
        &mut view.framework_title,
    );
    texts.page_summary(&mut view.summary);
    Ok(Some(view))
}
