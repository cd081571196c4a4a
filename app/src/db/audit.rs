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
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_ms())
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(db.pool())
    .await
    .context("write audit log")?;
    Ok(())
}

/// Appends an entry inside a transaction, so it commits with the change it records.
pub async fn record_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_ms())
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await
    .context("write audit log")?;
    Ok(())
}
