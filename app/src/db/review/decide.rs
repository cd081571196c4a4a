//! The review screen's data and decisions (with their audit row, in one transaction).

use super::*;
use crate::domain::assessment::ClaimState;
use crate::domain::changes::{EarlierAttempt, IndicatorChanges};

/// The review screen's row: what [`target`] does not read.
#[derive(sqlx::FromRow)]
struct ScreenRow {
    cohort_name: String,
    blind_review: i64,
    teacher_name: String,
    submitted_at: Option<i64>,
    snapshot: Option<String>,
    competent_rule: CompetentRule,
    claimer_name: Option<String>,
    assignee_name: Option<String>,
}

/// The review screen's data; `None` when it is not the viewer's to see. Under blind review
/// the teacher's name is left out; a second marker is not shown the first decision.
#[tracing::instrument(skip(db))]
pub async fn view(db: &Db, viewer: Viewer, id: SubmissionId) -> anyhow::Result<Option<ReviewView>> {
    let now = now_ms();
    let Some(t) = target(db.pool(), viewer, id).await? else {
        return Ok(None);
    };
    let f = &t.facts;
    if !f.visible_to(viewer.user_id) {
        return Ok(None);
    }
    let row: ScreenRow = sqlx::query_as(
        "SELECT co.name AS cohort_name, co.blind_review, u.name AS teacher_name, s.submitted_at, \
         s.snapshot, f.competent_rule, cu.name AS claimer_name, au.name AS assignee_name \
         FROM submissions s JOIN cohorts co ON co.id = s.cohort_id JOIN users u ON u.id = s.user_id \
         JOIN frameworks f ON f.id = co.framework_id LEFT JOIN users cu ON cu.id = s.claimed_by \
         LEFT JOIN users au ON au.id = s.assigned_to WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .context("review view")?;
    let mut snapshot: Snapshot = serde_json::from_str(row.snapshot.as_deref().unwrap_or_default())
        .context("stored snapshot")?;
    snapshot.render_journal();
    let role = f.waiting_for(viewer.user_id);
    // Second marking: waiting for the viewer, or already marked by them.
    let second = role == Some(Marking::Second)
        || (f.second_marked
            && f.moderation
                .is_some_and(|m| m.second_assessor == Some(viewer.user_id)));
    let marking = if second {
        Marking::Second
    } else {
        Marking::First
    };
    let claim = rules::claim_state(
        viewer.user_id,
        now,
        f.claim,
        row.claimer_name,
        f.assigned(marking),
        // Kept as it was: the first review's assignee even in second marking (see the report
        // of the db-rows branch; a second marking assigned to someone else shows no name).
        row.assignee_name,
    );
    let can_decide = role.is_some()
        && f.viewer_assesses
        && matches!(claim, ClaimState::Mine { .. } | ClaimState::Open);
    // What was decided in the viewer's role: a second marker sees only their own marking; a
    // first assessor or coordinator sees the decision that stands.
    let decided = if second {
        decision_of(db, id, Some(Marking::Second), true).await?
    } else if f.status == SubmissionStatus::Submitted {
        None
    } else {
        decision_of(db, id, None, true).await?
    };
    let (earlier, changes) = earlier_attempts(db, id, t.attempt, &snapshot).await?;
    Ok(Some(ReviewView {
        id: id.get(),
        second,
        cohort: row.cohort_name,
        attempt: t.attempt,
        submitted_at: row.submitted_at.unwrap_or_default(),
        teacher: (row.blind_review == 0).then_some(row.teacher_name),
        rule: row.competent_rule.explain().to_owned(),
        snapshot,
        claim,
        can_decide,
        decided,
        earlier,
        changes,
    }))
}

/// An earlier attempt's row.
#[derive(sqlx::FromRow)]
struct EarlierRow {
    id: SubmissionId,
    attempt: i64,
    snapshot: Option<String>,
}

/// The teacher's attempts at this competency before `attempt` (oldest first, with the decision
/// that stands on each), and what changed from the one just before to `now` (issue 15).
async fn earlier_attempts(
    db: &Db,
    id: SubmissionId,
    attempt: i64,
    now: &Snapshot,
) -> anyhow::Result<(Vec<EarlierAttempt>, Vec<IndicatorChanges>)> {
    if attempt <= 1 {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows: Vec<EarlierRow> = sqlx::query_as(
        "SELECT e.id, e.attempt, e.snapshot FROM submissions s \
         JOIN submissions e ON e.user_id = s.user_id AND e.competency_id = s.competency_id \
         WHERE s.id = $1 AND e.attempt < s.attempt AND e.snapshot IS NOT NULL ORDER BY e.attempt",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .context("earlier attempts")?;
    let mut earlier = Vec::with_capacity(rows.len());
    for row in &rows {
        earlier.push(EarlierAttempt {
            attempt: row.attempt,
            decision: decision_of(db, row.id, None, true).await?,
        });
    }
    let changes = match rows.last().and_then(|r| r.snapshot.as_deref()) {
        Some(previous) => {
            let previous: Snapshot =
                serde_json::from_str(previous).context("an earlier attempt's snapshot")?;
            crate::domain::changes::changes(&previous, now)
        }
        None => Vec::new(),
    };
    Ok((earlier, changes))
}

/// A decision as the assessor entered it, validated against the snapshot's indicators.
#[derive(Debug, Clone)]
pub struct NewReview {
    /// Per indicator slug: level and comment.
    pub ratings: Vec<(String, RubricLevel, String)>,
    /// Competent (true) or Not yet.
    pub competent: bool,
    /// Overall feedback.
    pub feedback: String,
    /// What to improve.
    pub improve: String,
}

/// What a decision led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    /// Whether it was second marking.
    pub second: bool,
    /// For a first Not yet: whether a next attempt was opened.
    pub next_attempt: bool,
}

/// Records a review. A first review decides the submission: status, review, ratings and the
/// audit row commit together, and a Not yet opens the next attempt (from this one's content)
/// when one is left. A second marking is recorded for moderation and changes nothing else.
/// Decisions are final: a second call finds nothing waiting.
#[tracing::instrument(skip(db, review))]
pub async fn decide(
    db: &Db,
    viewer: Viewer,
    id: SubmissionId,
    review: &NewReview,
) -> anyhow::Result<Result<Decided, Refused>> {
    let now = now_ms();
    let mut tx = db
        .begin_write()
        .await
        .context("begin deciding a submission")?;
    let Some(t) = held_target(&mut tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    let marking = match rules::may_decide(&t.facts, viewer.user_id, now) {
        Ok(marking) => marking,
        Err(refusal) => return Ok(Err(refusal.into())),
    };
    let second = marking == Marking::Second;
    let teacher = t.facts.teacher;
    // An extra attempt granted at this moment is seen by the attempt check below.
    crate::db::hold(&mut tx, crate::db::Held::User, teacher.get()).await?;
    // Ratings must cover exactly the indicators the teacher submitted.
    let snapshot: Option<String> =
        sqlx::query_scalar("SELECT snapshot FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .context("snapshot")?;
    let snapshot: Snapshot =
        serde_json::from_str(&snapshot.unwrap_or_default()).context("stored snapshot")?;
    let given: HashMap<&str, (RubricLevel, &str)> = review
        .ratings
        .iter()
        .map(|(s, l, c)| (s.as_str(), (*l, c.as_str())))
        .collect();
    let mut levels = Vec::new();
    for ind in &snapshot.indicators {
        match given.get(ind.slug.as_str()) {
            Some((l, _)) => levels.push(*l),
            None => {
                return Ok(Err(Refused::Invalid {
                    field: format!("review[level][{}]", ind.slug),
                    message: crate::i18n::k::validation::rate_indicator(&ind.text),
                }))
            }
        }
    }
    let rule: CompetentRule = sqlx::query_scalar(
        "SELECT f.competent_rule FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE c.id = $1",
    )
    .bind(t.competency_id)
    .fetch_one(&mut *tx)
    .await
    .context("rule")?;
    if review.competent && !rule.met_by(&levels) {
        return Ok(Err(Refused::Invalid {
            field: "review[decision]".into(),
            message: crate::i18n::k::validation::rule_not_met(rule.explain()),
        }));
    }
    let decision = Verdict::from_competent(review.competent);
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO reviews (submission_id, assessor_id, kind, decision, feedback, improve, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(viewer.user_id)
    .bind(marking)
    .bind(decision)
    .bind(&review.feedback)
    .bind(&review.improve)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let review_id = match inserted {
        Ok(r) => r,
        Err(e)
            if crate::db::is_unique_violation(
                &e,
                "reviews_submission_kind",
                "reviews.submission_id",
            ) =>
        {
            return Ok(Err(Refused::NotWaiting))
        }
        Err(e) => return Err(anyhow::Error::new(e).context("insert review")),
    };
    for ind in &snapshot.indicators {
        let Some((level, comment)) = given.get(ind.slug.as_str()) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO review_ratings (review_id, indicator_id, level, comment) \
             SELECT $1, id, $2, $3 FROM indicators WHERE competency_id = $4 AND slug = $5",
        )
        .bind(review_id)
        .bind(level.value())
        .bind(*comment)
        .bind(t.competency_id)
        .bind(&ind.slug)
        .execute(&mut *tx)
        .await
        .context("rating")?;
    }
    let mut next_attempt = false;
    if second {
        sqlx::query("UPDATE moderations SET second_assessor = $1 WHERE submission_id = $2")
            .bind(viewer.user_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("moderation marker")?;
    } else {
        let changed = sqlx::query(
            "UPDATE submissions SET status = $1, decided_at = $2, updated_at = $2 WHERE id = $3 AND status = 'submitted'",
        )
        .bind(decision.status())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("decide")?;
        if changed.rows_affected() != 1 {
            return Ok(Err(Refused::NotWaiting));
        }
        if review.competent {
            let issuer = db.issuer().context("no credential issuer is configured")?;
            crate::db::credential::award_in(&mut tx, &issuer, teacher, t.competency_id).await?;
        }
        if !review.competent
            && has_attempt_left(&mut tx, teacher, t.competency_id, t.cohort_id, t.attempt).await?
        {
            open_next_attempt(&mut tx, id, now).await?;
            next_attempt = true;
        }
        crate::db::notify::events::decision_in(&mut tx, db, id.get(), review.competent).await?;
    }
    sqlx::query("UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("end claim")?;
    ledger::ended(
        &mut tx,
        id,
        ledger::Holder::Only(viewer.user_id),
        ledger::Outcome::Decided,
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        if second { "moderation.second_review" } else { "submission.decide" },
        &format!("submission:{id}"),
        &format!(
            "{{\"decision\":\"{}\",\"review\":{review_id},\"attempt\":{},\"next_attempt\":{next_attempt}}}",
            decision.as_str(),
            t.attempt
        ),
    )
    .await?;
    tx.commit().await.context("commit the decision")?;
    Ok(Ok(Decided {
        second,
        next_attempt,
    }))
}
