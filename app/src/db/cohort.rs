//! Cohorts and memberships.

use super::now_ms;
use crate::domain::account::Role;
use anyhow::Context as _;
use sqlx::Row as _;

/// Creates a cohort on a framework (by slug) inside a transaction; returns its id.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
    framework_slug: &str,
    starts_on: &str,
    ends_on: &str,
    created_by: i64,
) -> anyhow::Result<i64> {
    let framework_id: i64 = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
        .bind(framework_slug)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("framework {framework_slug} not imported"))?;
    sqlx::query_scalar(
        "INSERT INTO cohorts (name, framework_id, starts_on, ends_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(framework_id)
    .bind(starts_on)
    .bind(ends_on)
    .bind(created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
    .context("insert cohort")
}

/// Gives a person a role in a cohort (no-op when they already hold it).
pub async fn add_member(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    cohort_id: i64,
    user_id: i64,
    role: Role,
    invitation_id: Option<i64>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO memberships (cohort_id, user_id, role, invitation_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cohort_id, user_id, role) DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(invitation_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .context("insert membership")?;
    Ok(())
}

/// Every role a person holds, with cohort names.
pub async fn memberships_of(
    db: &super::Db,
    user_id: i64,
) -> anyhow::Result<Vec<crate::domain::account::Membership>> {
    let rows = sqlx::query(
        "SELECT m.cohort_id, c.name, m.role FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 ORDER BY c.name, m.role",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("list memberships")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let role: String = r.try_get(2)?;
        if let Some(role) = Role::parse(&role) {
            out.push(crate::domain::account::Membership {
                cohort_id: r.try_get(0)?,
                cohort_name: r.try_get(1)?,
                role,
            });
        }
    }
    Ok(out)
}

use crate::domain::cohort::{
    AssessmentSettings, CohortDetail, CohortSummary, InvitationInfo, InvitationState,
    InvitationView, MemberView,
};

fn summary_from(r: &sqlx::any::AnyRow) -> Result<CohortSummary, sqlx::Error> {
    Ok(CohortSummary {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        starts_on: r.try_get(2)?,
        ends_on: r.try_get(3)?,
        framework: r.try_get(4)?,
        member_count: usize::try_from(r.try_get::<i64, _>(5)?).unwrap_or(0),
    })
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.name, c.starts_on, c.ends_on, f.short_title, \
     (SELECT COUNT(DISTINCT m.user_id) FROM memberships m WHERE m.cohort_id = c.id) \
     FROM cohorts c JOIN frameworks f ON f.id = c.framework_id";

/// Cohorts a person coordinates (every cohort for an institution coordinator), newest first.
pub async fn list_coordinated(
    db: &super::Db,
    user_id: i64,
    is_admin: bool,
) -> anyhow::Result<Vec<CohortSummary>> {
    let rows = if is_admin {
        sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE c.archived_at IS NULL ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .fetch_all(db.pool())
        .await
    } else {
        sqlx::query(&format!(
            "{SUMMARY_SELECT} WHERE c.archived_at IS NULL AND EXISTS (SELECT 1 FROM memberships m \
             WHERE m.cohort_id = c.id AND m.user_id = $1 AND m.role = 'coordinator') \
             ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .bind(user_id)
        .fetch_all(db.pool())
        .await
    }
    .context("list cohorts")?;
    rows.iter()
        .map(summary_from)
        .collect::<Result<_, _>>()
        .context("read cohorts")
}

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

/// A cohort with members and invitations; `None` when there is no such cohort.
pub async fn detail(
    db: &super::Db,
    cohort_id: i64,
    base_url: &str,
) -> anyhow::Result<Option<CohortDetail>> {
    let Some(row) = sqlx::query(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))
        .bind(cohort_id)
        .fetch_optional(db.pool())
        .await
        .context("find cohort")?
    else {
        return Ok(None);
    };
    let summary = summary_from(&row)?;
    let member_rows = sqlx::query(
        "SELECT u.id, u.name, u.email, u.deactivated_at, m.role FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.cohort_id = $1 ORDER BY u.name, u.id, m.role",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("list members")?;
    let mut members: Vec<MemberView> = Vec::new();
    for r in &member_rows {
        let user_id: i64 = r.try_get(0)?;
        let role = Role::parse(&r.try_get::<String, _>(4)?);
        if let Some(last) = members.last_mut().filter(|m| m.user_id == user_id) {
            last.roles.extend(role);
            continue;
        }
        members.push(MemberView {
            user_id,
            name: r.try_get(1)?,
            email: r.try_get(2)?,
            active: r.try_get::<Option<i64>, _>(3)?.is_none(),
            roles: role.into_iter().collect(),
        });
    }
    let now = super::now_ms();
    let invitations = sqlx::query(
        "SELECT id, role, token, expires_at, uses, max_uses, revoked_at FROM invitations \
         WHERE cohort_id = $1 ORDER BY id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("list invitations")?
    .iter()
    .map(|r| {
        let expires_at: i64 = r.try_get(3)?;
        let uses: i64 = r.try_get(4)?;
        let max_uses: i64 = r.try_get(5)?;
        let revoked = r.try_get::<Option<i64>, _>(6)?.is_some();
        Ok(InvitationView {
            id: r.try_get(0)?,
            role: Role::parse(&r.try_get::<String, _>(1)?).unwrap_or(Role::Teacher),
            link: format!("{base_url}/join/{}", r.try_get::<String, _>(2)?),
            expires: crate::domain::time::utc_minute(expires_at),
            uses,
            max_uses,
            state: invitation_state(now, expires_at, uses, max_uses, revoked),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let settings = sqlx::query("SELECT blind_review, max_attempts FROM cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_one(db.pool())
        .await
        .context("assessment settings")?;
    Ok(Some(CohortDetail {
        summary,
        members,
        invitations,
        settings: AssessmentSettings {
            blind_review: settings.try_get::<i64, _>(0)? != 0,
            max_attempts: settings.try_get(1)?,
        },
        viewer_is_admin: false,
    }))
}

/// Changes how a cohort's submissions are assessed, with an audit row in the same transaction.
pub async fn update_settings(
    db: &super::Db,
    actor: i64,
    cohort_id: i64,
    settings: AssessmentSettings,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    let changed =
        sqlx::query("UPDATE cohorts SET blind_review = $1, max_attempts = $2 WHERE id = $3")
            .bind(i64::from(settings.blind_review))
            .bind(settings.max_attempts)
            .bind(cohort_id)
            .execute(&mut *tx)
            .await
            .context("update settings")?;
    if changed.rows_affected() == 0 {
        return Ok(false);
    }
    super::audit::record_in(
        &mut tx,
        Some(actor),
        "cohort.settings",
        &format!("cohort:{cohort_id}"),
        &format!(
            "{{\"blind_review\":{},\"max_attempts\":{}}}",
            settings.blind_review, settings.max_attempts
        ),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}

/// Creates an invitation; returns its token.
pub async fn create_invitation(
    db: &super::Db,
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
    .bind(role.as_str())
    .bind(&token)
    .bind(expires_at)
    .bind(max_uses)
    .bind(created_by)
    .bind(super::now_ms())
    .fetch_one(&mut *tx)
    .await
    .context("insert invitation")?;
    super::audit::record_in(
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
pub async fn invitation_cohort(db: &super::Db, invitation_id: i64) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT cohort_id FROM invitations WHERE id = $1")
        .bind(invitation_id)
        .fetch_optional(db.pool())
        .await
        .context("find invitation")
}

/// Revokes an invitation of a cohort; `false` when there is none.
pub async fn revoke_invitation(
    db: &super::Db,
    cohort_id: i64,
    invitation_id: i64,
    by: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND cohort_id = $3 AND revoked_at IS NULL",
    )
    .bind(super::now_ms())
    .bind(invitation_id)
    .bind(cohort_id)
    .execute(&mut *tx)
    .await
    .context("revoke invitation")?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    super::audit::record_in(
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

/// What an invitation link offers, or `None` for an unknown (or forged) token.
pub async fn invitation_info(
    db: &super::Db,
    token: &str,
) -> anyhow::Result<Option<(i64, i64, InvitationInfo)>> {
    let row = sqlx::query(
        "SELECT i.id, i.cohort_id, c.name, i.role, i.expires_at, i.uses, i.max_uses, i.revoked_at \
         FROM invitations i JOIN cohorts c ON c.id = i.cohort_id WHERE i.token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
    .context("find invitation")?;
    let Some(r) = row else { return Ok(None) };
    let state = invitation_state(
        super::now_ms(),
        r.try_get(4)?,
        r.try_get(5)?,
        r.try_get(6)?,
        r.try_get::<Option<i64>, _>(7)?.is_some(),
    );
    Ok(Some((
        r.try_get(0)?,
        r.try_get(1)?,
        InvitationInfo {
            cohort_name: r.try_get(2)?,
            role: Role::parse(&r.try_get::<String, _>(3)?).unwrap_or(Role::Teacher),
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
    .bind(super::now_ms())
    .execute(&mut **tx)
    .await
    .context("take an invitation seat")?;
    Ok(done.rows_affected() == 1)
}

/// Whether a user holds any role in a cohort.
pub async fn is_member(db: &super::Db, cohort_id: i64, user_id: i64) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE cohort_id = $1 AND user_id = $2",
    )
    .bind(cohort_id)
    .bind(user_id)
    .fetch_one(db.pool())
    .await
    .context("check membership")?;
    Ok(n > 0)
}

/// Whether a cohort with this id exists.
pub async fn exists(db: &super::Db, cohort_id: i64) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_optional(db.pool())
        .await
        .context("does the cohort exist")?;
    Ok(found.is_some())
}

/// What the actor `viewer` (`viewer_is_admin`: an institution coordinator) may need to know
/// about `target` before acting on them in `cohort_id`; see [`crate::domain::authority`].
#[tracing::instrument(skip(db))]
pub async fn target_facts(
    db: &super::Db,
    viewer: i64,
    viewer_is_admin: bool,
    cohort_id: i64,
    target: i64,
) -> anyhow::Result<crate::domain::authority::Target> {
    use sqlx::Row as _;
    let row = sqlx::query(
        "SELECT u.is_admin, \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.role = 'coordinator'), \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.cohort_id NOT IN \
              (SELECT cohort_id FROM memberships WHERE user_id = $2 AND role = 'coordinator' \
               UNION SELECT id FROM cohorts WHERE $3 = 1)), \
           (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id AND m.cohort_id = $4) \
         FROM users u WHERE u.id = $1",
    )
    .bind(target)
    .bind(viewer)
    .bind(i64::from(viewer_is_admin))
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("facts about the person acted on")?;
    let Some(row) = row else {
        return Ok(crate::domain::authority::Target::default());
    };
    Ok(crate::domain::authority::Target {
        is_self: target == viewer,
        is_admin: row.try_get::<i64, _>(0)? != 0,
        coordinates: row.try_get::<i64, _>(1)? > 0,
        member_elsewhere: row.try_get::<i64, _>(2)? > 0,
        member_here: row.try_get::<i64, _>(3)? > 0,
    })
}

/// Reactivates a deactivated user (institution coordinators only, checked by the caller);
/// `false` when they were not deactivated. Audited.
pub async fn reactivate(db: &super::Db, user_id: i64, by: i64) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin reactivation")?;
    let changed = sqlx::query(
        "UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("reactivate user")?
    .rows_affected();
    if changed == 1 {
        super::audit::record_in(
            &mut tx,
            Some(by),
            "user.reactivate",
            &format!("user:{user_id}"),
            "{}",
        )
        .await?;
    }
    tx.commit().await.context("commit reactivation")?;
    Ok(changed == 1)
}

/// Deactivates a user (they can no longer sign in; their work is kept), ends their sessions
/// and gives back what was reserved for them (claims, assignments, second markings not yet
/// made), in one transaction.
pub async fn deactivate(
    db: &super::Db,
    cohort_id: i64,
    user_id: i64,
    by: i64,
) -> anyhow::Result<()> {
    let now = super::now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .context("deactivate user")?;
    crate::auth::session::end_all_in(&mut tx, user_id, now).await?;
    // Work reserved for them goes back to the queue: nobody else could take it otherwise.
    sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their claims")?;
    sqlx::query(
        "UPDATE submissions SET assigned_to = NULL WHERE assigned_to = $1 AND status = 'submitted'",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their assignments")?;
    sqlx::query(
        "UPDATE moderations SET second_assessor = NULL WHERE second_assessor = $1 \
         AND resolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM reviews r \
         WHERE r.submission_id = moderations.submission_id AND r.kind = 'second')",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("release their second markings")?;
    super::audit::record_in(
        &mut tx,
        Some(by),
        "user.deactivate",
        &format!("user:{user_id}"),
        &serde_json::json!({ "cohort": cohort_id }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(())
}

/// Creates a one-time password-reset token for a user; returns the token.
pub async fn create_reset(
    db: &super::Db,
    user_id: i64,
    by: i64,
    valid_ms: i64,
) -> anyhow::Result<String> {
    let (token, hash) = crate::auth::session::new_token();
    let now = super::now_ms();
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
    super::audit::record_in(
        &mut tx,
        Some(by),
        "password.reset_issued",
        &format!("user:{user_id}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(token)
}

/// The user a live reset token is for: `(reset id, user id, email, name)`.
pub async fn find_reset(
    db: &super::Db,
    token: &str,
) -> anyhow::Result<Option<(i64, i64, String, String)>> {
    let row = sqlx::query(
        "SELECT r.id, u.id, u.email, u.name FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.deactivated_at IS NULL",
    )
    .bind(crate::auth::session::hash_token(token))
    .bind(super::now_ms())
    .fetch_optional(db.pool())
    .await
    .context("find reset")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .transpose()
        .map_err(|e: sqlx::Error| anyhow::Error::from(e).context("read reset"))
}

/// Uses a reset token: sets the password, ends every session, marks the token used — atomically.
/// `false` when the token was used meanwhile.
pub async fn complete_reset(
    db: &super::Db,
    reset_id: i64,
    user_id: i64,
    hash: &crate::auth::password::StoredHash,
) -> anyhow::Result<bool> {
    let now = super::now_ms();
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
    super::audit::record_in(
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
