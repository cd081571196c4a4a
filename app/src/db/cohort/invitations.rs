//! Invitation links: creating, revoking, reading and taking a place.

use super::*;

pub(crate) fn invitation_state(
    now: i64,
    expires_at: i64,
    uses: i64,
    max_uses: i64,
    revoked: bool,
) -> InvitationState {
    if revoked {
        InvitationState::Revoked
    } else if expires_at <= now {
        InvitationState::Expired
    } else if uses >= max_uses {
        InvitationState::UsedUp
    } else {
        InvitationState::Open
    }
}

/// Creates an invitation; returns its token.
pub async fn create_invitation(
    db: &crate::db::Db,
    cohort_id: i64,
    role: Role,
    expires_at: i64,
    max_uses: i64,
    created_by: i64,
) -> anyhow::Result<String> {
    let mut bytes = [0u8; 24];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    let token = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes);
    let mut tx = db.begin_write().await.context("begin")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invitations (cohort_id, role, token, expires_at, max_uses, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(cohort_id)
    .bind(role)
    .bind(&token)
    .bind(expires_at)
    .bind(max_uses)
    .bind(created_by)
    .bind(crate::db::now_ms())
    .fetch_one(&mut *tx)
    .await
    .context("insert invitation")?;
    crate::db::audit::record_in(
        &mut tx,
        Some(created_by),
        "invitation.create",
        &format!("cohort:{cohort_id}"),
        &serde_json::json!({ "invitation": id, "role": role.as_str(), "max_uses": max_uses })
            .to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(token)
}

/// The cohort an invitation belongs to (to authorise before touching it).
pub async fn invitation_cohort(
    db: &crate::db::Db,
    invitation_id: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT cohort_id FROM invitations WHERE id = $1")
        .bind(invitation_id)
        .fetch_optional(db.pool())
        .await
        .context("find invitation")
}

/// Revokes an invitation of a cohort; `false` when there is none.
pub async fn revoke_invitation(
    db: &crate::db::Db,
    cohort_id: i64,
    invitation_id: i64,
    by: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND cohort_id = $3 AND revoked_at IS NULL",
    )
    .bind(crate::db::now_ms())
    .bind(invitation_id)
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .context("revoke invitation")?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    crate::db::audit::record_in(
        &mut tx,
        Some(by),
        "invitation.revoke",
        &format!("cohort:{cohort_id}"),
        &serde_json::json!({ "invitation": invitation_id }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}

/// An invitation with its cohort's name.
#[derive(sqlx::FromRow)]
struct InvitationInfoRow {
    id: i64,
    cohort_id: i64,
    cohort_name: String,
    role: Role,
    expires_at: i64,
    uses: i64,
    max_uses: i64,
    revoked_at: Option<i64>,
}

/// What an invitation link offers, or `None` for an unknown (or forged) token: (invitation
/// id, cohort id, what it offers).
pub async fn invitation_info(
    db: &crate::db::Db,
    token: &str,
) -> anyhow::Result<Option<(i64, i64, InvitationInfo)>> {
    let row: Option<InvitationInfoRow> = sqlx::query_as(
        "SELECT i.id, i.cohort_id, c.name AS cohort_name, i.role, i.expires_at, i.uses, i.max_uses, \
         i.revoked_at FROM invitations i JOIN cohorts c ON c.id = i.cohort_id WHERE i.token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
    .context("find invitation")?;
    let Some(r) = row else { return Ok(None) };
    let state = invitation_state(
        crate::db::now_ms(),
        r.expires_at,
        r.uses,
        r.max_uses,
        r.revoked_at.is_some(),
    );
    Ok(Some((
        r.id,
        r.cohort_id,
        InvitationInfo {
            cohort_name: r.cohort_name,
            role: r.role,
            state,
        },
    )))
}

/// Takes one seat of an invitation inside a transaction; `false` when it cannot be used
/// (expired, used up or revoked by the time the transaction runs).
pub async fn take_seat(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    invitation_id: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET uses = uses + 1 WHERE id = $1 AND uses < max_uses \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(invitation_id)
    .bind(crate::db::now_ms())
    .execute(&mut **tx)
    .await
    .context("take an invitation seat")?;
    Ok(done.rows_affected() == 1)
}
