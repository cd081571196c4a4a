//! The assessor's queue: what waits, in which state, for whom.

use super::*;

pub(super) fn claim_state(
    viewer: i64,
    now: i64,
    claimed_by: Option<i64>,
    claimer: Option<String>,
    until: Option<i64>,
    assigned_to: Option<i64>,
    assignee: Option<String>,
) -> ClaimState {
    match (claimed_by, until) {
        (Some(by), Some(until)) if until > now => {
            if by == viewer {
                ClaimState::Mine { until }
            } else {
                ClaimState::Other {
                    by: claimer.unwrap_or_default(),
                    until,
                }
            }
        }
        _ => match assigned_to {
            Some(to) if to != viewer => ClaimState::AssignedOther {
                to: assignee.unwrap_or_default(),
            },
            Some(_) => ClaimState::Mine { until: i64::MAX },
            None => ClaimState::Open,
        },
    }
}

/// The queue: submissions waiting for a first review in the viewer's assessor cohorts (all
/// cohorts they coordinate, for coordinators), and second markings waiting in their assessor
/// cohorts, oldest first; never the viewer's own work.
pub async fn queue(db: &Db, viewer: Viewer, competency: Option<&str>) -> anyhow::Result<Queue> {
    let now = now_ms();
    let sql = format!(
        "SELECT s.id, 0 AS second, c.slug, c.title, co.name, co.id, s.attempt, s.submitted_at AS since, \
           co.blind_review, u.name, s.claimed_by, cu.name, s.claim_expires_at, s.assigned_to, au.name \
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
    let rows = sqlx::query(&sql)
        .bind(viewer.user_id)
        .bind(i64::from(viewer.is_admin))
        .fetch_all(db.pool())
        .await
        .context("queue")?;
    let mut items = Vec::new();
    let mut competencies: Vec<(String, String)> = Vec::new();
    for r in &rows {
        let slug: String = r.try_get(2)?;
        let title: String = r.try_get(3)?;
        if !competencies.iter().any(|(s, _)| *s == slug) {
            competencies.push((slug.clone(), title.clone()));
        }
        if competency.is_some_and(|c| c != slug) {
            continue;
        }
        let blind = r.try_get::<i64, _>(8)? != 0;
        items.push(QueueItem {
            id: r.try_get(0)?,
            second: r.try_get::<i64, _>(1)? != 0,
            competency: slug,
            competency_title: title,
            cohort: r.try_get(4)?,
            cohort_id: r.try_get(5)?,
            attempt: r.try_get(6)?,
            waiting_since: r.try_get(7)?,
            teacher: if blind { None } else { Some(r.try_get(9)?) },
            claim: claim_state(
                viewer.user_id,
                now,
                r.try_get(10)?,
                r.try_get(11)?,
                r.try_get(12)?,
                r.try_get(13)?,
                r.try_get(14)?,
            ),
        });
    }
    competencies.sort_by(|a, b| a.1.cmp(&b.1));
    let assessors = sqlx::query(&format!(
        "SELECT DISTINCT u.id, u.name, m.cohort_id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.role = 'assessor' AND u.deactivated_at IS NULL AND m.cohort_id IN ({COORDINATOR_COHORTS}) \
         ORDER BY u.name"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .fetch_all(db.pool())
    .await
    .context("assessors")?
    .iter()
    .map(|r| {
        Ok(AssessorOption {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            cohort_id: r.try_get(2)?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Queue {
        items,
        competencies,
        assessors,
        now,
    })
}
