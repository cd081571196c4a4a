//! An entry's revisions: how saves group into them, and its history.

use super::*;

/// A text to keep in an entry's history.
pub(super) struct NewRevision<'a> {
    pub(super) entry_id: i64,
    /// The version it became (0 when refused).
    pub(super) version: i64,
    pub(super) based_on: i64,
    pub(super) title: &'a str,
    pub(super) body: &'a str,
    pub(super) refused: bool,
    pub(super) at: i64,
}

pub(super) async fn add_revision(
    tx: &mut Transaction<'static, Any>,
    r: NewRevision<'_>,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO journal_revisions (entry_id, version, based_on, title, body, refused, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.entry_id)
    .bind(r.version)
    .bind(r.based_on)
    .bind(r.title)
    .bind(r.body)
    .bind(i64::from(r.refused))
    .bind(r.at)
    .fetch_one(&mut **tx)
    .await
    .context("insert revision")
}

/// Adds a saved text as a new revision and makes it the entry's open one (the one autosaves
/// extend; the entry row holds its text from now on).
pub(super) async fn open_new_revision(
    tx: &mut Transaction<'static, Any>,
    r: NewRevision<'_>,
) -> anyhow::Result<()> {
    let (entry_id, now) = (r.entry_id, r.at);
    let revision = add_revision(tx, r).await?;
    sqlx::query(
        "UPDATE journal_entries SET open_revision_id = $1, open_opened_at = $2, open_saved_at = $2 \
         WHERE id = $3",
    )
    .bind(revision)
    .bind(now)
    .bind(entry_id)
    .execute(&mut **tx)
    .await
    .context("open revision")?;
    Ok(())
}

/// Revisions as people see them: the open one (which the entry row holds the text of) read
/// from the entry, the others from their own rows.
pub(super) const REVISIONS: &str = "SELECT r.id, \
     CASE WHEN r.id = e.open_revision_id THEN e.version ELSE r.version END AS version, \
     r.based_on, \
     CASE WHEN r.id = e.open_revision_id THEN e.title ELSE r.title END AS title, \
     CASE WHEN r.id = e.open_revision_id THEN e.body ELSE r.body END AS body, \
     CASE WHEN r.id = e.open_revision_id THEN e.open_saved_at ELSE r.saved_at END AS saved_at \
     FROM journal_revisions r JOIN journal_entries e ON e.id = r.entry_id";

/// A save less than this long after the previous one extends its revision…
pub const REVISION_PAUSE_MS: i64 = 5 * 60 * 1000;

/// …while that revision was opened less than this long ago.
pub const REVISION_SPAN_MS: i64 = 30 * 60 * 1000;

/// A revision as [`REVISIONS`] reads it.
#[derive(sqlx::FromRow)]
pub(super) struct RevisionRow {
    id: i64,
    version: i64,
    based_on: i64,
    title: String,
    body: String,
    saved_at: i64,
}

impl From<RevisionRow> for Revision {
    fn from(r: RevisionRow) -> Self {
        Revision {
            id: r.id,
            version: r.version,
            based_on: r.based_on,
            title: r.title,
            body: r.body,
            saved_at: r.saved_at,
        }
    }
}

/// Every text of an entry, newest first (refused ones included, marked by version 0).
pub async fn history(
    db: &Db,
    user_id: i64,
    entry_id: i64,
) -> anyhow::Result<Option<Vec<Revision>>> {
    if get(db, user_id, entry_id).await?.is_none() {
        return Ok(None);
    }
    let rows: Vec<RevisionRow> = sqlx::query_as(&format!(
        "{REVISIONS} WHERE r.entry_id = $1 ORDER BY r.id DESC"
    ))
    .bind(entry_id)
    .fetch_all(db.pool())
    .await
    .context("list revisions")?;
    Ok(Some(rows.into_iter().map(Revision::from).collect()))
}

/// A revision's text, to restore it (scoped by author).
pub async fn revision(
    db: &Db,
    user_id: i64,
    entry_id: i64,
    revision_id: i64,
) -> anyhow::Result<Option<Revision>> {
    let row: Option<RevisionRow> = sqlx::query_as(&format!(
        "{REVISIONS} WHERE r.id = $1 AND r.entry_id = $2 AND e.user_id = $3"
    ))
    .bind(revision_id)
    .bind(entry_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("find revision")?;
    Ok(row.map(Revision::from))
}
