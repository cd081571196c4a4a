//! Each person's e-mail settings: whether reminders (notices of waiting work, reminders and
//! digests) go to them, and the token of the link that switches them without signing in.

use anyhow::Context as _;
use sqlx::{Any, Transaction};

/// The page the turn-off link opens: `{base}/mail/settings/{token}`.
pub fn settings_url(base: &str, token: &str) -> String {
    format!("{base}/mail/settings/{token}")
}

/// The one-click target (RFC 8058) in the `List-Unsubscribe` header:
/// `{base}/mail/unsubscribe/{token}`.
pub fn unsubscribe_url(base: &str, token: &str) -> String {
    format!("{base}/mail/unsubscribe/{token}")
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    token: String,
    reminders: i64,
}

/// `user_id`'s token and whether their reminders are on, made on first need in the caller's
/// transaction (reminders on).
pub async fn of_user_in(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
) -> anyhow::Result<(String, bool)> {
    if let Some(r) = read(tx, user_id).await? {
        return Ok((r.token, r.reminders != 0));
    }
    let (token, _) = crate::auth::session::new_token();
    sqlx::query(
        "INSERT INTO mail_settings (user_id, token, reminders, updated_at) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&token)
    .bind(super::super::now_ms())
    .execute(&mut **tx)
    .await
    .context("make mail settings")?;
    let r = read(tx, user_id)
        .await?
        .context("mail settings just made")?;
    Ok((r.token, r.reminders != 0))
}

async fn read(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
) -> anyhow::Result<Option<SettingsRow>> {
    sqlx::query_as("SELECT token, reminders FROM mail_settings WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
        .context("mail settings")
}

/// What the settings page shows for a token.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ByToken {
    pub email: String,
    pub reminders: bool,
}

#[derive(sqlx::FromRow)]
struct ByTokenRow {
    email: String,
    reminders: i64,
}

/// The address and reminder switch a token belongs to; `None` for an unknown token.
pub async fn by_token(db: &crate::db::Db, token: &str) -> anyhow::Result<Option<ByToken>> {
    let row: Option<ByTokenRow> = sqlx::query_as(
        "SELECT u.email, m.reminders FROM mail_settings m JOIN users u ON u.id = m.user_id \
         WHERE m.token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
    .context("mail settings by token")?;
    Ok(row.map(|r| ByToken {
        email: r.email,
        reminders: r.reminders != 0,
    }))
}

/// Turns the token's reminders on or off, with an audit row; `false` for an unknown token.
pub async fn set_reminders(db: &crate::db::Db, token: &str, on: bool) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE mail_settings SET reminders = $1, updated_at = $2 WHERE token = $3 RETURNING user_id",
    )
    .bind(i64::from(on))
    .bind(super::super::now_ms())
    .bind(token)
    .fetch_optional(&mut *tx)
    .await
    .context("switch reminders")?;
    let Some(user) = user else {
        return Ok(false);
    };
    crate::db::audit::record_in(
        &mut tx,
        Some(user),
        if on {
            "mail.reminders_on"
        } else {
            "mail.reminders_off"
        },
        &format!("user:{user}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}
