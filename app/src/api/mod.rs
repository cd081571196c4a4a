//! Server functions, one area per module. Reads are GET, writes POST. Each one states who may
//! call it first thing (`auth::authorize` or `auth::public`).

pub mod account;
pub mod cohort;
pub mod course;
pub mod credential;
pub mod dashboard;
pub mod evaluation;
pub mod framework;
pub mod join;
pub mod journal;
pub mod json_text;
pub mod mail;
pub mod rating;
pub mod review;
pub mod statement;
pub mod submission;
pub mod unit;

pub use json_text::{JsonText, JsonTextEncoding};

/// The database handle from the request's context (server only).
#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::db::Db, crate::error::AppError> {
    leptos::prelude::use_context::<crate::db::Db>().ok_or_else(|| {
        tracing::error!("no database handle in the request context");
        crate::error::AppError::Internal
    })
}

/// Gives an error answer its HTTP status (404, 422, …) instead of a blanket 500.
#[cfg(feature = "ssr")]
pub(crate) fn answer<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        crate::components::status::set_http_status(e.status());
    }
    result
}

/// `result`'s value read in the request's language: every framework and unit text in it that
/// has a translation (`db::translation::by_original`) is replaced by it, whole strings and
/// texts quoted inside a sentence (« … »). Nothing to do in the original language. The
/// views carry these texts as plain strings wherever they come from (a dashboard's titles, a
/// checklist's indicators, a review's rubric), so this one pass reads them all in the page's
/// language; people's own words are never touched unless they repeat a framework text exactly.
#[cfg(feature = "ssr")]
pub(crate) async fn localized<T>(
    db: &crate::db::Db,
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let lang = crate::i18n::current_lang();
    let value = result?;
    if !lang.is_translation() {
        return Ok(value);
    }
    let map = crate::db::translation::by_original(db, lang)
        .await
        .map_err(crate::error::internal)?;
    if map.is_empty() {
        return Ok(value);
    }
    let mut json = serde_json::to_value(&value).map_err(|e| crate::error::internal(e.into()))?;
    translate_strings(&mut json, &map);
    serde_json::from_value(json).map_err(|e| crate::error::internal(e.into()))
}

#[cfg(feature = "ssr")]
fn translate_strings(
    value: &mut serde_json::Value,
    map: &std::collections::HashMap<String, String>,
) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let Some(t) = map.get(s.as_str()) {
                t.clone_into(s);
            } else if s.contains('«') {
                for (original, translated) in map {
                    let quoted = format!("«\u{a0}{}\u{a0}»", original.trim_end_matches('.'));
                    if s.contains(&quoted) {
                        *s = s.replace(
                            &quoted,
                            &format!("«\u{a0}{}\u{a0}»", translated.trim_end_matches('.')),
                        );
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| translate_strings(v, map)),
        Value::Object(fields) => fields
            .iter_mut()
            .for_each(|(_, v)| translate_strings(v, map)),
        _ => {}
    }
}

/// Like [`answer`], and for a plain HTML form post (JavaScript off) sends the browser back to
/// the form's page with the error as a flash message ([`crate::flash`]), which the page shows
/// beside the field.
#[cfg(feature = "ssr")]
pub(crate) fn form_answer<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    let result = answer(result);
    if let Err(e) = &result {
        if let Some(back) = plain_form_referer_path() {
            let (field, message) = match e {
                crate::error::AppError::Invalid { field, message } => {
                    (field.clone(), message.clone())
                }
                other => ("form".to_owned(), other.to_string()),
            };
            let id = crate::flash::new_id();
            set_cookie(&crate::flash::set_cookie(
                &id,
                &back,
                &field,
                &message,
                cookie_secure(),
            ));
            // The form comes back filled in with what was typed (issue 15).
            for cookie in plain_form_echo(&id, &back) {
                set_cookie(&cookie);
            }
            // Several problems at once land on the form's summary of them (issue 15).
            let mut to = crate::flash::back_to(&back, &id);
            if field.contains(' ') {
                to.push_str(crate::flash::PROBLEMS_ANCHOR);
            }
            leptos_axum::redirect(&to);
        }
    }
    result
}

/// The cookies echoing this plain form post's fields back to its page (`back`) under the flash
/// `id` ([`crate::flash::echo_cookies`]); none when the request guard kept no body.
#[cfg(feature = "ssr")]
fn plain_form_echo(id: &str, back: &str) -> Vec<String> {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return Vec::new();
    };
    let Some(body) = parts.extensions.get::<crate::flash::PlainFormBody>() else {
        return Vec::new();
    };
    std::str::from_utf8(&body.0)
        .map(|body| crate::flash::echo_cookies(id, back, body, cookie_secure()))
        .unwrap_or_default()
}

/// The answer of a server function that plain HTML forms post to: [`form_answer`] (the error's
/// HTTP status; a refused plain form goes back to its page with the message), and on success a
/// plain form goes on to `next(value)` while the app's own call gets the value.
#[cfg(feature = "ssr")]
pub(crate) fn form_reply<T>(
    result: Result<T, crate::error::AppError>,
    next: impl FnOnce(&T) -> String,
) -> Result<T, crate::error::AppError> {
    let result = form_answer(result);
    if let Ok(value) = &result {
        redirect_plain_form(&next(value));
    }
    result
}

/// Whether cookies set now must be `Secure` (the site is served over HTTPS).
#[cfg(feature = "ssr")]
pub(crate) fn cookie_secure() -> bool {
    crate::auth::settings().map_or(true, |s| s.cookie_secure)
}

/// For a plain HTML form post, redirects to `path` (with JavaScript, the page decides), keeping
/// the state of the form's page when `path` is that page ([`crate::flash::keep_page_state`]).
#[cfg(feature = "ssr")]
pub(crate) fn redirect_plain_form(path: &str) {
    if let Some(referer) = plain_form_referer_path() {
        leptos_axum::redirect(&crate::flash::keep_page_state(path, &referer));
    }
}

/// Whether this call is a plain HTML form post (JavaScript off), which the server answers with
/// a redirect, rather than a call made by the app's own code.
#[cfg(feature = "ssr")]
pub(crate) fn is_plain_form() -> bool {
    plain_form_referer_path().is_some()
}

/// The referring path of a plain HTML form post, `None` for calls made by the app's JavaScript.
#[cfg(feature = "ssr")]
fn plain_form_referer_path() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let accepts_html = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !accepts_html || parts.method != http::Method::POST {
        return None;
    }
    let referer = parts.headers.get(http::header::REFERER)?.to_str().ok()?;
    referer_path(referer)
}

/// The path and query of a `Referer` (our own page: cross-site posts are refused before any
/// handler), made safe to redirect to.
pub fn referer_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://").map(|(_, r)| r).unwrap_or(referer);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/");
    Some(crate::domain::account::safe_next(path))
}

/// Checks the caller's authority over the person `user_id` for an action in `cohort_id`
/// ([`crate::domain::authority::may_manage`]): not found when they are not a member of the
/// cohort, forbidden when they are the caller, outrank the caller or also belong to a cohort
/// the caller does not run (the reason goes to the log).
#[cfg(feature = "ssr")]
pub(crate) async fn authority_over(
    db: &crate::db::Db,
    who: &crate::auth::Principal,
    cohort_id: i64,
    user_id: i64,
) -> Result<(), crate::error::AppError> {
    use crate::domain::authority::{may_manage, Refusal};
    use crate::error::AppError;
    let target = crate::db::cohort::target_facts(db, who.user_id, who.is_admin, cohort_id, user_id)
        .await
        .map_err(crate::error::internal)?;
    match may_manage(who.is_admin, target) {
        Ok(()) => Ok(()),
        Err(Refusal::NotHere) => answer(Err(AppError::NotFound(
            crate::t!(validation.that_person).into(),
        ))),
        Err(refusal) => {
            tracing::warn!(
                actor = who.user_id,
                target = user_id,
                reason = refusal.message(),
                "action on a person refused"
            );
            answer(Err(AppError::Forbidden))
        }
    }
}

/// Who is calling, for session records and throttling.
#[cfg(feature = "ssr")]
pub(crate) struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

#[cfg(feature = "ssr")]
pub(crate) fn client_info() -> ClientInfo {
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    let ip = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<crate::auth::ClientAddr>())
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "unknown".to_owned());
    let user_agent = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::USER_AGENT))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    ClientInfo { ip, user_agent }
}

/// Adds a `Set-Cookie` header to the response.
#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
