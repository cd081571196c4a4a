//! Wallet endpoints (no account, no cookie: the exchange's unguessable URL is the authority,
//! for 15 minutes and one use; see `app::db::credential::wallet`):
//!
//! * `GET /exchanges/{token}` (`Accept: application/json`): the interaction description,
//!   `{"protocols": {"vcapi": "<exchange URL>"}}`, for wallets given an interaction URL.
//! * `POST /exchanges/{token}` (VC API, "Participate in an exchange"): with `{}`, a
//!   `VerifiablePresentationRequest` for `DIDAuthentication`; with
//!   `{"verifiablePresentation": …}` signed by the wallet's did:key for that challenge, a
//!   presentation carrying a copy of the badge bound to that DID.
//!
//! OpenID for Verifiable Credential Issuance 1.0, pre-authorised code flow (the same offers;
//! see `app::db::credential::oid4vci`):
//!
//! * `GET /.well-known/openid-credential-issuer`: credential issuer metadata (§12.2);
//! * `GET /.well-known/oauth-authorization-server`, `/.well-known/openid-configuration`: the
//!   token endpoint (RFC 8414);
//! * `POST /oid4vci/token` (form): code and PIN for an access token and a `c_nonce`;
//! * `POST /oid4vci/nonce`: a fresh `c_nonce`;
//! * `POST /oid4vci/credential` (JSON, `Authorization: Bearer`): a key proof for the copy.
//!
//! Those errors are OAuth's `{"error": …, "error_description": …}`: 400, or 401 with
//! `WWW-Authenticate` for a bad token.
//!
//! VC-API errors are JSON `{"name": …, "message": …}` with a 4xx status: 400 for a body that is not
//! what the step expects, 404 for an unknown or expired exchange or a revoked credential, 409
//! for an exchange already used or a challenge not given, 413 for a body over 64 KB, 422 for
//! a presentation that does not prove control of a DID for our challenge.

use crate::startup::AppState;
use app::db::credential as db;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// Largest body a wallet may send: a DID Authentication presentation is ~1 KB.
pub const EXCHANGE_BODY_MAX: usize = 64 * 1024;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/exchanges/{token}",
            get(interaction)
                .post(participate)
                .options(preflight)
                .layer(DefaultBodyLimit::max(EXCHANGE_BODY_MAX)),
        )
        .route(
            "/.well-known/openid-credential-issuer",
            get(issuer_metadata),
        )
        .route("/.well-known/oauth-authorization-server", get(as_metadata))
        .route("/.well-known/openid-configuration", get(as_metadata))
        .route(
            "/oid4vci/token",
            post(token)
                .options(preflight)
                .layer(DefaultBodyLimit::max(EXCHANGE_BODY_MAX)),
        )
        .route("/oid4vci/nonce", post(nonce).options(preflight))
        .route(
            "/oid4vci/credential",
            post(credential)
                .options(preflight)
                .layer(DefaultBodyLimit::max(EXCHANGE_BODY_MAX)),
        )
}

/// Whether a path is one of these endpoints (no session, no cross-site check).
pub fn is_wallet_path(path: &str) -> bool {
    path.starts_with("/exchanges/") || path.starts_with("/oid4vci/")
}

/// Wallets may run in browsers on other origins; nothing here depends on cookies.
fn cors(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

fn problem(status: StatusCode, name: &str, message: &str) -> Response {
    cors((status, Json(json!({ "name": name, "message": message }))).into_response())
}

fn refused(e: db::ExchangeRefused) -> Response {
    match e {
        db::ExchangeRefused::Gone => problem(
            StatusCode::NOT_FOUND,
            "NotFoundError",
            "This exchange does not exist or has expired; open a new one from the credential's page.",
        ),
        db::ExchangeRefused::Used => problem(
            StatusCode::CONFLICT,
            "DuplicateError",
            "This exchange was already used; open a new one from the credential's page.",
        ),
        db::ExchangeRefused::NoChallenge => problem(
            StatusCode::CONFLICT,
            "NotAllowedError",
            "Ask for a presentation request first (POST {}), then answer its challenge once.",
        ),
        db::ExchangeRefused::NotProven(why) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "DataError",
            &format!("verifiablePresentation: it does not prove control of a DID for this exchange: {why}"),
        ),
    }
}

fn internal(e: &anyhow::Error) -> Response {
    if app::work::is_busy(e) {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "OperationError",
            "The service is busy; please try again.",
        );
    }
    tracing::error!(error = format!("{e:#}"), "wallet exchange failed");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "OperationError",
        "Something went wrong on our side; please try again.",
    )
}

async fn preflight() -> Response {
    let mut r = cors(StatusCode::NO_CONTENT.into_response());
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type, accept, authorization"),
    );
    r
}

/// `GET /exchanges/{token}`: the protocols this interaction offers.
async fn interaction(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(issuer) = state.db.issuer() else {
        return internal(&anyhow::anyhow!("no issuer"));
    };
    if !db::valid_token(&token) {
        return refused(db::ExchangeRefused::Gone);
    }
    cors(
        Json(json!({
            "protocols": { "vcapi": db::exchange_url(&issuer.base_url, &token) }
        }))
        .into_response(),
    )
}

/// `POST /exchanges/{token}`: one step of the exchange.
async fn participate(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(issuer) = state.db.issuer() else {
        return internal(&anyhow::anyhow!("no issuer"));
    };
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "DataError",
                "body: larger than 64 KB; a presentation is about 1 KB",
            )
        }
        Err(_) => return problem(StatusCode::BAD_REQUEST, "DataError", "body: unreadable"),
    };
    if !db::valid_token(&token) {
        return refused(db::ExchangeRefused::Gone);
    }
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "DataError",
                    "body: not JSON; send {} or {\"verifiablePresentation\": …}",
                )
            }
        }
    };
    let Some(map) = body.as_object() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "DataError",
            "body: must be a JSON object",
        );
    };
    let now = app::db::now_ms();
    let answer = match map.get("verifiablePresentation") {
        None => db::request_did_auth(&state.db, &issuer, &token, now).await,
        Some(vp) => {
            if !vp.is_object() {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "DataError",
                    "verifiablePresentation: must be a JSON object",
                );
            }
            if let Err(why) = app::credentials::verify::within_limits(vp) {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "DataError",
                    &format!("verifiablePresentation: {why}"),
                );
            }
            db::complete(&state.db, &issuer, &token, vp.clone(), now).await
        }
    };
    match answer {
        Ok(Ok(v)) => cors(Json(v).into_response()),
        Ok(Err(e)) => refused(e),
        Err(e) => internal(&e),
    }
}

fn oauth(status: StatusCode, e: db::OauthError) -> Response {
    let mut r = cors(
        (
            status,
            Json(json!({ "error": e.code, "error_description": e.description })),
        )
            .into_response(),
    );
    if status == StatusCode::UNAUTHORIZED {
        if let Ok(v) = HeaderValue::from_str(&format!("Bearer error=\"{}\"", e.code)) {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
    }
    r
}

fn bad_request(code: &'static str, description: &str) -> Response {
    oauth(
        StatusCode::BAD_REQUEST,
        db::OauthError {
            code,
            description: description.to_owned(),
        },
    )
}

fn too_large(body: &axum::extract::rejection::BytesRejection) -> Option<Response> {
    (body.status() == StatusCode::PAYLOAD_TOO_LARGE)
        .then(|| bad_request("invalid_request", "body: larger than 64 KB"))
}

/// `GET /.well-known/openid-credential-issuer`.
async fn issuer_metadata(State(state): State<AppState>) -> Response {
    match state.db.issuer() {
        Some(issuer) => cors(Json(db::issuer_metadata(&issuer)).into_response()),
        None => internal(&anyhow::anyhow!("no issuer")),
    }
}

/// `GET /.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`.
async fn as_metadata(State(state): State<AppState>) -> Response {
    match state.db.issuer() {
        Some(issuer) => cors(Json(db::authorization_server_metadata(&issuer)).into_response()),
        None => internal(&anyhow::anyhow!("no issuer")),
    }
}

/// `POST /oid4vci/token`.
async fn token(
    State(state): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            return too_large(&e)
                .unwrap_or_else(|| bad_request("invalid_request", "body: unreadable"))
        }
    };
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return bad_request(
            "invalid_request",
            "body: not application/x-www-form-urlencoded",
        );
    };
    match db::token(&state.db, &form, app::db::now_ms()).await {
        Ok(Ok(v)) => cors(Json(v).into_response()),
        Ok(Err(e)) => oauth(StatusCode::BAD_REQUEST, e),
        Err(e) => internal(&e),
    }
}

/// `POST /oid4vci/nonce`.
async fn nonce(State(state): State<AppState>) -> Response {
    match db::nonce(&state.db, app::db::now_ms()).await {
        Ok(Some(n)) => cors(Json(json!({ "c_nonce": n })).into_response()),
        Ok(None) => problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "OperationError",
            "Too many nonces are outstanding; please try again in a few minutes.",
        ),
        Err(e) => internal(&e),
    }
}

/// `POST /oid4vci/credential`.
async fn credential(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(issuer) = state.db.issuer() else {
        return internal(&anyhow::anyhow!("no issuer"));
    };
    let Some(access) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| db::valid_token(t))
    else {
        return oauth(
            StatusCode::UNAUTHORIZED,
            db::OauthError {
                code: "invalid_token",
                description:
                    "Authorization: a Bearer access token from the token endpoint is required"
                        .into(),
            },
        );
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            return too_large(&e)
                .unwrap_or_else(|| bad_request("invalid_request", "body: unreadable"))
        }
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("invalid_request", "body: not JSON");
    };
    if !body.is_object() {
        return bad_request("invalid_request", "body: must be a JSON object");
    }
    match db::credential(&state.db, &issuer, access, &body, app::db::now_ms()).await {
        Ok(Ok(v)) => cors(Json(v).into_response()),
        Ok(Err(e)) if e.code == "invalid_token" => oauth(StatusCode::UNAUTHORIZED, e),
        Ok(Err(e)) => oauth(StatusCode::BAD_REQUEST, e),
        Err(e) => internal(&e),
    }
}
