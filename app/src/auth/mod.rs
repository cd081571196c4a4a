//! Authentication and the one access-control layer (server only).
//!
//! Every server function starts with [`authorize`] (or [`public`] for what anyone may read),
//! stating who may call it, before doing any work.

pub mod password;
pub mod session;
pub mod throttle;

use crate::domain::account::Role;
use crate::error::AppError;
pub use session::Principal;

/// Settings the auth layer needs, provided through context by the server.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Whether cookies are `Secure` (HTTPS); false only for plain-HTTP loopback development.
    pub cookie_secure: bool,
    /// Public origin, e.g. `https://mentoring.example.org`, for links we hand out.
    pub public_base_url: String,
}

/// The session resolved for a request by the server's middleware, kept in request extensions.
#[derive(Clone, Debug, Default)]
pub struct CurrentSession(pub Option<Principal>);

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
pub enum Access<'a> {
    /// Any signed-in person.
    SignedIn,
    /// An institution coordinator (may create cohorts).
    Admin,
    /// A member of the cohort holding one of these roles (an admin counts as coordinator).
    Cohort {
        /// The cohort the resource belongs to.
        cohort_id: i64,
        /// Roles allowed.
        roles: &'a [Role],
    },
    /// The person who owns the resource.
    Owner {
        /// The resource's owner.
        user_id: i64,
    },
}

/// The person behind the current request, if signed in.
pub fn current() -> Option<Principal> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
        .and_then(|s| s.0)
}

/// For server functions anyone may call: says so, and returns the caller if signed in.
pub fn public() -> Option<Principal> {
    current()
}

/// Checks that the caller may do what `access` describes, before any work is done.
/// `Unauthorized` when signed out, `Forbidden` when signed in without the right.
pub fn authorize(access: Access<'_>) -> Result<Principal, AppError> {
    let result = check(access);
    if let Err(e) = &result {
        crate::components::status::set_http_status(e.status());
    }
    result
}

fn check(access: Access<'_>) -> Result<Principal, AppError> {
    let who = current().ok_or(AppError::Unauthorized)?;
    let allowed = match access {
        Access::SignedIn => true,
        Access::Admin => who.is_admin,
        Access::Cohort { cohort_id, roles } => roles.iter().any(|r| who.has_role(cohort_id, *r)),
        Access::Owner { user_id } => who.user_id == user_id,
    };
    if allowed {
        Ok(who)
    } else {
        tracing::warn!(user = who.user_id, ?access, "access denied");
        Err(AppError::Forbidden)
    }
}

/// [`authorize`] for [`Access::Cohort`], and the cohort must exist: an institution
/// coordinator counts as coordinator of every cohort id, so without this a write naming a
/// cohort that does not exist would reach the database (and fail there, as a 500). `NotFound`
/// then.
pub async fn authorize_cohort(
    db: &crate::db::Db,
    cohort_id: i64,
    roles: &[Role],
) -> Result<Principal, AppError> {
    let who = authorize(Access::Cohort { cohort_id, roles })?;
    if who.is_admin
        && !crate::db::cohort::exists(db, cohort_id)
            .await
            .map_err(crate::error::internal)?
    {
        crate::components::status::set_http_status(404);
        return Err(AppError::NotFound(crate::t!(validation.that_cohort).into()));
    }
    Ok(who)
}

/// The auth settings from context.
pub fn settings() -> Result<AuthSettings, AppError> {
    leptos::prelude::use_context::<AuthSettings>().ok_or_else(|| {
        tracing::error!("no auth settings in the request context");
        AppError::Internal
    })
}

/// The client's address as the server determined it (socket, or a trusted proxy's header).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);
