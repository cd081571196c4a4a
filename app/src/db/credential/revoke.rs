//! Revocation: by a coordinator, and when a moderation overturns a decision.

use super::*;

/// Revokes the live credentials a changed decision no longer supports (a moderation that turns
/// a Competent into Not yet): the competency's domain badge and the whole micro-credential.
pub async fn revoke_for_competency_in(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    actor: UserId,
    user_id: UserId,
    competency_id: CompetencyId,
    reason: &str,
) -> anyhow::Result<usize> {
    // The same order as awards: a domain badge awarded at the same moment is seen here.
    crate::db::hold(tx, crate::db::Held::User, user_id.get()).await?;
    let domain: String = sqlx::query_scalar(
        "SELECT d.slug FROM competencies c JOIN domains d ON d.id = c.domain_id WHERE c.id = $1",
    )
    .bind(competency_id)
    .fetch_one(&mut **tx)
    .await
    .context("domain")?;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT public_id FROM credentials WHERE user_id = $1 AND revoked_at IS NULL \
         AND (achievement = $2 OR achievement = $3) \
         AND framework_id = (SELECT framework_id FROM competencies WHERE id = $4)",
    )
    .bind(user_id)
    .bind(format!("domain:{domain}"))
    .bind(WHOLE)
    .bind(competency_id)
    .fetch_all(&mut **tx)
    .await
    .context("credentials to revoke")?;
    for id in &ids {
        mark_revoked(tx, actor.get(), id, reason).await?;
    }
    if !ids.is_empty() {
        write_status_list(tx, issuer, STATUS_LIST).await?;
    }
    Ok(ids.len())
}

pub(super) async fn mark_revoked(
    tx: &mut Transaction<'static, Any>,
    actor: i64,
    public_id: &str,
    reason: &str,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE credentials SET revoked_at = $1, revoked_by = $2, revoked_reason = $3 \
         WHERE public_id = $4 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(actor)
    .bind(reason)
    .bind(public_id)
    .execute(&mut **tx)
    .await
    .context("revoke")?;
    if changed.rows_affected() == 1 {
        audit::record_in(
            tx,
            Some(actor),
            "credential.revoke",
            &format!("credential:{public_id}"),
            &json!({ "reason": reason }).to_string(),
        )
        .await?;
        // A signed Learning Statement embeds the holder's badges: revoking one revokes it.
        let (holder, achievement): (i64, String) =
            sqlx::query_as("SELECT user_id, achievement FROM credentials WHERE public_id = $1")
                .bind(public_id)
                .fetch_one(&mut **tx)
                .await
                .context("revoked credential")?;
        if achievement != RECORD {
            Box::pin(revoke_records_in(tx, actor, holder, public_id)).await?;
        }
    }
    Ok(changed.rows_affected() == 1)
}

/// Why a revocation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeRefused {
    /// No such credential, or not one of the viewer's cohorts' teachers.
    NotFound,
    /// Already revoked.
    AlreadyRevoked,
}

/// Who holds a credential (`None`: no such credential).
pub async fn holder(db: &Db, public_id: &str) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM credentials WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(db.pool())
        .await
        .context("the credential's holder")
}

/// A coordinator of `cohort_id` revokes a credential of a teacher of that cohort, with a
/// reason: the credential, the status list and the audit row change together. The caller
/// checks its authority over the holder first ([`crate::domain::authority`]).
pub async fn revoke(
    db: &Db,
    issuer: &Issuer,
    viewer: crate::db::review::Viewer,
    cohort_id: i64,
    public_id: &str,
    reason: &str,
) -> anyhow::Result<Result<(), RevokeRefused>> {
    let mut tx = db.begin_write().await.context("begin")?;
    let row: Option<Option<i64>> = sqlx::query_scalar(&format!(
        "SELECT revoked_at FROM credentials WHERE public_id = $3 AND user_id <> $1 AND user_id IN \
         (SELECT m.user_id FROM memberships m WHERE m.role = 'teacher' AND m.cohort_id = $4 \
          AND m.cohort_id IN ({COORDINATOR_COHORTS}))"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(public_id)
    .bind(cohort_id)
    .fetch_optional(&mut *tx)
    .await
    .context("credential")?;
    let Some(revoked_at) = row else {
        return Ok(Err(RevokeRefused::NotFound));
    };
    if revoked_at.is_some() {
        return Ok(Err(RevokeRefused::AlreadyRevoked));
    }
    if !mark_revoked(&mut tx, viewer.user_id.get(), public_id, reason).await? {
        return Ok(Err(RevokeRefused::AlreadyRevoked));
    }
    write_status_list(&mut tx, issuer, STATUS_LIST).await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(()))
}
