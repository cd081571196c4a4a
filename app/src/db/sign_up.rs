//! Sign-up requests: a sign-up through an invitation waits here until its address is confirmed
//! by the link e-mailed to it. Only the link's SHA-256 is stored.

use anyhow::Context as _;

use crate::domain::account::Role;
use crate::domain::cohort::InvitationState;

/// How long a confirmation link works.
pub const VALID_MS: i64 = 24 * 60 * 60 * 1000;

/// Records a request to join through `invitation_id` as `email` / `name`, in the caller's
/// transaction (which also queues the e-mail carrying the link); returns the link's token.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    invitation_id: i64,
    email: &str,
    name: &str,
) -> anyhow::Result<String> {
    let now = super::now_ms();
    create_until(tx, invitation_id, email, name, now + VALID_MS).await
}

/// [`create`] with its own end (epoch ms): a personal invitation's link lasts as long as the
/// invitation, and its `name` is empty until the person chooses it.
pub async fn create_until(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    invitation_id: i64,
    email: &str,
    name: &str,
    expires_at: i64,
) -> anyhow::Result<String> {
    let (token, hash) = crate::auth::session::new_token();
    let now = super::now_ms();
    sqlx::query(
        "INSERT INTO sign_up_requests (token_hash, invitation_id, email, name, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&hash)
    .bind(invitation_id)
    .bind(email)
    .bind(name)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await
    .context("record a sign-up request")?;
    Ok(token)
}

/// A live sign-up request (not used, not expired) and the invitation it came through.
#[derive(Clone, Debug)]
pub struct Request {
    /// Its row.
    pub id: i64,
    /// The invitation it came through.
    pub invitation_id: i64,
    /// The cohort the invitation is for.
    pub cohort_id: i64,
    /// The cohort's name.
    pub cohort_name: String,
    /// The role the invitation offers.
    pub role: Role,
    /// Whether the invitation can still be used.
    pub invitation: InvitationState,
    /// The confirmed address.
    pub email: String,
    /// The name given.
    pub name: String,
}

/// A sign-up request with its invitation.
#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    invitation_id: i64,
    cohort_id: i64,
    cohort_name: String,
    role: Role,
    email: String,
    name: String,
    expires_at: i64,
    uses: i64,
    max_uses: i64,
    revoked_at: Option<i64>,
}

/// The live request a link's token is for, if any.
pub async fn find(db: &super::Db, token: &str) -> anyhow::Result<Option<Request>> {
    let now = super::now_ms();
    let row: Option<RequestRow> = sqlx::query_as(
        "SELECT r.id, r.invitation_id, i.cohort_id, c.name AS cohort_name, i.role, r.email, r.name, \
                i.expires_at, i.uses, i.max_uses, i.revoked_at \
         FROM sign_up_requests r JOIN invitations i ON i.id = r.invitation_id \
         JOIN cohorts c ON c.id = i.cohort_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
    )
    .bind(crate::auth::session::hash_token(token))
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("find a sign-up request")?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Request {
        id: r.id,
        invitation_id: r.invitation_id,
        cohort_id: r.cohort_id,
        cohort_name: r.cohort_name,
        role: r.role,
        email: r.email,
        name: r.name,
        invitation: super::cohort::invitation_state(
            now,
            r.expires_at,
            r.uses,
            r.max_uses,
            r.revoked_at.is_some(),
        ),
    }))
}

/// Uses request `id` inside the caller's transaction; `false` when it was used (or expired)
/// meanwhile. Also retires the other open requests for the same address, whose links would
/// otherwise make a second account attempt.
pub async fn mark_used(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    email: &str,
) -> anyhow::Result<bool> {
    let now = super::now_ms();
    let used = sqlx::query(
        "UPDATE sign_up_requests SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("use a sign-up request")?;
    if used.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE sign_up_requests SET used_at = $1 WHERE email = $2 AND used_at IS NULL")
        .bind(now)
        .bind(email)
        .execute(&mut **tx)
        .await
        .context("retire other sign-up requests")?;
    Ok(true)
}
