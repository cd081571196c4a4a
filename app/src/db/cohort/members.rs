//! Members: roles, the facts an authority check needs, deactivation and reactivation.

use super::*;

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
    .bind(role)
    .bind(invitation_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .context("insert membership")?;
    Ok(())
}

/// The facts [`target_facts`] reads about the person acted on.
#[derive(sqlx::FromRow)]
struct TargetFactsRow {
    is_admin: i64,
    coordinator_roles: i64,
    memberships_elsewhere: i64,
    memberships_here: i64,
}

/// Whether a user holds any role in a cohort.
pub async fn is_member(db: &crate::db::Db, cohort_id: i64, user_id: i64) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE cohort_id = $1 AND user_id = $2",
    )
    .bind(cohort_id)
    .bind(user_id)
    .fetch_one(db.pool())
    .await
    .context("check membership")?;
    Ok(n > 0)
}

/// What the actor `viewer` (`viewer_is_admin`: an institution coordinator) may need to know
/// about `target` before acting on them in `cohort_id`; see [`crate::domain::authority`].
#[tracing::instrument(skip(db))]
pub async fn target_facts(
    db: &crate::db::Db,
    viewer: i64,
    viewer_is_admin: bool,
    cohort_id: i64,
    target: i64,
) -> anyhow::Result<crate::domain::authority::Target> {
    let row: Option<TargetFactsRow> = sqlx::query_as(
        "SELECT u.is_admin, \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.role = 'coordinator') \
             AS coordinator_roles, \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.cohort_id NOT IN \
              (SELECT cohort_id FROM memberships WHERE user_id = $2 AND role = 'coordinator' \
               UNION SELECT id FROM cohorts WHERE $3 = 1)) AS memberships_elsewhere, \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.cohort_id = $4) \
             AS memberships_here \
         FROM users u WHERE u.id = $1",
    )
    .bind(target)
    .bind(viewer)
    .bind(i64::from(viewer_is_admin))
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("facts about the person acted on")?;
    let Some(row) = row else {
        return Ok(crate::domain::authority::Target::default());
    };
    Ok(crate::domain::authority::Target {
        is_self: target == viewer,
        is_admin: row.is_admin != 0,
        coordinates: row.coordinator_roles > 0,
        member_elsewhere: row.memberships_elsewhere > 0,
        member_here: row.memberships_here > 0,
    })
}

/// Reactivates a deactivated user (institution coordinators only, checked by the caller);
/// `false` when they were not deactivated. Audited.
pub async fn reactivate(db: &crate::db::Db, user_id: i64, by: i64) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin reactivation")?;
    let changed = sqlx::query(
        "UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("reactivate user")?
    .rows_affected();
    if changed == 1 {
        crate::db::audit::record_in(
            &mut tx,
            Some(by),
            "user.reactivate",
            &format!("user:{user_id}"),
            "{}",
        )
        .await?;
    }
    tx.commit().await.context("commit reactivation")?;
    Ok(changed == 1)
}

/// Deactivates a user (they can no longer sign in; their work is kept), ends their sessions
/// and gives back what was reserved for them (claims, assignments, second markings not yet
/// made), in one transaction.
pub async fn deactivate(
    db: &crate::db::Db,
    cohort_id: i64,
    user_id: i64,
    by: i64,
) -> anyhow::Result<()> {
    let now = crate::db::now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .context("deactivate user")?;
    crate::auth::session::end_all_in(&mut tx, user_id, now).await?;
    // Work reserved for them goes back to the queue: nobody else could take it otherwise.
    sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their claims")?;
    crate::db::review::ledger::withdrawn_from(&mut tx, user_id, now).await?;
    sqlx::query(
        "UPDATE submissions SET assigned_to = NULL WHERE assigned_to = $1 AND status = 'submitted'",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their assignments")?;
    sqlx::query(
        "UPDATE moderations SET second_assessor = NULL WHERE second_assessor = $1 \
         AND resolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM reviews r \
         WHERE r.submission_id = moderations.submission_id AND r.kind = 'second')",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their second markings")?;
    crate::db::audit::record_in(
        &mut tx,
        Some(by),
        "user.deactivate",
        &format!("user:{user_id}"),
        &serde_json::json!({ "cohort": cohort_id }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(())
}
