//! A framework's live tree (domains, competencies, indicators) for its CASE 1.1 package.

use super::Db;
use crate::credentials::case::{CaseDocument, CaseItem};
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: i64,
    slug: String,
    title: String,
    creator: String,
    description: String,
    attribution: String,
    language: String,
    version: String,
    imported_at: i64,
}

#[derive(sqlx::FromRow)]
struct NodeRow {
    level: i64,
    slug: String,
    title: String,
    text: String,
    parent: Option<String>,
}

fn document(row: DocumentRow, publisher: &str) -> CaseDocument {
    CaseDocument {
        slug: row.slug,
        title: row.title,
        creator: if row.creator.is_empty() {
            publisher.to_owned()
        } else {
            row.creator
        },
        publisher: publisher.to_owned(),
        description: row.description,
        notes: row.attribution,
        language: row.language,
        version: row.version,
        changed: crate::domain::time::xsd_date_time(row.imported_at),
    }
}

const DOCUMENT: &str =
    "SELECT id, slug, title, creator, description, attribution, language, version, \
     imported_at FROM frameworks WHERE retired_at IS NULL";

/// Every live framework as a CASE document, the default first. `publisher` names this
/// deployment's issuer.
pub async fn case_documents(db: &Db, publisher: &str) -> anyhow::Result<Vec<CaseDocument>> {
    let rows: Vec<DocumentRow> =
        sqlx::query_as(&format!("{DOCUMENT} ORDER BY is_default DESC, title"))
            .fetch_all(db.pool())
            .await
            .context("CASE documents")?;
    Ok(rows.into_iter().map(|r| document(r, publisher)).collect())
}

/// The framework whose CASE document identifier is `document_id`, with its live items in
/// order, or `None`.
pub async fn case_tree_by_document(
    db: &Db,
    publisher: &str,
    document_id: &str,
) -> anyhow::Result<Option<(CaseDocument, Vec<CaseItem>)>> {
    use crate::credentials::case::{identifier, Node};
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM frameworks WHERE retired_at IS NULL")
            .fetch_all(db.pool())
            .await
            .context("framework slugs")?;
    match slugs
        .iter()
        .find(|s| identifier(Node::Document { framework: s }) == document_id)
    {
        Some(slug) => case_tree(db, publisher, slug).await,
        None => Ok(None),
    }
}

/// The framework `slug` as a CASE document and its live items (domains, then each domain's
/// competencies, then each competency's indicators, depth first), or `None`.
pub async fn case_tree(
    db: &Db,
    publisher: &str,
    slug: &str,
) -> anyhow::Result<Option<(CaseDocument, Vec<CaseItem>)>> {
    let Some(row): Option<DocumentRow> = sqlx::query_as(&format!("{DOCUMENT} AND slug = $1"))
        .bind(slug)
        .fetch_optional(db.pool())
        .await
        .context("CASE document")?
    else {
        return Ok(None);
    };
    let framework_id = row.id;
    // Depth-first order: domain position, competency position, indicator position, with each
    // parent before its children (level 1, 2, 3).
    let nodes: Vec<NodeRow> = sqlx::query_as(
        "SELECT 1 AS level, d.slug, d.title, d.summary AS text, NULL AS parent, \
           d.position AS p1, -1 AS p2, -1 AS p3 \
         FROM domains d WHERE d.framework_id = $1 AND d.retired_at IS NULL \
         UNION ALL SELECT 2, c.slug, c.title, c.description, d.slug, d.position, c.position, -1 \
         FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         UNION ALL SELECT 3, i.slug, '', i.text, c.slug, d.position, c.position, i.position \
         FROM indicators i JOIN competencies c ON c.id = i.competency_id \
         JOIN domains d ON d.id = c.domain_id \
         WHERE i.framework_id = $1 AND i.retired_at IS NULL \
         ORDER BY p1, p2, p3",
    )
    .bind(framework_id)
    .fetch_all(db.pool())
    .await
    .context("CASE items")?;
    let mut items = Vec::with_capacity(nodes.len());
    let mut counters = [0u32; 3];
    for n in nodes {
        let level = usize::try_from(n.level - 1).context("item level")?;
        if level > 2 {
            anyhow::bail!("item level {} out of range", n.level);
        }
        counters[level] += 1;
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        let code = counters[..=level]
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let (item_type, statement) = match level {
            0 => ("Domain", format!("{}: {}", n.title, n.text)),
            1 => (
                "Competency",
                format!("{}: {}", n.title, n.text.replace('\n', " ")),
            ),
            _ => ("Indicator", n.text),
        };
        items.push(CaseItem {
            slug: n.slug,
            item_type,
            label: n.title,
            statement,
            code,
            parent: n.parent,
            sequence: counters[level],
        });
    }
    Ok(Some((document(row, publisher), items)))
}
