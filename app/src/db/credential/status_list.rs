//! The revocation status list as stored and published.

use super::*;

/// The signed status list credential, as stored.
pub async fn status_list(db: &Db, list: i64) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT document FROM status_lists WHERE id = $1")
        .bind(list)
        .fetch_optional(db.pool())
        .await
        .context("status list")
}

/// Rebuilds, signs and stores a status list from the revocations (in the caller's transaction).
pub(super) async fn write_status_list(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    list: i64,
) -> anyhow::Result<()> {
    // Hold the list's row first: of two revocations at once (PostgreSQL), the second waits
    // here and then reads the first's revocation too, instead of writing a list without it.
    sqlx::query("UPDATE status_lists SET updated_at = updated_at WHERE id = $1")
        .bind(list)
        .execute(&mut **tx)
        .await
        .context("hold the status list")?;
    let revoked: Vec<i64> = sqlx::query_scalar(
        "SELECT status_index FROM credentials WHERE status_list = $1 AND revoked_at IS NOT NULL",
    )
    .bind(list)
    .fetch_all(&mut **tx)
    .await
    .context("revoked")?;
    let mut bits = Bitstring::default();
    for i in revoked {
        bits.set(usize::try_from(i).unwrap_or(usize::MAX));
    }
    let now = now_ms();
    let url = status_list_url(&issuer.base_url, list);
    let unsigned = status::list_credential(&url, &issuer.did, &xsd_date_time(now), &bits);
    let signed = sign_document(issuer, &unsigned, now)?;
    sqlx::query(
        "INSERT INTO status_lists (id, document, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
    )
    .bind(list)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("store status list")?;
    Ok(())
}
