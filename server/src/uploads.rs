//! Evidence files: `POST /api/uploads` (multipart: `file`, optional `back`) and
//! `GET /uploads/{id}`.
//!
//! The type is sniffed from the bytes (PDF, PNG, JPEG), never taken from the name or the
//! browser's claim; files over the limit get a message saying so. Files are stored
//! content-addressed in the database and served only to their owner and to the assessors and
//! coordinators of a submission offering them, always as an attachment and never sniffed.

use crate::startup::AppState;
use app::auth::CurrentSession;
use app::domain::assessment::{sniff_media_type, UPLOAD_MAX_BYTES};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};

/// The routes, with a body limit a little above the file limit (so an oversized file is
/// answered with our message rather than cut off).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/uploads",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_MAX_BYTES + 256 * 1024)),
        )
        .route("/uploads/{id}", get(download))
}

/// Longest file name kept.
const NAME_MAX: usize = 200;

/// A file name safe to show and to put in a header: the last path segment, printable
/// characters only, at most [`NAME_MAX`] characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(NAME_MAX)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// How the caller wants the answer: JSON (`application/json`, or a JSON-LD type) for scripts,
/// HTML (a redirect back, a page) for browsers.
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json") && !v.contains("text/html"))
}

struct Answer {
    json: bool,
    back: String,
    /// Cookies are `Secure` (HTTPS).
    secure: bool,
}

impl Answer {
    fn error(&self, status: StatusCode, field: &str, message: &str) -> Response {
        if self.json {
            let body = serde_json::json!({ "Invalid": { "field": field, "message": message } });
            return (status, Json(body)).into_response();
        }
        // Back to the page with the message as a flash (never text in the URL).
        let id = app::flash::new_id();
        let cookie = app::flash::set_cookie(&id, &self.back, field, message, self.secure);
        let mut response =
            Redirect::to(&format!("{}#uploads", app::flash::back_to(&self.back, &id)))
                .into_response();
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, value);
        }
        response
    }

    /// The body went over the limit (`too_big` says so), or the upload broke off.
    fn broken(&self, e: &axum::extract::multipart::MultipartError, too_big: &str) -> Response {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            self.error(status, "file", too_big)
        } else {
            tracing::warn!(error = %e, "upload refused");
            self.error(
                StatusCode::BAD_REQUEST,
                "file",
                "the upload did not complete; please try again",
            )
        }
    }

    fn done(&self, id: i64, name: &str) -> Response {
        if self.json {
            return (
                StatusCode::CREATED,
                Json(serde_json::json!({ "id": id, "file_name": name })),
            )
                .into_response();
        }
        let sep = if self.back.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{}{sep}uploaded={id}#uploads", self.back)).into_response()
    }
}

async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let mut answer = Answer {
        json: wants_json(&headers),
        back: "/journal".to_owned(),
        secure: state.auth.cookie_secure,
    };
    let Some(who) = session.0 else {
        return answer.error(
            StatusCode::UNAUTHORIZED,
            "form",
            "please sign in to continue",
        );
    };
    let Ok(mut multipart) = multipart else {
        return answer.error(
            StatusCode::BAD_REQUEST,
            "file",
            "send the file from the upload form",
        );
    };
    let too_big = format!(
        "must be at most {} MB; make it smaller (export a PDF at lower quality, or resize the image) and try again",
        UPLOAD_MAX_BYTES / (1024 * 1024)
    );
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // The body went over the limit, or the upload broke off.
            Err(e) => return answer.broken(&e, &too_big),
        };
        match field.name() {
            Some("back") => {
                if let Ok(text) = field.text().await {
                    answer.back = app::domain::account::safe_next(text.trim());
                }
            }
            Some("file") => {
                let name = clean_name(field.file_name().unwrap_or("file"));
                let mut bytes = Vec::new();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > UPLOAD_MAX_BYTES {
                                return answer.error(
                                    StatusCode::PAYLOAD_TOO_LARGE,
                                    "file",
                                    &too_big,
                                );
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) => return answer.broken(&e, &too_big),
                    }
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return answer.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
            "choose a file to upload (PDF, PNG or JPEG)",
        );
    };
    let Some(media_type) = sniff_media_type(&bytes) else {
        return answer.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
            "must be a PDF, PNG or JPEG file (its content is checked, not its name)",
        );
    };
    match app::db::submission::store_upload(&state.db, who.user_id, &name, media_type, &bytes).await
    {
        Ok(id) => answer.done(id, &name),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "storing an upload failed");
            answer.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "form",
                "something went wrong on our side; please try again",
            )
        }
    }
}

async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<CurrentSession>,
    Path(id): Path<String>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "That file was not found.").into_response();
    let Some(who) = session.0 else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to see this file.").into_response();
    };
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    match app::db::submission::read_upload(&state.db, who.user_id, who.is_admin, id).await {
        Ok(Some(app::db::submission::UploadFile {
            file_name: name,
            media_type,
            bytes,
        })) => {
            let ascii: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_graphic() || c == ' ' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let disposition = format!(
                "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                app::domain::url::encode(&name)
            );
            let mut response = bytes.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&media_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            } else {
                h.insert(
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment"),
                );
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "reading an upload failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; please try again.",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\me\\plan.pdf"), "plan.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_name(""), "file");
        assert_eq!(clean_name(&"x".repeat(500)).len(), NAME_MAX);
    }
}
