//! Messages caused by time, found by a periodic sweep that every instance runs. Each is sent
//! once: the sweep inserts its `reminders_sent` row (kind, person, what it is about) and queues
//! the message in one transaction, and an instance that finds the row already there skips it.
//! Each pass handles at most [`BATCH`] of each kind; the next pass takes the rest.

use super::settings::{of_user_in, settings_url, unsubscribe_url};
use crate::domain::evaluation::business_days;
use crate::domain::time::{utc_date, DAY_MS};
use crate::mail::Message;
use anyhow::Context as _;
use sqlx::{Any, Transaction};

/// Most messages of one kind a pass queues.
pub const BATCH: i64 = 500;

/// When reminders go (from the server's configuration).
#[derive(Clone, Debug)]
pub struct Schedule {
    /// A teacher with no activity for this many days is reminded (0: never).
    pub inactive_days: i64,
    /// A teacher whose baseline is not done this many days after joining is reminded (0: never).
    pub baseline_days: i64,
    /// Coordinators get the weekly digest.
    pub digest: bool,
}

/// What one pass queued, per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub lapsed: usize,
    pub inactive: usize,
    pub baseline: usize,
    pub overdue: usize,
    pub digests: usize,
}

/// One pass at time `now` (epoch ms).
pub async fn sweep(db: &crate::db::Db, schedule: &Schedule, now: i64) -> anyhow::Result<Swept> {
    let Some(base) = db.public_base_url() else {
        return Ok(Swept::default());
    };
    Ok(Swept {
        lapsed: lapsed_claims(db, &base, now).await?,
        inactive: inactive(db, &base, schedule.inactive_days, now).await?,
        baseline: baseline(db, &base, schedule.baseline_days, now).await?,
        overdue: overdue(db, &base, now).await?,
        digests: if schedule.digest {
            super::digest::digests(db, &base, now).await?
        } else {
            0
        },
    })
}

/// In its own transaction: claims `(kind, user, key)` and, if this pass is the first to,
/// queues `make(token)` for a person whose reminders are on. `true` when queued.
pub(super) async fn once(
    db: &crate::db::Db,
    (kind, user, key): (&str, i64, &str),
    now: i64,
    base: &str,
    make: impl FnOnce(&str) -> Message,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin a reminder")?;
    let first = sqlx::query(
        "INSERT INTO reminders_sent (kind, user_id, subject_key, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, user_id, subject_key) DO NOTHING",
    )
    .bind(kind)
    .bind(user)
    .bind(key)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("record a reminder")?
    .rows_affected()
        == 1;
    let queued = first && queue_if_on(&mut tx, user, base, make).await?;
    tx.commit().await.context("commit a reminder")?;
    Ok(queued)
}

/// Queues `make(settings page)` with its `List-Unsubscribe` URL if `user`'s reminders are on.
async fn queue_if_on(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    base: &str,
    make: impl FnOnce(&str) -> Message,
) -> anyhow::Result<bool> {
    let (token, on) = of_user_in(tx, user).await?;
    if !on {
        return Ok(false);
    }
    // In the recipient's language, whoever's request or sweep queues it.
    let lang = crate::db::account::language_in(tx, user).await?;
    let mut message = crate::i18n::in_lang(lang, || make(&settings_url(base, &token)));
    message.unsubscribe = Some(unsubscribe_url(base, &token));
    crate::db::mail::enqueue(tx, &message).await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct LapsedRow {
    id: i64,
    assessor_id: i64,
    email: String,
    submission_id: i64,
    competency: String,
    cohort: String,
}

/// Tells each assessor once that their claim ran out, while the work still waits.
async fn lapsed_claims(db: &crate::db::Db, base: &str, now: i64) -> anyhow::Result<usize> {
    let rows: Vec<LapsedRow> = sqlx::query_as(
        "SELECT k.id, k.assessor_id, u.email, s.id AS submission_id, c.title AS competency, co.name AS cohort \
         FROM claims k JOIN submissions s ON s.id = k.submission_id JOIN users u ON u.id = k.assessor_id \
         JOIN competencies c ON c.id = s.competency_id JOIN cohorts co ON co.id = s.cohort_id \
         WHERE k.lapse_told_at IS NULL AND (k.outcome = 'lapsed' OR (k.ended_at IS NULL AND k.expires_at <= $1)) \
         AND s.status = 'submitted' AND u.deactivated_at IS NULL ORDER BY k.id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await
    .context("lapsed claims")?;
    let mut queued = 0;
    for r in rows {
        let mut tx = db.begin_write().await.context("begin")?;
        let first = sqlx::query(
            "UPDATE claims SET lapse_told_at = $1 WHERE id = $2 AND lapse_told_at IS NULL",
        )
        .bind(now)
        .bind(r.id)
        .execute(&mut *tx)
        .await
        .context("mark a lapse told")?
        .rows_affected()
            == 1;
        let link = format!("{base}/assess/{}", r.submission_id);
        if first
            && queue_if_on(&mut tx, r.assessor_id, base, |off| {
                crate::mail::claim_lapsed(&r.email, &r.competency, &r.cohort, &link, off)
            })
            .await?
        {
            queued += 1;
        }
        tx.commit().await.context("commit")?;
    }
    Ok(queued)
}

/// Teachers of open cohorts, active, not yet Competent in every competency.
const WORKING_TEACHERS: &str = "FROM memberships m JOIN users u ON u.id = m.user_id \
     JOIN cohorts co ON co.id = m.cohort_id \
     WHERE m.role = 'teacher' AND u.deactivated_at IS NULL AND co.archived_at IS NULL \
     AND (SELECT COUNT(DISTINCT s.competency_id) FROM submissions s WHERE s.user_id = m.user_id \
          AND s.cohort_id = m.cohort_id AND s.status = 'competent') \
       < (SELECT COUNT(*) FROM competencies c WHERE c.framework_id = co.framework_id AND c.retired_at IS NULL)";

#[derive(sqlx::FromRow)]
struct QuietRow {
    user_id: i64,
    email: String,
    name: String,
    last: i64,
}

/// Reminds each teacher once per quiet stretch: no activity (joining, a rating, a unit, a
/// journal entry, evidence) for `days` days. The stretch is named by its last active day.
async fn inactive(db: &crate::db::Db, base: &str, days: i64, now: i64) -> anyhow::Result<usize> {
    if days <= 0 {
        return Ok(0);
    }
    let rows: Vec<QuietRow> = sqlx::query_as(&format!(
        "SELECT user_id, email, name, last FROM (SELECT m.user_id, u.email, u.name, \
           (SELECT MAX(x) FROM (SELECT MAX(m2.created_at) AS x FROM memberships m2 WHERE m2.user_id = m.user_id \
              UNION ALL SELECT MAX(updated_at) FROM self_ratings WHERE user_id = m.user_id \
              UNION ALL SELECT MAX(done_at) FROM unit_progress WHERE user_id = m.user_id \
              UNION ALL SELECT MAX(updated_at) FROM journal_entries WHERE user_id = m.user_id \
              UNION ALL SELECT MAX(updated_at) FROM submissions WHERE user_id = m.user_id) a) AS last \
         {WORKING_TEACHERS}) q WHERE last <= $1 ORDER BY user_id LIMIT $2"
    ))
    .bind(now - days * DAY_MS)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await
    .context("quiet teachers")?;
    let mut queued = 0;
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        if !seen.insert(r.user_id) {
            continue;
        }
        let key = utc_date(r.last);
        let quiet = (now - r.last) / DAY_MS;
        let link = format!("{base}/dashboard");
        if once(
            db,
            ("reminder.inactive", r.user_id, &key),
            now,
            base,
            |off| crate::mail::reminder_inactive(&r.email, &r.name, quiet, &link, off),
        )
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

#[derive(sqlx::FromRow)]
struct BaselineRow {
    user_id: i64,
    email: String,
    name: String,
    cohort_id: i64,
    framework: String,
}

/// Reminds each teacher once per cohort whose baseline (a rating of every indicator) is not
/// done `days` days after joining.
async fn baseline(db: &crate::db::Db, base: &str, days: i64, now: i64) -> anyhow::Result<usize> {
    if days <= 0 {
        return Ok(0);
    }
    let rows: Vec<BaselineRow> = sqlx::query_as(&format!(
        "SELECT m.user_id, u.email, u.name, m.cohort_id, \
           (SELECT slug FROM frameworks WHERE id = co.framework_id) AS framework {WORKING_TEACHERS} \
         AND m.created_at <= $1 \
         AND (SELECT COUNT(*) FROM self_ratings r JOIN indicators i ON i.id = r.indicator_id \
              WHERE r.user_id = m.user_id AND r.phase = 'baseline' AND i.framework_id = co.framework_id \
              AND i.retired_at IS NULL) \
           < (SELECT COUNT(*) FROM indicators i WHERE i.framework_id = co.framework_id AND i.retired_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM reminders_sent x WHERE x.kind = 'reminder.baseline' \
              AND x.user_id = m.user_id AND x.subject_key = 'cohort:' || CAST(m.cohort_id AS TEXT)) \
         ORDER BY m.user_id LIMIT $2"
    ))
    .bind(now - days * DAY_MS)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await
    .context("teachers without a baseline")?;
    let mut queued = 0;
    for r in rows {
        let key = format!("cohort:{}", r.cohort_id);
        let link = format!("{base}/frameworks/{}", r.framework);
        if once(
            db,
            ("reminder.baseline", r.user_id, &key),
            now,
            base,
            |off| crate::mail::reminder_baseline(&r.email, &r.name, &link, off),
        )
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

#[derive(sqlx::FromRow)]
struct OverdueRow {
    submission_id: i64,
    submitted_at: i64,
    target: i64,
    cohort_id: i64,
    cohort: String,
    competency: String,
}

#[derive(sqlx::FromRow)]
struct CoordinatorRow {
    id: i64,
    email: String,
}

/// Tells each coordinator of its cohort, once, about a submission waiting beyond the cohort's
/// turnaround target (business days).
async fn overdue(db: &crate::db::Db, base: &str, now: i64) -> anyhow::Result<usize> {
    // More business days than the target needs at least as many calendar days.
    let rows: Vec<OverdueRow> = sqlx::query_as(
        "SELECT s.id AS submission_id, s.submitted_at, co.turnaround_days AS target, co.id AS cohort_id, \
           co.name AS cohort, c.title AS competency FROM submissions s \
         JOIN cohorts co ON co.id = s.cohort_id JOIN competencies c ON c.id = s.competency_id \
         WHERE s.status = 'submitted' AND s.submitted_at IS NOT NULL AND co.archived_at IS NULL \
         AND s.submitted_at <= $1 - co.turnaround_days * $2 ORDER BY s.submitted_at LIMIT $3",
    )
    .bind(now)
    .bind(DAY_MS)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await
    .context("overdue submissions")?;
    let mut queued = 0;
    for r in rows {
        let days = business_days(r.submitted_at, now);
        if days <= r.target {
            continue;
        }
        let coordinators: Vec<CoordinatorRow> = sqlx::query_as(
            "SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.cohort_id = $1 AND m.role = 'coordinator' AND u.deactivated_at IS NULL ORDER BY u.id",
        )
        .bind(r.cohort_id)
        .fetch_all(db.pool())
        .await
        .context("the cohort's coordinators")?;
        let key = format!("submission:{}", r.submission_id);
        let link = format!("{base}/coordinator/cohorts/{}/evaluation", r.cohort_id);
        for c in coordinators {
            if once(db, ("reminder.overdue", c.id, &key), now, base, |off| {
                crate::mail::reminder_overdue(
                    &c.email,
                    &r.competency,
                    &r.cohort,
                    days,
                    r.target,
                    &link,
                    off,
                )
            })
            .await?
            {
                queued += 1;
            }
        }
    }
    Ok(queued)
}
