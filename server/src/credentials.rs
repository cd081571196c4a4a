//! Public credential endpoints, no account needed:
//!
//! * `GET /.well-known/did.json`: the issuer's DID document (every key ever used).
//! * `GET /credentials/status/{list}`: the signed revocation status list.
//! * `GET /credentials/{id}/credential.json`, `…/badge.png`, `…/badge.svg`: a credential as
//!   JSON and baked into its badge image (PNG `iTXt` chunk, SVG `<openbadges:credential>`).
//! * `GET /achievements/{framework}/{key}`: an achievement as JSON.
//! * `GET /badges/{framework}/{key}.svg|.png`, `/badges/issuer.svg`: the artwork.
//! * `GET /learning-statement.json`: the signed-in teacher's Learning Statement (chosen parts).
//! * `GET /credentials/{id}` asking for JSON (`Accept: application/json`, `application/ld+json`,
//!   `application/vc+ld+json`, without `text/html`): the credential itself, so a verifier that
//!   dereferences the credential's `id` gets the document; browsers get the page.
//! * `POST /api/verify`: verifies an uploaded credential (JSON, baked PNG or SVG) or pasted
//!   JSON; answers JSON to scripts and redirects a page's form to the result.

use crate::startup::AppState;
use app::credentials::bake;
use app::credentials::image::{badge_png, badge_svg, Design};
use app::db::credential as db;
use app::domain::credential::Verdict;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// Largest file the verifier accepts.
const VERIFY_MAX_BYTES: usize = 1024 * 1024;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/did.json", get(did_json))
        .route("/credentials/status/{list}", get(status_list))
        .route("/credentials/{id}/{file}", get(download))
        .route("/achievements/{framework}/{key}", get(achievement))
        .route("/badges/issuer.svg", get(issuer_svg))
        .route("/badges/{framework}/{file}", get(artwork))
        .route("/learning-statement.json", get(statement_json))
        .route(
            "/api/verify",
            post(verify).layer(DefaultBodyLimit::max(VERIFY_MAX_BYTES + 64 * 1024)),
        )
}

fn internal(e: &anyhow::Error, what: &str) -> Response {
    tracing::error!(error = format!("{e:#}"), "{what} failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side; please try again.",
    )
        .into_response()
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("{what} was not found.")).into_response()
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Credentials are not available yet; please try again.",
    )
        .into_response()
}

/// Public data readable from any origin (verifiers run in browsers too).
fn public(mut response: Response, content_type: &'static str, cache: &'static str) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

async fn did_json(State(state): State<AppState>) -> Response {
    let Some(issuer) = state.db.issuer() else {
        return unavailable();
    };
    match db::did_document(&state.db, &issuer.did).await {
        Ok(doc) => public(
            doc.to_string().into_response(),
            "application/did+json",
            "public, max-age=300",
        ),
        Err(e) => internal(&e, "the DID document"),
    }
}

async fn status_list(State(state): State<AppState>, Path(list): Path<String>) -> Response {
    let Ok(list) = list.parse::<i64>() else {
        return not_found("That status list");
    };
    match db::status_list(&state.db, list).await {
        Ok(Some(doc)) => public(doc.into_response(), "application/vc+ld+json", "no-cache"),
        Ok(None) => not_found("That status list"),
        Err(e) => internal(&e, "the status list"),
    }
}

/// A file name for a credential's downloads, from the achievement name.
fn file_stem(document: &str) -> String {
    let name = serde_json::from_str::<Value>(document)
        .ok()
        .and_then(|d| {
            d.pointer("/credentialSubject/achievement/name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "credential".into());
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "credential".into()
    } else {
        stem
    }
}

fn attachment(mut response: Response, content_type: &'static str, name: &str) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

async fn download(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let found = match db::document(&state.db, &id).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found("That credential"),
        Err(e) => return internal(&e, "reading a credential"),
    };
    let (document, key, framework) = found;
    let stem = file_stem(&document);
    match file.as_str() {
        "credential.json" => attachment(
            document.into_response(),
            "application/json",
            &format!("{stem}.json"),
        ),
        "badge.png" | "badge.svg" => {
            let design = match db::design(&state.db, &framework, &key).await {
                Ok(Some(d)) => d,
                Ok(None) => return not_found("That badge"),
                Err(e) => return internal(&e, "a badge design"),
            };
            if file == "badge.png" {
                match bake::bake_png(&cached_png(&design), &document) {
                    Ok(bytes) => {
                        attachment(bytes.into_response(), "image/png", &format!("{stem}.png"))
                    }
                    Err(e) => internal(&anyhow::anyhow!("{e}"), "baking a PNG"),
                }
            } else {
                match bake::bake_svg(&badge_svg(&design), &document) {
                    Ok(text) => {
                        let mut r = attachment(
                            text.into_response(),
                            "image/svg+xml",
                            &format!("{stem}.svg"),
                        );
                        r.headers_mut().insert(
                            header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(
                                "default-src 'none'; style-src 'unsafe-inline'",
                            ),
                        );
                        r
                    }
                    Err(e) => internal(&anyhow::anyhow!("{e}"), "baking an SVG"),
                }
            }
        }
        _ => not_found("That download"),
    }
}

/// The public id in `/credentials/{id}` (32 lowercase hex digits), if that is the path.
fn credential_page_id(path: &str) -> Option<&str> {
    let id = path.strip_prefix("/credentials/")?;
    (id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then_some(id)
}

/// Layer in front of the pages: `GET /credentials/{id}` asking for JSON answers the credential
/// (the URL is the credential's `id`); every other request goes on. Both answers vary on
/// `Accept`, so caches keep them apart.
pub async fn negotiate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let id = match credential_page_id(req.uri().path()) {
        Some(id) if req.method() == Method::GET => id.to_owned(),
        _ => return next.run(req).await,
    };
    let mut response = if crate::uploads::wants_json(req.headers()) {
        match db::document(&state.db, &id).await {
            Ok(Some((document, _, _))) => public(
                document.into_response(),
                "application/vc+ld+json",
                "no-cache",
            ),
            Ok(None) => not_found("That credential"),
            Err(e) => internal(&e, "reading a credential"),
        }
    } else {
        next.run(req).await
    };
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// Rendered PNGs, by design key and title (rendering takes milliseconds; they never change
/// while the server runs).
fn cached_png(design: &Design) -> Vec<u8> {
    static CACHE: LazyLock<Mutex<HashMap<String, Vec<u8>>>> = LazyLock::new(Mutex::default);
    let key = format!("{}\u{0}{}\u{0}{}", design.key, design.title, design.number);
    if let Ok(cache) = CACHE.lock() {
        if let Some(png) = cache.get(&key) {
            return png.clone();
        }
    }
    let png = badge_png(design);
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(key, png.clone());
    }
    png
}

async fn achievement(
    State(state): State<AppState>,
    Path((framework, key)): Path<(String, String)>,
) -> Response {
    let base = state.auth.public_base_url.clone();
    match db::achievement_json(&state.db, &base, &framework, &key).await {
        Ok(Some(doc)) => public(
            doc.to_string().into_response(),
            "application/json",
            "public, max-age=300",
        ),
        Ok(None) => not_found("That achievement"),
        Err(e) => internal(&e, "an achievement"),
    }
}

fn svg_response(svg: String) -> Response {
    let mut r = public(
        svg.into_response(),
        "image/svg+xml",
        "public, max-age=86400",
    );
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    r
}

async fn artwork(
    State(state): State<AppState>,
    Path((framework, file)): Path<(String, String)>,
) -> Response {
    let (key, png) = match (file.strip_suffix(".svg"), file.strip_suffix(".png")) {
        (Some(k), _) => (k, false),
        (_, Some(k)) => (k, true),
        _ => return not_found("That image"),
    };
    match db::design(&state.db, &framework, key).await {
        Ok(Some(design)) if png => public(
            cached_png(&design).into_response(),
            "image/png",
            "public, max-age=86400",
        ),
        Ok(Some(design)) => svg_response(badge_svg(&design)),
        Ok(None) => not_found("That image"),
        Err(e) => internal(&e, "a badge image"),
    }
}

async fn issuer_svg(State(state): State<AppState>) -> Response {
    let name = state
        .db
        .issuer()
        .map_or_else(|| "Issuer".to_owned(), |i| i.name.clone());
    svg_response(badge_svg(&Design {
        key: "issuer".into(),
        title: name,
        number: 0,
    }))
}

/// `GET /learning-statement.json`: the signed-in teacher's statement, the chosen parts only.
async fn statement_json(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<app::auth::CurrentSession>,
) -> Response {
    let Some(who) = session.0 else {
        return (
            StatusCode::UNAUTHORIZED,
            "Please sign in to download your statement.",
        )
            .into_response();
    };
    let Some(issuer) = state.db.issuer() else {
        return unavailable();
    };
    match app::db::statement::load(&state.db, &issuer, who.user_id).await {
        Ok(Some(s)) => {
            let doc = app::db::statement::export(&s, app::db::now_ms());
            let mut r = serde_json::to_string_pretty(&doc)
                .unwrap_or_default()
                .into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"learning-statement.json\""),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            r
        }
        Ok(None) => not_found("The course"),
        Err(e) => internal(&e, "the learning statement"),
    }
}

/// Why an Open Badges 2.0 badge is not checked here.
const OB2_WHY: &str = "it is an Open Badges 2.0 badge; this page checks Open Badges 3.0 credentials (an OB 2.0 badge is checked at its issuer's hosted address)";

/// What the verify form sends: a file, or pasted JSON.
async fn read_upload(multipart: &mut Multipart) -> Result<Vec<u8>, String> {
    let mut found: Option<Vec<u8>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err("too-big".into()),
            Err(_) => return Err("broken".into()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err("too-big".into()),
            Err(_) => return Err("broken".into()),
        };
        if bytes.len() > VERIFY_MAX_BYTES {
            return Err("too-big".into());
        }
        let empty = bytes.iter().all(u8::is_ascii_whitespace);
        if (name == "file" || name == "json") && !empty && found.is_none() {
            found = Some(bytes.to_vec());
        }
    }
    found.ok_or_else(|| "empty".to_owned())
}

/// `POST /api/verify`.
async fn verify(
    state: State<AppState>,
    headers: HeaderMap,
    client: Option<axum::Extension<app::auth::ClientAddr>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    // The findings read in the page's language (cookie, else Accept-Language).
    let lang = app::lang::of_headers(&headers);
    app::i18n::for_request(lang, verify_in(state, headers, client, multipart)).await
}

async fn verify_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<axum::Extension<app::auth::ClientAddr>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let json = crate::uploads::wants_json(&headers);
    let address = client.map(|c| c.0 .0).unwrap_or_default();
    if let Err(wait) = state.verify_limit.check(&address) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            Json(app::error::AppError::TooManyRequests(wait)),
        )
            .into_response();
    }
    let problem = |code: &str, message: &str| -> Response {
        if json {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "Invalid": { "field": "file", "message": message, "code": code } })),
            )
                .into_response()
        } else {
            Redirect::to(&format!("/verify?result={code}#result")).into_response()
        }
    };
    let Some(issuer) = state.db.issuer() else {
        return unavailable();
    };
    let Ok(mut multipart) = multipart else {
        return problem("empty", "send a file or pasted JSON from the verify form");
    };
    let bytes = match read_upload(&mut multipart).await {
        Ok(b) => b,
        Err(code) => {
            return problem(
                &code,
                "choose a file (PNG, SVG or JSON) or paste a credential",
            )
        }
    };
    // What is recognised but cannot be checked here is named, not called invalid: scripts get
    // the report (200), the page a result code.
    let unverifiable = |code: &str, why: &str| -> Response {
        if json {
            Json(app::credentials::verify::cannot_check(why)).into_response()
        } else {
            Redirect::to(&format!("/verify?result={code}#result")).into_response()
        }
    };
    let text = match bake::extract_any(&bytes) {
        Ok(t) => t,
        Err(bake::BakeError::OpenBadges2) => return unverifiable("ob2", OB2_WHY),
        Err(e) => {
            let code = match e {
                bake::BakeError::NoCredential => "no-credential",
                bake::BakeError::NotSupported => "not-supported",
                bake::BakeError::TooLarge => "too-big",
                bake::BakeError::Damaged(_) => "damaged",
                bake::BakeError::OpenBadges2 => "ob2",
            };
            return problem(code, &e.to_string());
        }
    };
    if app::credentials::verify::is_compact_jws(&text) {
        return unverifiable(
            "jwt",
            "it is a credential secured as a JWT (a compact JWS); this page checks credentials secured with Data Integrity proofs (eddsa-rdfc-2022, Ed25519Signature2020)",
        );
    }
    let Ok(doc) = serde_json::from_str::<Value>(&text) else {
        return problem("not-json", "the credential is not valid JSON");
    };
    if let Some(why) = app::credentials::verify::not_checkable(&doc) {
        return unverifiable("ob2", &why);
    }
    if let Err(why) = app::credentials::verify::within_limits(&doc) {
        return problem("too-big", &format!("this cannot be a credential: {why}"));
    }
    let report = match db::verify_document(&state.db, &issuer, &doc).await {
        Ok(r) => r,
        Err(e) if app::work::is_busy(&e) => return unavailable(),
        Err(e) => return internal(&e, "verifying a credential"),
    };
    if json {
        return Json(report).into_response();
    }
    // A credential is shown as ours (on its own page, which verifies the stored copy) only
    // when its signature verified with our DID's key: an `id` naming one of our credentials
    // proves nothing by itself (anyone can copy it into a document they sign).
    let prefix = format!("{}/credentials/", issuer.base_url);
    let our_id = doc
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| id.strip_prefix(&prefix))
        .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()) && !id.is_empty());
    let ours = db::is_ours(&report, &issuer);
    let stored = match our_id {
        Some(id) if ours => db::document(&state.db, id)
            .await
            .ok()
            .flatten()
            .map(|d| d.0),
        _ => None,
    };
    // The very document we stored (not merely one signed with our key, which a retired key's
    // holder could make).
    let same = stored
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .is_some_and(|s| s == doc);
    let signer_is_key = report
        .signer
        .as_deref()
        .is_some_and(|s| s.starts_with("did:key:"));
    match (
        our_id,
        same,
        report.signature_problem.as_deref(),
        report.verdict,
    ) {
        (Some(id), true, None, _) => {
            Redirect::to(&format!("/credentials/{id}?checked=1")).into_response()
        }
        (_, _, None, Verdict::Valid) if signer_is_key => problem("valid-unconfirmed", ""),
        (_, _, None, Verdict::Valid) => problem("valid-elsewhere", ""),
        (_, _, Some(code), _) => problem(code, ""),
        (_, _, None, _) if report.checks.len() == 1 => problem("not-ob3", ""),
        // Signed and current, but its status list is another site's.
        (_, _, None, Verdict::CannotCheck) => problem("status-unknown", ""),
        (_, _, None, v) => problem(v.key(), ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_credential_page_asking_for_json_is_answered_with_the_document() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(credential_page_id(&format!("/credentials/{id}")), Some(id));
        for other in [
            "/credentials",
            "/credentials/",
            "/credentials/0123456789ABCDEF0123456789ABCDEF",
            "/credentials/0123456789abcdef0123456789abcde",
            "/credentials/0123456789abcdef0123456789abcdef/badge.png",
            "/credentials/status/1",
        ] {
            assert_eq!(credential_page_id(other), None, "{other}");
        }
        let accept = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, HeaderValue::from_static(v));
            h
        };
        assert!(crate::uploads::wants_json(&accept("application/json")));
        assert!(crate::uploads::wants_json(&accept("application/ld+json")));
        assert!(crate::uploads::wants_json(&accept(
            "application/vc+ld+json, */*;q=0.1"
        )));
        assert!(!crate::uploads::wants_json(&accept(
            "text/html,application/xhtml+xml,application/json;q=0.9"
        )));
        assert!(!crate::uploads::wants_json(&accept("*/*")));
        assert!(!crate::uploads::wants_json(&HeaderMap::new()));
    }

    #[test]
    fn download_names_come_from_the_achievement() {
        let doc = r#"{"credentialSubject":{"achievement":{"name":"Professional Identity: Mentoring Micro-credential"}}}"#;
        assert_eq!(
            file_stem(doc),
            "professional-identity-mentoring-micro-credential"
        );
        assert_eq!(file_stem("{}"), "credential");
    }
}
