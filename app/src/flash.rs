//! Messages for plain form posts (JavaScript off), carried by a short-lived cookie rather
//! than the URL: a page shows only what the server put there.
//!
//! When a plain form post is refused, the server sends the browser back to the form's page
//! with `?flash=ID` and sets the cookie `mcf_flash=ID|FIELD|MESSAGE` for that page's path. The
//! page shows the message only when the cookie's `ID` is the one in its URL. A link cannot set
//! a cookie, so a crafted `?flash=…` (or the `?message=…` pages used to read) shows nothing;
//! and a later visit without that `ID` shows nothing either. The cookie is readable by the
//! page's script (not `HttpOnly`) so the hydrated page renders what the server rendered.

use crate::components::form::FieldMessage;
use crate::domain::url::{decode, encode};

/// The cookie's name.
pub const COOKIE: &str = "mcf_flash";

/// How long the cookie lives, in seconds (a reload within it shows the message again).
pub const MAX_AGE_SECONDS: u32 = 120;

/// A fresh random id for one message (hex, 96 bits).
#[cfg(feature = "ssr")]
pub fn new_id() -> String {
    let mut bytes = [0u8; 12];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value carrying `field` and `message` under `id`, for the page at `path`
/// (only its path part is used); `Secure` when the site is served over HTTPS.
pub fn set_cookie(id: &str, path: &str, field: &str, message: &str, secure: bool) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.starts_with('/') && path.bytes().all(|b| b.is_ascii_graphic() && b != b';') {
        path
    } else {
        "/"
    };
    format!(
        "{COOKIE}={}|{}|{}; Path={path}; Max-Age={MAX_AGE_SECONDS}; SameSite=Strict{}",
        encode(id),
        encode(field),
        encode(message),
        if secure { "; Secure" } else { "" }
    )
}

/// `path` (a page and its query) with `flash=ID` in place of any earlier message parameters;
/// where a refused plain form post is sent back to.
pub fn back_to(path: &str, id: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut kept: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            !kv.is_empty()
                && !["flash=", "error=", "message="]
                    .iter()
                    .any(|p| kv.starts_with(p))
        })
        .collect();
    let flash = format!("flash={}", encode(id));
    kept.push(&flash);
    format!("{base}?{}", kept.join("&"))
}

/// The message in a `Cookie` header for the flash `id` of the page's URL, if the server set
/// one. `None` for any other id, a missing or malformed cookie.
pub fn from_cookie_header(header: &str, id: &str) -> Option<FieldMessage> {
    if id.is_empty() {
        return None;
    }
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        if name != COOKIE {
            return None;
        }
        let mut parts = value.split('|');
        let (cookie_id, field, message) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || decode(cookie_id)? != id {
            return None;
        }
        Some(FieldMessage {
            field: decode(field)?,
            message: decode(message)?,
        })
    })
}

/// The message the server left for this page (`id`: the URL's `flash` parameter), read from
/// the request on the server and from `document.cookie` in the browser, so both render alike.
pub fn current(id: Option<String>) -> Option<FieldMessage> {
    let id = id?;
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| from_cookie_header(h, &id))
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast as _;
        let document = web_sys::window()?.document()?;
        let cookies = document
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()?;
        from_cookie_header(&cookies, &id)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = id;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_round_trips_only_under_its_id() {
        let texts = [
            ("email", "is not an email address"),
            (
                "form[name]",
                "must be 1–120 characters; “quotes”, | pipes, ; and = signs",
            ),
            ("reset_link", "https://school.example/reset/abc?x=1&y=2"),
        ];
        for (field, message) in texts {
            let cookie = set_cookie("a1b2", "/join/tok?next=%2F", field, message, true);
            assert!(cookie.contains("; Path=/join/tok;"), "{cookie}");
            assert!(cookie.ends_with("; Secure"), "{cookie}");
            let value = cookie.split(';').next().expect("pair");
            let header = format!("other=1; {value}; more=2");
            let got = from_cookie_header(&header, "a1b2").expect("shown");
            assert_eq!((got.field.as_str(), got.message.as_str()), (field, message));
            assert_eq!(from_cookie_header(&header, "other"), None, "another id");
            assert_eq!(from_cookie_header(&header, ""), None);
        }
        assert_eq!(from_cookie_header("mcf_flash=a|b", "a"), None, "malformed");
    }

    #[test]
    fn the_url_carries_only_the_id() {
        assert_eq!(
            back_to("/sign-in?next=%2Fx&error=email&message=Hi&flash=old", "n3w"),
            "/sign-in?next=%2Fx&flash=n3w"
        );
        assert_eq!(back_to("/journal/4", "id"), "/journal/4?flash=id");
    }
}
