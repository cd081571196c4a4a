//! What the holder and the cohort's coordinators see.

use super::*;

/// The credentials of the teachers of a cohort, for its coordinators (`None`: not theirs).
pub async fn of_cohort(
    db: &Db,
    viewer: crate::db::review::Viewer,
    cohort_id: i64,
) -> anyhow::Result<Option<Vec<CohortCredential>>> {
    let allowed: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM cohorts WHERE id = $3 AND id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("cohort")?;
    if allowed.is_none() {
        return Ok(None);
    }
    let rows: Vec<CohortCredentialRow> = sqlx::query_as(
        "SELECT c.public_id, u.name AS holder, c.document, c.issued_at, c.revoked_at, c.revoked_reason \
         FROM credentials c JOIN users u ON u.id = c.user_id \
         WHERE c.user_id IN (SELECT user_id FROM memberships WHERE cohort_id = $1 AND role = 'teacher') \
         AND EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = c.user_id AND s.cohort_id = $1 \
                     AND s.status = 'competent') \
         ORDER BY c.issued_at DESC, c.id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("cohort credentials")?;
    Ok(Some(
        rows.into_iter()
            .map(|r| CohortCredential {
                name: achievement_name(&r.document),
                public_id: r.public_id,
                holder: r.holder,
                issued: utc_date(r.issued_at),
                revoked: revocation(r.revoked_at, r.revoked_reason),
            })
            .collect(),
    ))
}

/// A credential of a cohort's teacher, with the holder's name.
#[derive(sqlx::FromRow)]
struct CohortCredentialRow {
    public_id: String,
    holder: String,
    document: String,
    issued_at: i64,
    revoked_at: Option<i64>,
    revoked_reason: String,
}

/// One of the holder's credentials.
#[derive(sqlx::FromRow)]
struct MyCredentialRow {
    public_id: String,
    document: String,
    issued_at: i64,
    revoked_at: Option<i64>,
    revoked_reason: String,
    show_name: i64,
}

pub(super) fn achievement_name(document: &str) -> String {
    serde_json::from_str::<Value>(document)
        .ok()
        .and_then(|d| {
            d.pointer("/credentialSubject/achievement/name")
                .or_else(|| d.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

pub(super) fn revocation(at: Option<i64>, reason: String) -> Option<Revocation> {
    at.map(|at| Revocation {
        on: utc_date(at),
        reason,
    })
}

/// The holder's badges, newest first (their signed Learning Statements are on the
/// statement's page, see [`latest_record`]).
pub async fn mine(db: &Db, issuer: &Issuer, user_id: i64) -> anyhow::Result<Vec<MyCredential>> {
    let rows: Vec<MyCredentialRow> = sqlx::query_as(
        "SELECT public_id, document, issued_at, revoked_at, revoked_reason, show_name \
         FROM credentials WHERE user_id = $1 AND achievement <> $2 ORDER BY issued_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(RECORD)
    .fetch_all(db.pool())
    .await
    .context("credentials")?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let public_id = r.public_id;
            let doc: Value = serde_json::from_str(&r.document).unwrap_or(Value::Null);
            let s = verify::summary(&doc);
            let issued = r.issued_at;
            MyCredential {
                linkedin: linkedin_url(
                    &s.name,
                    &issuer.name,
                    issuer.linkedin_organization.as_deref(),
                    issued,
                    &credential_url(&issuer.base_url, &public_id),
                    &public_id,
                ),
                public_id,
                name: s.name,
                image: s.image,
                caption: s.caption,
                issued: utc_date(issued),
                revoked: revocation(r.revoked_at, r.revoked_reason),
                show_name: r.show_name != 0,
            }
        })
        .collect())
}

/// The holder chooses whether the public page shows their name. `false`: not theirs.
pub async fn set_show_name(
    db: &Db,
    user_id: i64,
    public_id: &str,
    show: bool,
) -> anyhow::Result<bool> {
    let changed =
        sqlx::query("UPDATE credentials SET show_name = $1 WHERE public_id = $2 AND user_id = $3")
            .bind(i64::from(show))
            .bind(public_id)
            .bind(user_id)
            .execute(db.writer())
            .await
            .context("show name")?;
    Ok(changed.rows_affected() == 1)
}
