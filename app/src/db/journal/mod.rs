//! Journal entries and their revisions. Every query is scoped by the author's user id: another
//! person's entry is indistinguishable from one that does not exist.

use super::{now_ms, Db};
use crate::domain::journal::{EntrySummary, EntryView, Revision, SaveOutcome};
use anyhow::Context as _;
use sqlx::{Any, Transaction};

mod revisions;
pub use revisions::*;

/// What a new entry links to.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Competency id.
    pub competency_id: Option<i64>,
    /// Unit id (the entry answers its prompt or scenario).
    pub unit_id: Option<i64>,
}

/// A unit and its competency.
#[derive(sqlx::FromRow)]
struct UnitLinks {
    id: i64,
    competency_id: i64,
}

/// An entry as its page shows it.
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    title: String,
    body: String,
    version: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    competency_slug: Option<String>,
    competency_title: Option<String>,
    prompt: Option<String>,
}

/// An entry as lists show it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    competency: Option<String>,
    updated_at: i64,
    deleted_at: Option<i64>,
}

/// Finds the ids of a competency and/or unit by slug within a framework.
pub async fn resolve_links(
    db: &Db,
    framework: &str,
    competency: &str,
    unit: &str,
) -> anyhow::Result<Links> {
    let mut links = Links::default();
    if !unit.is_empty() {
        let row: Option<UnitLinks> = sqlx::query_as(
            "SELECT u.id, u.competency_id FROM units u JOIN frameworks f ON f.id = u.framework_id \
             WHERE f.slug = $1 AND u.slug = $2",
        )
        .bind(framework)
        .bind(unit)
        .fetch_optional(db.pool())
        .await
        .context("find unit")?;
        if let Some(r) = row {
            links.unit_id = Some(r.id);
            links.competency_id = Some(r.competency_id);
        }
    }
    if links.competency_id.is_none() && !competency.is_empty() {
        links.competency_id = sqlx::query_scalar(
            "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = $1 AND c.slug = $2",
        )
        .bind(framework)
        .bind(competency)
        .fetch_optional(db.pool())
        .await
        .context("find competency")?;
    }
    Ok(links)
}

/// Creates an entry (version 1) and its first revision; returns (id, saved_at).
pub async fn create(
    db: &Db,
    user_id: i64,
    links: &Links,
    title: &str,
    body: &str,
) -> anyhow::Result<(i64, i64)> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (user_id, competency_id, unit_id, title, body, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(user_id)
    .bind(links.competency_id)
    .bind(links.unit_id)
    .bind(title)
    .bind(body)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("insert entry")?;
    let first = NewRevision {
        entry_id: id,
        version: 1,
        based_on: 0,
        title,
        body,
        refused: false,
        at: now,
    };
    open_new_revision(&mut tx, first).await?;
    tx.commit().await.context("commit")?;
    Ok((id, now))
}

/// Saves a new text if `base_version` is the entry's current version (answers `Saved`);
/// otherwise keeps the text as a refused revision and answers both texts (`Conflict`).
/// An `autosave` (typing paused) extends the latest revision when it is recent; any other save
/// (the Save button, a restore) starts a new one.
/// `None` when the entry is not the user's (or is in the bin).
pub async fn save(
    db: &Db,
    user_id: i64,
    entry_id: i64,
    base_version: i64,
    title: &str,
    body: &str,
    autosave: bool,
) -> anyhow::Result<Option<SaveOutcome>> {
    let now = now_ms();
    if autosave {
        // The common case, one statement: the open revision is recent, so the entry row (which
        // holds its text) is all there is to write.
        let extended = sqlx::query(
            "UPDATE journal_entries SET title = $1, body = $2, version = version + 1, updated_at = $3, \
             open_saved_at = $3 \
             WHERE id = $4 AND user_id = $5 AND version = $6 AND deleted_at IS NULL \
             AND open_revision_id IS NOT NULL AND open_saved_at > $7 AND open_opened_at > $8",
        )
        .bind(title)
        .bind(body)
        .bind(now)
        .bind(entry_id)
        .bind(user_id)
        .bind(base_version)
        .bind(now - REVISION_PAUSE_MS)
        .bind(now - REVISION_SPAN_MS)
        .execute(db.writer())
        .await
        .context("extend revision")?;
        if extended.rows_affected() == 1 {
            return Ok(Some(SaveOutcome::Saved {
                version: base_version + 1,
                saved_at: now,
            }));
        }
    }
    let mut tx = db.begin_write().await.context("begin")?;
    // Close the open revision: its row takes the text the entry holds for it.
    sqlx::query(
        "UPDATE journal_revisions SET \
         title = (SELECT e.title FROM journal_entries e WHERE e.id = $1), \
         body = (SELECT e.body FROM journal_entries e WHERE e.id = $1), \
         version = (SELECT e.version FROM journal_entries e WHERE e.id = $1), \
         saved_at = (SELECT e.open_saved_at FROM journal_entries e WHERE e.id = $1) \
         WHERE id = (SELECT e.open_revision_id FROM journal_entries e WHERE e.id = $1 AND e.user_id = $2)",
    )
    .bind(entry_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("close open revision")?;
    let updated = sqlx::query(
        "UPDATE journal_entries SET title = $1, body = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 AND user_id = $5 AND version = $6 AND deleted_at IS NULL",
    )
    .bind(title)
    .bind(body)
    .bind(now)
    .bind(entry_id)
    .bind(user_id)
    .bind(base_version)
    .execute(&mut *tx)
    .await
    .context("update entry")?;
    if updated.rows_affected() == 1 {
        let version = base_version + 1;
        let saved = NewRevision {
            entry_id,
            version,
            based_on: base_version,
            title,
            body,
            refused: false,
            at: now,
        };
        open_new_revision(&mut tx, saved).await?;
        tx.commit().await.context("commit")?;
        return Ok(Some(SaveOutcome::Saved {
            version,
            saved_at: now,
        }));
    }
    let owned: Option<i64> =
        sqlx::query_scalar("SELECT id FROM journal_entries WHERE id = $1 AND user_id = $2")
            .bind(entry_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await
            .context("find entry")?;
    if owned.is_none() {
        return Ok(None);
    }
    let kept = NewRevision {
        entry_id,
        version: 0,
        based_on: base_version,
        title,
        body,
        refused: true,
        at: now,
    };
    let revision_id = add_revision(&mut tx, kept).await?;
    tx.commit().await.context("commit")?;
    let current = get(db, user_id, entry_id)
        .await?
        .context("entry vanished")?;
    let mine = Revision {
        id: revision_id,
        version: 0,
        based_on: base_version,
        title: title.to_owned(),
        body: body.to_owned(),
        saved_at: now,
    };
    Ok(Some(SaveOutcome::Conflict {
        current: Box::new(current),
        mine: Box::new(mine),
    }))
}

/// One of the author's entries, with the latest refused text still waiting to be reconciled.
pub async fn get(db: &Db, user_id: i64, entry_id: i64) -> anyhow::Result<Option<EntryView>> {
    let row: Option<EntryRow> = sqlx::query_as(
        "SELECT e.id, e.title, e.body, e.version, e.updated_at, e.deleted_at, \
         c.slug AS competency_slug, c.title AS competency_title, u.prompt \
         FROM journal_entries e LEFT JOIN competencies c ON c.id = e.competency_id \
         LEFT JOIN units u ON u.id = e.unit_id WHERE e.id = $1 AND e.user_id = $2",
    )
    .bind(entry_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("find entry")?;
    let Some(r) = row else { return Ok(None) };
    let updated_at = r.updated_at;
    let refused: Option<Revision> = sqlx::query_as::<_, RevisionRow>(
        "SELECT id, version, based_on, title, body, saved_at FROM journal_revisions \
         WHERE entry_id = $1 AND refused = 1 AND saved_at >= $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(entry_id)
    .bind(updated_at)
    .fetch_optional(db.pool())
    .await
    .context("find refused text")?
    .map(Revision::from);
    let competency = r.competency_slug.zip(r.competency_title);
    Ok(Some(EntryView {
        id: r.id,
        title: r.title,
        body: r.body,
        version: r.version,
        updated_at,
        deleted: r.deleted_at.is_some(),
        competency,
        prompt: r.prompt,
        refused,
    }))
}

/// The author's entries, most recently saved first; the bin only when asked.
pub async fn list(db: &Db, user_id: i64, bin: bool) -> anyhow::Result<Vec<EntrySummary>> {
    let sql = if bin {
        "SELECT e.id, e.title, c.title AS competency, e.updated_at, e.deleted_at FROM journal_entries e \
         LEFT JOIN competencies c ON c.id = e.competency_id \
         WHERE e.user_id = $1 AND e.deleted_at IS NOT NULL ORDER BY e.updated_at DESC, e.id DESC"
    } else {
        "SELECT e.id, e.title, c.title AS competency, e.updated_at, e.deleted_at FROM journal_entries e \
         LEFT JOIN competencies c ON c.id = e.competency_id \
         WHERE e.user_id = $1 AND e.deleted_at IS NULL ORDER BY e.updated_at DESC, e.id DESC"
    };
    let rows: Vec<SummaryRow> = sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(db.pool())
        .await
        .context("list entries")?;
    Ok(rows
        .into_iter()
        .map(|r| EntrySummary {
            id: r.id,
            title: r.title,
            competency: r.competency,
            updated_at: r.updated_at,
            deleted: r.deleted_at.is_some(),
        })
        .collect())
}

/// Moves an entry to the bin or back; `false` when the author has no such entry.
pub async fn set_deleted(
    db: &Db,
    user_id: i64,
    entry_id: i64,
    deleted: bool,
) -> anyhow::Result<bool> {
    let at = deleted.then(now_ms);
    let done =
        sqlx::query("UPDATE journal_entries SET deleted_at = $1 WHERE id = $2 AND user_id = $3")
            .bind(at)
            .bind(entry_id)
            .bind(user_id)
            .execute(db.writer())
            .await
            .context("bin entry")?;
    Ok(done.rows_affected() == 1)
}
