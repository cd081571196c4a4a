//! The audit trail: who did what to which thing, when.

use super::{now_ms, Db};
use anyhow::Context as _;

/// Appends an entry. `subject` is `kind:id` (e.g. `cohort:3`); `detail` is a JSON object.
pub async fn record(
    db: &Db,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> anyhow::Result<()> {
    insert(db.writer(), actor_id, action, subject, detail).await
}

/// Appends an entry inside a transaction, so it commits with the change it records.
pub async fn record_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> anyhow::Result<()> {
    insert(&mut **tx, actor_id, action, subject, detail).await
}

async fn insert<'e, E>(
    executor: E,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> anyhow::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_ms())
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(executor)
    .await
    .context("write audit log")?;
    Ok(())
}

/// One entry of the audit trail as exported: the actor by e-mail (empty for the system).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    /// Epoch ms.
    pub at: i64,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject: String,
    /// JSON object.
    pub detail: String,
}

/// Entries with `from <= at < to` (epoch ms), oldest first, at most `limit + 1` of them (so a
/// caller can tell the range held more than `limit`).
pub async fn entries_between(
    db: &Db,
    from: i64,
    to: i64,
    limit: i64,
) -> anyhow::Result<Vec<AuditEntry>> {
    sqlx::query_as(
        "SELECT a.id, a.at, u.email AS actor_email, a.action, a.subject, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.at >= $1 AND a.at < $2 ORDER BY a.at, a.id LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit + 1)
    .fetch_all(db.pool())
    .await
    .context("read the audit log")
}
