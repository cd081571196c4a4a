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

mod attempts;
mod claim;
mod decide;
mod moderation;
mod notifications;
mod queue;
pub use attempts::*;
pub use claim::*;
pub use decide::*;
pub use moderation::*;
pub use notifications::*;
pub use queue::*;

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
