//! Signing in and out, the current person, sessions and password changes.

use crate::domain::account::Viewer;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, session, throttle, Access},
    crate::domain::account::Email,
    crate::error::internal,
};

pub use crate::domain::account::safe_next;

/// A live session, for its owner.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionView {
    /// Session id.
    pub id: String,
    /// Started (epoch ms).
    pub created_at: i64,
    /// Last activity (epoch ms).
    pub last_seen_at: i64,
    /// Browser.
    pub user_agent: String,
    /// Address.
    pub client_ip: String,
    /// The session making this request.
    pub current: bool,
}

impl SessionView {
    /// When it started, for people.
    pub fn started(&self) -> String {
        crate::domain::time::utc_minute(self.created_at)
    }

    /// Last activity, for people.
    pub fn last_active(&self) -> String {
        crate::domain::time::utc_minute(self.last_seen_at)
    }
}

/// The signed-in person, or `None`. Anyone may ask.
#[server(endpoint = "account/me", input = GetUrl, output = crate::api::JsonText)]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let Some(who) = auth::public() else {
        return Ok(None);
    };
    // The session lookup already read the memberships (with the cohorts' names).
    Ok(Some(Viewer {
        name: who.name,
        email: who.email,
        is_admin: who.is_admin,
        roles: who.roles,
    }))
}

/// Signs in with email and password; on success the session cookie is set and the answer is
/// where to go next. Unknown email and wrong password get the same message and similar timing.
#[server(endpoint = "account/sign-in", output = crate::api::JsonText)]
pub async fn sign_in(email: String, password: String, next: String) -> Result<String, AppError> {
    let _anyone_may_sign_in = auth::public();
    super::form_answer(sign_in_inner(email, password, next).await)
}

#[cfg(feature = "ssr")]
async fn sign_in_inner(email: String, password: String, next: String) -> Result<String, AppError> {
    let db = super::db()?;
    let settings = auth::settings()?;
    let email = Email::parse(&email).map_err(|m| AppError::invalid("email", m))?;
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            crate::t!(validation.enter_password),
        ));
    }
    if password.len() > 4 * crate::domain::account::PASSWORD_MAX {
        return Err(AppError::invalid(
            "password",
            crate::t!(validation.too_long),
        ));
    }
    let client = super::client_info();
    let scopes = throttle::scopes(email.as_str(), &client.ip);
    let attempt = match throttle::attempt(&db, &scopes).await.map_err(internal)? {
        Ok(ids) => ids,
        Err(minutes) => return Err(AppError::TooManyRequests(minutes * 60)),
    };
    let account = crate::db::account::find_by_email(&db, email.as_str())
        .await
        .map_err(internal)?;
    let (user_id, stored) = match account {
        Some(a) if a.active => (Some(a.id), Some(a.password_hash)),
        _ => (None, None),
    };
    let ok = auth::password::verify(password, stored)
        .await
        .map_err(internal)?;
    let Some(user_id) = user_id.filter(|_| ok) else {
        // The attempt stays recorded as a failure.
        return Err(AppError::invalid(
            "password",
            crate::t!(validation.credentials_mismatch),
        ));
    };
    throttle::succeeded(&db, &attempt, &scopes[0].0)
        .await
        .map_err(internal)?;
    // Signing in again on this browser ends the session it had (a fresh one replaces it).
    if let Some(previous) = auth::current() {
        session::end(&db, previous.user_id, &previous.session_id)
            .await
            .map_err(internal)?;
    }
    let token = session::create(&db, user_id, &client.user_agent, &client.ip)
        .await
        .map_err(internal)?;
    super::set_cookie(&session::set_cookie(&token, settings.cookie_secure));
    crate::db::audit::record(
        &db,
        Some(user_id),
        "session.start",
        &format!("user:{user_id}"),
        "{}",
    )
    .await
    .map_err(internal)?;
    // Signing in from no particular page: to where this person's work is.
    let next = match safe_next(&next).as_str() {
        "/" => match session::resolve(&db, &token).await.map_err(internal)? {
            Some(p) => crate::domain::account::landing(p.is_admin, &p.roles).to_owned(),
            None => "/".to_owned(),
        },
        other => other.to_owned(),
    };
    super::redirect_plain_form(&next);
    Ok(next)
}

/// Ends the current session on the server and clears the cookie.
#[server(endpoint = "account/sign-out", output = crate::api::JsonText)]
pub async fn sign_out() -> Result<(), AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let settings = auth::settings()?;
    session::end(&db, who.user_id, &who.session_id)
        .await
        .map_err(internal)?;
    super::set_cookie(&session::clear_cookie(settings.cookie_secure));
    // The browser forgets every page it kept (a shared school computer's Back button).
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cache\""),
        );
    }
    super::redirect_plain_form("/");
    Ok(())
}

/// The caller's live sessions, most recent first.
#[server(endpoint = "account/sessions", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let rows = session::list(&db, who.user_id, &who.session_id)
        .await
        .map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: s.user_agent,
            client_ip: s.client_ip,
            current: s.current,
        })
        .collect())
}

/// Ends one of the caller's own sessions.
#[server(endpoint = "account/sessions/end", output = crate::api::JsonText)]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    // Only the caller's own sessions match: the query is scoped by user id.
    let ended = session::end(&db, who.user_id, &id)
        .await
        .map_err(internal)?;
    let result = if ended {
        Ok(())
    } else {
        Err(AppError::NotFound(
            crate::t!(validation.that_session).into(),
        ))
    };
    if result.is_ok() && id == who.session_id {
        let settings = auth::settings()?;
        super::set_cookie(&session::clear_cookie(settings.cookie_secure));
    }
    super::form_reply(result, |_| "/profile".to_owned())
}

/// Changes the caller's password and ends their other sessions.
#[server(endpoint = "account/password", output = crate::api::JsonText)]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let result = change_password_inner(who, current, new_password, confirm).await;
    super::form_reply(result, |_| "/profile?changed=1".to_owned())
}

#[cfg(feature = "ssr")]
async fn change_password_inner(
    who: auth::Principal,
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    let db = super::db()?;
    auth::password::check_new(&new_password, &who.email, &who.name)
        .map_err(|m| AppError::invalid("new_password", m))?;
    if new_password != confirm {
        return Err(AppError::invalid(
            "confirm",
            crate::t!(validation.new_password_mismatch),
        ));
    }
    let account = crate::db::account::find_by_email(&db, &who.email)
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthorized)?;
    // Someone at an unlocked computer must not be able to guess the current password.
    let scopes = throttle::password_scope(who.user_id);
    let attempt = match throttle::attempt(&db, &scopes).await.map_err(internal)? {
        Ok(ids) => ids,
        Err(minutes) => return Err(AppError::TooManyRequests(minutes * 60)),
    };
    let ok = auth::password::verify(current, Some(account.password_hash))
        .await
        .map_err(internal)?;
    if !ok {
        return Err(AppError::invalid(
            "current",
            crate::t!(validation.not_current_password),
        ));
    }
    throttle::succeeded(&db, &attempt, &scopes[0].0)
        .await
        .map_err(internal)?;
    let hash = auth::password::hash(new_password).await.map_err(internal)?;
    crate::db::account::set_password(&db, who.user_id, &hash)
        .await
        .map_err(internal)?;
    session::end_all_but(&db, who.user_id, Some(&who.session_id))
        .await
        .map_err(internal)?;
    crate::db::audit::record(
        &db,
        Some(who.user_id),
        "password.change",
        &format!("user:{}", who.user_id),
        "{}",
    )
    .await
    .map_err(internal)?;
    Ok(())
}

/// Reset requests per address in the throttle's window: a few tries, not a mail cannon.
#[cfg(feature = "ssr")]
const RESETS_PER_ADDRESS: i64 = 3;

/// How long a reset link asked for by e-mail works: one hour.
#[cfg(feature = "ssr")]
const SELF_RESET_MS: i64 = 60 * 60 * 1000;

/// Sends a password-reset link to `email` if it belongs to an active account. The answer is the
/// same either way (where to go next: `/forgot-password?sent=1`), so the form tells nobody
/// which addresses have accounts. 422 naming `email` for something that is not an address; 429
/// after a few requests for one address or many from one network address.
#[server(endpoint = "account/forgot-password", output = crate::api::JsonText)]
pub async fn forgot_password(email: String) -> Result<String, AppError> {
    let _anyone = auth::public();
    let result = async {
        let email = Email::parse(&email).map_err(|m| AppError::invalid("email", m))?;
        let db = super::db()?;
        let client = super::client_info();
        let scopes = [
            (
                format!("reset-request:{}", email.as_str()),
                RESETS_PER_ADDRESS,
            ),
            (
                format!("reset-request-ip:{}", client.ip),
                throttle::PER_ADDRESS,
            ),
        ];
        if let Err(minutes) = throttle::attempt(&db, &scopes).await.map_err(internal)? {
            return Err(AppError::TooManyRequests(minutes * 60));
        }
        if let Some(account) = crate::db::account::find_by_email(&db, email.as_str())
            .await
            .map_err(internal)?
            .filter(|a| a.active)
        {
            crate::db::cohort::create_reset(&db, account.id, account.id, SELF_RESET_MS)
                .await
                .map_err(internal)?;
        }
        Ok("/forgot-password?sent=1".to_owned())
    }
    .await;
    super::form_reply(result, |next| next.clone())
}
