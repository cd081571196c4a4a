//! Users: lookup, creation, password changes.

use super::{now_ms, Db};
use crate::auth::password::StoredHash;
use crate::domain::lang::Lang;
use anyhow::Context as _;

/// A user row as the auth layer needs it.
#[derive(Debug, Clone)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Hash of the password.
    pub password_hash: StoredHash,
    /// Institution coordinator.
    pub is_admin: bool,
    /// Not deactivated.
    pub active: bool,
}

/// The account with this (normalised) email.
pub async fn find_by_email(db: &Db, email: &str) -> anyhow::Result<Option<Account>> {
    let row: Option<AccountRow> = sqlx::query_as(
        "SELECT id, name, email, password_hash, is_admin, deactivated_at FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(db.pool())
    .await
    .context("find user by email")?;
    Ok(row.map(|r| Account {
        id: r.id,
        name: r.name,
        email: r.email,
        password_hash: StoredHash::from_db(r.password_hash),
        is_admin: r.is_admin != 0,
        active: r.deactivated_at.is_none(),
    }))
}

/// A user row as stored (the hash is wrapped before it leaves this module).
#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    name: String,
    email: String,
    password_hash: String,
    is_admin: i64,
    deactivated_at: Option<i64>,
}

/// What creating a user can run into.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// The email is already registered (constraint `users_email_key`).
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Creates a user inside a transaction; the email must be normalised already.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    email: &str,
    name: &str,
    hash: &StoredHash,
    is_admin: bool,
) -> Result<i64, CreateUserError> {
    let now = now_ms();
    let id = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, is_admin, created_at, password_changed_at, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(hash.as_str())
    .bind(i64::from(is_admin))
    .bind(now)
    .bind(now)
    // The language of the page they joined from (English outside a request).
    .bind(crate::lang::current().as_str())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if super::is_unique_violation(&e, "users_email_key", "users.email") {
            CreateUserError::EmailTaken
        } else {
            CreateUserError::Other(anyhow::Error::from(e).context("insert user"))
        }
    })?;
    Ok(id)
}

/// Replaces a user's password hash.
pub async fn set_password(db: &Db, user_id: i64, hash: &StoredHash) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash.as_str())
        .bind(now_ms())
        .bind(user_id)
        .execute(db.writer())
        .await
        .context("update password")?;
    Ok(())
}

/// Remembers the language `user_id` reads in (for the e-mails they get).
pub async fn set_language(db: &Db, user_id: i64, lang: Lang) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang.as_str())
        .bind(user_id)
        .execute(db.writer())
        .await
        .context("update language")?;
    Ok(())
}

/// The language `user_id` reads in; English for an unknown user.
pub async fn language_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> anyhow::Result<Lang> {
    let stored: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
        .context("a user's language")?;
    Ok(stored.as_deref().and_then(Lang::parse).unwrap_or_default())
}
