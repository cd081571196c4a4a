//! Start-up (database, content) and the router.

use crate::config::Config;
use anyhow::Context as _;
use app::auth::AuthSettings;
use app::db::Db;
use app::{shell, App};
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos' own options (site root, output name, …).
    pub leptos_options: LeptosOptions,
    /// The database.
    pub db: Db,
    /// Cookie and link settings.
    pub auth: AuthSettings,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// How often one address may check a credential (`POST /api/verify`).
    pub verify_limit: crate::limits::PerAddress,
}

impl AppState {
    /// The state for a configuration and an opened database.
    pub fn new(config: &Config, leptos_options: LeptosOptions, db: Db) -> Self {
        Self {
            leptos_options,
            db,
            auth: AuthSettings {
                cookie_secure: config.cookie_secure(),
                public_base_url: config.public_base_url.clone(),
            },
            trust_forwarded_for: config.trust_forwarded_for,
            verify_limit: crate::limits::PerAddress::new(VERIFY_PER_MINUTE, VERIFY_BURST),
        }
    }
}

/// Credentials one address may check a minute, and at once: a coordinator checking a
/// class's badges one after another stays well inside.
const VERIFY_PER_MINUTE: std::num::NonZeroU32 = std::num::NonZeroU32::new(30).expect("non-zero");
const VERIFY_BURST: std::num::NonZeroU32 = std::num::NonZeroU32::new(10).expect("non-zero");

/// Longest a request may take, body upload included (a 10 MB evidence file on a slow school
/// line); after it the client gets 408 and the work is dropped.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Leptos options for this configuration. Hashed asset names are used when the build wrote
/// `hash.txt` next to the binary (cargo-leptos does with `hash-files = true`).
pub fn leptos_options(config: &Config) -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)
        .context("invalid LEPTOS_* configuration")?
        .leptos_options;
    options.site_addr = config.site_addr;
    options.site_root = config.site_root.clone().into();
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        options.hash_files = beside_binary.is_some_and(|p| p.exists());
    }
    Ok(options)
}

/// Connects and migrates the database, then validates and imports the course content.
/// Any problem stops start-up with a message saying what and where.
pub async fn prepare(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    import_content(&db, &config.content_dir).await?;
    prepare_issuer(config, &db).await?;
    tracing::info!(engine = db.engine().as_str(), "database ready");
    Ok(db)
}

/// The credential issuer's settings from the configuration.
pub fn issuer_settings(config: &Config) -> app::db::credential::IssuerSettings {
    app::db::credential::IssuerSettings {
        base_url: config.public_base_url.clone(),
        name: config.issuer_name.clone(),
        sealing: config.credential_key.clone(),
        linkedin_organization: config.issuer_linkedin_id.clone(),
    }
}

/// Loads (on first start: creates) the issuer's signing key and status list, and hands the
/// issuer to the database layer, which signs credentials when they are awarded.
pub async fn prepare_issuer(config: &Config, db: &Db) -> anyhow::Result<()> {
    let issuer = app::db::credential::load_issuer(db, &issuer_settings(config))
        .await
        .context("preparing the credential issuer")?;
    tracing::info!(did = %issuer.did, key = %issuer.fragment, "credential issuer ready");
    db.set_issuer(issuer);
    Ok(())
}

/// Validates every content file, then imports the frameworks, their units and their course
/// pages (idempotent).
pub async fn import_content(db: &Db, content_dir: &Path) -> anyhow::Result<()> {
    let invalid = |e: app::content::ContentError| anyhow::anyhow!("invalid course content: {e}");
    let frameworks =
        app::content::load_frameworks(&content_dir.join("frameworks")).map_err(invalid)?;
    let units = app::content::units::load_units(&content_dir.join("units"), &frameworks)
        .map_err(invalid)?;
    let course = app::content::course::load_course(&content_dir.join("course"), &frameworks)
        .map_err(invalid)?;
    for framework in &frameworks {
        app::db::framework::import(db, framework)
            .await
            .with_context(|| format!("importing framework {}", framework.slug))?;
    }
    for (framework, units) in &units {
        app::db::unit::import(db, framework.as_str(), units)
            .await
            .with_context(|| format!("importing the units of {framework}"))?;
    }
    for (framework, pages) in &course {
        app::db::course::import(db, framework.as_str(), pages)
            .await
            .with_context(|| format!("importing the course pages of {framework}"))?;
    }
    // Translations beside the originals (issue 18), each checked against its original.
    let translations =
        app::content::translation::load_all(content_dir, &frameworks, &units, &course)
            .map_err(invalid)?;
    app::db::translation::import(db, &translations)
        .await
        .context("importing the translations")?;
    Ok(())
}

/// The app's routes, walked once per process. Walking them renders the app with resource
/// loading suppressed through a process-wide flag (`leptos_server`'s `SuppressResourceLoad`):
/// a resource first polled anywhere in the process while the flag is set waits forever
/// (leptos-rs/leptos#4773). A server walks them once, before it serves; tests build a router
/// per test while other tests render, which made a render hang now and then. Walking once,
/// under a lock every later caller waits on, means no render can overlap the walk.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as one router: pages, server functions, health check, static files.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let db = state.db.clone();
    let auth = state.auth.clone();
    // Unknown paths render the same shell (a 404 page with the header of whoever is signed
    // in), so they get the same context as every page.
    let fallback_context = {
        let (db, auth) = (state.db.clone(), state.auth.clone());
        move || {
            provide_context(db.clone());
            provide_context(auth.clone());
            provide_page_nonce();
        }
    };
    let options = state.leptos_options.clone();
    let pkg_dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    // Hashed names change whenever content does, so they can be cached for a year.
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(
            ServeDir::new(pkg_dir.clone())
                .precompressed_br()
                .precompressed_gzip(),
        );
    let worker = crate::offline::service_worker(&pkg_dir, &options.site_pkg_dir);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sw.js", get(move || service_worker(worker.clone())))
        .merge(crate::uploads::routes())
        .merge(crate::credentials::routes())
        .merge(crate::case::routes())
        .merge(crate::language::routes())
        .merge(crate::wallet::routes())
        .merge(crate::exports::routes())
        .merge(crate::mail::routes())
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(db.clone());
                provide_context(auth.clone());
                provide_page_nonce();
            },
            move || shell(options.clone()),
        )
        // Paths no route knows: the same shell, and the same chosen nonce as every page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(fallback_context, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::credentials::negotiate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            page_policy_source(&state.leptos_options),
            page_policy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.auth.cookie_secure,
            crate::limits::api_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::middleware::request_context,
        ))
        // Answers that depend on who asks are never stored by browsers or proxies (a shared
        // school computer's Back button must not show the last person's journal). Static
        // files and public credential files set their own caching.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            state
                .auth
                .cookie_secure
                .then(|| HeaderValue::from_static("max-age=31536000")),
        ))
        // Pages get their own policy with a per-request nonce (`page_policy`); this one covers
        // every other response.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// The nonce chosen for a page before it renders (a request extension, read by the render).
#[derive(Clone)]
struct PageNonce(leptos::nonce::Nonce);

/// What every page's policy is built from besides its nonce: the reload websocket of
/// `cargo leptos watch`, in development only.
#[derive(Clone)]
struct PagePolicySource {
    reload: Option<String>,
}

fn page_policy_source(options: &LeptosOptions) -> PagePolicySource {
    PagePolicySource {
        reload: std::env::var_os("LEPTOS_WATCH")
            .map(|_| format!("ws://{}:{}", options.site_addr.ip(), options.reload_port)),
    }
}

/// Gives the render the nonce this request chose (in the context closure of the routes).
fn provide_page_nonce() {
    let chosen = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    match chosen {
        Some(PageNonce(nonce)) => provide_context(nonce),
        None => leptos::nonce::provide_nonce(),
    }
}

/// Chooses each request's script nonce before anything renders and puts the page policy on
/// every HTML answer that has none. The header used to be set from inside the render (through
/// Leptos's response options); under load a page now and then went out without it and fell to
/// the strict policy below, which blocks the page's own scripts and styles (seen in the
/// end-to-end suite). Choosing the nonce here makes the header independent of the render.
async fn page_policy(
    State(source): State<PagePolicySource>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let nonce = leptos::nonce::Nonce::new();
    req.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html
        && !response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        let policy = app::content_security_policy(&nonce, source.reload.as_deref());
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// `GET /sw.js`: always revalidated, so a new build's worker is picked up at once; its own
/// policy lets it fetch from this origin only.
async fn service_worker(source: String) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        ],
        source,
    )
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": state.db.engine().as_str() })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({ "status": "unavailable", "database": state.db.engine().as_str() }),
                ),
            )
        }
    }
}
