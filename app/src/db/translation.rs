//! Translated texts: imported beside the original content, laid over it when read.

use super::Db;
use crate::content::translation::Translation;
use crate::domain::lang::Lang;
use anyhow::Context as _;
use std::collections::HashMap;

/// Replaces every translation of each framework named in `translations` (one transaction per
/// framework and language). Errors: a framework not imported, or a statement failing.
pub async fn import(db: &Db, translations: &[Translation]) -> anyhow::Result<usize> {
    let mut count = 0;
    for t in translations {
        let mut tx = db.begin_write().await.context("begin translation import")?;
        let framework_id: i64 = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
            .bind(&t.framework)
            .fetch_one(&mut *tx)
            .await
            .context("framework of a translation")?;
        sqlx::query("DELETE FROM translations WHERE framework_id = $1 AND language = $2")
            .bind(framework_id)
            .bind(t.lang.as_str())
            .execute(&mut *tx)
            .await
            .context("clear translations")?;
        for text in &t.texts {
            sqlx::query(
                "INSERT INTO translations (framework_id, language, kind, slug, field, text) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(framework_id)
            .bind(t.lang.as_str())
            .bind(text.kind)
            .bind(&text.slug)
            .bind(text.field)
            .bind(&text.text)
            .execute(&mut *tx)
            .await
            .with_context(|| {
                format!("translation of {} {} {}", text.kind, text.slug, text.field)
            })?;
            count += 1;
        }
        tx.commit().await.context("commit translations")?;
    }
    Ok(count)
}

/// A framework's texts in one language, by (kind, slug, field). Empty for the original
/// language, so callers can lay it over any view unconditionally.
#[derive(Debug, Default, Clone)]
pub struct Texts(HashMap<(String, String, String), String>);

impl Texts {
    /// The translation of `field` of the `kind` item `slug`, if there is one.
    pub fn get(&self, kind: &str, slug: &str, field: &str) -> Option<&str> {
        self.0
            .get(&(kind.to_owned(), slug.to_owned(), field.to_owned()))
            .map(String::as_str)
    }

    /// Replaces `target` with the translation when there is one.
    pub fn lay(&self, kind: &str, slug: &str, field: &str, target: &mut String) {
        if let Some(t) = self.get(kind, slug, field) {
            t.clone_into(target);
        }
    }
}

/// Every original framework text that has a translation in `lang`, mapped to it: framework
/// titles, domain and competency titles, indicators, unit titles and summaries, across
/// frameworks. Empty for the original language. Used to read any view in `lang` by value
/// (`crate::api::localized`).
pub async fn by_original(db: &Db, lang: Lang) -> anyhow::Result<HashMap<String, String>> {
    if !lang.is_translation() {
        return Ok(HashMap::new());
    }
    let query = sqlx::query_as::<_, (String, String)>(
        "SELECT f.title, t.text FROM translations t JOIN frameworks f ON f.id = t.framework_id \
         WHERE t.language = $1 AND t.kind = 'framework' AND t.field = 'title' \
         UNION ALL SELECT f.short_title, t.text FROM translations t JOIN frameworks f ON f.id = t.framework_id \
         WHERE t.language = $2 AND t.kind = 'framework' AND t.field = 'short_title' \
         UNION ALL SELECT d.title, t.text FROM translations t \
         JOIN domains d ON d.framework_id = t.framework_id AND d.slug = t.slug \
         WHERE t.language = $3 AND t.kind = 'domain' AND t.field = 'title' \
         UNION ALL SELECT c.title, t.text FROM translations t \
         JOIN competencies c ON c.framework_id = t.framework_id AND c.slug = t.slug \
         WHERE t.language = $4 AND t.kind = 'competency' AND t.field = 'title' \
         UNION ALL SELECT i.text, t.text FROM translations t \
         JOIN indicators i ON i.framework_id = t.framework_id AND i.slug = t.slug \
         WHERE t.language = $5 AND t.kind = 'indicator' AND t.field = 'text' \
         UNION ALL SELECT u.title, t.text FROM translations t \
         JOIN units u ON u.framework_id = t.framework_id AND u.slug = t.slug \
         WHERE t.language = $6 AND t.kind = 'unit' AND t.field = 'title' \
         UNION ALL SELECT u.summary, t.text FROM translations t \
         JOIN units u ON u.framework_id = t.framework_id AND u.slug = t.slug \
         WHERE t.language = $7 AND t.kind = 'unit' AND t.field = 'summary'",
    )
    ;
    // The same language for each of the seven parts ($1 … $7: numbered once each, which both
    // engines accept).
    let query = (0..7).fold(query, |q, _| q.bind(lang.as_str()));
    let rows: Vec<(String, String)> = query
        .fetch_all(db.pool())
        .await
        .context("translations by original")?;
    Ok(rows.into_iter().filter(|(o, t)| o != t).collect())
}

/// The texts of the framework `framework_slug` in `lang`, of the given kinds.
pub async fn texts(
    db: &Db,
    framework_slug: &str,
    lang: Lang,
    kinds: &[&str],
) -> anyhow::Result<Texts> {
    if !lang.is_translation() || kinds.is_empty() {
        return Ok(Texts::default());
    }
    // Kinds are our own constants, never input: listed inline.
    let list = kinds
        .iter()
        .map(|k| format!("'{}'", k.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT t.kind, t.slug, t.field, t.text FROM translations t \
         JOIN frameworks f ON f.id = t.framework_id \
         WHERE f.slug = $1 AND t.language = $2 AND t.kind IN ({list})"
    ))
    .bind(framework_slug)
    .bind(lang.as_str())
    .fetch_all(db.pool())
    .await
    .context("translations")?;
    Ok(Texts(
        rows.into_iter()
            .map(|(k, s, f, t)| ((k, s, f), t))
            .collect(),
    ))
}

use crate::domain::course::{CourseIndex, PageSummary};
use crate::domain::framework::{CompetencyView, FrameworkSummary, FrameworkView};
use crate::domain::unit::{UnitSummary, UnitView};

impl Texts {
    /// A framework in the list.
    pub fn framework_summary(&self, f: &mut FrameworkSummary) {
        let slug = f.slug.clone();
        self.lay("framework", &slug, "title", &mut f.title);
        self.lay("framework", &slug, "short_title", &mut f.short_title);
        self.lay("framework", &slug, "description", &mut f.description);
    }

    /// A framework's overview: its names, domains and competency titles.
    pub fn framework(&self, f: &mut FrameworkView) {
        let slug = f.slug.clone();
        self.lay("framework", &slug, "title", &mut f.title);
        self.lay("framework", &slug, "short_title", &mut f.short_title);
        self.lay("framework", &slug, "description", &mut f.description);
        self.lay("framework", &slug, "attribution", &mut f.attribution);
        for d in &mut f.domains {
            self.lay("domain", &d.slug.clone(), "title", &mut d.title);
            self.lay("domain", &d.slug.clone(), "summary", &mut d.summary);
            for c in &mut d.competencies {
                self.lay("competency", &c.slug.clone(), "title", &mut c.title);
            }
        }
    }

    /// A competency's page: its names, description and indicators, and its neighbours' titles.
    pub fn competency(&self, c: &mut CompetencyView) {
        let fw = c.framework_slug.clone();
        self.lay("framework", &fw, "short_title", &mut c.framework_title);
        self.lay("framework", &fw, "attribution", &mut c.attribution);
        self.lay(
            "domain",
            &c.domain_slug.clone(),
            "title",
            &mut c.domain_title,
        );
        self.lay("competency", &c.slug.clone(), "title", &mut c.title);
        if let Some(d) = self.get("competency", &c.slug, "description") {
            c.description = d.lines().map(str::to_owned).collect();
        }
        for i in &mut c.indicators {
            self.lay("indicator", &i.slug.clone(), "text", &mut i.text);
        }
        for (slug, title) in c.previous.iter_mut().chain(c.next.iter_mut()) {
            self.lay("competency", slug, "title", title);
        }
    }

    /// A unit in a list.
    pub fn unit_summary(&self, u: &mut UnitSummary) {
        self.lay("unit", &u.slug.clone(), "title", &mut u.title);
        self.lay("unit", &u.slug.clone(), "summary", &mut u.summary);
    }

    /// A unit's page: its texts (bodies rendered again from the translated Markdown), the
    /// indicators it serves, its competency and its neighbours. The reader's own answer stays
    /// as they wrote it.
    pub fn unit(&self, u: &mut UnitView) {
        let slug = u.summary.slug.clone();
        self.unit_summary(&mut u.summary);
        self.lay(
            "competency",
            &u.competency_slug.clone(),
            "title",
            &mut u.competency_title,
        );
        if let (Some(p), Some(prompt)) = (self.get("unit", &slug, "prompt"), u.prompt.as_mut()) {
            p.clone_into(prompt);
        }
        if let Some(body) = self.get("unit", &slug, "body") {
            u.body_html = crate::markdown::to_safe_html(body);
        }
        if let (Some(c), Some(html)) = (
            self.get("unit", &slug, "considerations"),
            u.considerations_html.as_mut(),
        ) {
            *html = crate::markdown::to_safe_html(c);
        }
        for (slug, text) in &mut u.indicators {
            self.lay("indicator", slug, "text", text);
        }
        for (slug, title) in u.previous.iter_mut().chain(u.next.iter_mut()) {
            self.lay("unit", slug, "title", title);
        }
    }

    /// A course page in the index.
    pub fn page_summary(&self, p: &mut PageSummary) {
        self.lay("page", &p.slug.clone(), "title", &mut p.title);
        self.lay("page", &p.slug.clone(), "summary", &mut p.summary);
    }

    /// The course index.
    pub fn course(&self, c: &mut CourseIndex) {
        self.lay(
            "framework",
            &c.framework_slug.clone(),
            "short_title",
            &mut c.framework_title,
        );
        for p in &mut c.pages {
            self.page_summary(p);
        }
    }
}
