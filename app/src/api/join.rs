//! Joining through an invitation link, and using a password-reset link. Both are open to
//! anyone holding the link: the token is the permission.

use crate::domain::cohort::InvitationInfo;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, session, Access},
    crate::domain::account::{Email, PersonName},
    crate::domain::cohort::InvitationState,
    crate::error::internal,
};

/// The details of a sign-up form. No password yet: it is chosen through the link e-mailed to
/// the address, which proves the address is the person's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignUpForm {
    /// The invitation token from the link.
    pub token: String,
    /// Name to show.
    pub name: String,
    /// Sign-in email.
    pub email: String,
}

/// What a sign-up confirmation link is for: shown on the page where the password is chosen.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSignUp {
    /// The name given at sign-up.
    pub name: String,
    /// The address the link was sent to.
    pub email: String,
    /// The cohort the invitation is for.
    pub cohort_name: String,
    /// The role it offers.
    pub role: crate::domain::account::Role,
}

/// What an invitation link offers. Anyone holding the link may ask.
#[server(endpoint = "join/info", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_invitation(token: String) -> Result<InvitationInfo, AppError> {
    let _anyone_with_the_link = auth::public();
    let db = super::db()?;
    let found = crate::db::cohort::invitation_info(&db, token.trim())
        .await
        .map_err(internal)?;
    super::answer(
        found
            .map(|(_, _, info)| info)
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_invitation).into())),
    )
}

#[cfg(feature = "ssr")]
async fn open_invitation(
    db: &crate::db::Db,
    token: &str,
) -> Result<(i64, i64, InvitationInfo), AppError> {
    let (id, cohort_id, info) = crate::db::cohort::invitation_info(db, token.trim())
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_invitation).into()))?;
    if info.state != InvitationState::Open {
        return Err(AppError::invalid("token", info.state.explanation()));
    }
    Ok((id, cohort_id, info))
}

/// Where a new member goes: a teacher to the dashboard, which invites (never forces) them to
/// rate their starting point; others to the home page.
#[cfg(feature = "ssr")]
fn after_joining(role: crate::domain::account::Role) -> String {
    if role == crate::domain::account::Role::Teacher {
        "/dashboard?welcome=1".to_owned()
    } else {
        "/".to_owned()
    }
}

/// Where the sign-up form sends people: a page saying the e-mail is on its way.
pub const CHECK_EMAIL_PATH: &str = "/check-email";

/// Sign-up requests one address may make per throttling window (each sends an e-mail).
#[cfg(feature = "ssr")]
const SIGN_UPS_PER_ADDRESS: i64 = 3;

/// Asks to join through an invitation: e-mails the address a link to choose a password (or,
/// when it already has an account, how to join with it). The answer is the same either way,
/// so the form cannot be used to learn who has an account. Throttled per e-mail address and
/// per client address (each request sends a message). Returns where to go next.
#[server(endpoint = "join/sign-up", output = crate::api::JsonText)]
pub async fn sign_up(form: SignUpForm) -> Result<String, AppError> {
    let _anyone_with_the_link = auth::public();
    super::form_reply(sign_up_inner(form).await, |next| next.clone())
}

#[cfg(feature = "ssr")]
async fn sign_up_inner(form: SignUpForm) -> Result<String, AppError> {
    let db = super::db()?;
    let (invitation_id, _, info) = open_invitation(&db, &form.token).await?;
    let name = PersonName::parse(&form.name).map_err(|m| AppError::invalid("form[name]", m))?;
    let email = Email::parse(&form.email).map_err(|m| AppError::invalid("form[email]", m))?;
    let client = super::client_info();
    let scopes = [
        (format!("sign-up:{}", email.as_str()), SIGN_UPS_PER_ADDRESS),
        (
            format!("sign-up-ip:{}", client.ip),
            auth::throttle::PER_ADDRESS,
        ),
    ];
    if let Err(minutes) = auth::throttle::attempt(&db, &scopes)
        .await
        .map_err(internal)?
    {
        return Err(AppError::TooManyRequests(minutes * 60));
    }
    let base = auth::settings()?.public_base_url;
    let role = article(info.role);
    let existing = crate::db::account::find_by_email(&db, email.as_str())
        .await
        .map_err(internal)?;
    let mut tx = db.begin_write().await.map_err(|e| internal(e.into()))?;
    let message = if existing.is_some() {
        crate::mail::sign_up_existing(
            email.as_str(),
            &info.cohort_name,
            &role,
            &format!("{base}/join/{}", form.token.trim()),
            &format!("{base}/sign-in"),
        )
    } else {
        let code =
            crate::db::sign_up::create(&mut tx, invitation_id, email.as_str(), name.as_str())
                .await
                .map_err(internal)?;
        crate::mail::sign_up_confirm(
            email.as_str(),
            name.as_str(),
            &info.cohort_name,
            &role,
            &format!("{base}/sign-up/{code}"),
            crate::db::sign_up::VALID_MS / 3_600_000,
        )
    };
    crate::db::mail::enqueue(&mut tx, &message)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(|e| internal(e.into()))?;
    Ok(CHECK_EMAIL_PATH.to_owned())
}

/// "a teacher", "an assessor": the role with its article, in lower case (as the language has
/// it: « enseignant » after « en tant que »).
pub fn article(role: crate::domain::account::Role) -> String {
    use crate::domain::account::Role;
    match role {
        Role::Teacher => crate::t!(labels.role_a_teacher),
        Role::Assessor => crate::t!(labels.role_an_assessor),
        Role::Coordinator => crate::t!(labels.role_a_coordinator),
    }
    .to_owned()
}

/// What a sign-up confirmation link is for. Anyone holding the link may ask.
#[server(endpoint = "sign-up/info", input = GetUrl, output = crate::api::JsonText)]
pub async fn sign_up_info(code: String) -> Result<PendingSignUp, AppError> {
    let _anyone_with_the_link = auth::public();
    let db = super::db()?;
    let found = crate::db::sign_up::find(&db, code.trim())
        .await
        .map_err(internal)?;
    super::answer(
        found
            .map(|r| PendingSignUp {
                name: r.name,
                email: r.email,
                cohort_name: r.cohort_name,
                role: r.role,
            })
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_sign_up_link).into())),
    )
}

/// Finishes a sign-up through the link e-mailed to the address: creates the account with the
/// chosen password, joins the cohort and signs in. Returns where to go next.
#[server(endpoint = "sign-up/finish", output = crate::api::JsonText)]
pub async fn finish_sign_up(
    code: String,
    password: String,
    confirm: String,
    #[server(default)] name: String,
) -> Result<String, AppError> {
    let _anyone_with_the_link = auth::public();
    super::form_reply(
        finish_sign_up_inner(code, password, confirm, name).await,
        |next| next.clone(),
    )
}

#[cfg(feature = "ssr")]
async fn finish_sign_up_inner(
    code: String,
    password: String,
    confirm: String,
    name: String,
) -> Result<String, AppError> {
    let db = super::db()?;
    let used_or_expired = crate::t!(validation.sign_up_link_used);
    let request = crate::db::sign_up::find(&db, code.trim())
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::invalid("code", used_or_expired))?;
    if request.invitation != InvitationState::Open {
        return Err(AppError::invalid("code", request.invitation.explanation()));
    }
    // A personal invitation's link comes without a name: the person gives it here.
    let mut request = request;
    if request.name.is_empty() {
        request.name = PersonName::parse(&name)
            .map_err(|m| AppError::invalid("name", m))?
            .as_str()
            .to_owned();
    }
    auth::password::check_new(&password, &request.email, &request.name)
        .map_err(|m| AppError::invalid("password", m))?;
    if password != confirm {
        return Err(AppError::invalid(
            "confirm",
            crate::t!(validation.password_mismatch),
        ));
    }
    let hash = auth::password::hash(password).await.map_err(internal)?;
    let mut tx = db.begin_write().await.map_err(|e| internal(e.into()))?;
    if !crate::db::sign_up::mark_used(&mut tx, request.id, &request.email)
        .await
        .map_err(internal)?
    {
        return Err(AppError::invalid("code", used_or_expired));
    }
    if !crate::db::cohort::take_seat(&mut tx, request.invitation_id)
        .await
        .map_err(internal)?
    {
        return Err(AppError::invalid(
            "code",
            InvitationState::UsedUp.explanation(),
        ));
    }
    let user_id = match crate::db::account::create(
        &mut tx,
        &request.email,
        &request.name,
        &hash,
        false,
    )
    .await
    {
        Ok(id) => id,
        Err(crate::db::account::CreateUserError::EmailTaken) => {
            return Err(AppError::invalid(
                "code",
                crate::t!(validation.address_has_account),
            ))
        }
        Err(crate::db::account::CreateUserError::Other(e)) => return Err(internal(e)),
    };
    let seat = Seat {
        invitation_id: request.invitation_id,
        cohort_id: request.cohort_id,
        role: request.role,
    };
    enrol(&mut tx, seat, user_id, true).await?;
    tx.commit().await.map_err(|e| internal(e.into()))?;
    start_session(&db, user_id).await?;
    Ok(after_joining(request.role))
}

/// The place an invitation offers.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct Seat {
    invitation_id: i64,
    cohort_id: i64,
    role: crate::domain::account::Role,
}

/// Adds `user_id` to the invitation's cohort in its role and writes the audit row, in the
/// caller's transaction (which has taken the seat).
#[cfg(feature = "ssr")]
async fn enrol(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    seat: Seat,
    user_id: i64,
    new_account: bool,
) -> Result<(), AppError> {
    crate::db::cohort::add_member(
        tx,
        seat.cohort_id,
        user_id,
        seat.role,
        Some(seat.invitation_id),
    )
    .await
    .map_err(internal)?;
    crate::db::audit::record_in(
        tx,
        Some(user_id),
        "invitation.accept",
        &format!("cohort:{}", seat.cohort_id),
        &serde_json::json!({ "invitation": seat.invitation_id, "role": seat.role.as_str(), "new_account": new_account }).to_string(),
    )
    .await
    .map_err(internal)
}

/// Signs `user_id` in on this browser: ends the session it had, starts one, sets the cookie.
#[cfg(feature = "ssr")]
async fn start_session(db: &crate::db::Db, user_id: i64) -> Result<(), AppError> {
    if let Some(previous) = auth::current() {
        session::end(db, previous.user_id, &previous.session_id)
            .await
            .map_err(internal)?;
    }
    let client = super::client_info();
    let token = session::create(db, user_id, &client.user_agent, &client.ip)
        .await
        .map_err(internal)?;
    super::set_cookie(&session::set_cookie(
        &token,
        auth::settings()?.cookie_secure,
    ));
    Ok(())
}

/// Joins a cohort through an invitation with the account the caller is signed in with.
#[server(endpoint = "join/accept", output = crate::api::JsonText)]
pub async fn accept_invitation(token: String) -> Result<String, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let (invitation_id, cohort_id, info) = open_invitation(&db, &token).await?;
        if who.has_role(cohort_id, info.role) {
            return Ok("/".to_owned());
        }
        let mut tx = db.begin_write().await.map_err(|e| internal(e.into()))?;
        if !crate::db::cohort::take_seat(&mut tx, invitation_id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::invalid(
                "token",
                InvitationState::UsedUp.explanation(),
            ));
        }
        let seat = Seat {
            invitation_id,
            cohort_id,
            role: info.role,
        };
        enrol(&mut tx, seat, who.user_id, false).await?;
        tx.commit().await.map_err(|e| internal(e.into()))?;
        Ok(after_joining(info.role))
    }
    .await;
    super::form_reply(result, |next| next.clone())
}

/// Whether a reset link is live, and for whom (their name). Anyone holding the link may ask.
#[server(endpoint = "reset/info", input = GetUrl, output = crate::api::JsonText)]
pub async fn reset_info(token: String) -> Result<String, AppError> {
    let _anyone_with_the_link = auth::public();
    let db = super::db()?;
    let found = crate::db::cohort::find_reset(&db, token.trim())
        .await
        .map_err(internal)?;
    super::answer(
        found
            .map(|(_, _, _, name)| name)
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_reset_link).into())),
    )
}

/// Sets a new password through a one-time reset link; every session of the person ends.
#[server(endpoint = "reset/complete", output = crate::api::JsonText)]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    let _anyone_with_the_link = auth::public();
    let result = async {
        let db = super::db()?;
        let (reset_id, user_id, email, name) = crate::db::cohort::find_reset(&db, token.trim())
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::invalid("token", crate::t!(validation.reset_link_used)))?;
        auth::password::check_new(&new_password, &email, &name)
            .map_err(|m| AppError::invalid("new_password", m))?;
        if new_password != confirm {
            return Err(AppError::invalid(
                "confirm",
                crate::t!(validation.new_password_mismatch),
            ));
        }
        let hash = auth::password::hash(new_password).await.map_err(internal)?;
        if !crate::db::cohort::complete_reset(&db, reset_id, user_id, &hash)
            .await
            .map_err(internal)?
        {
            return Err(AppError::invalid(
                "token",
                crate::t!(validation.reset_link_just_used),
            ));
        }
        Ok(())
    }
    .await;
    super::form_reply(result, |_| "/sign-in?reset=1".to_owned())
}
