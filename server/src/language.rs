//! `GET /language/{lang}?next=/path`: remembers a person's choice of language in the `lang`
//! cookie (a year) and sends them back to the page they were on. A plain link, so it works
//! without JavaScript; `next` must be a path on this site (anything else goes home).
//!
//! `GET /i18n/{lang}/{table}.{hash}.json`: one table of interface strings in one language, as
//! the browser fetches it (`app::i18n`). The name changes with the content, so it is cached
//! for a year and never revalidated; any other name is a 404.

use crate::startup::AppState;
use app::domain::lang::{Lang, COOKIE};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/language/{lang}", get(choose))
        .route("/i18n/{lang}/{file}", get(strings))
}

/// The table named by the path, as JSON (see the module docs).
async fn strings(Path((lang, file)): Path<(String, String)>) -> Response {
    let wanted = format!("/i18n/{lang}/{file}");
    for (l, urls) in app::i18n::TABLE_URLS.iter().enumerate() {
        for (t, url) in urls.iter().enumerate() {
            if *url == wanted {
                return (
                    [
                        (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                    ],
                    app::i18n::TABLE_JSON[l][t],
                )
                    .into_response();
            }
        }
    }
    StatusCode::NOT_FOUND.into_response()
}

/// `next` when it is a path of this site (`/…`, not `//host` or `/\host`, no control
/// characters), else `/`.
pub fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(char::is_control)
                && p.len() <= 2_000 =>
        {
            p
        }
        _ => "/",
    }
}

async fn choose(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(lang) = Lang::parse(&lang).filter(|l| l.as_str() == lang) else {
        return (
            StatusCode::NOT_FOUND,
            "lang: the course speaks English (en) and French (fr).",
        )
            .into_response();
    };
    let next = local_path(query.get("next").map(String::as_str));
    // Signed in: the account remembers it too, so e-mails reach the person in it.
    if let Some(token) = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| app::auth::session::token_from_cookie_header(c, state.auth.cookie_secure))
    {
        if let Ok(Some(who)) = app::auth::session::resolve(&state.db, token).await {
            if let Err(e) = app::db::account::set_language(&state.db, who.user_id, lang).await {
                tracing::error!(error = %e, "remembering a language");
            }
        }
    }
    let secure = if state.auth.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.as_str()
    );
    let mut response = (StatusCode::SEE_OTHER, ()).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(next) {
        h.insert(header::LOCATION, v);
    } else {
        h.insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        h.insert(header::SET_COOKIE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        for ok in ["/", "/frameworks/mcf", "/journal?x=1"] {
            assert_eq!(local_path(Some(ok)), ok);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
