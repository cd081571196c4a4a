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

/// Who sends personal invitations, and what they offer.
#[derive(Clone, Copy, Debug)]
pub struct Inviting<'a> {
    pub cohort_id: i64,
    pub role: Role,
    pub expires_at: i64,
    /// The coordinator inviting.
    pub by: i64,
    /// The public base URL the links start with.
    pub base: &'a str,
}

/// Invites each address personally, all in one transaction: an invitation with one seat for
/// the address, and an e-mail queued with its link. An address without an account gets a
/// sign-up link (choose a name and password, valid as long as the invitation); one with an
/// account gets the invitation link (sign in, accept). Returns how many addresses had
/// accounts already.
pub async fn invite_by_email(
    db: &crate::db::Db,
    inviting: Inviting<'_>,
    addresses: &[crate::domain::account::Email],
) -> anyhow::Result<usize> {
    let Inviting {
        cohort_id,
        role,
        expires_at,
        by,
        base,
    } = inviting;
    let mut tx = db.begin_write().await.context("begin")?;
    let (cohort, inviter): (String, String) = sqlx::query_as(
        "SELECT c.name, u.name FROM cohorts c, users u WHERE c.id = $1 AND u.id = $2",
    )
    .bind(cohort_id)
    .bind(by)
    .fetch_one(&mut *tx)
    .await
    .context("cohort and inviter")?;
    let role_text = crate::api::join::article(role);
    let days = (expires_at - crate::db::now_ms())
        .div_euclid(86_400_000)
        .max(1);
    let mut existing = 0;
    for email in addresses {
        let mut bytes = [0u8; 24];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        let token =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invitations (cohort_id, role, token, expires_at, max_uses, created_by, created_at, email) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7) RETURNING id",
        )
        .bind(cohort_id)
        .bind(role)
        .bind(&token)
        .bind(expires_at)
        .bind(by)
        .bind(crate::db::now_ms())
        .bind(email.as_str())
        .fetch_one(&mut *tx)
        .await
        .context("insert a personal invitation")?;
        // An account's own language; else the language the coordinator is inviting in.
        let has_account: Option<String> =
            sqlx::query_scalar("SELECT lang FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&mut *tx)
                .await
                .context("an account for the address")?;
        let message = if let Some(lang) = has_account {
            existing += 1;
            let lang = crate::domain::lang::Lang::parse(&lang).unwrap_or_default();
            crate::i18n::in_lang(lang, || {
                crate::mail::invitation_existing(
                    email.as_str(),
                    &cohort,
                    &crate::api::join::article(role),
                    &inviter,
                    &format!("{base}/join/{token}"),
                )
            })
        } else {
            let code =
                crate::db::sign_up::create_until(&mut tx, id, email.as_str(), "", expires_at)
                    .await?;
            crate::mail::invitation(
                email.as_str(),
                &cohort,
                &role_text,
                &inviter,
                &format!("{base}/sign-up/{code}"),
                days,
            )
        };
        crate::db::mail::enqueue(&mut tx, &message).await?;
    }
    crate::db::audit::record_in(
        &mut tx,
        Some(by),
        "invitation.email",
        &format!("cohort:{cohort_id}"),
        &serde_json::json!({ "role": role.as_str(), "addresses": addresses.len(), "with_accounts": existing })
            .to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(existing)
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
