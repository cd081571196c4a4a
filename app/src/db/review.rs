//! The assessor's side: the queue, claims and assignments, the review screen's data, decisions
//! (written with their audit row in one transaction), moderation and extra attempts.
//!
//! Who may see a submission: assessors and coordinators of its cohort (an admin counts as a
//! coordinator everywhere), never its own teacher through these functions. Anything else is
//! answered as not found.

use super::submission::{decision_of, has_attempt_left, open_next_attempt};
use super::{audit, now_ms, Db};
use crate::domain::assessment::{
    agreement, AssessorOption, AtLimit, ClaimState, CompetentRule, DecidedSubmission,
    ModerationItem, ModerationView, Notifications, PairAgreement, Queue, QueueItem, ReviewView,
    RubricLevel, Snapshot, CLAIM_MS,
};
use anyhow::Context as _;
use sqlx::{Any, Row as _, Transaction};
use std::collections::HashMap;

/// Who is looking.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// User id.
    pub user_id: i64,
    /// An institution coordinator (coordinator of every cohort).
    pub is_admin: bool,
}

/// SQL: the cohorts where `$1` holds one of the roles, as a subquery (`$2`: admin flag, which
/// counts as coordinator of every cohort).
const ASSESSOR_COHORTS: &str =
    "SELECT cohort_id FROM memberships WHERE user_id = $1 AND role = 'assessor'";
/// The cohorts the viewer (`$1` user id, `$2` 1 for an administrator) coordinates.
pub(crate) const COORDINATOR_COHORTS: &str =
    "SELECT cohort_id FROM memberships WHERE user_id = $1 AND role = 'coordinator' \
     UNION SELECT id FROM cohorts WHERE $2 = 1";

/// Why a review action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not there, or not the viewer's to see.
    NotFound,
    /// Someone else holds it, or it is assigned to someone else.
    Taken(String),
    /// Already decided (or not waiting for this kind of review).
    NotWaiting,
    /// An input is wrong.
    Invalid {
        /// Field name.
        field: String,
        /// Message.
        message: String,
    },
}

fn claim_state(
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

/// A submission as the review functions need it.
struct Target {
    user_id: i64,
    cohort_id: i64,
    competency_id: i64,
    attempt: i64,
    status: String,
    claimed_by: Option<i64>,
    claim_expires_at: Option<i64>,
    assigned_to: Option<i64>,
    /// Whether the viewer is an assessor of its cohort.
    assessor: bool,
    /// Whether the viewer coordinates its cohort.
    coordinator: bool,
    /// The moderation, if sent for second marking: (id, second assessor, resolved).
    moderation: Option<(i64, Option<i64>, bool)>,
    first_assessor: Option<i64>,
    has_second: bool,
}

impl Target {
    /// Who a coordinator reserved the review (or the second marking) for.
    fn assigned(&self, second: bool) -> Option<i64> {
        if second {
            self.moderation.and_then(|m| m.1)
        } else {
            self.assigned_to
        }
    }

    /// What the viewer is here to do: `Some(false)` a first review, `Some(true)` second marking.
    fn role(&self, viewer: i64) -> Option<bool> {
        if self.user_id == viewer {
            return None;
        }
        if self.status == "submitted" && (self.assessor || self.coordinator) {
            return Some(false);
        }
        match self.moderation {
            Some((_, _, false))
                if self.assessor && !self.has_second && self.first_assessor != Some(viewer) =>
            {
                Some(true)
            }
            _ => None,
        }
    }
}

async fn target<'e, E>(executor: E, viewer: Viewer, id: i64) -> anyhow::Result<Option<Target>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!(
        "SELECT s.user_id, s.cohort_id, s.competency_id, s.attempt, s.status, s.claimed_by, s.claim_expires_at, \
           s.assigned_to, \
           CASE WHEN s.cohort_id IN ({ASSESSOR_COHORTS}) THEN 1 ELSE 0 END, \
           CASE WHEN s.cohort_id IN ({COORDINATOR_COHORTS}) THEN 1 ELSE 0 END, \
           m.id, m.second_assessor, m.resolved_at, \
           (SELECT assessor_id FROM reviews WHERE submission_id = s.id AND kind = 'first'), \
           (SELECT COUNT(*) FROM reviews WHERE submission_id = s.id AND kind = 'second') \
         FROM submissions s LEFT JOIN moderations m ON m.submission_id = s.id WHERE s.id = $3"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(id)
    .fetch_optional(executor)
    .await
    .context("submission")?;
    let Some(r) = row else { return Ok(None) };
    let t = Target {
        user_id: r.try_get(0)?,
        cohort_id: r.try_get(1)?,
        competency_id: r.try_get(2)?,
        attempt: r.try_get(3)?,
        status: r.try_get(4)?,
        claimed_by: r.try_get(5)?,
        claim_expires_at: r.try_get(6)?,
        assigned_to: r.try_get(7)?,
        assessor: r.try_get::<i64, _>(8)? != 0,
        coordinator: r.try_get::<i64, _>(9)? != 0,
        moderation: match r.try_get::<Option<i64>, _>(10)? {
            Some(m) => Some((
                m,
                r.try_get(11)?,
                r.try_get::<Option<i64>, _>(12)?.is_some(),
            )),
            None => None,
        },
        first_assessor: r.try_get(13)?,
        has_second: r.try_get::<i64, _>(14)? > 0,
    };
    // Drafts are the teacher's alone; and nobody reviews their own work.
    if t.status == "draft" || t.user_id == viewer.user_id || !(t.assessor || t.coordinator) {
        return Ok(None);
    }
    Ok(Some(t))
}

/// A submission the viewer is here to review, in a write transaction: the target and whether
/// it is second marking. Refused when it is not the viewer's to see, not waiting for them, or
/// they are not an assessor of its cohort (a coordinator who is not one assigns instead).
async fn reviewer_target(
    tx: &mut Transaction<'static, Any>,
    viewer: Viewer,
    id: i64,
) -> anyhow::Result<Result<(Target, bool), Refused>> {
    let Some(t) = target(&mut **tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    let Some(second) = t.role(viewer.user_id) else {
        return Ok(Err(Refused::NotWaiting));
    };
    if !t.assessor {
        return Ok(Err(Refused::Taken(
            "only an assessor of this cohort can review it".into(),
        )));
    }
    Ok(Ok((t, second)))
}

/// Claims a submission (first review or second marking) for the viewer, for [`CLAIM_MS`].
/// A claim that lapsed may be taken by anyone eligible; one assigned to someone else may not.
pub async fn claim(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<Result<i64, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    super::hold(&mut tx, super::Held::Submission, id).await?;
    let (t, second) = match reviewer_target(&mut tx, viewer, id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    if t.assigned(second).is_some_and(|a| a != viewer.user_id) {
        return Ok(Err(Refused::Taken(
            "a coordinator assigned this to another assessor".into(),
        )));
    }
    let until = now + CLAIM_MS;
    let taken = sqlx::query(
        "UPDATE submissions SET claimed_by = $1, claim_expires_at = $2 WHERE id = $3 \
         AND (claimed_by IS NULL OR claimed_by = $1 OR claim_expires_at <= $4)",
    )
    .bind(viewer.user_id)
    .bind(until)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("claim")?;
    if taken.rows_affected() == 0 {
        return Ok(Err(Refused::Taken(
            "another assessor is reviewing this now".into(),
        )));
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "submission.claim",
        &format!("submission:{id}"),
        &format!("{{\"until\":{until},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(until))
}

/// Lets go of a claim the viewer holds.
pub async fn release(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2",
    )
    .bind(id)
    .bind(viewer.user_id)
    .execute(db.writer())
    .await
    .context("release")?;
    Ok(done.rows_affected() == 1)
}

/// A coordinator assigns a waiting submission (first review, or second marking once sent) to
/// an assessor of its cohort, who is not its teacher (nor, for second marking, its first
/// assessor).
pub async fn assign(
    db: &Db,
    viewer: Viewer,
    id: i64,
    assessor: i64,
) -> anyhow::Result<Result<(), Refused>> {
    let mut tx = db.begin_write().await.context("begin")?;
    super::hold(&mut tx, super::Held::Submission, id).await?;
    let Some(t) = target(&mut *tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    if !t.coordinator {
        return Ok(Err(Refused::NotFound));
    }
    let eligible: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.cohort_id = $1 AND m.user_id = $2 AND m.role = 'assessor' AND u.deactivated_at IS NULL",
    )
    .bind(t.cohort_id)
    .bind(assessor)
    .fetch_one(&mut *tx)
    .await
    .context("assessor membership")?;
    let invalid = |m: &str| {
        Ok(Err(Refused::Invalid {
            field: "assessor".into(),
            message: m.into(),
        }))
    };
    if eligible == 0 {
        return invalid("choose an assessor of this submission's cohort");
    }
    if assessor == t.user_id {
        return invalid("nobody assesses their own work");
    }
    let second = if t.status == "submitted" {
        false
    } else if matches!(t.moderation, Some((_, _, false))) && !t.has_second {
        if t.first_assessor == Some(assessor) {
            return invalid("second marking needs someone other than the first assessor");
        }
        // Nor does the first assessor choose who gives the second opinion on their decision.
        if t.first_assessor == Some(viewer.user_id) {
            return Ok(Err(Refused::NotFound));
        }
        true
    } else {
        return Ok(Err(Refused::NotWaiting));
    };
    if second {
        sqlx::query("UPDATE moderations SET second_assessor = $1 WHERE submission_id = $2")
            .bind(assessor)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("assign second")?;
    } else {
        sqlx::query("UPDATE submissions SET assigned_to = $1 WHERE id = $2")
            .bind(assessor)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("assign")?;
    }
    // The assignee holds it from now on; any other claim ends.
    sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by <> $2",
    )
    .bind(id)
    .bind(assessor)
    .execute(&mut *tx)
    .await
    .context("end other claims")?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "submission.assign",
        &format!("submission:{id}"),
        &format!("{{\"assessor\":{assessor},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(()))
}

/// The review screen's data. Under blind review the teacher's name is left out; a second
/// marker is not shown the first decision.
pub async fn view(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<Option<ReviewView>> {
    let now = now_ms();
    let Some(t) = target(db.pool(), viewer, id).await? else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT co.name, co.blind_review, u.name, s.submitted_at, s.snapshot, f.competent_rule, \
         cu.name, au.name \
         FROM submissions s JOIN cohorts co ON co.id = s.cohort_id JOIN users u ON u.id = s.user_id \
         JOIN frameworks f ON f.id = co.framework_id LEFT JOIN users cu ON cu.id = s.claimed_by \
         LEFT JOIN users au ON au.id = s.assigned_to WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .context("review view")?;
    let blind = row.try_get::<i64, _>(1)? != 0;
    let snapshot: Snapshot =
        serde_json::from_str(&row.try_get::<Option<String>, _>(4)?.unwrap_or_default())
            .context("stored snapshot")?;
    let rule = CompetentRule::parse(&row.try_get::<String, _>(5)?)
        .unwrap_or(CompetentRule::AllPartlyMostEvident);
    let role = t.role(viewer.user_id);
    // Second marking: waiting for the viewer, or already marked by them.
    let second = role == Some(true)
        || (t.has_second && t.moderation.is_some_and(|m| m.1 == Some(viewer.user_id)));
    let claim = claim_state(
        viewer.user_id,
        now,
        t.claimed_by,
        row.try_get(6)?,
        t.claim_expires_at,
        t.assigned(second),
        row.try_get(7)?,
    );
    let can_decide =
        role.is_some() && t.assessor && matches!(claim, ClaimState::Mine { .. } | ClaimState::Open);
    // What was decided in the viewer's role: a second marker sees only their own marking; a
    // first assessor or coordinator sees the decision that stands.
    let decided = if second {
        decision_of(db, id, Some("second"), true).await?
    } else if t.status == "submitted" {
        None
    } else {
        decision_of(db, id, None, true).await?
    };
    Ok(Some(ReviewView {
        id,
        second,
        cohort: row.try_get(0)?,
        attempt: t.attempt,
        submitted_at: row.try_get::<Option<i64>, _>(3)?.unwrap_or_default(),
        teacher: if blind { None } else { Some(row.try_get(2)?) },
        rule: rule.explain().to_owned(),
        snapshot,
        claim,
        can_decide,
        decided,
    }))
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
pub async fn decide(
    db: &Db,
    viewer: Viewer,
    id: i64,
    review: &NewReview,
) -> anyhow::Result<Result<Decided, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    super::hold(&mut tx, super::Held::Submission, id).await?;
    let (t, second) = match reviewer_target(&mut tx, viewer, id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let claim_ok = match (t.claimed_by, t.claim_expires_at) {
        (Some(by), Some(until)) if until > now => by == viewer.user_id,
        _ => t.assigned(second).is_none_or(|a| a == viewer.user_id),
    };
    if !claim_ok {
        return Ok(Err(Refused::Taken(
            "another assessor holds this submission".into(),
        )));
    }
    // An extra attempt granted at this moment is seen by the attempt check below.
    super::hold(&mut tx, super::Held::User, t.user_id).await?;
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
                    message: format!("rate “{}”", ind.text),
                }))
            }
        }
    }
    let rule: String = sqlx::query_scalar(
        "SELECT f.competent_rule FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE c.id = $1",
    )
    .bind(t.competency_id)
    .fetch_one(&mut *tx)
    .await
    .context("rule")?;
    let rule = CompetentRule::parse(&rule).unwrap_or(CompetentRule::AllPartlyMostEvident);
    if review.competent && !rule.met_by(&levels) {
        return Ok(Err(Refused::Invalid {
            field: "review[decision]".into(),
            message: format!(
                "the ratings do not meet the rule for Competent. {}",
                rule.explain()
            ),
        }));
    }
    let decision = if review.competent {
        "competent"
    } else {
        "not_yet"
    };
    let kind = if second { "second" } else { "first" };
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO reviews (submission_id, assessor_id, kind, decision, feedback, improve, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(viewer.user_id)
    .bind(kind)
    .bind(decision)
    .bind(&review.feedback)
    .bind(&review.improve)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let review_id = match inserted {
        Ok(r) => r,
        Err(e)
            if super::is_unique_violation(
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
        .bind(decision)
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
            super::credential::award_in(&mut tx, &issuer, t.user_id, t.competency_id).await?;
        }
        if !review.competent
            && has_attempt_left(&mut tx, t.user_id, t.competency_id, t.cohort_id, t.attempt).await?
        {
            open_next_attempt(&mut tx, id, now).await?;
            next_attempt = true;
        }
    }
    sqlx::query("UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("end claim")?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        if second { "moderation.second_review" } else { "submission.decide" },
        &format!("submission:{id}"),
        &format!(
            "{{\"decision\":\"{decision}\",\"review\":{review_id},\"attempt\":{},\"next_attempt\":{next_attempt}}}",
            t.attempt
        ),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(Decided {
        second,
        next_attempt,
    }))
}

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

async fn insert_moderation(
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
    super::hold(&mut tx, super::Held::Submission, id).await?;
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
            super::credential::award_in(&mut tx, &issuer, user_id, competency_id).await?;
        } else {
            super::credential::revoke_for_competency_in(
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

/// A coordinator allows a teacher of their cohort one more attempt on a competency; when the
/// teacher's latest attempt is a Not yet, the new attempt opens at once from its content.
pub async fn allow_attempt(
    db: &Db,
    viewer: Viewer,
    cohort_id: i64,
    user_id: i64,
    competency: &str,
    reason: &str,
) -> anyhow::Result<Result<(), Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    // A decision on this teacher's latest attempt committing now is seen below.
    super::hold(&mut tx, super::Held::User, user_id).await?;
    let ok: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM memberships WHERE cohort_id = $3 AND user_id = $4 AND role = 'teacher' \
         AND cohort_id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(cohort_id)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await
    .context("teacher of cohort")?;
    if ok == 0 || user_id == viewer.user_id {
        return Ok(Err(Refused::NotFound));
    }
    let competency_id: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM competencies c JOIN cohorts co ON co.framework_id = c.framework_id \
         WHERE co.id = $1 AND c.slug = $2",
    )
    .bind(cohort_id)
    .bind(competency)
    .fetch_optional(&mut *tx)
    .await
    .context("competency")?;
    let Some(competency_id) = competency_id else {
        return Ok(Err(Refused::Invalid {
            field: "competency".into(),
            message: "choose a competency of this cohort's framework".into(),
        }));
    };
    sqlx::query(
        "INSERT INTO attempt_allowances (user_id, competency_id, extra, granted_by, granted_at, reason) \
         VALUES ($1, $2, 1, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(competency_id)
    .bind(viewer.user_id)
    .bind(now)
    .bind(reason)
    .execute(&mut *tx)
    .await
    .context("allowance")?;
    let latest = sqlx::query(
        "SELECT id, status FROM submissions WHERE user_id = $1 AND competency_id = $2 \
         AND cohort_id = $3 ORDER BY attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .bind(cohort_id)
    .fetch_optional(&mut *tx)
    .await
    .context("latest")?;
    let mut opened = false;
    if let Some(l) = latest {
        if l.try_get::<String, _>(1)? == "not_yet" {
            open_next_attempt(&mut tx, l.try_get(0)?, now).await?;
            opened = true;
        }
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "submission.allow_attempt",
        &format!("user:{user_id}"),
        &serde_json::json!({ "competency": competency, "reason": reason, "opened": opened })
            .to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(()))
}

/// What is waiting for someone: reviews they could pick up (or hold), their own decisions not
/// yet seen, and moderations to resolve in cohorts they coordinate.
pub async fn notifications(db: &Db, viewer: Viewer) -> anyhow::Result<Notifications> {
    let now = now_ms();
    let row = sqlx::query(&format!(
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
              AND s.cohort_id IN ({ASSESSOR_COHORTS})), \
           (SELECT COUNT(*) FROM submissions WHERE user_id = $1 AND decided_at IS NOT NULL AND decision_seen_at IS NULL), \
           (SELECT COUNT(*) FROM moderations m JOIN submissions s ON s.id = m.submission_id \
              JOIN reviews f ON f.submission_id = s.id AND f.kind = 'first' \
              JOIN reviews r2 ON r2.submission_id = s.id AND r2.kind = 'second' \
              WHERE m.resolved_at IS NULL AND f.decision <> r2.decision \
              AND s.cohort_id IN ({COORDINATOR_COHORTS}))"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(now)
    .fetch_one(db.pool())
    .await
    .context("notifications")?;
    let count = |i: usize| -> anyhow::Result<u32> {
        Ok(u32::try_from(row.try_get::<i64, _>(i)?).unwrap_or(0))
    };
    Ok(Notifications {
        reviews_waiting: count(0)?,
        decisions_unseen: count(1)?,
        moderations_to_resolve: count(2)?,
    })
}
