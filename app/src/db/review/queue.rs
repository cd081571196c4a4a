//! The assessor's queue: what waits, in which state, for whom.

use super::*;

/// One row of the queue's query: a first review or a second marking waiting.
#[derive(sqlx::FromRow)]
struct QueueRow {
    id: SubmissionId,
    second: i64,
    competency_slug: String,
    competency_title: String,
    cohort_name: String,
    cohort_id: CohortId,
    attempt: i64,
    since: i64,
    blind_review: i64,
    teacher_name: String,
    claimed_by: Option<UserId>,
    claimer_name: Option<String>,
    claim_expires_at: Option<i64>,
    assigned_to: Option<UserId>,
    assignee_name: Option<String>,
}

/// One assessor a coordinator may assign work to.
#[derive(sqlx::FromRow)]
struct AssessorRow {
    id: UserId,
    name: String,
    cohort_id: CohortId,
}

/// The queue: submissions waiting for a first review in the viewer's assessor cohorts (all
/// cohorts they coordinate, for coordinators), and second markings waiting in their assessor
/// cohorts, oldest first; never the viewer's own work.
pub async fn queue(db: &Db, viewer: Viewer, competency: Option<&str>) -> anyhow::Result<Queue> {
    let now = now_ms();
    let sql = format!(
        "SELECT s.id, 0 AS second, c.slug AS competency_slug, c.title AS competency_title, \
           co.name AS cohort_name, co.id AS cohort_id, s.attempt, s.submitted_at AS since, \
           co.blind_review, u.name AS teacher_name, s.claimed_by, cu.name AS claimer_name, \
           s.claim_expires_at, s.assigned_to, au.name AS assignee_name \
         FROM submissions s JOIN competencies c ON c.id = s.competency_id JOIN cohorts co ON co.id = s.cohort_id \
         JOIN users u ON u.id = s.user_id LEFT JOIN users cu ON cu.id = s.claimed_by \
         LEFT JOIN users au ON au.id = s.assigned_to \
         WHERE s.status = 'submitted' AND s.user_id <> $1 \
           AND (s.cohort_id IN ({ASSESSOR_COHORTS}) OR s.cohort_id IN ({COORDINATOR_COHORTS})) \
         UNION ALL \
         SELECT s.id, 1, c.slug, c.title, co.name, co.id, s.attempt, m.requested_at, \
           co.blind_review, u.name, s.claimed_by, cu.name, s.claim_expires_at, m.second_assessor, au.name \
         FROM moderations m JOIN submissions s ON s.id = m.submission_id \
         JOIN competencies c ON c.id = s.competency_id JOIN cohorts co ON co.id = s.cohort_id \
         JOIN users u ON u.id = s.user_id LEFT JOIN users cu ON cu.id = s.claimed_by \
         LEFT JOIN users au ON au.id = m.second_assessor \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
         WHERE m.resolved_at IS NULL AND s.user_id <> $1 AND f.assessor_id <> $1 \
           AND NOT EXISTS (SELECT 1 FROM reviews r2 WHERE r2.submission_id = s.id AND r2.kind = 'second') \
           AND (s.cohort_id IN ({ASSESSOR_COHORTS}) OR s.cohort_id IN ({COORDINATOR_COHORTS})) \
         ORDER BY since, 1"
    );
    let rows: Vec<QueueRow> = sqlx::query_as(&sql)
        .bind(viewer.user_id)
        .bind(viewer.admin_flag())
        .fetch_all(db.pool())
        .await
        .context("read the review queue")?;
    let mut items = Vec::new();
    let mut competencies: Vec<(String, String)> = Vec::new();
    for r in rows {
        if !competencies.iter().any(|(s, _)| *s == r.competency_slug) {
            competencies.push((r.competency_slug.clone(), r.competency_title.clone()));
        }
        if competency.is_some_and(|c| c != r.competency_slug) {
            continue;
        }
        items.push(QueueItem {
            id: r.id.get(),
            second: r.second != 0,
            competency: r.competency_slug,
            competency_title: r.competency_title,
            cohort: r.cohort_name,
            cohort_id: r.cohort_id.get(),
            attempt: r.attempt,
            waiting_since: r.since,
            teacher: (r.blind_review == 0).then_some(r.teacher_name),
            claim: rules::claim_state(
                viewer.user_id,
                now,
                Claim::from_columns(r.claimed_by, r.claim_expires_at),
                r.claimer_name,
                r.assigned_to,
                r.assignee_name,
            ),
        });
    }
    competencies.sort_by(|a, b| a.1.cmp(&b.1));
    let assessors: Vec<AssessorRow> = sqlx::query_as(&format!(
        "SELECT DISTINCT u.id, u.name, m.cohort_id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.role = 'assessor' AND u.deactivated_at IS NULL AND m.cohort_id IN ({COORDINATOR_COHORTS}) \
         ORDER BY u.name"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .fetch_all(db.pool())
    .await
    .context("read the assessors a coordinator may assign")?;
    Ok(Queue {
        items,
        competencies,
        assessors: assessors
            .into_iter()
            .map(|a| AssessorOption {
                id: a.id.get(),
                name: a.name,
                cohort_id: a.cohort_id.get(),
            })
            .collect(),
        now,
    })
}
