//! Attempts: which one is current, the limit and extra ones, each competency's status.

use super::*;

/// The cohort a teacher's submissions on a framework go to (their latest teacher membership in
/// a cohort of it that is not archived): (id, name, max attempts).
pub(super) async fn teacher_cohort<'e, E>(
    executor: E,
    user_id: i64,
    framework_id: i64,
) -> anyhow::Result<Option<(i64, String, i64)>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "SELECT c.id, c.name, c.max_attempts FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 AND m.role = 'teacher' AND c.framework_id = $2 AND c.archived_at IS NULL \
         ORDER BY m.id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(framework_id)
    .fetch_optional(executor)
    .await
    .context("teacher cohort")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// Extra attempts a coordinator allowed a teacher on a competency.
pub(crate) async fn extra_attempts<'e, E>(
    executor: E,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<i64>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(extra), 0) AS BIGINT) FROM attempt_allowances \
         WHERE user_id = $1 AND competency_id = $2",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_one(executor)
    .await
    .context("extra attempts")
}

/// The latest attempt: (id, attempt, status, version, updated_at).
pub(super) async fn latest(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<Option<(i64, i64, String, i64, i64)>> {
    let row = sqlx::query(
        "SELECT id, attempt, status, version, updated_at FROM submissions \
         WHERE user_id = $1 AND competency_id = $2 ORDER BY attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(&mut **tx)
    .await
    .context("latest attempt")?;
    row.map(|r| {
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        ))
    })
    .transpose()
}

/// Per competency id, the status of a teacher's latest attempt (for the dashboard).
pub async fn statuses(db: &Db, user_id: i64) -> anyhow::Result<HashMap<i64, SubmissionStatus>> {
    let rows = sqlx::query(
        "SELECT competency_id, status FROM submissions s WHERE user_id = $1 AND attempt = ( \
         SELECT MAX(attempt) FROM submissions t WHERE t.user_id = s.user_id AND t.competency_id = s.competency_id)",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("statuses")?;
    let mut out = HashMap::new();
    for r in &rows {
        if let Some(s) = SubmissionStatus::parse(&r.try_get::<String, _>(1)?) {
            out.insert(r.try_get(0)?, s);
        }
    }
    Ok(out)
}

/// Opens the next attempt of a teacher on a competency, starting from the content of the
/// attempt `from` (its rationales and evidence). Runs inside the caller's transaction.
pub(crate) async fn open_next_attempt(
    tx: &mut Transaction<'static, Any>,
    from: i64,
    now: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, version, created_at, updated_at) \
         SELECT user_id, cohort_id, competency_id, attempt + 1, 'draft', 1, $2, $2 FROM submissions WHERE id = $1 \
         RETURNING id",
    )
    .bind(from)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .context("open next attempt")?;
    sqlx::query(
        "INSERT INTO submission_rationales (submission_id, indicator_id, rationale) \
         SELECT $2, indicator_id, rationale FROM submission_rationales WHERE submission_id = $1",
    )
    .bind(from)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("copy rationales")?;
    sqlx::query(
        "INSERT INTO submission_evidence (submission_id, indicator_id, kind, journal_entry_id, upload_id, url, label) \
         SELECT $2, indicator_id, kind, journal_entry_id, upload_id, url, label FROM submission_evidence \
         WHERE submission_id = $1 ORDER BY id",
    )
    .bind(from)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("copy evidence")?;
    Ok(id)
}

/// Whether a teacher has an attempt left on a competency after `used` attempts.
pub(crate) async fn has_attempt_left(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    competency_id: i64,
    cohort_id: i64,
    used: i64,
) -> anyhow::Result<bool> {
    let max: i64 = sqlx::query_scalar("SELECT max_attempts FROM cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_one(&mut **tx)
        .await
        .context("max attempts")?;
    let extra = extra_attempts(&mut **tx, user_id, competency_id).await?;
    Ok(used < max + extra)
}
