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
