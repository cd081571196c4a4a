//! The language of the current request (server only): the `lang` cookie, else the browser's
//! `Accept-Language`, else English ([`crate::domain::lang::negotiate`]).

use crate::domain::lang::{negotiate, Lang, COOKIE};

/// The language of `headers`.
pub fn of_headers(headers: &http::HeaderMap) -> Lang {
    let cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned());
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(accept_language::parse)
        .unwrap_or_default();
    negotiate(cookie.as_deref(), accept.iter().map(String::as_str))
}

/// The language of the request being served; English outside a request.
pub fn current() -> Lang {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| of_headers(&parts.headers))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{ACCEPT_LANGUAGE, COOKIE as COOKIE_HEADER};
    use http::HeaderMap;

    fn headers(pairs: &[(http::header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), v.parse().expect("header value"));
        }
        h
    }

    #[test]
    fn cookie_then_accept_language_by_quality_then_english() {
        assert_eq!(of_headers(&headers(&[])), Lang::En);
        assert_eq!(
            of_headers(&headers(&[(
                ACCEPT_LANGUAGE,
                "de;q=0.9, fr-MU;q=0.8, en;q=0.5"
            )])),
            Lang::Fr
        );
        assert_eq!(
            of_headers(&headers(&[(ACCEPT_LANGUAGE, "en;q=0.4, fr;q=0.9")])),
            Lang::Fr,
            "qualities, not order, decide"
        );
        assert_eq!(
            of_headers(&headers(&[
                (ACCEPT_LANGUAGE, "fr"),
                (COOKIE_HEADER, "mcf_session=x; lang=en")
            ])),
            Lang::En
        );
        assert_eq!(
            of_headers(&headers(&[
                (COOKIE_HEADER, "lang=fr"),
                (ACCEPT_LANGUAGE, "en")
            ])),
            Lang::Fr
        );
        // A cookie naming nothing we speak falls through to the header.
        assert_eq!(
            of_headers(&headers(&[
                (COOKIE_HEADER, "lang=zz"),
                (ACCEPT_LANGUAGE, "fr")
            ])),
            Lang::Fr
        );
    }
}
