//! Per-request layers: the client's address, refusal of cross-site writes, the session.

use crate::startup::AppState;
use app::auth::{session, ClientAddr, CurrentSession};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Resolves who is calling and from where, and refuses cross-site writes, before any handler.
pub async fn request_context(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/healthz" || path == "/favicon.svg" {
        return next.run(req).await;
    }
    // A wallet's exchange carries its authority in its URL and never reads a session: wallets
    // post from apps and other origins.
    // So does the one-click unsubscribe (RFC 8058), which a mail provider posts from its own
    // servers or a webmail page.
    if crate::wallet::is_wallet_path(path) || path.starts_with("/mail/unsubscribe/") {
        let addr = client_addr(&req, state.trust_forwarded_for);
        req.extensions_mut().insert(ClientAddr(addr));
        return next.run(req).await;
    }
    if let Err(refusal) = refuse_cross_site(req.method(), req.headers()) {
        tracing::warn!(path, reason = refusal, "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response();
    }

    let addr = client_addr(&req, state.trust_forwarded_for);
    req.extensions_mut().insert(ClientAddr(addr));

    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| session::token_from_cookie_header(h, state.auth.cookie_secure))
        .map(str::to_owned);
    let principal = match token {
        None => None,
        Some(token) => match session::resolve(&state.db, &token).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The service is briefly unavailable; please try again.",
                )
                    .into_response();
            }
        },
    };
    req.extensions_mut().insert(CurrentSession(principal));
    next.run(req).await
}

/// Unsafe methods must come from our own pages: `Sec-Fetch-Site` (sent by every current
/// browser) must not say cross-site, and an `Origin`, when sent, must be this host.
fn refuse_cross_site(method: &Method, headers: &HeaderMap) -> Result<(), &'static str> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site") | Some("same-site")) {
        return Err("sec-fetch-site");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        if origin == "null" || origin_host != host {
            return Err("origin");
        }
    }
    Ok(())
}

/// The socket's address, or the last `X-Forwarded-For` hop when a trusted proxy sets it.
fn client_addr(req: &Request, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(ip) = forwarded {
            return ip.chars().take(64).collect();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, header::HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn reads_are_never_refused() {
        assert!(
            refuse_cross_site(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])).is_ok()
        );
    }

    #[test]
    fn cross_site_writes_are_refused() {
        assert!(
            refuse_cross_site(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")]))
                .is_err()
        );
        assert!(refuse_cross_site(
            &Method::POST,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ])
        )
        .is_err());
        assert!(refuse_cross_site(
            &Method::POST,
            &headers(&[("origin", "null"), ("host", "x")])
        )
        .is_err());
    }

    #[test]
    fn same_origin_writes_pass() {
        assert!(refuse_cross_site(
            &Method::POST,
            &headers(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        )
        .is_ok());
        assert!(
            refuse_cross_site(&Method::POST, &headers(&[])).is_ok(),
            "non-browser clients"
        );
    }
}
