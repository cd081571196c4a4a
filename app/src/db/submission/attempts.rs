//! Attempts: which one is current, the limit and extra ones, each competency's status.

use super::*;

/// The cohort a teacher's submissions on a framework go to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(super) struct TeacherCohort {
    /// Its id.
    pub(super) id: CohortId,
    /// Its name.
    pub(super) name: String,
    /// Attempts each teacher has per competency (before extra ones).
    pub(super) max_attempts: i64,
}

/// The cohort a teacher's submissions on a framework go to (their latest teacher membership in
/// a cohort of it that is not archived).
pub(super) async fn teacher_cohort<'e, E>(
    executor: E,
    user_id: UserId,
    framework_id: i64,
) -> anyhow::Result<Option<TeacherCohort>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query_as(
        "SELECT c.id, c.name, c.max_attempts FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 AND m.role = 'teacher' AND c.framework_id = $2 AND c.archived_at IS NULL \
         ORDER BY m.id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(framework_id)
    .fetch_optional(executor)
    .await
    .context("teacher cohort")
}

/// Extra attempts a coordinator allowed a teacher on a competency.
pub(crate) async fn extra_attempts<'e, E>(
    executor: E,
    user_id: UserId,
    competency_id: CompetencyId,
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

/// A teacher's latest attempt on a competency.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(super) struct LatestAttempt {
    /// The submission.
    pub(super) id: SubmissionId,
    /// Its number, from 1.
    pub(super) attempt: i64,
    /// Where it stands.
    pub(super) status: SubmissionStatus,
    /// The draft's version (saves are checked against it).
    pub(super) version: i64,
}

/// The latest attempt, if any.
pub(super) async fn latest(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    competency_id: CompetencyId,
) -> anyhow::Result<Option<LatestAttempt>> {
    sqlx::query_as(
        "SELECT id, attempt, status, version FROM submissions \
         WHERE user_id = $1 AND competency_id = $2 ORDER BY attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(&mut **tx)
    .await
    .context("latest attempt")
}

/// A competency's latest status.
#[derive(sqlx::FromRow)]
struct StatusRow {
    competency_id: i64,
    status: SubmissionStatus,
}

/// Per competency id, the status of a teacher's latest attempt (for the dashboard).
pub async fn statuses(db: &Db, user_id: i64) -> anyhow::Result<HashMap<i64, SubmissionStatus>> {
    let rows: Vec<StatusRow> = sqlx::query_as(
        "SELECT competency_id, status FROM submissions s WHERE user_id = $1 AND attempt = ( \
         SELECT MAX(attempt) FROM submissions t WHERE t.user_id = s.user_id AND t.competency_id = s.competency_id)",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("statuses")?;
    Ok(rows
        .into_iter()
        .map(|r| (r.competency_id, r.status))
        .collect())
}

/// Opens the next attempt of a teacher on a competency, starting from the content of the
/// attempt `from` (its rationales and evidence). Runs inside the caller's transaction.
pub(crate) async fn open_next_attempt(
    tx: &mut Transaction<'static, Any>,
    from: SubmissionId,
    now: i64,
) -> anyhow::Result<SubmissionId> {
    let id: SubmissionId = sqlx::query_scalar(
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, version, created_at, updated_at) \
         SELECT user_id, cohort_id, competency_id, attempt + 1, 'draft', 1, $2, $2 FROM submissions WHERE id = $1 \
         RETURNING id",
    )
    .bind(from)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .with_context(|| format!("open the attempt after submission {from}"))?;
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
    user_id: UserId,
    competency_id: CompetencyId,
    cohort_id: CohortId,
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
