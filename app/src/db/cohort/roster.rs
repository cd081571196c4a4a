//! A cohort's roster with each teacher's progress, for the coordinator's export (issue 17).
//! Counts only: no journal text, no note, no rationale.

use anyhow::Context as _;

/// One teacher of the cohort and where they stand in the cohort's framework. Counts are of
/// the framework's live (not retired) indicators, units and competencies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Deactivated by a coordinator.
    pub active: bool,
    /// When they joined the cohort as a teacher (epoch ms).
    pub joined_at: i64,
    pub baseline_rated: i64,
    pub current_rated: i64,
    pub indicators_total: i64,
    pub units_done: i64,
    pub units_total: i64,
    /// Journal entries not deleted (a count; never their text).
    pub journal_entries: i64,
    /// Competencies with evidence submitted in this cohort (any attempt, any decision).
    pub competencies_submitted: i64,
    /// Competencies judged Competent in this cohort.
    pub competencies_competent: i64,
    pub competencies_total: i64,
    /// Credentials of the framework they hold and that are not revoked (badges; the signed
    /// Learning Statement is not one).
    pub badges: i64,
    /// The latest rating, unit done, journal save or submission change (epoch ms), if any.
    pub last_activity: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    user_id: i64,
    name: String,
    email: String,
    deactivated_at: Option<i64>,
    joined_at: i64,
    baseline_rated: i64,
    current_rated: i64,
    units_done: i64,
    journal_entries: i64,
    competencies_submitted: i64,
    competencies_competent: i64,
    badges: i64,
    last_rating: Option<i64>,
    last_unit: Option<i64>,
    last_journal: Option<i64>,
    last_submission: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Totals {
    indicators: i64,
    units: i64,
    competencies: i64,
}

/// The teachers of `cohort_id` by name, with their progress in the cohort's framework; empty
/// when there is no such cohort. Four statements in all, whatever the cohort's size.
pub async fn roster(db: &crate::db::Db, cohort_id: i64) -> anyhow::Result<Vec<RosterRow>> {
    let Some(framework_id) =
        sqlx::query_scalar::<_, i64>("SELECT framework_id FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(db.pool())
            .await
            .context("the cohort's framework")?
    else {
        return Ok(Vec::new());
    };
    let totals: Totals = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM indicators WHERE framework_id = $1 AND retired_at IS NULL) AS indicators, \
           (SELECT COUNT(*) FROM units WHERE framework_id = $1 AND retired_at IS NULL) AS units, \
           (SELECT COUNT(*) FROM competencies WHERE framework_id = $1 AND retired_at IS NULL) AS competencies",
    )
    .bind(framework_id)
    .fetch_one(db.pool())
    .await
    .context("the framework's totals")?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT u.id AS user_id, u.name, u.email, u.deactivated_at, m.created_at AS joined_at, \
           (SELECT COUNT(*) FROM self_ratings r JOIN indicators i ON i.id = r.indicator_id \
             WHERE r.user_id = u.id AND r.phase = 'baseline' AND i.framework_id = $2 AND i.retired_at IS NULL) AS baseline_rated, \
           (SELECT COUNT(*) FROM self_ratings r JOIN indicators i ON i.id = r.indicator_id \
             WHERE r.user_id = u.id AND r.phase = 'current' AND i.framework_id = $2 AND i.retired_at IS NULL) AS current_rated, \
           (SELECT COUNT(*) FROM unit_progress p JOIN units n ON n.id = p.unit_id \
             WHERE p.user_id = u.id AND n.framework_id = $2 AND n.retired_at IS NULL) AS units_done, \
           (SELECT COUNT(*) FROM journal_entries j WHERE j.user_id = u.id AND j.deleted_at IS NULL) AS journal_entries, \
           (SELECT COUNT(DISTINCT s.competency_id) FROM submissions s \
             WHERE s.user_id = u.id AND s.cohort_id = $1 AND s.status <> 'draft') AS competencies_submitted, \
           (SELECT COUNT(DISTINCT s.competency_id) FROM submissions s \
             WHERE s.user_id = u.id AND s.cohort_id = $1 AND s.status = 'competent') AS competencies_competent, \
           (SELECT COUNT(*) FROM credentials c WHERE c.user_id = u.id AND c.framework_id = $2 \
             AND c.revoked_at IS NULL AND c.achievement <> $3) AS badges, \
           (SELECT MAX(r.updated_at) FROM self_ratings r WHERE r.user_id = u.id) AS last_rating, \
           (SELECT MAX(p.done_at) FROM unit_progress p WHERE p.user_id = u.id) AS last_unit, \
           (SELECT MAX(j.updated_at) FROM journal_entries j WHERE j.user_id = u.id) AS last_journal, \
           (SELECT MAX(s.updated_at) FROM submissions s WHERE s.user_id = u.id AND s.cohort_id = $1) AS last_submission \
         FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.cohort_id = $1 AND m.role = 'teacher' \
         ORDER BY u.name, u.id",
    )
    .bind(cohort_id)
    .bind(framework_id)
    .bind(crate::db::credential::RECORD)
    .fetch_all(db.pool())
    .await
    .context("the cohort's roster")?;
    Ok(rows
        .into_iter()
        .map(|r| RosterRow {
            user_id: r.user_id,
            name: r.name,
            email: r.email,
            active: r.deactivated_at.is_none(),
            joined_at: r.joined_at,
            baseline_rated: r.baseline_rated,
            current_rated: r.current_rated,
            indicators_total: totals.indicators,
            units_done: r.units_done,
            units_total: totals.units,
            journal_entries: r.journal_entries,
            competencies_submitted: r.competencies_submitted,
            competencies_competent: r.competencies_competent,
            competencies_total: totals.competencies,
            badges: r.badges,
            last_activity: [
                r.last_rating,
                r.last_unit,
                r.last_journal,
                r.last_submission,
            ]
            .into_iter()
            .flatten()
            .max(),
        })
        .collect())
}
