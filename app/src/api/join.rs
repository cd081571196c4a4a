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

/// The details of a sign-up form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignUpForm {
    /// The invitation token from the link.
    pub token: String,
    /// Name to show.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// New password.
    pub password: String,
    /// The same again.
    pub confirm: String,
}

/// What an invitation link offers. Anyone holding the link may ask.
#[server(endpoint = "join/info", input = GetUrl)]
pub async fn get_invitation(token: String) -> Result<InvitationInfo, AppError> {
    let _anyone_with_the_link = auth::public();
    let db = super::db()?;
    let found = crate::db::cohort::invitation_info(&db, token.trim())
        .await
        .map_err(internal)?;
    super::answer(
        found
            .map(|(_, _, info)| info)
            .ok_or_else(|| AppError::NotFound("That invitation".into())),
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
        .ok_or_else(|| AppError::NotFound("That invitation".into()))?;
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

/// Creates an account through an invitation, joins the cohort and signs in.
#[server(endpoint = "join/sign-up")]
pub async fn sign_up(form: SignUpForm) -> Result<String, AppError> {
    let _anyone_with_the_link = auth::public();
    let result = super::form_answer(sign_up_inner(form).await);
    if let Ok(next) = &result {
        super::redirect_plain_form(next);
    }
    result
}

#[cfg(feature = "ssr")]
async fn sign_up_inner(form: SignUpForm) -> Result<String, AppError> {
    let db = super::db()?;
    let (invitation_id, cohort_id, info) = open_invitation(&db, &form.token).await?;
    let name = PersonName::parse(&form.name).map_err(|m| AppError::invalid("form[name]", m))?;
    let email = Email::parse(&form.email).map_err(|m| AppError::invalid("form[email]", m))?;
    if let Some(account) = crate::db::account::find_by_email(&db, email.as_str())
        .await
        .map_err(internal)?
    {
        let seat = Seat {
            invitation_id,
            cohort_id,
            role: info.role,
        };
        return join_existing(&db, account, &form.password, seat).await;
    }
    auth::password::check_new(&form.password, email.as_str(), name.as_str())
        .map_err(|m| AppError::invalid("form[password]", m))?;
    if form.password != form.confirm {
        return Err(AppError::invalid(
            "form[confirm]",
            "does not match the password",
        ));
    }
    let hash = auth::password::hash(form.password)
        .await
        .map_err(internal)?;
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
    let user_id = match crate::db::account::create(
        &mut tx,
        email.as_str(),
        name.as_str(),
        &hash,
        false,
    )
    .await
    {
        Ok(id) => id,
        Err(crate::db::account::CreateUserError::EmailTaken) => {
            return Err(AppError::invalid(
                "form[email]",
                "already has an account: sign in with it, then open this link again to join",
            ))
        }
        Err(crate::db::account::CreateUserError::Other(e)) => return Err(internal(e)),
    };
    let seat = Seat {
        invitation_id,
        cohort_id,
        role: info.role,
    };
    enrol(&mut tx, seat, user_id, true).await?;
    tx.commit().await.map_err(|e| internal(e.into()))?;
    start_session(&db, user_id).await?;
    Ok(after_joining(info.role))
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

/// Sign-up with an email that has an account: with that account's password, it joins the
/// cohort and signs in (what its owner wanted); otherwise it is refused. Every such attempt
/// goes through sign-in throttling (per account and per address, recorded before the password
/// is checked), so an invitation link cannot be used to test many emails or guess passwords
/// faster than the sign-in page allows.
#[cfg(feature = "ssr")]
async fn join_existing(
    db: &crate::db::Db,
    account: crate::db::account::Account,
    password: &str,
    seat: Seat,
) -> Result<String, AppError> {
    let client = super::client_info();
    let scopes = auth::throttle::scopes(&account.email, &client.ip);
    let attempt = match auth::throttle::attempt(db, &scopes)
        .await
        .map_err(internal)?
    {
        Ok(ids) => ids,
        Err(minutes) => return Err(AppError::TooManyRequests(minutes * 60)),
    };
    let ok = account.active
        && auth::password::verify(password.to_owned(), Some(account.password_hash))
            .await
            .map_err(internal)?;
    if !ok {
        return Err(AppError::invalid(
            "form[email]",
            "already has an account: enter that account's password to join with it, or sign in first and open this link again",
        ));
    }
    auth::throttle::succeeded(db, &attempt, &scopes[0].0)
        .await
        .map_err(internal)?;
    let mut tx = db.begin_write().await.map_err(|e| internal(e.into()))?;
    if !crate::db::cohort::holds_role(&mut tx, seat.cohort_id, account.id, seat.role)
        .await
        .map_err(internal)?
    {
        if !crate::db::cohort::take_seat(&mut tx, seat.invitation_id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::invalid(
                "token",
                InvitationState::UsedUp.explanation(),
            ));
        }
        enrol(&mut tx, seat, account.id, false).await?;
    }
    tx.commit().await.map_err(|e| internal(e.into()))?;
    start_session(db, account.id).await?;
    Ok(after_joining(seat.role))
}

/// Joins a cohort through an invitation with the account the caller is signed in with.
#[server(endpoint = "join/accept")]
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
    let result = super::form_answer(result);
    if let Ok(next) = &result {
        super::redirect_plain_form(next);
    }
    result
}

/// Whether a reset link is live, and for whom (their name). Anyone holding the link may ask.
#[server(endpoint = "reset/info", input = GetUrl)]
pub async fn reset_info(token: String) -> Result<String, AppError> {
    let _anyone_with_the_link = auth::public();
    let db = super::db()?;
    let found = crate::db::cohort::find_reset(&db, token.trim())
        .await
        .map_err(internal)?;
    super::answer(found.map(|(_, _, _, name)| name).ok_or_else(|| {
        AppError::NotFound("That reset link (it may have been used or have expired)".into())
    }))
}

/// Sets a new password through a one-time reset link; every session of the person ends.
#[server(endpoint = "reset/complete")]
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
            .ok_or_else(|| AppError::invalid("token", "this reset link has been used or has expired; ask your coordinator for a new one"))?;
        auth::password::check_new(&new_password, &email, &name)
            .map_err(|m| AppError::invalid("new_password", m))?;
        if new_password != confirm {
            return Err(AppError::invalid("confirm", "does not match the new password"));
        }
        let hash = auth::password::hash(new_password).await.map_err(internal)?;
        if !crate::db::cohort::complete_reset(&db, reset_id, user_id, &hash).await.map_err(internal)? {
            return Err(AppError::invalid("token", "this reset link has just been used"));
        }
        Ok(())
    }
    .await;
    let result = super::form_answer(result);
    if result.is_ok() {
        super::redirect_plain_form("/sign-in?reset=1");
    }
    result
}
