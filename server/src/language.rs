//! `GET /language/{lang}?next=/path`: remembers a person's choice of language in the `lang`
//! cookie (a year) and sends them back to the page they were on. A plain link, so it works
//! without JavaScript; `next` must be a path on this site (anything else goes home).

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
    Router::new().route("/language/{lang}", get(choose))
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
) -> Response {
    let Some(lang) = Lang::parse(&lang).filter(|l| l.as_str() == lang) else {
        return (
            StatusCode::NOT_FOUND,
            "lang: the course speaks English (en) and French (fr).",
        )
            .into_response();
    };
    let next = local_path(query.get("next").map(String::as_str));
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
