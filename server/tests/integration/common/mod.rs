//! Shared set-up for integration tests: a fresh database per test on each engine, and the real
//! router built on it.
//!
//! SQLite: a new file in a temporary folder. PostgreSQL: a new database on the server named by
//! `TEST_POSTGRES_URL` (`make test` starts a throwaway cluster and sets it). Without that
//! variable the PostgreSQL variants are skipped with a notice, unless `REQUIRE_POSTGRES=1`, which
//! `make test` also sets, makes them fail instead.
#![allow(dead_code)] // each test file uses a different part of this module

use app::db::Db;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use leptos::prelude::LeptosOptions;
use server::startup::{self, AppState};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt as _;

/// Which engine a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("t{}_{}_{}", std::process::id(), n, nanos)
}

/// A fresh, migrated, empty database; `None` when the engine is not available here.
pub async fn fresh_db(engine: Engine) -> Option<Db> {
    match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join("mcf-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}/{}.db", dir.display(), unique_name());
            let db = Db::connect(&url, 4).await.expect("connect sqlite");
            db.migrate().await.expect("migrate sqlite");
            Some(db)
        }
        Engine::Postgres => {
            let Ok(base) = std::env::var("TEST_POSTGRES_URL") else {
                if std::env::var("REQUIRE_POSTGRES").as_deref() == Ok("1") {
                    panic!("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set");
                }
                eprintln!("notice: TEST_POSTGRES_URL not set; skipping the PostgreSQL variant");
                return None;
            };
            let admin = Db::connect(&base, 1).await.expect("connect postgres admin");
            let name = unique_name();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
            let db = Db::connect(&format!("{prefix}/{name}"), 4)
                .await
                .expect("connect postgres");
            db.migrate().await.expect("migrate postgres");
            Some(db)
        }
    }
}

/// The repository's `content/` folder.
pub fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A fresh database with the shipped content imported.
pub async fn seeded_db(engine: Engine) -> Option<Db> {
    let db = fresh_db(engine).await?;
    startup::import_content(&db, &content_dir())
        .await
        .expect("import shipped content");
    Some(db)
}

/// The real router over a seeded database.
pub struct TestApp {
    pub db: Db,
    router: axum::Router,
}

/// A response as tests look at it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestApp {
    pub async fn new(engine: Engine) -> Option<Self> {
        let db = seeded_db(engine).await?;
        let leptos_options = LeptosOptions::builder()
            .output_name("mcf")
            .site_root("target/site")
            .build();
        let config = server::config::Config::from_lookup(|name| match name {
            "TRUST_FORWARDED_FOR" => Some("true".to_owned()),
            _ => None,
        })
        .expect("test config");
        startup::prepare_issuer(&config, &db)
            .await
            .expect("credential issuer");
        let router = startup::router(AppState::new(&config, leptos_options, db.clone()));
        Some(Self { db, router })
    }

    pub async fn get(&self, uri: &str) -> Reply {
        // As a browser navigating would: pages redirect only requests that accept HTML.
        let request = Request::get(uri)
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// A GET as the app's own server-function calls make it (no HTML accepted).
    pub async fn api_get(&self, uri: &str) -> Reply {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        self.send(request).await
    }

    /// A POST of form fields, as a server function call from the app (or a plain form post when
    /// `accept_html`), with an optional session cookie.
    pub async fn post_form(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    app::domain::url::encode(k),
                    app::domain::url::encode(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        self.send(form_request(body, cookie, Request::post(uri)))
            .await
    }

    /// A plain HTML form post (JavaScript off) from the page `referer`, with an optional
    /// session cookie: a form-urlencoded body (spaces as `+`, as browsers send them), HTML
    /// accepted.
    pub async fn plain_post(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        referer: &str,
    ) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| {
                let v = app::domain::url::encode(v).replace("%20", "+");
                format!("{}={v}", app::domain::url::encode(k))
            })
            .collect::<Vec<_>>()
            .join("&");
        let browser = Request::post(uri)
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("http://127.0.0.1:3000{referer}"));
        self.send(form_request(body, cookie, browser)).await
    }

    /// Follows a redirect as a browser would: loads its `Location` with `cookie` and the
    /// cookies the reply set. Answers the page and the cookies sent with it.
    pub async fn follow(&self, reply: &Reply, cookie: Option<&str>) -> (Reply, String) {
        let location = reply
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("a redirect ({}): {}", reply.status, reply.body))
            .to_owned();
        let mut cookies: Vec<String> = cookie.map(str::to_owned).into_iter().collect();
        cookies.extend(
            reply
                .headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(|v| v.split(';').next())
                .map(str::to_owned),
        );
        let cookies = cookies.join("; ");
        // A browser keeps the fragment (`#problem`) to itself.
        let location = location.split('#').next().unwrap_or_default();
        (self.page_as(location, &cookies).await, cookies)
    }

    /// A GET with a session cookie, as the app's own calls make it.
    pub async fn get_as(&self, uri: &str, cookie: &str) -> Reply {
        let request = Request::get(uri)
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// A page load with a session cookie, as a browser makes it.
    pub async fn page_as(&self, uri: &str, cookie: &str) -> Reply {
        let request = Request::get(uri)
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The raw body of a response (binary downloads).
    pub async fn send_bytes(&self, request: Request<Body>) -> Vec<u8> {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec()
    }
}

/// A same-origin form-urlencoded POST of `body` from `builder` (its method and address set) (with any headers it
/// already has), with an optional session cookie.
fn form_request(
    body: String,
    cookie: Option<&str>,
    builder: axum::http::request::Builder,
) -> Request<Body> {
    let mut request = builder
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", "198.51.100.7");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(body)).expect("request")
}

impl Reply {
    /// The `name=value` part of the session cookie this reply sets, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("session=") && !v.contains("Max-Age=0"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

/// A real SMTP server for a test: Debian's `aiosmtpd` (installed by `make test-tools`),
/// delivering every message it accepts into a maildir. Stopped when dropped.
pub struct SmtpServer {
    child: std::process::Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// The maildir it delivers into.
    pub maildir: PathBuf,
}

impl SmtpServer {
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = std::env::temp_dir().join(format!("mcf-smtp-{}-{port}", std::process::id()));
        let mut child = std::process::Command::new("/usr/bin/aiosmtpd")
            .args([
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd (Debian package python3-aiosmtpd; `make test-tools` installs it)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self {
                    child,
                    port,
                    maildir,
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start listening on port {port}");
    }

    /// `smtp://127.0.0.1:PORT`, as `SMTP_URL` names it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message delivered so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.maildir.join("new"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("message"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// The newest e-mail queued for `recipient` (from the outbox, as the sender will send it).
pub async fn last_mail(db: &Db, recipient: &str) -> app::db::mail::Row {
    app::db::mail::to_recipient(db, recipient)
        .await
        .expect("outbox")
        .pop()
        .unwrap_or_else(|| panic!("no e-mail for {recipient}"))
}

/// The first link in `text` whose path starts with `prefix` (e.g. `/sign-up/`).
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    text.split_whitespace()
        .find(|word| {
            word.starts_with("http")
                && word
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
                    .is_some_and(|path| path.starts_with(prefix))
        })
        .map(str::to_owned)
}

/// Creates an account directly (as the CLI would) and returns its id.
pub async fn create_user(
    db: &app::db::Db,
    email: &str,
    name: &str,
    password: &str,
    admin: bool,
) -> i64 {
    let hash = app::auth::password::hash(password.to_owned())
        .await
        .expect("hash");
    let mut tx = db.begin_write().await.expect("begin");
    let id = app::db::account::create(&mut tx, email, name, &hash, admin)
        .await
        .expect("create user");
    tx.commit().await.expect("commit");
    id
}

/// The password [`new_teacher`] gives everyone.
pub const TEST_PASSWORD: &str = "lantern orchard kettle";

/// Creates a person (not an admin) with [`TEST_PASSWORD`], signs them in, and answers the
/// session cookie.
pub async fn new_teacher(app: &TestApp, email: &str, name: &str) -> String {
    create_user(&app.db, email, name, TEST_PASSWORD, false).await;
    app.post_form(
        "/api/account/sign-in",
        &[("email", email), ("password", TEST_PASSWORD), ("next", "/")],
        None,
    )
    .await
    .session_cookie()
    .expect("cookie")
}

/// Runs a test body, failing it (instead of hanging the suite) if it takes over two minutes.
/// Not a performance check: a healthy case takes well under a second.
pub async fn within_limit(body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), body)
        .await
        .is_err()
    {
        panic!("test still running after 120 s: something is stuck (a lock, a pool, a server)");
    }
}

/// Declares one async test per engine: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_engines {
    ($($(#[$meta:meta])* async fn $name:ident($engine:ident: Engine) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($engine: common::Engine) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    common::within_limit(run(common::Engine::Sqlite)).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    common::within_limit(run(common::Engine::Postgres)).await;
                }
            }
        )*
    };
}

/// One person of a [`Cast`]: a key (also the local part of their email), a name, and their
/// roles (`true`: in the cast's cohort, `false`: in its other cohort).
pub type Person = (
    &'static str,
    &'static str,
    &'static [(bool, app::domain::account::Role)],
);

/// Two MCF cohorts made by an administrator, with people in them, each signed in: the set-up
/// of the assessment and credential tests.
pub struct Cast {
    pub cohort: i64,
    pub other_cohort: i64,
    people: Vec<(&'static str, i64, String)>,
}

impl Cast {
    /// Creates the cohorts (named `{prefix} A` and `{prefix} B`) and the people, with emails at
    /// `{domain}`, and a session for each.
    pub async fn new(app: &TestApp, prefix: &str, domain: &str, roster: &[Person]) -> Self {
        let db = &app.db;
        let hash = app::auth::password::hash("cast pw".into())
            .await
            .expect("hash");
        let mut tx = db.begin_write().await.expect("begin");
        let admin =
            app::db::account::create(&mut tx, &format!("admin@{domain}"), "Admin", &hash, true)
                .await
                .expect("admin");
        let mut cohorts = [0_i64; 2];
        for (slot, suffix) in cohorts.iter_mut().zip(["A", "B"]) {
            *slot = app::db::cohort::create(
                &mut tx,
                &format!("{prefix} {suffix}"),
                "mcf",
                "2026-09-01",
                "2027-06-30",
                admin,
            )
            .await
            .expect("cohort");
        }
        let [cohort, other_cohort] = cohorts;
        let mut people = Vec::new();
        for (key, name, roles) in roster {
            let email = format!("{key}@{domain}");
            let id = app::db::account::create(&mut tx, &email, name, &hash, false)
                .await
                .expect("user");
            for (in_first, role) in roles.iter() {
                let c = if *in_first { cohort } else { other_cohort };
                app::db::cohort::add_member(&mut tx, c, id, *role, None)
                    .await
                    .expect("member");
            }
            people.push((*key, id, String::new()));
        }
        tx.commit().await.expect("commit");
        for p in &mut people {
            let token = app::auth::session::create(db, p.1, "test", "192.0.2.1")
                .await
                .expect("session");
            p.2 = format!("mcf_session={token}");
        }
        Self {
            cohort,
            other_cohort,
            people,
        }
    }

    /// The session cookie of `who`.
    pub fn cookie(&self, who: &str) -> &str {
        &self.people.iter().find(|p| p.0 == who).expect("person").2
    }

    /// The user id of `who`.
    pub fn id(&self, who: &str) -> i64 {
        self.people.iter().find(|p| p.0 == who).expect("person").1
    }
}

/// Who reads a list of pages: a description, their session cookie (none for a visitor) and
/// the pages.
pub type Readers = Vec<(&'static str, Option<String>, Vec<String>)>;

/// Every page kind with each kind of reader who may read it, over a new cast (`prefix`,
/// `domain`) of a teacher (`tess`, with one journal entry `entry` = (title, text)), an assessor
/// (`abe`), a coordinator (`cora`) and an institution coordinator. Shared by the tests that read
/// every page (`pages.rs`, `languages.rs`).
pub async fn page_kinds(app: &TestApp, prefix: &str, domain: &str, entry: (&str, &str)) -> Readers {
    use app::domain::account::Role;
    let roster: [Person; 3] = [
        ("tess", "Tess Teacher", &[(true, Role::Teacher)]),
        ("abe", "Abe Assessor", &[(true, Role::Assessor)]),
        ("cora", "Cora Coordinator", &[(true, Role::Coordinator)]),
    ];
    let cast = Cast::new(app, prefix, domain, &roster).await;
    let (entry, _) = app::db::journal::create(
        &app.db,
        cast.id("tess"),
        &app::db::journal::Links::default(),
        entry.0,
        entry.1,
    )
    .await
    .expect("entry");
    let cohort = cast.cohort;
    let public: Vec<String> = [
        "/",
        "/frameworks",
        "/frameworks/mcf",
        "/frameworks/mcf/competencies/communication",
        "/frameworks/mcf/units/listening-and-asking-better-questions",
        "/frameworks/mcf/course",
        "/frameworks/mcf/course/introduction",
        "/frameworks/mcf/course/session-planner",
        "/sign-in",
        "/verify",
    ]
    .map(str::to_owned)
    .to_vec();
    let teacher = vec![
        "/dashboard".to_owned(),
        "/journal".into(),
        format!("/journal/{entry}"),
        "/frameworks/mcf/competencies/communication/checklist".into(),
        "/frameworks/mcf/competencies/communication/evidence".into(),
        "/credentials".into(),
        "/learning-statement".into(),
        "/profile".into(),
    ];
    let assessor = vec!["/assess".to_owned(), "/profile".into()];
    let coordinator = vec![
        "/coordinator".to_owned(),
        format!("/coordinator/cohorts/{cohort}"),
        format!("/coordinator/cohorts/{cohort}/moderation"),
        format!("/coordinator/cohorts/{cohort}/evaluation"),
    ];
    let institution = vec!["/coordinator".to_owned(), "/coordinator/evaluation".into()];
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(format!("admin@{domain}"))
        .fetch_one(app.db.pool())
        .await
        .expect("admin");
    let admin = format!(
        "mcf_session={}",
        app::auth::session::create(&app.db, admin, "test", "192.0.2.1")
            .await
            .expect("session")
    );
    let cookie = |who: &str| Some(cast.cookie(who).to_owned());
    vec![
        ("a visitor", None, public.clone()),
        ("a teacher", cookie("tess"), public),
        ("a teacher", cookie("tess"), teacher),
        ("an assessor", cookie("abe"), assessor),
        ("a coordinator", cookie("cora"), coordinator),
        ("an institution coordinator", Some(admin), institution),
    ]
}
