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

/// Where a page that was refused several things at once is opened: its summary of problems
/// (the element with id `problem`), which a form able to report several problems has.
pub const PROBLEMS_ANCHOR: &str = "#problem";

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

/// Query parameters that redirects add to say what just happened (`?saved=3`, `?flash=…`):
/// shown once, never carried on to the next page.
pub const OUTCOME_PARAMS: &[&str] = &[
    "flash",
    "error",
    "message",
    "saved",
    "changed",
    "checked",
    "conflict",
    "decided",
    "submitted",
    "uploaded",
    "welcome",
    "sampled",
    "assigned",
    "reset",
];

/// Where a plain form post that succeeded goes: `target` (path, query, anchor), carrying the
/// state of the page the form was on (`referer`: its path and query, as the browser sent it)
/// when `target` is that same page. Every query parameter of the referring page except the
/// outcome markers ([`OUTCOME_PARAMS`]) and those `target` sets itself is kept, before
/// `target`'s own; `target`'s anchor is kept. So saving a rating on
/// `…/checklist?phase=baseline` lands on `…/checklist?phase=baseline&saved=3#indicator-3`,
/// not on the "now" phase (issue 15).
pub fn keep_page_state(target: &str, referer: &str) -> String {
    let (target_rest, anchor) = match target.split_once('#') {
        Some((rest, anchor)) => (rest, Some(anchor)),
        None => (target, None),
    };
    let (target_path, target_query) = target_rest.split_once('?').unwrap_or((target_rest, ""));
    let referer = referer.split('#').next().unwrap_or(referer);
    let (referer_path, referer_query) = referer.split_once('?').unwrap_or((referer, ""));
    if referer_path != target_path || referer_query.is_empty() {
        return target.to_owned();
    }
    let key = |pair: &str| pair.split('=').next().unwrap_or("").to_owned();
    let target_pairs: Vec<&str> = target_query.split('&').filter(|p| !p.is_empty()).collect();
    let set_by_target: Vec<String> = target_pairs.iter().map(|p| key(p)).collect();
    let mut pairs: Vec<&str> = Vec::new();
    for pair in referer_query.split('&') {
        let k = key(pair);
        if pair.is_empty()
            || k.is_empty()
            || OUTCOME_PARAMS.contains(&k.as_str())
            || set_by_target.contains(&k)
            || pairs.iter().any(|p| key(p) == k)
        {
            continue;
        }
        pairs.push(pair);
    }
    pairs.extend(target_pairs);
    let mut out = target_path.to_owned();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    if let Some(anchor) = anchor {
        out.push('#');
        out.push_str(anchor);
    }
    out
}

/// The cookies that give a refused plain form back filled in: `mcf_echo0`, `mcf_echo1`, …
pub const ECHO_COOKIE: &str = "mcf_echo";

/// The most a chunk of the echo holds (browsers keep cookies of up to 4,096 bytes).
const ECHO_CHUNK: usize = 3_800;

/// The most chunks an echo has: ~30 KB of form text. Longer texts live in drafts the server
/// saves before refusing (evidence, journal), so no word is lost.
pub const ECHO_MAX_CHUNKS: usize = 8;

/// Whether a form field is a secret that is never echoed back (passwords, one-time codes).
pub fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password")
        || name.contains("token")
        || matches!(name.as_str(), "confirm" | "code" | "current")
}

/// The `Set-Cookie` values that echo a refused plain form's fields (`body`, as the browser
/// posted it: `application/x-www-form-urlencoded`) to the page at `path` under the flash `id`,
/// for 120 s, readable by the page's script so the hydrated page shows the same. Secret fields
/// ([`is_secret_field`]) are left out; if the rest is over [`ECHO_MAX_CHUNKS`] chunks, the
/// longest fields are left out until it fits. Empty when nothing is left to echo.
pub fn echo_cookies(id: &str, path: &str, body: &str, secure: bool) -> Vec<String> {
    let mut pairs: Vec<&str> = body
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            let name = decode(&name.replace('+', " ")).unwrap_or_default();
            !pair.is_empty()
                && !is_secret_field(&name)
                && pair
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"*-._+%=~".contains(&b))
        })
        .collect();
    let budget = ECHO_CHUNK * ECHO_MAX_CHUNKS;
    while pairs.iter().map(|p| p.len() + 1).sum::<usize>() > budget {
        let longest = (0..pairs.len()).max_by_key(|i| pairs[*i].len());
        match longest {
            Some(i) => {
                pairs.remove(i);
            }
            None => break,
        }
    }
    let echo = pairs.join("&");
    if echo.is_empty() {
        return Vec::new();
    }
    let cookie_path = set_cookie(id, path, "", "", secure);
    let attributes = cookie_path.split_once(';').map_or("", |(_, a)| a);
    echo.as_bytes()
        .chunks(ECHO_CHUNK)
        .enumerate()
        .map(|(i, chunk)| {
            // Only ASCII was kept, so every chunk is text.
            let chunk = std::str::from_utf8(chunk).unwrap_or_default();
            format!("{ECHO_COOKIE}{i}={}|{chunk};{attributes}", encode(id))
        })
        .collect()
}

/// The fields echoed under the flash `id` in a `Cookie` header (name, value), in the order the
/// form had them; empty when there is no echo for `id`.
pub fn echo_from_cookie_header(header: &str, id: &str) -> Vec<(String, String)> {
    if id.is_empty() {
        return Vec::new();
    }
    let cookies: Vec<(&str, &str)> = header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .collect();
    let mut echo = String::new();
    for i in 0..ECHO_MAX_CHUNKS {
        let name = format!("{ECHO_COOKIE}{i}");
        let chunk = cookies.iter().find_map(|(n, v)| {
            let (chunk_id, chunk) = v.split_once('|')?;
            (*n == name && decode(chunk_id).as_deref() == Some(id)).then_some(chunk)
        });
        match chunk {
            Some(chunk) => echo.push_str(chunk),
            None => break,
        }
    }
    echo.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((
                decode(&name.replace('+', " "))?,
                decode(&value.replace('+', " "))?,
            ))
        })
        .filter(|(name, _)| !is_secret_field(name))
        .collect()
}

/// The fields of a refused plain form post echoed for this page (the flash `id` of its URL),
/// from the request's cookies on the server and `document.cookie` in the browser.
pub fn echoed(id: Option<String>) -> Vec<(String, String)> {
    let Some(id) = id else {
        return Vec::new();
    };
    cookie_header()
        .map(|h| echo_from_cookie_header(&h, &id))
        .unwrap_or_default()
}

/// The page request's cookies (server) or the document's (browser).
fn cookie_header() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let all: Vec<&str> = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Some(all.join("; "))
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast as _;
        let document = web_sys::window()?.document()?;
        document
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

/// The body of a plain form post, kept by the server's request guard so that a refusal can
/// echo it ([`echo_cookies`]).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PlainFormBody(pub leptos::server_fn::Bytes);

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
        // As it was left: a message may carry data (a reset link), so it is shown as a
        // sentence only where it is shown as an error (`form::use_form_error`).
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
    cookie_header().and_then(|h| from_cookie_header(&h, &id))
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

    /// The rating on the baseline checklist (the case in issue 15) and the rules around it.
    #[test]
    fn a_plain_form_lands_on_its_page_in_the_same_state() {
        let cases = [
            (
                "/c/checklist?saved=3#indicator-3",
                "/c/checklist?phase=baseline",
                "/c/checklist?phase=baseline&saved=3#indicator-3",
            ),
            (
                "/c/checklist?saved=4#indicator-4",
                "/c/checklist?phase=baseline&saved=3&flash=ab",
                "/c/checklist?phase=baseline&saved=4#indicator-4",
            ),
            ("/journal/7?saved=1", "/journal?bin=1", "/journal/7?saved=1"),
            ("/profile", "/profile", "/profile"),
            ("/x?phase=current", "/x?phase=baseline", "/x?phase=current"),
        ];
        for (target, referer, expected) in cases {
            assert_eq!(
                keep_page_state(target, referer),
                expected,
                "{target} from {referer}"
            );
        }
    }

    proptest::proptest! {
        /// Whatever the page's query: its state parameters survive, outcome markers do not,
        /// the target's own parameters and anchor win, and another page gets the target as is.
        #[test]
        fn page_state_is_kept_and_outcomes_are_not(
            path in "/[a-z]{1,8}(/[a-z0-9-]{1,8}){0,3}",
            state in proptest::collection::btree_map("[a-z_]{1,8}", "[A-Za-z0-9%.-]{0,8}", 0..5),
            outcomes in proptest::collection::vec((0..OUTCOME_PARAMS.len(), "[a-z0-9]{0,6}"), 0..3),
            own in proptest::collection::btree_map("[a-z_]{1,8}", "[a-z0-9]{0,6}", 0..3),
            anchor in proptest::option::of("[a-z0-9-]{1,12}"),
            other_page in proptest::bool::ANY,
        ) {
            let state: Vec<(String, String)> = state
                .into_iter()
                .filter(|(k, _)| !OUTCOME_PARAMS.contains(&k.as_str()))
                .collect();
            let mut referer_pairs: Vec<String> = state.iter().map(|(k, v)| format!("{k}={v}")).collect();
            for (i, v) in &outcomes {
                referer_pairs.push(format!("{}={v}", OUTCOME_PARAMS[*i]));
            }
            let referer = format!("{path}?{}", referer_pairs.join("&"));
            let own_query: Vec<String> = own.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let target_path = if other_page { format!("{path}/other") } else { path.clone() };
            let mut target = target_path.clone();
            if !own_query.is_empty() {
                target.push('?');
                target.push_str(&own_query.join("&"));
            }
            if let Some(a) = &anchor {
                target.push('#');
                target.push_str(a);
            }
            let out = keep_page_state(&target, &referer);
            if other_page {
                proptest::prop_assert_eq!(&out, &target);
                return Ok(());
            }
            let (rest, out_anchor) = match out.split_once('#') {
                Some((r, a)) => (r, Some(a.to_owned())),
                None => (out.as_str(), None),
            };
            proptest::prop_assert_eq!(out_anchor, anchor);
            let (out_path, out_query) = rest.split_once('?').unwrap_or((rest, ""));
            proptest::prop_assert_eq!(out_path, target_path.as_str());
            let pairs: Vec<(&str, &str)> = out_query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| p.split_once('=').unwrap_or((p, "")))
                .collect();
            for (k, v) in &own {
                proptest::prop_assert!(pairs.contains(&(k.as_str(), v.as_str())), "own {k} lost in {out}");
            }
            for (k, v) in &state {
                let expected = own.get(k).map_or(v.as_str(), String::as_str);
                proptest::prop_assert!(pairs.contains(&(k.as_str(), expected)), "state {k} lost in {out}");
            }
            for (k, _) in &pairs {
                proptest::prop_assert!(
                    !OUTCOME_PARAMS.contains(k) || own.contains_key(*k),
                    "outcome {k} carried into {out}"
                );
                proptest::prop_assert_eq!(pairs.iter().filter(|(k2, _)| k2 == k).count(), 1);
            }
        }
    }
}
