//! The counts in the header: what waits for the person.

use super::*;

/// What is waiting for someone: reviews they could pick up (or hold), their own decisions not
/// yet seen, and moderations to resolve in cohorts they coordinate.
#[tracing::instrument(skip(db))]
pub async fn notifications(db: &Db, viewer: Viewer) -> anyhow::Result<Notifications> {
    let now = now_ms();
    let row: CountsRow = sqlx::query_as(&format!(
        "SELECT \
           (SELECT COUNT(*) FROM submissions s WHERE s.status = 'submitted' AND s.user_id <> $1 \
              AND s.cohort_id IN ({ASSESSOR_COHORTS}) \
              AND (s.assigned_to IS NULL OR s.assigned_to = $1) \
              AND (s.claimed_by IS NULL OR s.claimed_by = $1 OR s.claim_expires_at <= $3)) \
         + (SELECT COUNT(*) FROM moderations m JOIN submissions s ON s.id = m.submission_id \
              JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
              WHERE m.resolved_at IS NULL AND s.user_id <> $1 AND f.assessor_id <> $1 \
              AND (m.second_assessor IS NULL OR m.second_assessor = $1) \
              AND NOT EXISTS (SELECT 1 FROM reviews r2 WHERE r2.submission_id = s.id AND r2.kind = 'second') \
              AND s.cohort_id IN ({ASSESSOR_COHORTS})) AS reviews_waiting, \
           (SELECT COUNT(*) FROM submissions WHERE user_id = $1 AND decided_at IS NOT NULL \
              AND decision_seen_at IS NULL) AS decisions_unseen, \
           (SELECT COUNT(*) FROM moderations m JOIN submissions s ON s.id = m.submission_id \
              JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
              JOIN reviews r2 ON r2.submission_id = s.id AND r2.kind = 'second' \
              WHERE m.resolved_at IS NULL AND f.decision <> r2.decision \
              AND s.cohort_id IN ({COORDINATOR_COHORTS})) AS moderations_to_resolve"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .bind(now)
    .fetch_one(db.pool())
    .await
    .context("notifications")?;
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Ok(Notifications {
        reviews_waiting: count(row.reviews_waiting),
        decisions_unseen: count(row.decisions_unseen),
        moderations_to_resolve: count(row.moderations_to_resolve),
    })
}

/// The three counts of [`notifications`].
#[derive(sqlx::FromRow)]
struct CountsRow {
    reviews_waiting: i64,
    decisions_unseen: i64,
    moderations_to_resolve: i64,
}
