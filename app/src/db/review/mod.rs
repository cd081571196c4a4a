//! The assessor's side: the queue, claims and assignments, the review screen's data, decisions
//! (written with their audit row in one transaction), moderation and extra attempts.
//!
//! Who may see a submission: assessors and coordinators of its cohort (an admin counts as a
//! coordinator everywhere), never its own teacher through these functions. Anything else is
//! answered as not found.

use super::submission::{decision_of, has_attempt_left, open_next_attempt};
use super::{audit, now_ms, Db};
use crate::domain::assessment::{
    agreement, AssessorOption, AtLimit, CompetentRule, DecidedSubmission, ModerationItem,
    ModerationView, Notifications, PairAgreement, Queue, QueueItem, ReviewView, RubricLevel,
    Snapshot, SubmissionStatus, CLAIM_MS,
};
use crate::domain::ids::{CohortId, CompetencyId, SubmissionId, UserId};
use crate::domain::review::{self as rules, Claim, Facts, Marking, Moderation, Verdict};
use anyhow::Context as _;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

mod attempts;
mod claim;
mod decide;
pub(crate) mod ledger;
mod moderation;
mod notifications;
mod queue;
mod resolve;
pub use attempts::*;
pub use claim::*;
pub use decide::*;
pub use moderation::*;
pub use notifications::*;
pub use queue::*;
pub use resolve::*;

/// Who is looking.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// User id.
    pub user_id: UserId,
    /// An institution coordinator (coordinator of every cohort).
    pub is_admin: bool,
}

impl Viewer {
    /// The `$2` of [`COORDINATOR_COHORTS`]: 1 for an administrator.
    pub(crate) fn admin_flag(self) -> i64 {
        i64::from(self.is_admin)
    }
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

impl From<rules::Refusal> for Refused {
    fn from(refusal: rules::Refusal) -> Self {
        match refusal {
            rules::Refusal::NotFound => Self::NotFound,
            rules::Refusal::Taken(why) => Self::Taken(why.to_owned()),
            rules::Refusal::NotWaiting => Self::NotWaiting,
            rules::Refusal::Invalid { field, message } => Self::Invalid {
                field: field.to_owned(),
                message: message.to_owned(),
            },
        }
    }
}

/// A submission as the review functions need it: what identifies it, and the facts the
/// rules in [`crate::domain::review`] decide on.
struct Target {
    cohort_id: CohortId,
    competency_id: CompetencyId,
    attempt: i64,
    facts: Facts,
}

/// One row of [`target`]'s query.
#[derive(sqlx::FromRow)]
struct TargetRow {
    user_id: UserId,
    cohort_id: CohortId,
    competency_id: CompetencyId,
    attempt: i64,
    status: SubmissionStatus,
    claimed_by: Option<UserId>,
    claim_expires_at: Option<i64>,
    assigned_to: Option<UserId>,
    viewer_assesses: i64,
    viewer_coordinates: i64,
    moderation_id: Option<i64>,
    second_assessor: Option<UserId>,
    resolved_at: Option<i64>,
    first_assessor: Option<UserId>,
    second_reviews: i64,
}

impl From<TargetRow> for Target {
    fn from(r: TargetRow) -> Self {
        Target {
            cohort_id: r.cohort_id,
            competency_id: r.competency_id,
            attempt: r.attempt,
            facts: Facts {
                teacher: r.user_id,
                status: r.status,
                claim: Claim::from_columns(r.claimed_by, r.claim_expires_at),
                assigned_to: r.assigned_to,
                viewer_assesses: r.viewer_assesses != 0,
                viewer_coordinates: r.viewer_coordinates != 0,
                moderation: r.moderation_id.map(|_| Moderation {
                    second_assessor: r.second_assessor,
                    resolved: r.resolved_at.is_some(),
                }),
                first_assessor: r.first_assessor,
                second_marked: r.second_reviews > 0,
            },
        }
    }
}

/// A submission and the viewer's place in its cohort; `None` when there is no such
/// submission. Whether the viewer may see it is for the rules to say.
async fn target<'e, E>(
    executor: E,
    viewer: Viewer,
    id: SubmissionId,
) -> anyhow::Result<Option<Target>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row: Option<TargetRow> = sqlx::query_as(&format!(
        "SELECT s.user_id, s.cohort_id, s.competency_id, s.attempt, s.status, s.claimed_by, \
           s.claim_expires_at, s.assigned_to, \
           CASE WHEN s.cohort_id IN ({ASSESSOR_COHORTS}) THEN 1 ELSE 0 END AS viewer_assesses, \
           CASE WHEN s.cohort_id IN ({COORDINATOR_COHORTS}) THEN 1 ELSE 0 END AS viewer_coordinates, \
           m.id AS moderation_id, m.second_assessor, m.resolved_at, \
           (SELECT assessor_id FROM reviews WHERE submission_id = s.id AND kind = 'first') AS first_assessor, \
           (SELECT COUNT(*) FROM reviews WHERE submission_id = s.id AND kind = 'second') AS second_reviews \
         FROM submissions s LEFT JOIN moderations m ON m.submission_id = s.id WHERE s.id = $3"
    ))
    .bind(viewer.user_id)
    .bind(viewer.admin_flag())
    .bind(id)
    .fetch_optional(executor)
    .await
    .with_context(|| format!("read submission {id} for review"))?;
    Ok(row.map(Target::from))
}

/// A submission the viewer may review now (claim or decide), read in the write transaction
/// after its row is held: the target, or why not ([`rules::may_review`] and friends).
async fn held_target(
    tx: &mut Transaction<'static, Any>,
    viewer: Viewer,
    id: SubmissionId,
) -> anyhow::Result<Option<Target>> {
    crate::db::hold(tx, crate::db::Held::Submission, id.get()).await?;
    target(&mut **tx, viewer, id).await
}
