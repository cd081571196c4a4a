//! Assessors and coordinators: the queue, claims, assignments, the review screen, decisions,
//! moderation, extra attempts; and everyone's notification counts.
//!
//! A submission is visible only to assessors and coordinators of its cohort, never to its own
//! teacher here; anyone else is answered "not found".

use crate::domain::assessment::{ModerationView, Notifications, Queue, ReviewView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access, Principal},
    crate::db::review::{Refused, Viewer},
    crate::domain::account::Role,
    crate::domain::assessment::RubricLevel,
    crate::domain::ids::{CohortId, SubmissionId, UserId},
    crate::error::internal,
};

/// A review as the review screen's form sends it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReviewForm {
    /// Submission id.
    pub submission: i64,
    /// Rubric level (1–3) per indicator slug.
    #[serde(default)]
    pub level: HashMap<String, String>,
    /// Comment per indicator slug.
    #[serde(default)]
    pub comment: HashMap<String, String>,
    /// Overall feedback.
    #[serde(default)]
    pub feedback: String,
    /// What to improve (required for Not yet).
    #[serde(default)]
    pub improve: String,
    /// `competent` or `not_yet`.
    #[serde(default)]
    pub decision: String,
}

/// Longest feedback, in characters.
pub const FEEDBACK_MAX: usize = 4_000;
/// Longest comment per indicator, in characters.
pub const COMMENT_MAX: usize = 2_000;

#[cfg(feature = "ssr")]
fn viewer(who: &Principal) -> Viewer {
    Viewer {
        user_id: UserId::new(who.user_id),
        is_admin: who.is_admin,
    }
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound(crate::t!(validation.that_submission).into())
}

#[cfg(feature = "ssr")]
fn refused(r: Refused) -> AppError {
    match r {
        Refused::NotFound => not_found(),
        Refused::Taken(why) => AppError::invalid("form", why),
        Refused::NotWaiting => AppError::invalid("form", crate::t!(validation.not_waiting_review)),
        Refused::Invalid { field, message } => AppError::Invalid { field, message },
    }
}

/// Assessors and coordinators only (in any cohort); answers the caller.
#[cfg(feature = "ssr")]
fn assessor_or_coordinator() -> Result<Principal, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    if who.has_role_anywhere(Role::Assessor) || who.has_role_anywhere(Role::Coordinator) {
        Ok(who)
    } else {
        crate::components::status::set_http_status(403);
        Err(AppError::Forbidden)
    }
}

/// The queue of the caller's cohorts, optionally for one competency (slug; empty for all).
#[server(endpoint = "review/queue", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_queue(competency: String) -> Result<Queue, AppError> {
    let who = assessor_or_coordinator()?;
    let db = super::db()?;
    let filter = (!competency.is_empty()).then_some(competency.as_str());
    let result = crate::db::review::queue(&db, viewer(&who), filter)
        .await
        .map_err(internal);
    super::localized(&db, result).await
}

/// Claims a submission for review; answers when the claim lapses.
#[server(endpoint = "review/claim", output = crate::api::JsonText)]
pub async fn claim_submission(id: i64) -> Result<i64, AppError> {
    let result = async {
        let who = assessor_or_coordinator()?;
        let db = super::db()?;
        crate::db::review::claim(&db, viewer(&who), SubmissionId::new(id))
            .await
            .map_err(internal)?
            .map_err(refused)
    }
    .await;
    super::form_reply(result, |_| format!("/assess/{id}"))
}

/// Lets go of the caller's claim.
#[server(endpoint = "review/release", output = crate::api::JsonText)]
pub async fn release_submission(id: i64) -> Result<(), AppError> {
    let result = async {
        let who = assessor_or_coordinator()?;
        let db = super::db()?;
        if crate::db::review::release(&db, viewer(&who), SubmissionId::new(id))
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(not_found())
        }
    }
    .await;
    super::form_reply(result, |_| "/assess".to_owned())
}

/// A coordinator assigns a waiting submission to an assessor of its cohort.
#[server(endpoint = "review/assign", output = crate::api::JsonText)]
pub async fn assign_submission(id: i64, assessor: String) -> Result<(), AppError> {
    let result = async {
        let who = assessor_or_coordinator()?;
        let assessor: i64 = assessor
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("assessor", crate::t!(validation.choose_assessor)))?;
        let db = super::db()?;
        crate::db::review::assign(
            &db,
            viewer(&who),
            SubmissionId::new(id),
            UserId::new(assessor),
        )
        .await
        .map_err(internal)?
        .map_err(refused)
    }
    .await;
    super::form_reply(result, |_| "/assess?assigned=1".to_owned())
}

/// A submission on the review screen.
#[server(endpoint = "review/view", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_review(id: i64) -> Result<ReviewView, AppError> {
    let who = assessor_or_coordinator()?;
    let db = super::db()?;
    let result = crate::db::review::view(&db, viewer(&who), SubmissionId::new(id))
        .await
        .map_err(internal)
        .and_then(|v| v.ok_or_else(not_found));
    super::answer(super::localized(&db, result).await)
}

/// Records the caller's review (a decision, or a second marking). Final once made.
#[server(endpoint = "review/decide", output = crate::api::JsonText)]
pub async fn decide(review: ReviewForm) -> Result<(), AppError> {
    let id = review.submission;
    let result = async {
        let who = assessor_or_coordinator()?;
        let mut ratings = Vec::new();
        let mut slugs: Vec<&String> = review.level.keys().collect();
        slugs.sort();
        for slug in slugs {
            let level = review.level[slug]
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(RubricLevel::from_value)
                .ok_or_else(|| {
                    AppError::invalid(
                        format!("review[level][{slug}]"),
                        crate::t!(validation.choose_rubric_level),
                    )
                })?;
            let comment = review
                .comment
                .get(slug)
                .map(|c| c.trim().to_owned())
                .unwrap_or_default();
            if comment.chars().count() > COMMENT_MAX {
                return Err(AppError::invalid(
                    format!("review[comment][{slug}]"),
                    crate::i18n::k::validation::at_most_chars(COMMENT_MAX),
                ));
            }
            ratings.push((slug.clone(), level, comment));
        }
        let competent = match review.decision.as_str() {
            "competent" => true,
            "not_yet" => false,
            _ => {
                return Err(AppError::invalid(
                    "review[decision]",
                    crate::t!(validation.choose_decision),
                ))
            }
        };
        let feedback = review.feedback.trim().to_owned();
        if feedback.is_empty() {
            return Err(AppError::invalid(
                "review[feedback]",
                crate::t!(validation.feedback_required),
            ));
        }
        if feedback.chars().count() > FEEDBACK_MAX {
            return Err(AppError::invalid(
                "review[feedback]",
                crate::i18n::k::validation::at_most_chars(FEEDBACK_MAX),
            ));
        }
        let improve = review.improve.trim().to_owned();
        if !competent && improve.is_empty() {
            return Err(AppError::invalid(
                "review[improve]",
                crate::t!(validation.improve_required),
            ));
        }
        if improve.chars().count() > FEEDBACK_MAX {
            return Err(AppError::invalid(
                "review[improve]",
                crate::i18n::k::validation::at_most_chars(FEEDBACK_MAX),
            ));
        }
        let db = super::db()?;
        let new = crate::db::review::NewReview {
            ratings,
            competent,
            feedback,
            improve,
        };
        crate::db::review::decide(&db, viewer(&who), SubmissionId::new(id), &new)
            .await
            .map_err(internal)?
            .map_err(refused)
            .map(|_| ())
    }
    .await;
    super::form_reply(result, |_| format!("/assess/{id}?decided=1"))
}

/// The moderation page of a cohort (its coordinators).
#[server(endpoint = "moderation", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_moderation(cohort: i64) -> Result<ModerationView, AppError> {
    let who = auth::authorize_cohort(&super::db()?, cohort, &[Role::Coordinator]).await?;
    let db = super::db()?;
    let result = crate::db::review::moderation(&db, viewer(&who), CohortId::new(cohort))
        .await
        .map_err(internal)
        .and_then(|v| {
            v.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_cohort).into()))
        });
    super::answer(super::localized(&db, result).await)
}

/// Sends a random share of a cohort's decided submissions for second marking.
#[server(endpoint = "moderation/sample", output = crate::api::JsonText)]
pub async fn sample_moderation(cohort: i64, percent: String) -> Result<u32, AppError> {
    let result = async {
        let who = auth::authorize_cohort(&super::db()?, cohort, &[Role::Coordinator]).await?;
        let percent: u32 = percent
            .trim()
            .trim_end_matches('%')
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| {
                AppError::invalid(
                    "percent",
                    crate::i18n::k::validation::give_whole_number(100),
                )
            })?;
        let db = super::db()?;
        crate::db::review::sample(&db, viewer(&who), CohortId::new(cohort), percent)
            .await
            .map_err(internal)
    }
    .await;
    super::form_reply(result, |n| {
        format!("/coordinator/cohorts/{cohort}/moderation?sampled={n}")
    })
}

/// Sends one decided submission for second marking.
#[server(endpoint = "moderation/pick", output = crate::api::JsonText)]
pub async fn pick_moderation(id: i64) -> Result<(), AppError> {
    let result = async {
        let who = assessor_or_coordinator()?;
        let db = super::db()?;
        crate::db::review::pick(&db, viewer(&who), SubmissionId::new(id))
            .await
            .map_err(internal)?
            .map_err(refused)
    }
    .await;
    super::form_reply(result, |cohort| {
        format!("/coordinator/cohorts/{cohort}/moderation")
    })
    .map(|_| ())
}

/// Resolves a moderation: whose decision stands (`first` or `second`), with a note.
#[server(endpoint = "moderation/resolve", output = crate::api::JsonText)]
pub async fn resolve_moderation(id: i64, stands: String, note: String) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let second = match stands.as_str() {
            "first" => false,
            "second" => true,
            _ => {
                return Err(AppError::invalid(
                    "stands",
                    crate::t!(validation.choose_standing_decision),
                ))
            }
        };
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::invalid(
                "note",
                crate::t!(validation.note_required),
            ));
        }
        if note.chars().count() > FEEDBACK_MAX {
            return Err(AppError::invalid(
                "note",
                crate::i18n::k::validation::at_most_chars(FEEDBACK_MAX),
            ));
        }
        let db = super::db()?;
        crate::db::review::resolve(&db, viewer(&who), id, second, note)
            .await
            .map_err(internal)?
            .map_err(|r| match r {
                Refused::NotFound => {
                    AppError::NotFound(crate::t!(validation.that_moderation).into())
                }
                other => refused(other),
            })
    }
    .await;
    super::form_reply(result, |cohort| {
        format!("/coordinator/cohorts/{cohort}/moderation")
    })
    .map(|_| ())
}

/// Allows a teacher of a cohort one more attempt on a competency.
#[server(endpoint = "moderation/allow-attempt", output = crate::api::JsonText)]
pub async fn allow_attempt(
    cohort: i64,
    user: i64,
    competency: String,
    reason: String,
) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize_cohort(&super::db()?, cohort, &[Role::Coordinator]).await?;
        let reason = reason.trim();
        if reason.chars().count() > 500 {
            return Err(AppError::invalid(
                "reason",
                crate::i18n::k::validation::at_most_chars(500),
            ));
        }
        let db = super::db()?;
        super::authority_over(&db, &who, cohort, user).await?;
        crate::db::review::allow_attempt(
            &db,
            viewer(&who),
            CohortId::new(cohort),
            UserId::new(user),
            &competency,
            reason,
        )
        .await
        .map_err(internal)?
        .map_err(|r| match r {
            Refused::NotFound => AppError::NotFound(crate::t!(validation.that_teacher).into()),
            other => refused(other),
        })
    }
    .await;
    super::form_reply(result, |_| {
        format!("/coordinator/cohorts/{cohort}/moderation?allowed=1")
    })
}

/// What is waiting for the caller (all zero when signed out).
#[server(endpoint = "notifications", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_notifications() -> Result<Notifications, AppError> {
    let Some(who) = auth::public() else {
        return Ok(Notifications::default());
    };
    let db = super::db()?;
    crate::db::review::notifications(&db, viewer(&who))
        .await
        .map_err(internal)
}
