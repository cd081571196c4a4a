//! One-time password-reset links issued by coordinators.

use super::*;

/// Creates a one-time password-reset token for `user_id`, issued by `by` (a coordinator, or the
/// person themself when they asked), and queues the e-mail carrying its link in the same
/// transaction (when a public base URL is configured); returns the token.
pub async fn create_reset(
    db: &crate::db::Db,
    user_id: i64,
    by: i64,
    valid_ms: i64,
) -> anyhow::Result<String> {
    let (token, hash) = crate::auth::session::new_token();
    let now = crate::db::now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&hash)
    .bind(user_id)
    .bind(by)
    .bind(now)
    .bind(now + valid_ms)
    .execute(&mut *tx)
    .await
    .context("insert reset")?;
    crate::db::audit::record_in(
        &mut tx,
        Some(by),
        if by == user_id {
            "password.reset_requested"
        } else {
            "password.reset_issued"
        },
        &format!("user:{user_id}"),
        "{}",
    )
    .await?;
    if let Some(base) = db.public_base_url() {
        let people: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, email, name, lang FROM users WHERE id IN ($1, $2)")
                .bind(user_id)
                .bind(by)
                .fetch_all(&mut *tx)
                .await
                .context("who the reset is for")?;
        let person = |id: i64| people.iter().find(|p| p.0 == id);
        if let Some((_, email, name, lang)) = person(user_id) {
            let issuer = (by != user_id)
                .then(|| person(by).map(|p| p.2.as_str()))
                .flatten();
            let lang = crate::domain::lang::Lang::parse(lang).unwrap_or_default();
            let message = crate::i18n::in_lang(lang, || {
                crate::mail::password_reset(
                    email,
                    name,
                    &format!("{base}/reset/{token}"),
                    valid_ms / 3_600_000,
                    issuer,
                )
            });
            crate::db::mail::enqueue(&mut tx, &message).await?;
        }
    }
    tx.commit().await.context("commit")?;
    Ok(token)
}

/// A live reset and who it is for.
#[derive(sqlx::FromRow)]
struct ResetRow {
    id: i64,
    user_id: i64,
    email: String,
    name: String,
}

/// The user a live reset token is for: `(reset id, user id, email, name)`.
pub async fn find_reset(
    db: &crate::db::Db,
    token: &str,
) -> anyhow::Result<Option<(i64, i64, String, String)>> {
    let row: Option<ResetRow> = sqlx::query_as(
        "SELECT r.id, u.id AS user_id, u.email, u.name FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.deactivated_at IS NULL",
    )
    .bind(crate::auth::session::hash_token(token))
    .bind(crate::db::now_ms())
    .fetch_optional(db.pool())
    .await
    .context("find reset")?;
    Ok(row.map(|r| (r.id, r.user_id, r.email, r.name)))
}

/// Uses a reset token: sets the password, ends every session, marks the token used — atomically.
/// `false` when the token was used meanwhile.
pub async fn complete_reset(
    db: &crate::db::Db,
    reset_id: i64,
    user_id: i64,
    hash: &crate::auth::password::StoredHash,
) -> anyhow::Result<bool> {
    let now = crate::db::now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    let used =
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(reset_id)
            .execute(&mut *tx)
            .await
            .context("use reset")?;
    if used.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash.as_str())
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .context("set password")?;
    crate::auth::session::end_all_in(&mut tx, user_id, now).await?;
    crate::db::audit::record_in(
        &mut tx,
        Some(user_id),
        "password.reset_used",
        &format!("user:{user_id}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}
