//! Extra attempts granted by a cohort's coordinator.

use super::*;

/// A teacher's latest attempt in a cohort.
#[derive(sqlx::FromRow)]
struct LatestRow {
    id: SubmissionId,
    status: SubmissionStatus,
}

/// A coordinator allows a teacher of their cohort one more attempt on a competency; when the
/// teacher's latest attempt is a Not yet, the new attempt opens at once from its content
/// ([`rules::may_allow_attempt`]).
#[tracing::instrument(skip(db, reason))]
pub async fn allow_attempt(
    db: &Db,
    viewer: Viewer,
    cohort_id: CohortId,
    user_id: UserId,
    competency: &str,
    reason: &str,
) -> anyhow::Result<Result<(), Refused>> {
    let now = now_ms();
    let mut tx = db
        .begin_write()
        .await
        .context("begin allowing an attempt")?;
    // A decision on this teacher's latest attempt committing now is seen below.
    crate::db::hold(&mut tx, crate::db::Held::User, user_id.get()).await?;
    let ok: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM memberships WHERE cohort_id = $3 AND user_id = $4 AND role = 'teacher' \
         AND cohort_id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .bind(cohort_id)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await
    .context("teacher of cohort")?;
    if let Err(refusal) = rules::may_allow_attempt(ok > 0, user_id, viewer.user_id) {
        return Ok(Err(refusal.into()));
    }
    let competency_id: Option<CompetencyId> = sqlx::query_scalar(
        "SELECT c.id FROM competencies c JOIN cohorts co ON co.framework_id = c.framework_id \
         WHERE co.id = $1 AND c.slug = $2",
    )
    .bind(cohort_id)
    .bind(competency)
    .fetch_optional(&mut *tx)
    .await
    .context("competency")?;
    let Some(competency_id) = competency_id else {
        return Ok(Err(Refused::Invalid {
            field: "competency".into(),
            message: crate::t!(validation.choose_cohort_competency).into(),
        }));
    };
    sqlx::query(
        "INSERT INTO attempt_allowances (user_id, competency_id, extra, granted_by, granted_at, reason) \
         VALUES ($1, $2, 1, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(competency_id)
    .bind(viewer.user_id)
    .bind(now)
    .bind(reason)
    .execute(&mut *tx)
    .await
    .context("allowance")?;
    let latest: Option<LatestRow> = sqlx::query_as(
        "SELECT id, status FROM submissions WHERE user_id = $1 AND competency_id = $2 \
         AND cohort_id = $3 ORDER BY attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .bind(cohort_id)
    .fetch_optional(&mut *tx)
    .await
    .context("latest")?;
    let mut opened = false;
    if let Some(LatestRow {
        id,
        status: SubmissionStatus::NotYet,
    }) = latest
    {
        open_next_attempt(&mut tx, id, now).await?;
        opened = true;
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "submission.allow_attempt",
        &format!("user:{user_id}"),
        &serde_json::json!({ "competency": competency, "reason": reason, "opened": opened })
            .to_string(),
    )
    .await?;
    tx.commit().await.context("commit the extra attempt")?;
    Ok(Ok(()))
}
