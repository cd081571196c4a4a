//! Sessions stored in the database, so every server instance behind a load balancer shares them.
//!
//! The browser holds a random 256-bit token in an HttpOnly cookie; the database holds only its
//! SHA-256, so a copy of the database does not let anyone sign in.

use crate::db::{now_ms, Db};
use crate::domain::account::{Membership, Role};
use anyhow::Context as _;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// A session ends after this long without activity (autosave counts as activity): long enough
/// for a teacher to think over a reflection over lunch, short enough for a shared staff-room PC.
pub const IDLE_TIMEOUT_MS: i64 = 8 * 60 * 60 * 1000;
/// A session ends this long after sign-in, active or not.
pub const ABSOLUTE_TIMEOUT_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// `last_seen_at` is written at most this often per session, to spare the database.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Cookie name when served over HTTPS (the `__Host-` prefix pins it to this host and path `/`).
pub const COOKIE_SECURE: &str = "__Host-mcf_session";
/// Cookie name for plain-HTTP development on loopback, where `Secure` cannot be used.
pub const COOKIE_DEV: &str = "mcf_session";

/// The signed-in person behind a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// User id.
    pub user_id: i64,
    /// Name to show.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Institution coordinator: may create cohorts and acts as coordinator of every cohort.
    pub is_admin: bool,
    /// Roles held, per cohort (with its name, as the header and profile show it), ordered by
    /// cohort name then role.
    pub roles: Vec<Membership>,
    /// This session's id (the SHA-256 of its token).
    pub session_id: String,
}

impl Principal {
    /// Whether the person holds `role` in `cohort_id` (an admin holds coordinator everywhere).
    pub fn has_role(&self, cohort_id: i64, role: Role) -> bool {
        (self.is_admin && role == Role::Coordinator)
            || self
                .roles
                .iter()
                .any(|m| m.cohort_id == cohort_id && m.role == role)
    }

    /// Whether the person holds `role` in any cohort.
    pub fn has_role_anywhere(&self, role: Role) -> bool {
        (self.is_admin && role == Role::Coordinator) || self.roles.iter().any(|m| m.role == role)
    }
}

/// A fresh random token (256 bits, URL-safe base64) and the hash stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// The SHA-256 (hex) of a token: what the database stores.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that starts a session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = ABSOLUTE_TIMEOUT_MS / 1000;
    if secure {
        format!(
            "{COOKIE_SECURE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}"
        )
    } else {
        format!("{COOKIE_DEV}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")
    }
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    if secure {
        format!("{COOKIE_SECURE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COOKIE_DEV}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str, secure: bool) -> Option<&str> {
    let name = if secure { COOKIE_SECURE } else { COOKIE_DEV };
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Starts a session; returns the token for the cookie.
pub async fn create(
    db: &Db,
    user_id: i64,
    user_agent: &str,
    client_ip: &str,
) -> anyhow::Result<String> {
    let (token, hash) = new_token();
    let now = now_ms();
    let user_agent: String = user_agent.chars().take(300).collect();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, absolute_expires_at, \
         user_agent, client_ip) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&hash)
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(now + ABSOLUTE_TIMEOUT_MS)
    .bind(user_agent)
    .bind(client_ip)
    .execute(db.writer())
    .await
    .context("insert session")?;
    Ok(token)
}

/// One row of the session lookup: the session and its person, with one of their roles (all
/// role columns `None` for someone with no membership).
#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    last_seen_at: i64,
    name: String,
    email: String,
    is_admin: i64,
    cohort_id: Option<i64>,
    role: Option<Role>,
    cohort_name: Option<String>,
}

/// The person behind a token, if the session is live; refreshes its idle clock. A stored role
/// the code does not know is an error (never silently dropped).
pub async fn resolve(db: &Db, token: &str) -> anyhow::Result<Option<Principal>> {
    let hash = hash_token(token);
    let now = now_ms();
    // One round trip: the session, its person, and their roles with the cohorts' names (one
    // row per membership).
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT s.user_id, s.last_seen_at, u.name, u.email, u.is_admin, m.cohort_id, m.role, \
         c.name AS cohort_name \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN memberships m ON m.user_id = s.user_id \
         LEFT JOIN cohorts c ON c.id = m.cohort_id \
         WHERE s.id_hash = $1 AND s.ended_at IS NULL AND u.deactivated_at IS NULL \
         AND s.absolute_expires_at > $2 AND s.last_seen_at > $3 \
         ORDER BY c.name, m.role",
    )
    .bind(&hash)
    .bind(now)
    .bind(now - IDLE_TIMEOUT_MS)
    .fetch_all(db.pool())
    .await
    .context("look up session")?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    if now - first.last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db.writer())
            .await
            .context("touch session")?;
    }
    let roles = rows
        .iter()
        .filter_map(|r| match (r.cohort_id, r.role, &r.cohort_name) {
            (Some(cohort_id), Some(role), Some(name)) => Some(Membership {
                cohort_id,
                cohort_name: name.clone(),
                role,
            }),
            _ => None,
        })
        .collect();
    Ok(Some(Principal {
        user_id: first.user_id,
        name: first.name.clone(),
        email: first.email.clone(),
        is_admin: first.is_admin != 0,
        roles,
        session_id: hash,
    }))
}

/// Ends one session of a user (sign-out, or "end" on the profile page). Returns whether it was live.
pub async fn end(db: &Db, user_id: i64, session_id: &str) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND user_id = $3 AND ended_at IS NULL",
    )
    .bind(now_ms())
    .bind(session_id)
    .bind(user_id)
    .execute(db.writer())
    .await
    .context("end session")?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of a user but `keep` (after a password change), or all when `keep` is `None`.
pub async fn end_all_but(db: &Db, user_id: i64, keep: Option<&str>) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL AND id_hash <> $3",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(keep.unwrap_or(""))
    .execute(db.writer())
    .await
    .context("end other sessions")?;
    Ok(done.rows_affected())
}

/// Ends every session of a user inside a transaction (deactivation, password reset).
pub async fn end_all_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .context("end sessions")?;
    Ok(())
}

/// A live session as the profile page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Session id (hash of the token; harmless to show its owner).
    pub id: String,
    /// When it started (epoch ms).
    pub created_at: i64,
    /// Last activity (epoch ms, to the minute).
    pub last_seen_at: i64,
    /// Browser description.
    pub user_agent: String,
    /// Client address.
    pub client_ip: String,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// Live sessions of a user, most recent first.
pub async fn list(db: &Db, user_id: i64, current: &str) -> anyhow::Result<Vec<SessionInfo>> {
    let now = now_ms();
    /// One live session as stored.
    #[derive(sqlx::FromRow)]
    struct Row {
        id_hash: String,
        created_at: i64,
        last_seen_at: i64,
        user_agent: String,
        client_ip: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id_hash, created_at, last_seen_at, user_agent, client_ip FROM sessions \
         WHERE user_id = $1 AND ended_at IS NULL AND absolute_expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - IDLE_TIMEOUT_MS)
    .fetch_all(db.pool())
    .await
    .context("list sessions")?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            current: r.id_hash == current,
            id: r.id_hash,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            user_agent: r.user_agent,
            client_ip: r.client_ip,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_256_bit_and_stored_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64url");
        assert_eq!(ha.len(), 64);
        assert_eq!(hash_token(&a), ha);
        assert_ne!(ha, a);
    }

    #[test]
    fn cookies_are_http_only_lax_and_prefixed_when_secure() {
        let c = set_cookie("tok", true);
        assert!(c.starts_with("__Host-mcf_session=tok; Path=/; HttpOnly; Secure; SameSite=Lax"));
        assert!(!set_cookie("tok", false).contains("Secure"));
        assert!(clear_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let header = "theme=dark; __Host-mcf_session=abc; other=1";
        assert_eq!(token_from_cookie_header(header, true), Some("abc"));
        assert_eq!(token_from_cookie_header(header, false), None);
        assert_eq!(token_from_cookie_header("mcf_session=", false), None);
    }
}
