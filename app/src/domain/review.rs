//! The review workflow's rules: who may see, claim, decide, assign, send for second marking and
//! resolve a submission, and whether a teacher may still edit theirs. Pure functions over the
//! facts `db::review` and `db::submission` gather; the database only runs the SQL.
//!
//! Also the stored vocabularies of reviews (which marking, which verdict, which kind of
//! evidence), each parsed strictly: an unknown stored value is an error, never a default.

use super::assessment::{ClaimState, SubmissionStatus};
use super::ids::UserId;
use serde::{Deserialize, Serialize};

/// Which marking a review is: the decision (first), or moderation's second opinion. Stored in
/// `reviews.kind` and `moderations.resolution` (whose marking stands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Marking {
    /// The first review, which decides the submission.
    First,
    /// Second marking for moderation.
    Second,
}

impl Marking {
    /// Both markings.
    pub const ALL: [Marking; 2] = [Self::First, Self::Second];

    /// Stored form: `first` or `second`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Second => "second",
        }
    }

    /// Parses the stored form; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// An assessor's decision on a submission. Stored in `reviews.decision`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// Competent.
    Competent,
    /// Not yet.
    NotYet,
}

impl Verdict {
    /// Both verdicts.
    pub const ALL: [Verdict; 2] = [Self::Competent, Self::NotYet];

    /// Stored form: `competent` or `not_yet` (the same words as the submission's status).
    pub fn as_str(self) -> &'static str {
        self.status().as_str()
    }

    /// Parses the stored form; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Competent (true) or Not yet.
    pub fn from_competent(competent: bool) -> Self {
        if competent {
            Self::Competent
        } else {
            Self::NotYet
        }
    }

    /// Whether it is Competent.
    pub fn is_competent(self) -> bool {
        self == Self::Competent
    }

    /// The status a submission takes with this decision.
    pub fn status(self) -> SubmissionStatus {
        match self {
            Self::Competent => SubmissionStatus::Competent,
            Self::NotYet => SubmissionStatus::NotYet,
        }
    }
}

/// What a piece of offered evidence is. Stored in `submission_evidence.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvidenceKind {
    /// One of the teacher's journal entries.
    Journal,
    /// One of the teacher's uploads.
    Upload,
    /// The teacher's checklist rating, note and link for the indicator.
    Rating,
    /// A link with a label.
    Link,
}

impl EvidenceKind {
    /// Every kind.
    pub const ALL: [EvidenceKind; 4] = [Self::Journal, Self::Upload, Self::Rating, Self::Link];

    /// Stored form (also the `kind` of a snapshot's evidence item).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::Upload => "upload",
            Self::Rating => "rating",
            Self::Link => "link",
        }
    }

    /// Parses the stored form; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a review action is refused, before any wording for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not there, or not the viewer's to see (answered like a missing row).
    NotFound,
    /// Someone else holds it, it is reserved for someone else, or the viewer may not review.
    Taken(&'static str),
    /// Not waiting for this (already decided, not sent for moderation, resolved…).
    NotWaiting,
    /// An input is wrong.
    Invalid {
        /// The form field.
        field: &'static str,
        /// What to do about it.
        message: &'static str,
    },
}

/// A live or lapsed claim on a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Who claimed it.
    pub by: UserId,
    /// When it lapses (epoch ms): from then on anyone eligible may take it.
    pub until: i64,
}

impl Claim {
    /// A claim from its two stored columns; a claim needs both.
    pub fn from_columns(by: Option<UserId>, until: Option<i64>) -> Option<Self> {
        Some(Self {
            by: by?,
            until: until?,
        })
    }

    /// Whether someone other than `viewer` holds it at `now`.
    fn held_by_other(self, viewer: UserId, now: i64) -> bool {
        self.until > now && self.by != viewer
    }
}

/// A submission sent for second marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moderation {
    /// Who a coordinator reserved the second marking for.
    pub second_assessor: Option<UserId>,
    /// Whether a coordinator resolved it.
    pub resolved: bool,
}

/// What the rules need to know about a submission, and the viewer's place in its cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The teacher whose work it is.
    pub teacher: UserId,
    /// Where it stands.
    pub status: SubmissionStatus,
    /// The claim on it, if any (live or lapsed).
    pub claim: Option<Claim>,
    /// Who a coordinator reserved the first review for.
    pub assigned_to: Option<UserId>,
    /// Whether the viewer is an assessor of its cohort.
    pub viewer_assesses: bool,
    /// Whether the viewer coordinates its cohort (an administrator coordinates every cohort).
    pub viewer_coordinates: bool,
    /// Its moderation, once sent for second marking.
    pub moderation: Option<Moderation>,
    /// Who made the first review, once made.
    pub first_assessor: Option<UserId>,
    /// Whether the second marking was made.
    pub second_marked: bool,
}

impl Facts {
    /// Whether review shows it to `viewer` at all: never a draft (the teacher's alone), never
    /// the viewer's own work, and only to assessors and coordinators of its cohort.
    pub fn visible_to(&self, viewer: UserId) -> bool {
        self.status != SubmissionStatus::Draft
            && self.teacher != viewer
            && (self.viewer_assesses || self.viewer_coordinates)
    }

    /// Who a coordinator reserved this marking for.
    pub fn assigned(&self, marking: Marking) -> Option<UserId> {
        match marking {
            Marking::First => self.assigned_to,
            Marking::Second => self.moderation.and_then(|m| m.second_assessor),
        }
    }

    /// Whether it waits for a second marking (sent, not resolved, not yet marked).
    fn waits_for_second(&self) -> bool {
        matches!(
            self.moderation,
            Some(Moderation {
                resolved: false,
                ..
            })
        ) && !self.second_marked
    }

    /// What `viewer` is here to do: the first review of a submitted submission (assessors and
    /// coordinators), or its second marking (assessors other than the first assessor).
    /// `None`: nothing waits for them.
    pub fn waiting_for(&self, viewer: UserId) -> Option<Marking> {
        if self.teacher == viewer {
            return None;
        }
        if self.status == SubmissionStatus::Submitted
            && (self.viewer_assesses || self.viewer_coordinates)
        {
            return Some(Marking::First);
        }
        (self.waits_for_second() && self.viewer_assesses && self.first_assessor != Some(viewer))
            .then_some(Marking::Second)
    }
}

/// Whether `viewer` may review it now (claim or decide), and which marking: it must be visible
/// to them, waiting for them, and they must be an assessor of its cohort (a coordinator who is
/// not one assigns instead).
pub fn may_review(facts: &Facts, viewer: UserId) -> Result<Marking, Refusal> {
    if !facts.visible_to(viewer) {
        return Err(Refusal::NotFound);
    }
    let marking = facts.waiting_for(viewer).ok_or(Refusal::NotWaiting)?;
    if !facts.viewer_assesses {
        return Err(Refusal::Taken(crate::t!(validation.only_assessor_reviews)));
    }
    Ok(marking)
}

/// Whether `viewer` may claim it at `now`: as [`may_review`], and it is not assigned to
/// someone else, and nobody else holds a live claim (a lapsed claim may be taken).
pub fn may_claim(facts: &Facts, viewer: UserId, now: i64) -> Result<Marking, Refusal> {
    let marking = may_review(facts, viewer)?;
    if facts.assigned(marking).is_some_and(|a| a != viewer) {
        return Err(Refusal::Taken(crate::t!(validation.assigned_to_another)));
    }
    if facts.claim.is_some_and(|c| c.held_by_other(viewer, now)) {
        let why = crate::t!(validation.another_assessor_reviewing);
        return Err(Refusal::Taken(why));
    }
    Ok(marking)
}

/// Whether `viewer` may record a decision at `now`: as [`may_review`], and they hold the live
/// claim, or nobody does and it is not assigned to someone else. The former holder of a lapsed
/// claim decides only as anyone else would.
pub fn may_decide(facts: &Facts, viewer: UserId, now: i64) -> Result<Marking, Refusal> {
    let marking = may_review(facts, viewer)?;
    let holds = match facts.claim {
        Some(c) if c.until > now => c.by == viewer,
        _ => facts.assigned(marking).is_none_or(|a| a == viewer),
    };
    if !holds {
        return Err(Refusal::Taken(crate::t!(validation.another_assessor_holds)));
    }
    Ok(marking)
}

/// Whether coordinator `viewer` may reserve it for `assessor` (`assessor_eligible`: an active
/// assessor of its cohort), and which marking: the first review while submitted, else the
/// second marking while that waits. Nobody assesses their own work, the second marker differs
/// from the first assessor, and the first assessor does not choose their own second opinion.
pub fn may_assign(
    facts: &Facts,
    viewer: UserId,
    assessor: UserId,
    assessor_eligible: bool,
) -> Result<Marking, Refusal> {
    if !facts.visible_to(viewer) || !facts.viewer_coordinates {
        return Err(Refusal::NotFound);
    }
    let invalid = |message| {
        Err(Refusal::Invalid {
            field: "assessor",
            message,
        })
    };
    if !assessor_eligible {
        return invalid(crate::t!(validation.choose_cohort_assessor));
    }
    if assessor == facts.teacher {
        return invalid(crate::t!(validation.no_self_assessment));
    }
    if facts.status == SubmissionStatus::Submitted {
        return Ok(Marking::First);
    }
    if !facts.waits_for_second() {
        return Err(Refusal::NotWaiting);
    }
    if facts.first_assessor == Some(assessor) {
        return invalid(crate::t!(validation.second_marker_differs));
    }
    if facts.first_assessor == Some(viewer) {
        return Err(Refusal::NotFound);
    }
    Ok(Marking::Second)
}

/// Whether coordinator `viewer` may send it for second marking: decided, not sent yet, and
/// not a second opinion on their own decision.
pub fn may_pick(facts: &Facts, viewer: UserId) -> Result<(), Refusal> {
    if !facts.visible_to(viewer) || !facts.viewer_coordinates {
        return Err(Refusal::NotFound);
    }
    let decided = matches!(
        facts.status,
        SubmissionStatus::Competent | SubmissionStatus::NotYet
    );
    if !decided || facts.moderation.is_some() {
        return Err(Refusal::NotWaiting);
    }
    if facts.first_assessor == Some(viewer) {
        return Err(Refusal::NotFound);
    }
    Ok(())
}

/// What resolving a moderation needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolveFacts {
    /// Whether the viewer coordinates the submission's cohort.
    pub viewer_coordinates: bool,
    /// The teacher whose work it is.
    pub teacher: UserId,
    /// The first assessor and their verdict.
    pub first: (UserId, Verdict),
    /// The second marker and their verdict, once marked.
    pub second: Option<(UserId, Verdict)>,
    /// Whether it was resolved already.
    pub resolved: bool,
}

/// Whether coordinator `viewer` may resolve the moderation: not about their own work nor
/// their own marking, both markings in, not resolved yet. Answers the second verdict.
pub fn may_resolve(facts: &ResolveFacts, viewer: UserId) -> Result<Verdict, Refusal> {
    let involved = facts.teacher == viewer
        || facts.first.0 == viewer
        || facts.second.is_some_and(|(by, _)| by == viewer);
    if !facts.viewer_coordinates || involved {
        return Err(Refusal::NotFound);
    }
    let Some((_, second)) = facts.second else {
        return Err(Refusal::NotWaiting);
    };
    if facts.resolved {
        return Err(Refusal::NotWaiting);
    }
    Ok(second)
}

/// The submission's new verdict when a resolution changes it: only when the second marking
/// stands and differs from the first.
pub fn resolution_changes(first: Verdict, second: Verdict, stands: Marking) -> Option<Verdict> {
    (stands == Marking::Second && second != first).then_some(second)
}

/// Whether coordinator `viewer` may allow `teacher` another attempt: the teacher is a teacher
/// of a cohort the viewer coordinates (`teaches_in_coordinated_cohort`), and not the viewer.
pub fn may_allow_attempt(
    teaches_in_coordinated_cohort: bool,
    teacher: UserId,
    viewer: UserId,
) -> Result<(), Refusal> {
    if !teaches_in_coordinated_cohort || teacher == viewer {
        return Err(Refusal::NotFound);
    }
    Ok(())
}

/// Whether a teacher may still edit (save or submit) their latest attempt, or why not, in words.
pub fn may_edit(status: SubmissionStatus) -> Result<(), &'static str> {
    match status {
        SubmissionStatus::Draft => Ok(()),
        SubmissionStatus::Submitted => Err(crate::t!(validation.evidence_waiting)),
        SubmissionStatus::Competent => Err(crate::t!(validation.already_competent)),
        SubmissionStatus::NotYet => Err(crate::t!(validation.attempts_used)),
    }
}

/// How the queue and the review screen show who holds a submission to `viewer` at `now`:
/// a live claim first, else an assignment (`claimer` and `assignee` are the names to show).
pub fn claim_state(
    viewer: UserId,
    now: i64,
    claim: Option<Claim>,
    claimer: Option<String>,
    assigned_to: Option<UserId>,
    assignee: Option<String>,
) -> ClaimState {
    match claim {
        Some(c) if c.until > now => {
            if c.by == viewer {
                ClaimState::Mine { until: c.until }
            } else {
                ClaimState::Other {
                    by: claimer.unwrap_or_default(),
                    until: c.until,
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

#[cfg(test)]
mod tests;
