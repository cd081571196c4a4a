//! Bounds on what one request may cost, and answers for malformed ones.
//!
//! * [`api_guard`] caps the body of every server function (`/api/…`) at [`API_BODY_MAX`]
//!   before anything parses it, refuses form fields that are not UTF-8 or hold control
//!   characters (naming the field: PostgreSQL refuses a NUL in text, and no form of ours
//!   needs one), and gives a server function's error answer the HTTP status of its error
//!   (a refused input is a 422, never a 500).
//! * [`PerAddress`] limits how often one client address may call an expensive public endpoint
//!   (checking a pasted credential canonicalises JSON-LD).
//!
//! CPU-heavy work itself runs a core at a time through `app::work`, and the router has a
//! timeout layer (see `startup::router`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Largest body a server function accepts, in bytes. The largest real one, an evidence draft
/// with every rationale and link list full, stays under 200 KB.
pub const API_BODY_MAX: usize = 1024 * 1024;

/// Largest error answer read back to set its status (errors are short JSON).
const ERROR_BODY_MAX: usize = 64 * 1024;

/// Server-function paths with bodies of their own kind, limited where they are read
/// (multipart uploads and the verify form).
fn has_own_limits(path: &str) -> bool {
    matches!(path, "/api/uploads" | "/api/verify")
}

/// Caps, checks and answers every server function call; see the module documentation. The
/// state says whether cookies are `Secure` (HTTPS), for the message a refused plain form post
/// is sent back with.
pub async fn api_guard(State(secure): State<bool>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || has_own_limits(path) {
        return next.run(req).await;
    }
    let plain_form = accepts_html(&req) && req.method() == Method::POST;
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let refuse = |status: StatusCode, field: &str, message: &str| -> Response {
        refusal(
            status,
            field,
            message,
            plain_form.then_some(secure),
            referer.as_deref(),
        )
    };
    if let Some(query) = req.uri().query() {
        if let Err((field, message)) = check_form(query.as_bytes()) {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, &field, message);
        }
    }
    let req = if req.method() == Method::GET || req.method() == Method::HEAD {
        req
    } else {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > API_BODY_MAX as u64) {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, "body", TOO_LARGE);
        }
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, API_BODY_MAX).await {
            Ok(b) => b,
            Err(_) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, "body", TOO_LARGE),
        };
        if let Err((field, message)) = check_form(&bytes) {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, &field, message);
        }
        let mut parts = parts;
        if plain_form {
            // Kept so that a refusal can give the form back filled in (`app::flash`).
            parts
                .extensions
                .insert(app::flash::PlainFormBody(bytes.clone()));
        }
        Request::from_parts(parts, Body::from(bytes))
    };
    let response = next.run(req).await;
    status_from_error(response).await
}

const TOO_LARGE: &str = "the request is larger than 1 MB; shorten the text";

fn accepts_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// An error answer in the shape every server function uses (`AppError` as JSON), or for a
/// plain form post (`plain_form`: `Some(cookies are Secure)`), back to the form's page with
/// the message as a flash ([`app::flash`]).
fn refusal(
    status: StatusCode,
    field: &str,
    message: &str,
    plain_form: Option<bool>,
    referer: Option<&str>,
) -> Response {
    if let Some(secure) = plain_form {
        if let Some(back) = referer.and_then(app::api::referer_path) {
            let id = app::flash::new_id();
            let cookie = app::flash::set_cookie(&id, &back, field, message, secure);
            let target = app::flash::back_to(&back, &id);
            if let (Ok(location), Ok(cookie)) = (
                HeaderValue::from_str(&target),
                HeaderValue::from_str(&cookie),
            ) {
                return (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, location), (header::SET_COOKIE, cookie)],
                )
                    .into_response();
            }
        }
    }
    let error = app::error::AppError::invalid(field, message);
    (status, axum::Json(error)).into_response()
}

/// Checks an `application/x-www-form-urlencoded` body or query: every name and value must
/// decode to UTF-8 without control characters (tab, line feed and carriage return allowed).
/// Errors: the field's name (or `request` when the name itself is bad) and what is wrong.
pub fn check_form(raw: &[u8]) -> Result<(), (String, &'static str)> {
    for pair in raw.split(|b| *b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let name = decode(name)
            .ok()
            .filter(|n| printable(n))
            .ok_or_else(|| ("request".to_owned(), "a field name is not valid text"))?;
        let value = decode(value).map_err(|_| (name.clone(), "is not valid UTF-8 text"))?;
        if !printable(&value) {
            return Err((
                name,
                "contains a control character; remove it (paste as plain text)",
            ));
        }
    }
    Ok(())
}

/// Percent- and plus-decodes one form component into UTF-8.
fn decode(raw: &[u8]) -> Result<String, std::string::FromUtf8Error> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    String::from_utf8(percent_encoding::percent_decode(&spaced).collect())
}

/// No control characters but tab, line feed and carriage return.
fn printable(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// A server function's error answer goes out as 500 unless the function set a status; here
/// the error itself decides (`AppError::status`), so no refused input is ever a 500.
async fn status_from_error(response: Response) -> Response {
    let is_fn_error = response
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    if !is_fn_error || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ERROR_BODY_MAX).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A per-client-address rate limit (in this instance's memory: it bounds this instance's
/// work, which is what it protects).
#[derive(Clone)]
pub struct PerAddress {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

impl std::fmt::Debug for PerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PerAddress")
    }
}

impl PerAddress {
    /// `per_minute` calls a minute from one address, `burst` of them at once.
    pub fn new(per_minute: NonZeroU32, burst: NonZeroU32) -> Self {
        Self {
            limiter: Arc::new(DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(per_minute).allow_burst(burst),
            )),
        }
    }

    /// `Ok` when `address` may go on; otherwise the whole seconds to wait.
    pub fn check(&self, address: &str) -> Result<(), u64> {
        match self.limiter.check_key(&address.to_owned()) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                use governor::clock::{Clock, DefaultClock};
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(wait.as_secs().max(1))
            }
        }
        .inspect(|()| {
            // Forget addresses idle long enough to be back at a full burst.
            if self.limiter.len() > 10_000 {
                self.limiter.retain_recent();
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_checks_name_the_field() {
        assert!(check_form(b"a=1&b=Fish+%26+chips&c=%C3%A9t%C3%A9%0D%0Aline&d=tab%09").is_ok());
        assert!(check_form(b"").is_ok());
        assert_eq!(
            check_form(b"ok=1&entry%5Bbody%5D=a%00b").map_err(|e| e.0),
            Err("entry[body]".to_owned())
        );
        assert_eq!(
            check_form(b"title=%FF%FE").map_err(|e| e.0),
            Err("title".to_owned())
        );
        assert_eq!(
            check_form(b"x=%1B%5B31m").map_err(|e| e.0),
            Err("x".to_owned())
        );
        assert_eq!(
            check_form(b"%00=1").map_err(|e| e.0),
            Err("request".to_owned())
        );
        // C1 controls too.
        assert!(check_form("y=%C2%85".as_bytes()).is_err());
    }

    #[test]
    fn the_rate_limit_refuses_past_the_burst_and_per_address() {
        let limit = PerAddress::new(
            NonZeroU32::new(6).expect("non-zero"),
            NonZeroU32::new(3).expect("non-zero"),
        );
        for _ in 0..3 {
            assert_eq!(limit.check("192.0.2.1"), Ok(()));
        }
        let wait = limit.check("192.0.2.1").expect_err("past the burst");
        assert!((1..=10).contains(&wait), "{wait}");
        assert_eq!(limit.check("192.0.2.2"), Ok(()), "another address");
    }
}
