//! Notices caused by an event, queued in the event's own transaction: if the event commits,
//! the message is sent; if it rolls back, there is none.

use super::settings::{of_user_in, settings_url, unsubscribe_url};
use anyhow::Context as _;
use sqlx::{Any, Transaction};

#[derive(sqlx::FromRow)]
struct DecisionRow {
    email: String,
    lang: String,
    name: String,
    competency: String,
    competency_slug: String,
    framework: String,
}

/// Queues "your evidence was assessed" to the teacher of submission `id`, decided
/// `competent` or not. Nothing without a public base URL (no issuer configured).
pub async fn decision_in(
    tx: &mut Transaction<'static, Any>,
    db: &crate::db::Db,
    id: i64,
    competent: bool,
) -> anyhow::Result<()> {
    let Some(base) = db.public_base_url() else {
        return Ok(());
    };
    let Some(r) = sqlx::query_as::<_, DecisionRow>(
        "SELECT u.email, u.lang, u.name, \
         COALESCE((SELECT t.text FROM translations t WHERE t.framework_id = c.framework_id \
         AND t.language = u.lang AND t.kind = 'competency' AND t.slug = c.slug AND t.field = 'title'), c.title) \
         AS competency, c.slug AS competency_slug, f.slug AS framework \
         FROM submissions s JOIN users u ON u.id = s.user_id JOIN competencies c ON c.id = s.competency_id \
         JOIN frameworks f ON f.id = c.framework_id WHERE s.id = $1 AND u.deactivated_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .context("the decided submission's teacher")?
    else {
        return Ok(());
    };
    let link = format!(
        "{base}/frameworks/{}/competencies/{}/evidence",
        r.framework, r.competency_slug
    );
    let lang = crate::domain::lang::Lang::parse(&r.lang).unwrap_or_default();
    let message = crate::i18n::in_lang(lang, || {
        crate::mail::decision(&r.email, &r.name, &r.competency, competent, &link)
    });
    crate::db::mail::enqueue(tx, &message).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AssessorRow {
    id: i64,
    email: String,
    lang: String,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    competency: String,
    cohort: String,
}

/// Queues "a submission waits" for submission `id` to the assessors who may take it: the one
/// it is assigned to, or else every active assessor of its cohort other than its teacher;
/// those who turned reminders off get nothing.
pub async fn review_waiting_in(
    tx: &mut Transaction<'static, Any>,
    db: &crate::db::Db,
    id: i64,
) -> anyhow::Result<usize> {
    let Some(base) = db.public_base_url() else {
        return Ok(0);
    };
    let what: WaitingRow = sqlx::query_as(
        "SELECT c.title AS competency, co.name AS cohort FROM submissions s \
         JOIN competencies c ON c.id = s.competency_id JOIN cohorts co ON co.id = s.cohort_id \
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .context("the waiting submission")?;
    let assessors: Vec<AssessorRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.lang FROM submissions s JOIN memberships m ON m.cohort_id = s.cohort_id \
         JOIN users u ON u.id = m.user_id \
         WHERE s.id = $1 AND m.role = 'assessor' AND u.deactivated_at IS NULL AND u.id <> s.user_id \
         AND (s.assigned_to IS NULL OR s.assigned_to = u.id) ORDER BY u.id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .context("the assessors who may take it")?;
    let mut queued = 0;
    for a in assessors {
        let (token, on) = of_user_in(tx, a.id).await?;
        if !on {
            continue;
        }
        let lang = crate::domain::lang::Lang::parse(&a.lang).unwrap_or_default();
        let mut message = crate::i18n::in_lang(lang, || {
            crate::mail::review_waiting(
                &a.email,
                &what.competency,
                &what.cohort,
                &format!("{base}/assess/{id}"),
                &settings_url(&base, &token),
            )
        });
        message.unsubscribe = Some(unsubscribe_url(&base, &token));
        crate::db::mail::enqueue(tx, &message).await?;
        queued += 1;
    }
    Ok(queued)
}
