//! Coordinators' server functions: cohorts, invitations, members.

use crate::domain::cohort::{CohortDetail, CohortSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::domain::account::Role,
    crate::error::internal,
};

/// The fields of a new cohort.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewCohort {
    /// Name, unique.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends_on: String,
}

/// Cohorts the caller coordinates (all of them for an institution coordinator).
#[server(endpoint = "cohorts", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_cohorts() -> Result<Vec<CohortSummary>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    if !who.has_role_anywhere(Role::Coordinator) {
        return super::answer(Err(AppError::Forbidden));
    }
    let db = super::db()?;
    crate::db::cohort::list_coordinated(&db, who.user_id, who.is_admin)
        .await
        .map_err(internal)
}

/// Creates a cohort on the default framework (institution coordinators only).
#[server(endpoint = "cohorts/create", output = crate::api::JsonText)]
pub async fn create_cohort(cohort: NewCohort) -> Result<i64, AppError> {
    let who = auth::authorize(Access::Admin);
    let result = match who {
        Ok(who) => create_cohort_inner(who, cohort).await,
        Err(e) => Err(e),
    };
    super::form_reply(result, |id| {
        format!("/coordinator/cohorts/{id}?changed=created")
    })
}

#[cfg(feature = "ssr")]
async fn create_cohort_inner(who: auth::Principal, cohort: NewCohort) -> Result<i64, AppError> {
    use crate::domain::cohort::{parse_cohort_name, Day};
    let name = parse_cohort_name(&cohort.name).map_err(|m| AppError::invalid("cohort[name]", m))?;
    let starts =
        Day::parse(&cohort.starts_on).map_err(|m| AppError::invalid("cohort[starts_on]", m))?;
    let ends = Day::parse(&cohort.ends_on).map_err(|m| AppError::invalid("cohort[ends_on]", m))?;
    if ends < starts {
        return Err(AppError::invalid(
            "cohort[ends_on]",
            crate::t!(validation.ends_before_start),
        ));
    }
    let db = super::db()?;
    let mut tx = db.begin_write().await.map_err(|e| internal(e.into()))?;
    let framework: String = sqlx::query_scalar("SELECT slug FROM frameworks WHERE is_default = 1")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| internal(e.into()))?;
    let id = match crate::db::cohort::create(
        &mut tx,
        &name,
        &framework,
        starts.as_str(),
        ends.as_str(),
        who.user_id,
    )
    .await
    {
        Ok(id) => id,
        Err(e) => {
            let taken = e.downcast_ref::<sqlx::Error>().is_some_and(|e| {
                crate::db::is_unique_violation(e, "cohorts_name_key", "cohorts.name")
            });
            return Err(if taken {
                AppError::invalid("cohort[name]", crate::t!(validation.cohort_name_taken))
            } else {
                internal(e)
            });
        }
    };
    crate::db::cohort::add_member(&mut tx, id, who.user_id, Role::Coordinator, None)
        .await
        .map_err(internal)?;
    crate::db::audit::record_in(
        &mut tx,
        Some(who.user_id),
        "cohort.create",
        &format!("cohort:{id}"),
        "{}",
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(|e| internal(e.into()))?;
    Ok(id)
}

/// A cohort with its members and invitations (its coordinators only).
#[server(endpoint = "cohorts/detail", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_cohort(cohort_id: i64) -> Result<CohortDetail, AppError> {
    let result = async {
        auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        let db = super::db()?;
        let base = auth::settings()?.public_base_url;
        let who = auth::current().ok_or(AppError::Unauthorized)?;
        crate::db::cohort::detail(&db, cohort_id, &base)
            .await
            .map_err(internal)?
            .map(|d| CohortDetail {
                viewer_is_admin: who.is_admin,
                ..d
            })
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_cohort).into()))
    }
    .await;
    super::answer(result)
}

/// Changes how a cohort's submissions are assessed (its coordinators only): blind review
/// (`blind_review` present = on, as a ticked checkbox sends it), attempts per competency and
/// the review turnaround target in business days (422 naming the field when out of range).
#[server(endpoint = "cohorts/settings", output = crate::api::JsonText)]
pub async fn update_assessment_settings(
    cohort_id: i64,
    max_attempts: String,
    #[server(default)] turnaround_days: Option<String>,
    #[server(default)] blind_review: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        let max_attempts = crate::domain::cohort::parse_max_attempts(&max_attempts)
            .map_err(|m| AppError::invalid("max_attempts", m))?;
        // Absent (an older form): the cohort keeps its target.
        let db = super::db()?;
        let turnaround_days = match turnaround_days {
            Some(t) => crate::domain::cohort::parse_turnaround_days(&t)
                .map_err(|m| AppError::invalid("turnaround_days", m))?,
            None => crate::db::cohort::turnaround_days(&db, cohort_id)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_cohort).into()))?,
        };
        let settings = crate::domain::cohort::AssessmentSettings {
            blind_review: blind_review.is_some_and(|v| v != "false"),
            max_attempts,
            turnaround_days,
        };
        if crate::db::cohort::update_settings(&db, who.user_id, cohort_id, settings)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound(crate::t!(validation.that_cohort).into()))
        }
    }
    .await;
    super::form_reply(result, |_| {
        format!("/coordinator/cohorts/{cohort_id}?settings=1")
    })
}

/// Creates an invitation link (its cohort's coordinators only). Returns the link.
#[server(endpoint = "invitations/create", output = crate::api::JsonText)]
pub async fn create_invitation(
    cohort_id: i64,
    role: String,
    valid_days: String,
    seats: String,
) -> Result<String, AppError> {
    let result = async {
        let who = auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        let (role, days) = invitation_terms(&who, &role, &valid_days)?;
        use crate::domain::cohort::INVITATION_MAX_SEATS;
        let seats = seats
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (1..=INVITATION_MAX_SEATS).contains(s))
            .ok_or_else(|| {
                AppError::invalid(
                    "seats",
                    crate::i18n::k::validation::whole_number_range(INVITATION_MAX_SEATS),
                )
            })?;
        let db = super::db()?;
        let expires = crate::db::now_ms() + days * 24 * 60 * 60 * 1000;
        let token =
            crate::db::cohort::create_invitation(&db, cohort_id, role, expires, seats, who.user_id)
                .await
                .map_err(internal)?;
        Ok(format!(
            "{}/join/{token}",
            auth::settings()?.public_base_url
        ))
    }
    .await;
    super::form_reply(result, |_| format!("/coordinator/cohorts/{cohort_id}"))
}

/// Invites each address of a pasted list personally by e-mail (its cohort's coordinators only;
/// coordinators only by an institution coordinator): one seat each, valid `valid_days`.
/// Returns how many were invited. 422 naming `addresses` (with the entries that are not
/// addresses; nothing is sent then), `role` or `valid_days`.
#[server(endpoint = "invitations/email", output = crate::api::JsonText)]
pub async fn invite_by_email(
    cohort_id: i64,
    role: String,
    valid_days: String,
    addresses: String,
) -> Result<usize, AppError> {
    let result = async {
        let who = auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        let (role, days) = invitation_terms(&who, &role, &valid_days)?;
        // Bounded before it is read: 200 addresses fit easily.
        if addresses.len() > 20_000 {
            return Err(AppError::invalid(
                "addresses",
                crate::t!(validation.addresses_too_long),
            ));
        }
        let list = crate::domain::cohort::parse_address_list(&addresses)
            .map_err(|m| AppError::invalid("addresses", m))?;
        let db = super::db()?;
        let base = auth::settings()?.public_base_url;
        crate::db::cohort::invite_by_email(
            &db,
            crate::db::cohort::Inviting {
                cohort_id,
                role,
                expires_at: crate::db::now_ms() + days * 24 * 60 * 60 * 1000,
                by: who.user_id,
                base: &base,
            },
            &list,
        )
        .await
        .map_err(internal)?;
        Ok(list.len())
    }
    .await;
    super::form_reply(result, |n| {
        format!("/coordinator/cohorts/{cohort_id}?emailed={n}#invitations")
    })
}

/// The role and days of validity an invitation offers, as `who` may give them: 422 naming
/// `role` for an unknown role or a coordinator's place offered by someone who is not an
/// institution coordinator (a coordinator outranks the people they manage), or `valid_days`
/// outside 1 to [`crate::domain::cohort::INVITATION_MAX_DAYS`].
#[cfg(feature = "ssr")]
fn invitation_terms(
    who: &auth::Principal,
    role: &str,
    valid_days: &str,
) -> Result<(Role, i64), AppError> {
    use crate::domain::cohort::INVITATION_MAX_DAYS;
    let role = Role::parse(role)
        .ok_or_else(|| AppError::invalid("role", crate::t!(validation.choose_role)))?;
    if role == Role::Coordinator && !who.is_admin {
        return Err(AppError::invalid(
            "role",
            crate::t!(validation.only_admin_invites_coordinators),
        ));
    }
    let days = valid_days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=INVITATION_MAX_DAYS).contains(d))
        .ok_or_else(|| {
            AppError::invalid(
                "valid_days",
                crate::i18n::k::validation::whole_days_range(INVITATION_MAX_DAYS),
            )
        })?;
    Ok((role, days))
}

/// Revokes an invitation (its cohort's coordinators only).
#[server(endpoint = "invitations/revoke", output = crate::api::JsonText)]
pub async fn revoke_invitation(invitation_id: i64) -> Result<(), AppError> {
    let result = async {
        let db = super::db()?;
        // The invitation's cohort decides who may revoke it; unknown ids look the same as
        // forbidden ones to anyone who is not a coordinator of that cohort.
        let cohort_id = crate::db::cohort::invitation_cohort(&db, invitation_id)
            .await
            .map_err(internal)?;
        let cohort_id = match cohort_id {
            Some(c) => c,
            None => {
                auth::authorize(Access::SignedIn)?;
                return Err(AppError::NotFound(
                    crate::t!(validation.that_invitation).into(),
                ));
            }
        };
        let who = auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        if !crate::db::cohort::revoke_invitation(&db, cohort_id, invitation_id, who.user_id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::invalid(
                "invitation_id",
                crate::t!(validation.invitation_already_revoked),
            ));
        }
        Ok(cohort_id)
    }
    .await;
    super::form_reply(result, |cohort_id| {
        format!("/coordinator/cohorts/{cohort_id}?changed=invitation-revoked#invitations")
    })
    .map(|_| ())
}

/// Deactivates a member of a cohort: they can no longer sign in; their work is kept.
#[server(endpoint = "members/deactivate", output = crate::api::JsonText)]
pub async fn deactivate_member(cohort_id: i64, user_id: i64) -> Result<(), AppError> {
    let result = async {
        let (who, db) = coordinator_of_member(cohort_id, user_id).await?;
        crate::db::cohort::deactivate(&db, cohort_id, user_id, who.user_id)
            .await
            .map_err(internal)
    }
    .await;
    super::form_reply(result, |_| {
        format!("/coordinator/cohorts/{cohort_id}?changed=deactivated#members")
    })
}

/// Lets a deactivated member sign in again (institution coordinators only; audited).
#[server(endpoint = "members/reactivate", output = crate::api::JsonText)]
pub async fn reactivate_member(cohort_id: i64, user_id: i64) -> Result<(), AppError> {
    let result = async {
        auth::authorize(Access::Admin)?;
        let (who, db) = coordinator_of_member(cohort_id, user_id).await?;
        if crate::db::cohort::reactivate(&db, user_id, who.user_id)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(AppError::invalid(
                "user_id",
                crate::t!(validation.member_not_deactivated),
            ))
        }
    }
    .await;
    super::form_reply(result, |_| {
        format!("/coordinator/cohorts/{cohort_id}?changed=reactivated#members")
    })
}

/// Issues a one-time password-reset link for a member (valid 24 hours). Returns the link.
#[server(endpoint = "members/reset-link", output = crate::api::JsonText)]
pub async fn issue_reset_link(cohort_id: i64, user_id: i64) -> Result<String, AppError> {
    let result = async {
        let (who, db) = coordinator_of_member(cohort_id, user_id).await?;
        let token = crate::db::cohort::create_reset(&db, user_id, who.user_id, 24 * 60 * 60 * 1000)
            .await
            .map_err(internal)?;
        Ok(format!(
            "{}/reset/{token}",
            auth::settings()?.public_base_url
        ))
    }
    .await;
    let result = super::form_answer(result);
    if let (Ok(link), Some(_)) = (&result, super::plain_form_referer_path()) {
        // Without JavaScript the page learns the link from a flash message the server left
        // (never from the URL, where anyone could put a link of their own).
        let page = format!("/coordinator/cohorts/{cohort_id}");
        let id = crate::flash::new_id();
        super::set_cookie(&crate::flash::set_cookie(
            &id,
            &page,
            "reset_link",
            link,
            super::cookie_secure(),
        ));
        super::redirect_plain_form(&crate::flash::back_to(&page, &id));
    }
    result
}

/// Authorises a coordinator of `cohort_id` and checks their authority over the member
/// `user_id` (see [`super::authority_over`]).
#[cfg(feature = "ssr")]
async fn coordinator_of_member(
    cohort_id: i64,
    user_id: i64,
) -> Result<(auth::Principal, crate::db::Db), AppError> {
    let who = auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
    let db = super::db()?;
    super::authority_over(&db, &who, cohort_id, user_id).await?;
    Ok((who, db))
}
