//! Resolving a moderation: whose decision stands, and what that changes for the teacher.

use super::*;

/// What resolving reads about a moderation.
#[derive(sqlx::FromRow)]
struct ResolveRow {
    submission_id: SubmissionId,
    cohort_id: CohortId,
    viewer_coordinates: i64,
    resolved_at: Option<i64>,
    user_id: UserId,
    competency_id: CompetencyId,
    attempt: i64,
    first_assessor: UserId,
    first_decision: Verdict,
    second_assessor: Option<UserId>,
    second_decision: Option<Verdict>,
}

/// Resolves a moderation whose two markings are in: whose decision stands, with a note
/// ([`rules::may_resolve`]); answers the cohort. When the second stands and differs, the
/// submission's status changes with it (a Not yet that becomes Competent withdraws the
/// untouched next attempt; a Competent that becomes Not yet opens one when the teacher has one
/// left). Audit-logged in the same transaction.
#[tracing::instrument(skip(db, note))]
pub async fn resolve(
    db: &Db,
    viewer: Viewer,
    moderation_id: i64,
    second_stands: bool,
    note: &str,
) -> anyhow::Result<Result<CohortId, Refused>> {
    let now = now_ms();
    let mut tx = db
        .begin_write()
        .await
        .context("begin resolving a moderation")?;
    let row: Option<ResolveRow> = sqlx::query_as(&format!(
        "SELECT m.submission_id, s.cohort_id, \
         CASE WHEN s.cohort_id IN ({COORDINATOR_COHORTS}) THEN 1 ELSE 0 END AS viewer_coordinates, \
         m.resolved_at, s.user_id, s.competency_id, s.attempt, \
         f.assessor_id AS first_assessor, f.decision AS first_decision, \
         r2.assessor_id AS second_assessor, r2.decision AS second_decision \
         FROM moderations m JOIN submissions s ON s.id = m.submission_id \
         JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
         LEFT JOIN reviews r2 ON r2.submission_id = s.id AND r2.kind = 'second' \
         WHERE m.id = $3"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .bind(moderation_id)
    .fetch_optional(&mut *tx)
    .await
    .with_context(|| format!("read moderation {moderation_id}"))?;
    let Some(r) = row else {
        return Ok(Err(Refused::NotFound));
    };
    let facts = rules::ResolveFacts {
        viewer_coordinates: r.viewer_coordinates != 0,
        teacher: r.user_id,
        first: (r.first_assessor, r.first_decision),
        second: r.second_assessor.zip(r.second_decision),
        resolved: r.resolved_at.is_some(),
    };
    let second = match rules::may_resolve(&facts, viewer.user_id) {
        Ok(second) => second,
        Err(refusal) => return Ok(Err(refusal.into())),
    };
    let first = r.first_decision;
    let stands = if second_stands {
        Marking::Second
    } else {
        Marking::First
    };
    let (submission_id, cohort_id) = (r.submission_id, r.cohort_id);
    let (user_id, competency_id, attempt) = (r.user_id, r.competency_id, r.attempt);
    // The check that it is still open is in the write: of two coordinators resolving at
    // once, the second finds nothing to resolve and changes nothing else.
    let resolved = sqlx::query(
        "UPDATE moderations SET resolved_by = $1, resolved_at = $2, resolution = $3, note = $4 \
         WHERE id = $5 AND resolved_at IS NULL",
    )
    .bind(viewer.user_id)
    .bind(now)
    .bind(stands)
    .bind(note)
    .bind(moderation_id)
    .execute(&mut *tx)
    .await
    .context("resolve")?
    .rows_affected();
    if resolved != 1 {
        return Ok(Err(Refused::NotWaiting));
    }
    let change = rules::resolution_changes(first, second, stands);
    if let Some(now_stands) = change {
        sqlx::query("UPDATE submissions SET status = $1, decided_at = $2, decision_seen_at = NULL WHERE id = $3")
            .bind(now_stands.status())
            .bind(now)
            .bind(submission_id)
            .execute(&mut *tx)
            .await
            .context("change decision")?;
        let issuer = db.issuer().context("no credential issuer is configured")?;
        match now_stands {
            Verdict::Competent => {
                crate::db::credential::award_in(&mut tx, &issuer, user_id, competency_id).await?;
                withdraw_untouched_next_attempt(&mut tx, user_id, competency_id, attempt).await?;
            }
            Verdict::NotYet => {
                crate::db::credential::revoke_for_competency_in(
                    &mut tx,
                    &issuer,
                    viewer.user_id,
                    user_id,
                    competency_id,
                    "Moderation changed the decision on a competency this credential required to Not yet.",
                )
                .await?;
                if has_attempt_left(&mut tx, user_id, competency_id, cohort_id, attempt).await? {
                    open_next_attempt(&mut tx, submission_id, now).await?;
                }
            }
        }
        // The teacher hears of the decision that now stands.
        crate::db::notify::events::decision_in(
            &mut tx,
            db,
            submission_id.get(),
            now_stands == Verdict::Competent,
        )
        .await?;
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "moderation.resolve",
        &format!("submission:{submission_id}"),
        &format!(
            "{{\"moderation\":{moderation_id},\"stands\":\"{}\",\"first\":\"{}\",\"second\":\"{}\",\"changed\":{}}}",
            stands.as_str(),
            first.as_str(),
            second.as_str(),
            change.is_some()
        ),
    )
    .await?;
    tx.commit().await.context("commit the resolution")?;
    Ok(Ok(cohort_id))
}

/// The next attempt a Not yet opened is withdrawn when the decision becomes Competent, if it
/// is still an untouched draft.
async fn withdraw_untouched_next_attempt(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    competency_id: CompetencyId,
    attempt: i64,
) -> anyhow::Result<()> {
    let next: Option<SubmissionId> = sqlx::query_scalar(
        "SELECT id FROM submissions WHERE user_id = $1 AND competency_id = $2 AND attempt = $3 \
         AND status = 'draft' AND version = 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .bind(attempt + 1)
    .fetch_optional(&mut **tx)
    .await
    .context("next attempt")?;
    if let Some(next) = next {
        for table in ["submission_rationales", "submission_evidence"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE submission_id = $1"))
                .bind(next)
                .execute(&mut **tx)
                .await
                .context("withdraw next attempt")?;
        }
        sqlx::query("DELETE FROM submissions WHERE id = $1")
            .bind(next)
            .execute(&mut **tx)
            .await
            .context("withdraw next attempt")?;
    }
    Ok(())
}
