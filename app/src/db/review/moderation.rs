//! Moderation: sampling decisions for second marking, picking, the moderation view and resolving.

use super::*;

/// Sends decided submissions of a cohort for second marking: `percent` of those not yet sent,
/// sampled at random (at least one when any is eligible). Answers how many were sent.
#[tracing::instrument(skip(db))]
pub async fn sample(
    db: &Db,
    viewer: Viewer,
    cohort_id: CohortId,
    percent: u32,
) -> anyhow::Result<u32> {
    let now = now_ms();
    let mut tx = db
        .begin_write()
        .await
        .context("begin sampling for moderation")?;
    // Eligibility is in the query: decided, not sent yet, neither the viewer's own work nor
    // their own decision (the same as [`rules::may_pick`] for one submission).
    let eligible: Vec<SubmissionId> = sqlx::query_scalar(
        "SELECT s.id FROM submissions s WHERE s.cohort_id = $1 AND s.status IN ('competent', 'not_yet') \
         AND NOT EXISTS (SELECT 1 FROM moderations m WHERE m.submission_id = s.id) \
         AND s.user_id <> $2 \
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id AND r.assessor_id = $2) \
         ORDER BY s.id",
    )
    .bind(cohort_id)
    .bind(viewer.user_id)
    .fetch_all(&mut *tx)
    .await
    .context("eligible")?;
    if eligible.is_empty() {
        return Ok(0);
    }
    let want = (eligible.len() * percent.min(100) as usize)
        .div_ceil(100)
        .max(1);
    let mut chosen = eligible;
    {
        use rand::seq::SliceRandom as _;
        chosen.shuffle(&mut rand::rng());
    }
    chosen.truncate(want);
    for id in &chosen {
        insert_moderation(&mut tx, viewer, *id, now).await?;
    }
    let chosen_ids: Vec<i64> = chosen.iter().map(|id| id.get()).collect();
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "moderation.sample",
        &format!("cohort:{cohort_id}"),
        &format!("{{\"percent\":{percent},\"submissions\":{chosen_ids:?}}}"),
    )
    .await?;
    tx.commit().await.context("commit the sample")?;
    Ok(u32::try_from(chosen.len()).unwrap_or(u32::MAX))
}

pub(super) async fn insert_moderation(
    tx: &mut Transaction<'static, Any>,
    viewer: Viewer,
    submission_id: SubmissionId,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO moderations (submission_id, requested_by, requested_at) VALUES ($1, $2, $3)",
    )
    .bind(submission_id)
    .bind(viewer.user_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .with_context(|| format!("send submission {submission_id} for second marking"))?;
    Ok(())
}

/// Sends one decided submission for second marking (a coordinator's pick,
/// [`rules::may_pick`]); answers its cohort.
#[tracing::instrument(skip(db))]
pub async fn pick(
    db: &Db,
    viewer: Viewer,
    id: SubmissionId,
) -> anyhow::Result<Result<CohortId, Refused>> {
    let mut tx = db
        .begin_write()
        .await
        .context("begin picking for moderation")?;
    let Some(t) = held_target(&mut tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    if let Err(refusal) = rules::may_pick(&t.facts, viewer.user_id) {
        return Ok(Err(refusal.into()));
    }
    insert_moderation(&mut tx, viewer, id, now_ms()).await?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "moderation.pick",
        &format!("submission:{id}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit the pick")?;
    Ok(Ok(t.cohort_id))
}

/// A decided submission not sent for second marking yet.
#[derive(sqlx::FromRow)]
struct EligibleRow {
    id: SubmissionId,
    competency_title: String,
    attempt: i64,
    teacher_name: String,
    assessor_name: String,
    decision: Verdict,
    decided_at: i64,
}

/// A moderation with both markings (the second once made).
#[derive(sqlx::FromRow)]
struct ModerationRow {
    moderation_id: i64,
    submission_id: SubmissionId,
    competency_title: String,
    attempt: i64,
    first_name: String,
    first_decision: Verdict,
    first_review: i64,
    second_name: Option<String>,
    second_decision: Option<Verdict>,
    second_review: Option<i64>,
    resolution: Option<Marking>,
    note: String,
    first_assessor: UserId,
    second_assessor: Option<UserId>,
}

/// One indicator's two ratings (the second once made).
#[derive(sqlx::FromRow)]
struct PairedRatingRow {
    indicator: String,
    first_level: RubricLevel,
    second_level: Option<RubricLevel>,
}

/// A teacher whose latest attempt on a competency is a Not yet with no attempt left.
#[derive(sqlx::FromRow)]
struct AtLimitRow {
    user_id: UserId,
    name: String,
    competency_slug: String,
    competency_title: String,
    attempt: i64,
}

/// The moderation page of a cohort the viewer coordinates; `None` otherwise.
#[tracing::instrument(skip(db))]
pub async fn moderation(
    db: &Db,
    viewer: Viewer,
    cohort_id: CohortId,
) -> anyhow::Result<Option<ModerationView>> {
    let cohort: Option<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM cohorts WHERE id = $3 AND id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("cohort")?;
    let Some(cohort) = cohort else {
        return Ok(None);
    };
    let eligible: Vec<EligibleRow> = sqlx::query_as(
        "SELECT s.id, c.title AS competency_title, s.attempt, u.name AS teacher_name, \
         a.name AS assessor_name, f.decision, f.created_at AS decided_at FROM submissions s \
         JOIN competencies c ON c.id = s.competency_id JOIN users u ON u.id = s.user_id \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' JOIN users a ON a.id = f.assessor_id \
         WHERE s.cohort_id = $1 AND s.status IN ('competent', 'not_yet') \
         AND NOT EXISTS (SELECT 1 FROM moderations m WHERE m.submission_id = s.id) ORDER BY f.created_at DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("decided submissions eligible for moderation")?;
    let eligible = eligible
        .into_iter()
        .map(|r| DecidedSubmission {
            id: r.id.get(),
            competency_title: r.competency_title,
            attempt: r.attempt,
            teacher: r.teacher_name,
            assessor: r.assessor_name,
            competent: r.decision.is_competent(),
            decided_at: r.decided_at,
        })
        .collect();
    let rows: Vec<ModerationRow> = sqlx::query_as(
        "SELECT m.id AS moderation_id, s.id AS submission_id, c.title AS competency_title, s.attempt, \
         fa.name AS first_name, f.decision AS first_decision, f.id AS first_review, \
         sa.name AS second_name, r2.decision AS second_decision, r2.id AS second_review, \
         m.resolution, m.note, f.assessor_id AS first_assessor, r2.assessor_id AS second_assessor \
         FROM moderations m JOIN submissions s ON s.id = m.submission_id \
         JOIN competencies c ON c.id = s.competency_id \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' JOIN users fa ON fa.id = f.assessor_id \
         LEFT JOIN reviews r2 ON r2.submission_id = s.id AND r2.kind = 'second' \
         LEFT JOIN users sa ON sa.id = r2.assessor_id \
         WHERE s.cohort_id = $1 ORDER BY m.id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("moderations")?;
    let mut items = Vec::new();
    // Per (first assessor, second assessor): names, submissions, decisions agreed, pairs.
    type Pair = (String, String, u32, u32, Vec<(RubricLevel, RubricLevel)>);
    let mut pairs: Vec<((UserId, UserId), Pair)> = Vec::new();
    for r in rows {
        let levels: Vec<PairedRatingRow> = sqlx::query_as(
            "SELECT i.text AS indicator, a.level AS first_level, b.level AS second_level \
             FROM review_ratings a JOIN indicators i ON i.id = a.indicator_id \
             LEFT JOIN review_ratings b ON b.indicator_id = a.indicator_id AND b.review_id = $2 \
             WHERE a.review_id = $1 ORDER BY i.position",
        )
        .bind(r.first_review)
        .bind(r.second_review.unwrap_or(0))
        .fetch_all(db.pool())
        .await
        .context("paired ratings")?;
        let ratings: Vec<(String, RubricLevel, Option<RubricLevel>)> = levels
            .into_iter()
            .map(|l| (l.indicator, l.first_level, l.second_level))
            .collect();
        let first_competent = r.first_decision.is_competent();
        let second_competent = r.second_decision.map(Verdict::is_competent);
        if let (Some(sc), Some(sn), Some(sid)) =
            (second_competent, r.second_name.clone(), r.second_assessor)
        {
            let key = (r.first_assessor, sid);
            let at = match pairs.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    pairs.push((key, (r.first_name.clone(), sn, 0, 0, Vec::new())));
                    pairs.len() - 1
                }
            };
            let p = &mut pairs[at].1;
            p.2 += 1;
            p.3 += u32::from(sc == first_competent);
            p.4.extend(ratings.iter().filter_map(|(_, a, b)| b.map(|b| (*a, b))));
        }
        items.push(ModerationItem {
            id: r.moderation_id,
            submission_id: r.submission_id.get(),
            competency_title: r.competency_title,
            attempt: r.attempt,
            first_assessor: r.first_name,
            first_competent,
            second_assessor: r.second_name,
            second_competent,
            ratings,
            resolution: r.resolution.map(|m| m.as_str().to_owned()),
            note: r.note,
        });
    }
    let at_limit: Vec<AtLimitRow> = sqlx::query_as(
        "SELECT s.user_id, u.name, c.slug AS competency_slug, c.title AS competency_title, s.attempt \
         FROM submissions s \
         JOIN users u ON u.id = s.user_id JOIN competencies c ON c.id = s.competency_id \
         WHERE s.cohort_id = $1 AND s.status = 'not_yet' AND s.attempt = ( \
           SELECT MAX(attempt) FROM submissions t WHERE t.user_id = s.user_id AND t.competency_id = s.competency_id) \
         AND s.attempt >= (SELECT max_attempts FROM cohorts WHERE id = $1) + ( \
           SELECT CAST(COALESCE(SUM(extra), 0) AS BIGINT) FROM attempt_allowances a \
           WHERE a.user_id = s.user_id AND a.competency_id = s.competency_id) \
         ORDER BY u.name, c.title",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("teachers at the attempt limit")?;
    Ok(Some(ModerationView {
        cohort_id: cohort_id.get(),
        cohort,
        eligible,
        items,
        pairs: pairs
            .into_iter()
            .map(|(_, (first, second, n, agreed, levels))| PairAgreement {
                first,
                second,
                submissions: n,
                decisions_agreed: agreed,
                agreement: agreement(&levels),
            })
            .collect(),
        at_limit: at_limit
            .into_iter()
            .map(|r| AtLimit {
                user_id: r.user_id.get(),
                name: r.name,
                competency: r.competency_slug,
                competency_title: r.competency_title,
                attempts: r.attempt,
            })
            .collect(),
    }))
}
