//! Moderation: sampling decisions for second marking, picking, the moderation view and resolving.

use super::*;

/// Sends decided submissions of a cohort for second marking: `percent` of those not yet sent,
/// sampled at random (at least one when any is eligible). Answers how many were sent.
pub async fn sample(db: &Db, viewer: Viewer, cohort_id: i64, percent: u32) -> anyhow::Result<u32> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    let eligible: Vec<i64> = sqlx::query_scalar(
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
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "moderation.sample",
        &format!("cohort:{cohort_id}"),
        &format!("{{\"percent\":{percent},\"submissions\":{:?}}}", chosen),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(u32::try_from(chosen.len()).unwrap_or(u32::MAX))
}

pub(super) async fn insert_moderation(
    tx: &mut Transaction<'static, Any>,
    viewer: Viewer,
    submission_id: i64,
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
    .context("moderation")?;
    Ok(())
}

/// Sends one decided submission for second marking (a coordinator's pick).
pub async fn pick(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<Result<i64, Refused>> {
    let mut tx = db.begin_write().await.context("begin")?;
    crate::db::hold(&mut tx, crate::db::Held::Submission, id).await?;
    let Some(t) = target(&mut *tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    if !t.coordinator {
        return Ok(Err(Refused::NotFound));
    }
    if !matches!(t.status.as_str(), "competent" | "not_yet") || t.moderation.is_some() {
        return Ok(Err(Refused::NotWaiting));
    }
    // Not a second opinion on one's own decision.
    if t.first_assessor == Some(viewer.user_id) {
        return Ok(Err(Refused::NotFound));
    }
    insert_moderation(&mut tx, viewer, id, now_ms()).await?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "moderation.pick",
        &format!("submission:{id}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(t.cohort_id))
}

/// The moderation page of a cohort the viewer coordinates; `None` otherwise.
pub async fn moderation(
    db: &Db,
    viewer: Viewer,
    cohort_id: i64,
) -> anyhow::Result<Option<ModerationView>> {
    let cohort: Option<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM cohorts WHERE id = $3 AND id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("cohort")?;
    let Some(cohort) = cohort else {
        return Ok(None);
    };
    let eligible = sqlx::query(
        "SELECT s.id, c.title, s.attempt, u.name, a.name, f.decision, f.created_at FROM submissions s \
         JOIN competencies c ON c.id = s.competency_id JOIN users u ON u.id = s.user_id \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' JOIN users a ON a.id = f.assessor_id \
         WHERE s.cohort_id = $1 AND s.status IN ('competent', 'not_yet') \
         AND NOT EXISTS (SELECT 1 FROM moderations m WHERE m.submission_id = s.id) ORDER BY f.created_at DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("eligible")?
    .iter()
    .map(|r| {
        Ok(DecidedSubmission {
            id: r.try_get(0)?,
            competency_title: r.try_get(1)?,
            attempt: r.try_get(2)?,
            teacher: r.try_get(3)?,
            assessor: r.try_get(4)?,
            competent: r.try_get::<String, _>(5)? == "competent",
            decided_at: r.try_get(6)?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    let rows = sqlx::query(
        "SELECT m.id, s.id, c.title, s.attempt, fa.name, f.decision, f.id, sa.name, r2.decision, r2.id, \
         m.resolution, m.note, f.assessor_id, r2.assessor_id \
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
    let mut pairs: Vec<((i64, i64), Pair)> = Vec::new();
    for r in &rows {
        let first_review: i64 = r.try_get(6)?;
        let second_review: Option<i64> = r.try_get(9)?;
        let levels = sqlx::query(
            "SELECT i.text, a.level, b.level FROM review_ratings a JOIN indicators i ON i.id = a.indicator_id \
             LEFT JOIN review_ratings b ON b.indicator_id = a.indicator_id AND b.review_id = $2 \
             WHERE a.review_id = $1 ORDER BY i.position",
        )
        .bind(first_review)
        .bind(second_review.unwrap_or(0))
        .fetch_all(db.pool())
        .await
        .context("paired ratings")?;
        let mut ratings = Vec::new();
        for l in &levels {
            let a = RubricLevel::from_value(l.try_get(1)?).unwrap_or(RubricLevel::NotEvident);
            let b = l
                .try_get::<Option<i64>, _>(2)?
                .and_then(RubricLevel::from_value);
            ratings.push((l.try_get::<String, _>(0)?, a, b));
        }
        let first_competent = r.try_get::<String, _>(5)? == "competent";
        let second_competent = r.try_get::<Option<String>, _>(8)?.map(|d| d == "competent");
        let first_name: String = r.try_get(4)?;
        let second_name: Option<String> = r.try_get(7)?;
        if let (Some(sc), Some(sn), Some(sid)) = (
            second_competent,
            second_name.clone(),
            r.try_get::<Option<i64>, _>(13)?,
        ) {
            let key = (r.try_get::<i64, _>(12)?, sid);
            let at = match pairs.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    pairs.push((key, (first_name.clone(), sn, 0, 0, Vec::new())));
                    pairs.len() - 1
                }
            };
            let p = &mut pairs[at].1;
            p.2 += 1;
            p.3 += u32::from(sc == first_competent);
            p.4.extend(ratings.iter().filter_map(|(_, a, b)| b.map(|b| (*a, b))));
        }
        items.push(ModerationItem {
            id: r.try_get(0)?,
            submission_id: r.try_get(1)?,
            competency_title: r.try_get(2)?,
            attempt: r.try_get(3)?,
            first_assessor: first_name,
            first_competent,
            second_assessor: second_name,
            second_competent,
            ratings,
            resolution: r.try_get(10)?,
            note: r.try_get(11)?,
        });
    }
    let at_limit = sqlx::query(
        "SELECT s.user_id, u.name, c.slug, c.title, s.attempt, s.competency_id FROM submissions s \
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
    .context("at limit")?
    .iter()
    .map(|r| {
        Ok(AtLimit {
            user_id: r.try_get(0)?,
            name: r.try_get(1)?,
            competency: r.try_get(2)?,
            competency_title: r.try_get(3)?,
            attempts: r.try_get(4)?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(ModerationView {
        cohort_id,
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
        at_limit,
    }))
}

/// Resolves a moderation whose two markings are in: whose decision stands, with a note. When
/// the second stands and differs, the submission's status changes with it (a Not yet that
/// becomes Competent withdraws the untouched next attempt; a Competent that becomes Not yet
/// opens one when the teacher has one left). Audit-logged in the same transaction.
pub async fn resolve(
    db: &Db,
    viewer: Viewer,
    moderation_id: i64,
    second_stands: bool,
    note: &str,
) -> anyhow::Result<Result<i64, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    let row = sqlx::query(&format!(
        "SELECT m.submission_id, s.cohort_id, m.resolved_at, f.decision, r2.decision, s.user_id, \
         s.competency_id, s.attempt \
         FROM moderations m JOIN submissions s ON s.id = m.submission_id \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
         LEFT JOIN reviews r2 ON r2.submission_id = s.id AND r2.kind = 'second' \
         WHERE m.id = $3 AND s.cohort_id IN ({COORDINATOR_COHORTS}) \
         AND s.user_id <> $1 AND f.assessor_id <> $1 AND COALESCE(r2.assessor_id, 0) <> $1"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(moderation_id)
    .fetch_optional(&mut *tx)
    .await
    .context("moderation")?;
    let Some(r) = row else {
        return Ok(Err(Refused::NotFound));
    };
    let submission_id: i64 = r.try_get(0)?;
    let cohort_id: i64 = r.try_get(1)?;
    let first: String = r.try_get(3)?;
    let Some(second) = r.try_get::<Option<String>, _>(4)? else {
        return Ok(Err(Refused::NotWaiting));
    };
    if r.try_get::<Option<i64>, _>(2)?.is_some() {
        return Ok(Err(Refused::NotWaiting));
    }
    let (user_id, competency_id, attempt): (i64, i64, i64) =
        (r.try_get(5)?, r.try_get(6)?, r.try_get(7)?);
    // The check that it is still open is in the write: of two coordinators resolving at
    // once, the second finds nothing to resolve and changes nothing else.
    let resolved = sqlx::query(
        "UPDATE moderations SET resolved_by = $1, resolved_at = $2, resolution = $3, note = $4 \
         WHERE id = $5 AND resolved_at IS NULL",
    )
    .bind(viewer.user_id)
    .bind(now)
    .bind(if second_stands { "second" } else { "first" })
    .bind(note)
    .bind(moderation_id)
    .execute(&mut *tx)
    .await
    .context("resolve")?
    .rows_affected();
    if resolved != 1 {
        return Ok(Err(Refused::NotWaiting));
    }
    let changed = second_stands && second != first;
    if changed {
        sqlx::query("UPDATE submissions SET status = $1, decided_at = $2, decision_seen_at = NULL WHERE id = $3")
            .bind(&second)
            .bind(now)
            .bind(submission_id)
            .execute(&mut *tx)
            .await
            .context("change decision")?;
        let issuer = db.issuer().context("no credential issuer is configured")?;
        if second == "competent" {
            crate::db::credential::award_in(&mut tx, &issuer, user_id, competency_id).await?;
        } else {
            crate::db::credential::revoke_for_competency_in(
                &mut tx,
                &issuer,
                viewer.user_id,
                user_id,
                competency_id,
                "Moderation changed the decision on a competency this credential required to Not yet.",
            )
            .await?;
        }
        if second == "competent" {
            // The next attempt opened by the Not yet is withdrawn if still an untouched draft.
            let next: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM submissions WHERE user_id = $1 AND competency_id = $2 AND attempt = $3 \
                 AND status = 'draft' AND version = 1",
            )
            .bind(user_id)
            .bind(competency_id)
            .bind(attempt + 1)
            .fetch_optional(&mut *tx)
            .await
            .context("next attempt")?;
            if let Some(next) = next {
                for table in ["submission_rationales", "submission_evidence"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE submission_id = $1"))
                        .bind(next)
                        .execute(&mut *tx)
                        .await
                        .context("withdraw next attempt")?;
                }
                sqlx::query("DELETE FROM submissions WHERE id = $1")
                    .bind(next)
                    .execute(&mut *tx)
                    .await
                    .context("withdraw next attempt")?;
            }
        } else if has_attempt_left(&mut tx, user_id, competency_id, cohort_id, attempt).await? {
            open_next_attempt(&mut tx, submission_id, now).await?;
        }
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "moderation.resolve",
        &format!("submission:{submission_id}"),
        &format!(
            "{{\"moderation\":{moderation_id},\"stands\":\"{}\",\"first\":\"{first}\",\"second\":\"{second}\",\"changed\":{changed}}}",
            if second_stands { "second" } else { "first" }
        ),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(cohort_id))
}
