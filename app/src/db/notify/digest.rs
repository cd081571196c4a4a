//! The weekly digest for coordinators: once per coordinator per week, the past seven days in
//! each of their open cohorts (figures only).

use super::sweep::{once, BATCH};
use crate::domain::evaluation::business_days;
use crate::domain::time::{utc_date, DAY_MS};
use crate::mail::DigestLine;
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct DigestRow {
    user_id: i64,
    email: String,
    cohort_id: i64,
    cohort: String,
    target: i64,
    joined: i64,
    submitted: i64,
    decided: i64,
}

/// The weekly digest: once per coordinator per week (weeks start on Monday, UTC), the past
/// seven days in each of their open cohorts.
pub(super) async fn digests(db: &crate::db::Db, base: &str, now: i64) -> anyhow::Result<usize> {
    // Monday of this week: 1970-01-01 was a Thursday.
    let today = now.div_euclid(DAY_MS);
    let monday = today - (today + 3).rem_euclid(7);
    let week = format!("week:{}", utc_date(monday * DAY_MS));
    let since = now - 7 * DAY_MS;
    let rows: Vec<DigestRow> = sqlx::query_as(
        "SELECT u.id AS user_id, u.email, co.id AS cohort_id, co.name AS cohort, co.turnaround_days AS target, \
           (SELECT COUNT(*) FROM memberships t WHERE t.cohort_id = co.id AND t.role = 'teacher' AND t.created_at > $1) AS joined, \
           (SELECT COUNT(*) FROM submissions s WHERE s.cohort_id = co.id AND s.submitted_at > $1) AS submitted, \
           (SELECT COUNT(*) FROM submissions s WHERE s.cohort_id = co.id AND s.decided_at > $1) AS decided \
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN cohorts co ON co.id = m.cohort_id \
         WHERE m.role = 'coordinator' AND u.deactivated_at IS NULL AND co.archived_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM reminders_sent x WHERE x.kind = 'digest.weekly' AND x.user_id = u.id \
              AND x.subject_key = $2) \
         ORDER BY u.id, co.name LIMIT $3",
    )
    .bind(since)
    .bind(&week)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await
    .context("digest figures")?;
    // Waiting submissions per cohort, with their business days, for "waiting" and "overdue".
    let waiting: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.cohort_id, s.submitted_at FROM submissions s JOIN cohorts co ON co.id = s.cohort_id \
         WHERE s.status = 'submitted' AND s.submitted_at IS NOT NULL AND co.archived_at IS NULL",
    )
    .fetch_all(db.pool())
    .await
    .context("waiting submissions")?;
    let mut queued = 0;
    let mut i = 0;
    while i < rows.len() {
        let user = rows[i].user_id;
        let email = rows[i].email.clone();
        let mut lines = Vec::new();
        while i < rows.len() && rows[i].user_id == user {
            let r = &rows[i];
            let days: Vec<i64> = waiting
                .iter()
                .filter(|(c, _)| *c == r.cohort_id)
                .map(|(_, at)| business_days(*at, now))
                .collect();
            lines.push(DigestLine {
                cohort: r.cohort.clone(),
                joined: r.joined,
                submitted: r.submitted,
                decided: r.decided,
                waiting: i64::try_from(days.len()).unwrap_or(i64::MAX),
                overdue: i64::try_from(days.iter().filter(|d| **d > r.target).count())
                    .unwrap_or(i64::MAX),
            });
            i += 1;
        }
        let link = format!("{base}/coordinator");
        if once(db, ("digest.weekly", user, &week), now, base, |off| {
            crate::mail::digest(&email, &lines, &link, off)
        })
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}
