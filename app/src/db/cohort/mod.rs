//! Cohorts and memberships.

use super::now_ms;
use crate::domain::account::Role;
use crate::domain::cohort::{
    AssessmentSettings, CohortDetail, CohortSummary, InvitationInfo, InvitationState,
    InvitationView, MemberView,
};
use anyhow::Context as _;

mod invitations;
mod members;
mod resets;
mod roster;
pub use invitations::*;
pub use members::*;
pub use resets::*;
pub use roster::*;

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

/// A cohort as lists show it ([`SUMMARY_SELECT`]).
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    framework: String,
    member_count: i64,
}

impl From<SummaryRow> for CohortSummary {
    fn from(r: SummaryRow) -> Self {
        CohortSummary {
            id: r.id,
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            framework: r.framework,
            member_count: usize::try_from(r.member_count).unwrap_or(0),
        }
    }
}

/// A member's row: one per role held.
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    email: String,
    deactivated_at: Option<i64>,
    role: Role,
}

/// An invitation as the cohort page lists it.
#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    role: Role,
    token: String,
    expires_at: i64,
    uses: i64,
    max_uses: i64,
    revoked_at: Option<i64>,
    email: Option<String>,
}

/// A cohort's assessment settings as stored.
#[derive(sqlx::FromRow)]
struct SettingsRow {
    blind_review: i64,
    max_attempts: i64,
    turnaround_days: i64,
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.name, c.starts_on, c.ends_on, f.short_title AS framework, \
     (SELECT COUNT(DISTINCT m.user_id) FROM memberships m WHERE m.cohort_id = c.id) AS member_count \
     FROM cohorts c JOIN frameworks f ON f.id = c.framework_id";

/// Cohorts a person coordinates (every cohort for an institution coordinator), newest first.
pub async fn list_coordinated(
    db: &super::Db,
    user_id: i64,
    is_admin: bool,
) -> anyhow::Result<Vec<CohortSummary>> {
    let rows: Vec<SummaryRow> = if is_admin {
        sqlx::query_as(&format!(
            "{SUMMARY_SELECT} WHERE c.archived_at IS NULL ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .fetch_all(db.pool())
        .await
    } else {
        sqlx::query_as(&format!(
            "{SUMMARY_SELECT} WHERE c.archived_at IS NULL AND EXISTS (SELECT 1 FROM memberships m \
             WHERE m.cohort_id = c.id AND m.user_id = $1 AND m.role = 'coordinator') \
             ORDER BY c.starts_on DESC, c.id DESC"
        ))
        .bind(user_id)
        .fetch_all(db.pool())
        .await
    }
    .context("list cohorts")?;
    Ok(rows.into_iter().map(CohortSummary::from).collect())
}

/// A cohort with members and invitations; `None` when there is no such cohort.
pub async fn detail(
    db: &super::Db,
    cohort_id: i64,
    base_url: &str,
) -> anyhow::Result<Option<CohortDetail>> {
    let Some(row) = sqlx::query_as::<_, SummaryRow>(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))
        .bind(cohort_id)
        .fetch_optional(db.pool())
        .await
        .context("find cohort")?
    else {
        return Ok(None);
    };
    let summary = CohortSummary::from(row);
    let member_rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id, u.name, u.email, u.deactivated_at, m.role FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.cohort_id = $1 ORDER BY u.name, u.id, m.role",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("list members")?;
    let mut members: Vec<MemberView> = Vec::new();
    for r in member_rows {
        if let Some(last) = members.last_mut().filter(|m| m.user_id == r.id) {
            last.roles.push(r.role);
            continue;
        }
        members.push(MemberView {
            user_id: r.id,
            name: r.name,
            email: r.email,
            active: r.deactivated_at.is_none(),
            roles: vec![r.role],
        });
    }
    let now = super::now_ms();
    let invitations: Vec<InvitationRow> = sqlx::query_as(
        "SELECT id, role, token, expires_at, uses, max_uses, revoked_at, email FROM invitations \
         WHERE cohort_id = $1 ORDER BY id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("list invitations")?;
    let invitations = invitations
        .into_iter()
        .map(|r| InvitationView {
            id: r.id,
            role: r.role,
            link: format!("{base_url}/join/{}", r.token),
            expires: crate::domain::time::utc_minute(r.expires_at),
            uses: r.uses,
            max_uses: r.max_uses,
            state: invitation_state(
                now,
                r.expires_at,
                r.uses,
                r.max_uses,
                r.revoked_at.is_some(),
            ),
            email: r.email,
        })
        .collect();
    let settings: SettingsRow = sqlx::query_as(
        "SELECT blind_review, max_attempts, turnaround_days FROM cohorts WHERE id = $1",
    )
    .bind(cohort_id)
    .fetch_one(db.pool())
    .await
    .context("assessment settings")?;
    Ok(Some(CohortDetail {
        summary,
        members,
        invitations,
        settings: AssessmentSettings {
            blind_review: settings.blind_review != 0,
            max_attempts: settings.max_attempts,
            turnaround_days: settings.turnaround_days,
        },
        viewer_is_admin: false,
    }))
}

/// The cohort's review turnaround target in business days; `None` when there is no such cohort.
pub async fn turnaround_days(db: &super::Db, cohort_id: i64) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT turnaround_days FROM cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_optional(db.pool())
        .await
        .context("turnaround target")
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
        sqlx::query("UPDATE cohorts SET blind_review = $1, max_attempts = $2, turnaround_days = $3 WHERE id = $4")
            .bind(i64::from(settings.blind_review))
            .bind(settings.max_attempts)
            .bind(settings.turnaround_days)
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
            "{{\"blind_review\":{},\"max_attempts\":{},\"turnaround_days\":{}}}",
            settings.blind_review, settings.max_attempts, settings.turnaround_days
        ),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
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
