//! Sign-in throttling, kept in the database so it holds across server instances.

use crate::db::{now_ms, Db};
use anyhow::Context as _;

/// Failures are counted over this window.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed sign-ins allowed per account within the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failed sign-ins allowed per client address within the window (a school shares one address).
pub const PER_ADDRESS: i64 = 50;

/// The throttling keys of one sign-in attempt.
pub fn scopes(email: &str, client_ip: &str) -> [(String, i64); 2] {
    [
        (format!("account:{email}"), PER_ACCOUNT),
        (format!("ip:{client_ip}"), PER_ADDRESS),
    ]
}

/// `Err(minutes)` when any scope is over its limit: how long until it may try again.
pub async fn check(db: &Db, scopes: &[(String, i64)]) -> anyhow::Result<Result<(), u64>> {
    let now = now_ms();
    let mut wait_ms = 0i64;
    for (scope, limit) in scopes {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM sign_in_failures WHERE scope = $1 AND at > $2 ORDER BY at DESC",
        )
        .bind(scope)
        .bind(now - WINDOW_MS)
        .fetch_all(db.pool())
        .await
        .context("count sign-in failures")?;
        if i64::try_from(times.len()).unwrap_or(i64::MAX) >= *limit {
            // Allowed again once the oldest failure that keeps it at the limit leaves the window.
            let idx = usize::try_from(*limit - 1).unwrap_or(0);
            let pivot = times.get(idx).copied().unwrap_or(now);
            wait_ms = wait_ms.max(pivot + WINDOW_MS - now);
        }
    }
    if wait_ms > 0 {
        let minutes = u64::try_from((wait_ms + 59_999) / 60_000)
            .unwrap_or(1)
            .max(1);
        Ok(Err(minutes))
    } else {
        Ok(Ok(()))
    }
}

/// The scope of a signed-in person's attempts at their current password (changing it).
pub fn password_scope(user_id: i64) -> [(String, i64); 1] {
    [(format!("password:{user_id}"), PER_ACCOUNT)]
}

/// Records an attempt against every scope *before* the password is checked, then answers
/// whether it may go on: `Err(minutes)` when, counting this attempt, a scope is over its
/// limit. Counting first means guesses sent in parallel cannot all pass a check made before
/// any of them was recorded; at most `limit` get their password checked per window. On
/// success, [`succeeded`] takes the attempt back.
pub async fn attempt(db: &Db, scopes: &[(String, i64)]) -> anyhow::Result<Result<Vec<i64>, u64>> {
    let now = now_ms();
    let mut ids = Vec::new();
    for (scope, _) in scopes {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (scope, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(scope)
        .bind(now)
        .fetch_one(db.writer())
        .await
        .context("record an attempt")?;
        ids.push(id);
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(now - WINDOW_MS)
        .execute(db.writer())
        .await
        .context("forget old attempts")?;
    // This attempt counts: the limit is on attempts beyond the allowed failures.
    let including: Vec<(String, i64)> = scopes
        .iter()
        .map(|(s, limit)| (s.clone(), limit + 1))
        .collect();
    Ok(check(db, &including).await?.map(|()| ids))
}

/// After a successful attempt: removes its records, and the failures of `clear_scope`.
pub async fn succeeded(db: &Db, ids: &[i64], clear_scope: &str) -> anyhow::Result<()> {
    for id in ids {
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
            .bind(id)
            .execute(db.writer())
            .await
            .context("take back an attempt")?;
    }
    clear(db, clear_scope).await
}

/// Clears an account's failures after it signs in successfully.
pub async fn clear(db: &Db, scope: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE scope = $1")
        .bind(scope)
        .execute(db.writer())
        .await
        .context("clear sign-in failures")?;
    Ok(())
}
