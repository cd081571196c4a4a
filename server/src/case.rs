//! The frameworks published for other systems as 1EdTech CASE 1.1 (REST/JSON binding), public
//! and read-only, no account needed:
//!
//! * `GET /ims/case/v1p1/CFDocuments`: every framework (`getAllCFDocuments`).
//! * `GET /ims/case/v1p1/CFDocuments/{id}`, `…/CFPackages/{id}`: one framework's document, or
//!   the whole package (document, items, associations).
//! * `GET /ims/case/v1p1/CFItems/{id}`, `…/CFAssociations/{id}`: one item or association. An
//!   item's identifier names its framework only through the package, so these look through
//!   each live framework's tree (a handful of frameworks of ~60 items each).
//!
//! Unknown identifiers answer 404 with an `imsx_StatusInfo` body (CASE 1.1 Appendix B).

use crate::startup::AppState;
use app::credentials::case;
use app::db::framework as db;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ims/case/v1p1/CFDocuments", get(documents))
        .route("/ims/case/v1p1/CFDocuments/{id}", get(document))
        .route("/ims/case/v1p1/CFPackages/{id}", get(package))
        .route("/ims/case/v1p1/CFItems/{id}", get(item))
        .route("/ims/case/v1p1/CFAssociations/{id}", get(association))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

/// CASE 1.1 `imsx_StatusInfo` for an identifier nothing has: 404 `unknownobject`, or 400
/// `invalid_uuid` when it is not a UUID at all.
fn unknown(id: &str) -> Response {
    let (status, minor, description) = if case::is_identifier(id) {
        (
            StatusCode::NOT_FOUND,
            "unknownobject",
            format!("Nothing is published with the identifier {id:?}."),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            "invalid_uuid",
            "The identifier (sourcedId) must be a UUID.".to_owned(),
        )
    };
    json_response(
        status,
        &json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [{
                    "imsx_codeMinorFieldName": "sourcedId",
                    "imsx_codeMinorFieldValue": minor
                }]
            }
        }),
    )
}

fn failed(e: &anyhow::Error) -> Response {
    tracing::error!(error = format!("{e:#}"), "a CASE request failed");
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": "Something went wrong on our side; please try again.",
            "imsx_codeMinor": {
                "imsx_codeMinorField": [{
                    "imsx_codeMinorFieldName": "sourcedId",
                    "imsx_codeMinorFieldValue": "internal_server_error"
                }]
            }
        }),
    )
}

fn publisher(state: &AppState) -> String {
    state
        .db
        .issuer()
        .map(|i| i.name.clone())
        .unwrap_or_else(|| "Mentoring micro-credential".to_owned())
}

async fn documents(State(state): State<AppState>) -> Response {
    let base = &state.auth.public_base_url;
    match db::case_documents(&state.db, &publisher(&state)).await {
        Ok(docs) => json_response(StatusCode::OK, &case::documents(base, &docs)),
        Err(e) => failed(&e),
    }
}

async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let base = &state.auth.public_base_url;
    match db::case_tree_by_document(&state.db, &publisher(&state), &id).await {
        Ok(Some((doc, _))) => json_response(StatusCode::OK, &case::document(base, &doc)),
        Ok(None) => unknown(&id),
        Err(e) => failed(&e),
    }
}

async fn package(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let base = &state.auth.public_base_url;
    match db::case_tree_by_document(&state.db, &publisher(&state), &id).await {
        Ok(Some((doc, items))) => json_response(StatusCode::OK, &case::package(base, &doc, &items)),
        Ok(None) => unknown(&id),
        Err(e) => failed(&e),
    }
}

/// Looks `id` up with `find` in each live framework's tree.
async fn find_in_trees(
    state: &AppState,
    id: &str,
    find: fn(&str, &case::CaseDocument, &[case::CaseItem], &str) -> Option<Value>,
) -> Response {
    let base = &state.auth.public_base_url;
    let publisher = publisher(state);
    let docs = match db::case_documents(&state.db, &publisher).await {
        Ok(d) => d,
        Err(e) => return failed(&e),
    };
    for d in docs {
        match db::case_tree(&state.db, &publisher, &d.slug).await {
            Ok(Some((doc, items))) => {
                if let Some(found) = find(base, &doc, &items, id) {
                    return json_response(StatusCode::OK, &found);
                }
            }
            Ok(None) => {}
            Err(e) => return failed(&e),
        }
    }
    unknown(id)
}

async fn item(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    find_in_trees(&state, &id, case::item).await
}

async fn association(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    find_in_trees(&state, &id, case::association).await
}
