//! Cohorts and memberships.

use super::now_ms;
use crate::domain::account::Role;
use anyhow::Context as _;
use sqlx::Row as _;

/// Creates a cohort on a framework (by slug) inside a transaction; returns its id.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
    framework_slug: &str,
    starts_on: &str,
    ends_on: &str,
    created_by: i64,
) -> anyhow::Result<i64> {
    let framework_id: i64 = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
        .bind(framework_slug)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("framework {framework_slug} not imported"))?;
    sqlx::query_scalar(
        "INSERT INTO cohorts (name, framework_id, starts_on, ends_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(framework_id)
    .bind(starts_on)
    .bind(ends_on)
    .bind(created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
    .context("insert cohort")
}

/// Gives a person a role in a cohort (no-op when they already hold it).
pub async fn add_member(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    cohort_id: i64,
    user_id: i64,
    role: Role,
    invitation_id: Option<i64>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO memberships (cohort_id, user_id, role, invitation_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cohort_id, user_id, role) DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(invitation_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .context("insert membership")?;
    Ok(())
}

/// Every role a person holds, with cohort names.
pub async fn memberships_of(
    db: &super::Db,
    user_id: i64,
) -> anyhow::Result<Vec<crate::domain::account::Membership>> {
    let rows = sqlx::query(
        "SELECT m.cohort_id, c.name, m.role FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 ORDER BY c.name, m.role",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("list memberships")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let role: String = r.try_get(2)?;
        if let Some(role) = Role::parse(&role) {
            out.push(crate::domain::account::Membership {
                cohort_id: r.try_get(0)?,
                cohort_name: r.try_get(1)?,
                role,
            });
        }
    }
    Ok(out)
}
