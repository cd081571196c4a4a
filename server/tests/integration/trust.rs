//! Trust, by kind (issue 13): text in every textarea round-trips byte for byte; private
//! answers are never cached; public endpoints have bounded cost; concurrent writes on the same
//! version or status are decided once.

use crate::common;

use app::domain::account::Role;
use common::{Cast, TestApp};

/// Pieces that HTML treats specially inside or around a `<textarea>`.
const PIECES: [&str; 16] = [
    "</textarea>",
    "</TEXTAREA >",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "Fish &amp; chips",
    "&lt;b&gt;",
    "&",
    "<",
    ">",
    "a < b > c",
    "\"quoted\" 'single'",
    "<!-- not a comment -->",
    "<script>alert(1)</script>",
    "été, naïve, 😀, مرحبا, 中文",
    "tab\there",
    "two\nlines",
    "  spaced  ",
];

/// Texts built from the pieces: each alone, each after a leading newline, and pairs chosen by
/// a fixed-seed generator (the same cases every run, many shapes).
fn texts(one_line: bool) -> Vec<String> {
    let mut out: Vec<String> = PIECES.iter().map(|p| (*p).to_owned()).collect();
    out.extend(PIECES.iter().map(|p| format!("\n{p}")));
    out.push("\n\nTwo leading newlines".into());
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % PIECES.len() as u64).expect("small")
    };
    for _ in 0..24 {
        let (a, b, c) = (next(), next(), next());
        out.push(format!("{} {}{}", PIECES[a], PIECES[b], PIECES[c]));
    }
    if one_line {
        out = out
            .into_iter()
            .map(|t| t.replace('\n', " ").trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
    }
    out
}

/// The text of the `<textarea>` whose start tag holds `attribute` (e.g. `name="x"`) in a page,
/// as a browser's parser reads it: the content up to the first `</textarea` (case-insensitive),
/// character references decoded, one newline right after the start tag dropped. `None` when
/// there is no such textarea.
fn textarea_text(html: &str, attribute: &str) -> Option<String> {
    let at = html.find(attribute)?;
    let start_tag = html[..at].rfind("<textarea")?;
    let open_end = start_tag + html[start_tag..].find('>')? + 1;
    let lower = html[open_end..].to_ascii_lowercase();
    let close = open_end + lower.find("</textarea")?;
    let raw = &html[open_end..close];
    let raw = raw.strip_prefix('\n').unwrap_or(raw);
    Some(decode_entities(raw))
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "#39" | "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks one page's textarea against the text saved, and that nothing in the text became
/// markup (no injected element after the textarea).
fn check_page(failures: &mut Vec<String>, what: &str, html: &str, name: &str, saved: &str) {
    let attribute = if name.starts_with("id=") {
        name.to_owned()
    } else {
        format!("name=\"{name}\"")
    };
    match textarea_text(html, &attribute) {
        Some(shown) if shown == saved => {}
        Some(shown) => failures.push(format!("{what}: saved {saved:?}, the page holds {shown:?}")),
        None => failures.push(format!("{what}: no textarea {name} in the page")),
    }
    if saved.contains("<meta") && html.contains("<meta http-equiv") {
        failures.push(format!("{what}: the text became a live <meta> element"));
    }
}

/// Saves `text` into one field of the Communication evidence draft (on `version`) and checks the
/// evidence page gives it back; answers whether the save went through.
async fn save_evidence_text(
    app: &TestApp,
    cookie: &str,
    version: i64,
    field: &str,
    text: &str,
    failures: &mut Vec<String>,
) -> bool {
    let version = version.to_string();
    let saved = app
        .post_form(
            "/api/submission/save",
            &[
                ("draft[framework]", "mcf"),
                ("draft[competency]", "communication"),
                ("draft[base_version]", &version),
                ("draft[intent]", "save"),
                (field, text),
            ],
            Some(cookie),
        )
        .await;
    if !saved.status.is_success() {
        failures.push(format!(
            "{field} {text:?}: save answered {}: {}",
            saved.status, saved.body
        ));
        return false;
    }
    let page = app
        .page_as(
            "/frameworks/mcf/competencies/communication/evidence",
            cookie,
        )
        .await;
    check_page(
        failures,
        &format!("{field} {text:?}"),
        &page.body,
        field,
        text,
    );
    true
}

both_engines! {
    async fn every_textarea_round_trips_its_text(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 1] = [("tess", "Tess Teacher", &[(true, Role::Teacher)])];
        let cast = Cast::new(&app, "Textarea", "t.test", &roster).await;
        let cookie = cast.cookie("tess").to_owned();
        let user = cast.id("tess");
        let mut failures = Vec::new();
        let mut evidence_version = 0_i64;
        for (i, text) in texts(false).into_iter().enumerate() {
            // The journal editor.
            let (entry, _) = app::db::journal::create(
                &app.db,
                user,
                &app::db::journal::Links::default(),
                &format!("Entry {i}"),
                &text,
            )
            .await
            .expect("entry");
            let page = app.page_as(&format!("/journal/{entry}"), &cookie).await;
            check_page(&mut failures, &format!("journal {text:?}"), &page.body, "entry[body]", &text);

            // The checklist note.
            let saved = app
                .post_form(
                    "/api/checklist/save",
                    &[
                        ("rating[framework]", "mcf"),
                        ("rating[competency]", "communication"),
                        ("rating[indicator]", "active-listening"),
                        ("rating[phase]", "current"),
                        ("rating[level]", "3"),
                        ("rating[note]", &text),
                        ("rating[evidence_url]", ""),
                    ],
                    Some(&cookie),
                )
                .await;
            if saved.status.is_success() {
                let page = app
                    .page_as("/frameworks/mcf/competencies/communication/checklist", &cookie)
                    .await;
                check_page(&mut failures, &format!("checklist {text:?}"), &page.body, "id=\"note-active-listening\"", &text);
            } else {
                failures.push(format!("checklist {text:?}: save answered {}: {}", saved.status, saved.body));
            }

            // The Learning Statement.
            let saved = app
                .post_form(
                    "/api/statement/save",
                    &[("statement[text][objectives]", &text)],
                    Some(&cookie),
                )
                .await;
            if saved.status.is_success() {
                let page = app.page_as("/learning-statement", &cookie).await;
                check_page(&mut failures, &format!("statement {text:?}"), &page.body, "statement[text][objectives]", &text);
            } else {
                failures.push(format!("statement {text:?}: save answered {}: {}", saved.status, saved.body));
            }

            // The evidence rationale.
            if save_evidence_text(&app, &cookie, evidence_version, "draft[rationale][active-listening]", &text, &mut failures).await {
                evidence_version += 1;
            }
        }
        // Evidence links: one per line, an address then a label.
        for text in texts(true) {
            let links = format!("https://example.org/a {text}");
            if save_evidence_text(&app, &cookie, evidence_version, "draft[links][active-listening]", &links, &mut failures).await {
                evidence_version += 1;
            }
        }
        assert!(failures.is_empty(), "{} textarea failures:\n{}", failures.len(), failures.join("\n"));
    }

    async fn private_answers_are_never_cached(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 1] = [("tess", "Tess Teacher", &[(true, Role::Teacher)])];
        let cast = Cast::new(&app, "Cache", "c.test", &roster).await;
        let cookie = cast.cookie("tess").to_owned();
        let (entry, _) = app::db::journal::create(
            &app.db,
            cast.id("tess"),
            &app::db::journal::Links::default(),
            "Private",
            "My private reflection",
        )
        .await
        .expect("entry");
        // Every page the router knows, signed in, with the parameters of this world.
        let pages = [
            "/".to_owned(),
            "/dashboard".into(),
            "/journal".into(),
            format!("/journal/{entry}"),
            "/frameworks".into(),
            "/frameworks/mcf".into(),
            "/frameworks/mcf/competencies/communication".into(),
            "/frameworks/mcf/competencies/communication/checklist".into(),
            "/frameworks/mcf/competencies/communication/evidence".into(),
            "/learning-statement".into(),
            "/learning-statement/print".into(),
            "/profile".into(),
            "/credentials".into(),
            "/verify".into(),
            "/no-such-page".into(),
            "/learning-statement.json".into(),
        ];
        for page in &pages {
            let reply = app.page_as(page, &cookie).await;
            let cache = reply.headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(cache.contains("no-store"), "{page} ({}): Cache-Control {cache:?}", reply.status);
        }
        // Static files keep their long cache; public credential files choose their own.
        let health = app.get("/healthz").await;
        assert!(health.headers.get("cache-control").is_some(), "healthz has a policy");
        // Signing out tells the browser to drop what it kept.
        let out = app.post_form("/api/account/sign-out", &[], Some(&cookie)).await;
        assert!(out.status.is_success() || out.status.is_redirection(), "{}", out.status);
        assert_eq!(
            out.headers.get("clear-site-data").and_then(|v| v.to_str().ok()),
            Some("\"cache\"")
        );
        // Plain-HTTP development sends no HSTS (HTTPS deployments do; see startup).
        assert!(out.headers.get("strict-transport-security").is_none());
    }

    async fn verify_bounds_its_cost(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        use axum::body::Body;
        use axum::http::Request;
        let post = |body: String, address: &'static str| {
            let boundary = "XBOUNDARY";
            let multipart = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{body}\r\n--{boundary}--\r\n"
            );
            Request::post("/api/verify")
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .header("accept", "application/json")
                .header("x-forwarded-for", address)
                .body(Body::from(multipart))
                .expect("request")
        };
        // Over 1 MB: refused before parsing.
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(1_100_000));
        let reply = app.send(post(big, "198.51.100.1")).await;
        assert!(matches!(reply.status.as_u16(), 413 | 422), "{}: {}", reply.status, reply.body);
        // Many values, or deep nesting: refused before expansion.
        let wide = serde_json::json!({ "@context": ["https://www.w3.org/ns/credentials/v2"],
            "credentialSubject": { "result": vec![serde_json::json!({"a": 1}); 20_000] } });
        let reply = app.send(post(wide.to_string(), "198.51.100.2")).await;
        assert_eq!(reply.status.as_u16(), 422, "{}", reply.body);
        assert!(reply.body.contains("values"), "{}", reply.body);
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let reply = app.send(post(deep, "198.51.100.3")).await;
        assert_eq!(reply.status.as_u16(), 422, "{}", reply.body);
        // One address checking over and over is slowed down; another is not.
        let mut limited = false;
        for _ in 0..15 {
            let reply = app.send(post("{}".into(), "198.51.100.4")).await;
            if reply.status.as_u16() == 429 {
                assert!(reply.headers.get("retry-after").is_some());
                limited = true;
                break;
            }
        }
        assert!(limited, "fifteen checks at once from one address were all accepted");
        let reply = app.send(post("{}".into(), "198.51.100.5")).await;
        assert_ne!(reply.status.as_u16(), 429);
    }

    async fn a_huge_preview_is_refused_and_a_deep_one_is_quick(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let cookie = common::new_teacher(&app, "prev@p.test", "Pre View").await;
        let huge = "x".repeat(150 * 1024);
        let reply = app.post_form("/api/journal/preview", &[("text", &huge)], Some(&cookie)).await;
        assert_eq!(reply.status.as_u16(), 422, "{}", reply.body);
        assert!(reply.body.contains("text"), "names the field: {}", reply.body);
        // 100 KB of nested quotes: within the size limit, rendered with its nesting capped.
        let deep = ">".repeat(100 * 1024 - 10);
        let reply = app.post_form("/api/journal/preview", &[("text", &deep)], Some(&cookie)).await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.body.chars().take(200).collect::<String>());
        let depth = reply.body.matches("<blockquote>").count();
        assert!(depth <= app::markdown::MAX_NESTING, "{depth} nested quotes");
    }
}

/// The indicators of the MCF's Communication competency.
const COMMUNICATION: [&str; 9] = [
    "sharing-information",
    "expressing-views-constructively",
    "interpersonal-skills",
    "active-listening",
    "constructive-feedback",
    "framing-questions",
    "building-rapport",
    "clear-messages",
    "assessing-learning-progress",
];

/// The evidence draft fields of one save: `text` as every rationale, a link for each.
fn draft_fields(version: i64, intent: &str, text: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("draft[framework]".into(), "mcf".into()),
        ("draft[competency]".into(), "communication".into()),
        ("draft[base_version]".into(), version.to_string()),
        ("draft[intent]".into(), intent.into()),
    ];
    for slug in COMMUNICATION {
        fields.push((format!("draft[rationale][{slug}]"), text.into()));
        fields.push((
            format!("draft[links][{slug}]"),
            "https://example.org/evidence My recording".into(),
        ));
    }
    fields
}

async fn save(app: &TestApp, cookie: &str, fields: &[(String, String)]) -> common::Reply {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form("/api/submission/save", &pairs, Some(cookie))
        .await
}

both_engines! {
    async fn concurrent_writes_on_one_version_are_decided_once(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 1] = [("tess", "Tess Teacher", &[(true, Role::Teacher)])];
        let cast = Cast::new(&app, "Race", "r.test", &roster).await;
        let cookie = cast.cookie("tess").to_owned();
        let first = save(&app, &cookie, &draft_fields(0, "save", "start")).await;
        assert!(first.status.is_success(), "{}", first.body);
        let mut version = 1_i64;
        for round in 0..20 {
            let a = draft_fields(version, "autosave", &format!("window A, round {round}"));
            let b = draft_fields(version, "autosave", &format!("window B, round {round}"));
            let (ra, rb) = tokio::join!(save(&app, &cookie, &a), save(&app, &cookie, &b));
            let saved = [&ra, &rb].iter().filter(|r| r.body.contains("\"Saved\"")).count();
            let conflicts = [&ra, &rb].iter().filter(|r| r.body.contains("\"Conflict\"")).count();
            assert_eq!((saved, conflicts), (1, 1), "round {round}: {} / {}", ra.body, rb.body);
            version += 1;
            // What is stored is the text of the save that was answered "Saved".
            let winner = if ra.body.contains("\"Saved\"") { "A" } else { "B" };
            let page = app
                .page_as("/frameworks/mcf/competencies/communication/evidence", &cookie)
                .await;
            assert!(
                page.body.contains(&format!("window {winner}, round {round}")),
                "round {round}: the stored text is not the acknowledged one"
            );
        }
        // Two submits of the same version: one is submitted, one audit row.
        let s = draft_fields(
            version,
            "submit",
            "In my recorded session I paused, summarised the mentee's concern and asked a follow-up question before advising.",
        );
        let (ra, rb) = tokio::join!(save(&app, &cookie, &s), save(&app, &cookie, &s));
        let submitted = [&ra, &rb].iter().filter(|r| r.body.contains("\"Submitted\"")).count();
        assert_eq!(submitted, 1, "{} / {}", ra.body, rb.body);
        for r in [&ra, &rb] {
            assert!(!r.status.is_server_error(), "{}: {}", r.status, r.body);
        }
        let audits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'submission.submit'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(audits, 1);
    }

    async fn instances_starting_together_share_one_signing_key(engine: Engine) {
        let Some(db) = common::seeded_db(engine).await else { return };
        let settings = app::db::credential::IssuerSettings {
            base_url: "http://127.0.0.1:3000".into(),
            name: "Race".into(),
            sealing: app::credentials::issuer::SealingKey::development(),
            linkedin_organization: None,
        };
        let (a, b) = tokio::join!(
            app::db::credential::load_issuer(&db, &settings),
            app::db::credential::load_issuer(&db, &settings)
        );
        let (a, b) = (a.expect("first instance"), b.expect("second instance"));
        assert_eq!(a.fragment, b.fragment);
        let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issuer_keys")
            .fetch_one(db.pool())
            .await
            .expect("count");
        assert_eq!(keys, 1);
    }
}

/// Decides a submission with every indicator at `level` (1 Not, 2 Partly, 3 Evident).
async fn decide(app: &TestApp, cookie: &str, id: i64, competent: bool) -> common::Reply {
    let claim = app
        .post_form(
            "/api/review/claim",
            &[("id", &id.to_string())],
            Some(cookie),
        )
        .await;
    assert_eq!(claim.status, 200, "{}", claim.body);
    let id = id.to_string();
    let level = if competent { "3" } else { "2" };
    let mut fields: Vec<(String, String)> = vec![
        ("review[submission]".into(), id),
        ("review[feedback]".into(), "Clear evidence.".into()),
        (
            "review[improve]".into(),
            if competent { "" } else { "More" }.into(),
        ),
        (
            "review[decision]".into(),
            if competent { "competent" } else { "not_yet" }.into(),
        ),
    ];
    for slug in COMMUNICATION {
        fields.push((format!("review[level][{slug}]"), level.into()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form("/api/review/decide", &pairs, Some(cookie))
        .await
}

both_engines! {
    async fn a_coordinator_who_is_also_a_teacher_cannot_act_on_their_own_work(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 3] = [
            ("cora", "Cora Coordinator", &[(true, Role::Coordinator), (true, Role::Teacher)]),
            ("asa", "Asa Assessor", &[(true, Role::Assessor)]),
            ("tess", "Tess Teacher", &[(true, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Own work", "o.test", &roster).await;
        let (cora, asa, tess) = (cast.cookie("cora"), cast.cookie("asa"), cast.cookie("tess"));
        let text = "In my recorded session I paused, summarised and asked a follow-up question.";
        for who in [cora, tess] {
            let r = save(&app, who, &draft_fields(0, "submit", text)).await;
            assert!(r.body.contains("\"Submitted\""), "{}", r.body);
        }
        let id_of = |user: i64| {
            let db = app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM submissions WHERE user_id = $1")
                    .bind(user)
                    .fetch_one(db.pool())
                    .await
                    .expect("submission")
            }
        };
        let own = id_of(cast.id("cora")).await;
        let other = id_of(cast.id("tess")).await;
        // Not reviewed, claimed or assigned by themselves.
        let r = app.post_form("/api/review/claim", &[("id", &own.to_string())], Some(cora)).await;
        assert!(matches!(r.status.as_u16(), 403 | 404 | 409 | 422), "{}: {}", r.status, r.body);
        let r = app.post_form("/api/review/assign", &[("id", &own.to_string()), ("assessor", &cast.id("asa").to_string())], Some(cora)).await;
        assert!(r.status.is_client_error(), "assigning one's own submission: {}: {}", r.status, r.body);
        // Both decided Not yet by the assessor.
        for id in [own, other] {
            let r = decide(&app, asa, id, false).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        // Moderation: their own submission is never sent for a second opinion by them.
        let r = app.post_form("/api/moderation/pick", &[("id", &own.to_string())], Some(cora)).await;
        assert_eq!(r.status, 404, "{}", r.body);
        let cohort = cast.cohort.to_string();
        let r = app.post_form("/api/moderation/sample", &[("cohort", &cohort), ("percent", "100")], Some(cora)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let sampled: Vec<i64> = sqlx::query_scalar("SELECT submission_id FROM moderations")
            .fetch_all(app.db.pool())
            .await
            .expect("moderations");
        assert!(sampled.contains(&other) && !sampled.contains(&own), "{sampled:?}");
        // No extra attempt for themselves; one for the teacher is fine.
        let allow = |user: i64| {
            let fields = [
                ("cohort", cohort.clone()),
                ("user", user.to_string()),
                ("competency", "communication".to_owned()),
                ("reason", "Illness during the first attempt".to_owned()),
            ];
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form("/api/moderation/allow-attempt", &pairs, Some(cora)).await
            }
        };
        let r = allow(cast.id("cora")).await;
        assert!(matches!(r.status.as_u16(), 403 | 404), "{}: {}", r.status, r.body);
        let r = allow(cast.id("tess")).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

both_engines! {
    async fn pages_show_only_messages_the_server_left(engine: Engine) {
        use axum::body::Body;
        use axum::http::Request;
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 2] = [
            ("cora", "Cora Coordinator", &[(true, Role::Coordinator)]),
            ("tess", "Tess Teacher", &[(true, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Flash", "f.test", &roster).await;
        let (cora, tess) = (cast.cookie("cora").to_owned(), cast.cookie("tess").to_owned());
        let cohort = cast.cohort;
        // Text put in the URL by someone else is never shown, on any page.
        let injected = "message=INJECTED%20TEXT&error=form&reset_link=https%3A%2F%2Finjected.example%2Freset%2Fx&flash=abc";
        let pages: Vec<(String, Option<&str>)> = vec![
            ("/".into(), None),
            ("/sign-in".into(), None),
            ("/verify".into(), None),
            ("/join/not-a-token".into(), None),
            ("/reset/not-a-token".into(), None),
            ("/journal".into(), Some(&tess)),
            ("/profile".into(), Some(&tess)),
            ("/learning-statement".into(), Some(&tess)),
            ("/frameworks/mcf/competencies/communication/checklist".into(), Some(&tess)),
            ("/frameworks/mcf/competencies/communication/evidence".into(), Some(&tess)),
            ("/coordinator".into(), Some(&cora)),
            (format!("/coordinator/cohorts/{cohort}"), Some(&cora)),
            (format!("/coordinator/cohorts/{cohort}/moderation"), Some(&cora)),
        ];
        for (page, cookie) in &pages {
            let uri = format!("{page}?{injected}");
            let reply = match cookie {
                Some(c) => app.page_as(&uri, c).await,
                None => app.get(&uri).await,
            };
            assert!(!reply.body.contains("INJECTED"), "{page} shows text from its URL");
            assert!(!reply.body.contains("injected.example"), "{page} shows a link from its URL");
        }

        // A refused plain form post: back to the page with only an id in the URL and the
        // message in a cookie for that page.
        let plain_post = |path: &str, body: &str, cookie: Option<&str>, referer: &str| {
            let mut r = Request::post(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html,application/xhtml+xml")
                .header("referer", format!("http://127.0.0.1:3000{referer}"))
                .header("host", "127.0.0.1:3000")
                .header("origin", "http://127.0.0.1:3000");
            if let Some(c) = cookie {
                r = r.header("cookie", c);
            }
            r.body(Body::from(body.to_owned())).expect("request")
        };
        let reply = app
            .send(plain_post("/api/account/sign-in", "email=not-an-email&password=x&next=%2F", None, "/sign-in?next=%2F"))
            .await;
        assert!(reply.status.is_redirection(), "{}", reply.status);
        let location = reply.headers["location"].to_str().expect("ascii").to_owned();
        assert!(location.starts_with("/sign-in?next=%2F&flash="), "{location}");
        assert!(!location.contains("message="), "{location}");
        let set = reply.headers["set-cookie"].to_str().expect("ascii").to_owned();
        assert!(set.starts_with("mcf_flash=") && set.contains("Path=/sign-in;"), "{set}");
        let flash = set.split(';').next().expect("pair").to_owned();
        let shown = app.page_as(&location, &flash).await;
        assert!(shown.body.contains("email address") || shown.body.contains("email"), "{}", shown.body.len());
        let message = app::flash::from_cookie_header(&flash, location.rsplit('=').next().expect("id"))
            .expect("the cookie holds the message");
        assert_eq!(message.field, "email");
        // Shown as a sentence (issue 15: messages start with a capital).
        let said = app::components::form::sentence(&message.message);
        assert!(shown.body.contains(&said), "the page shows the server's message");
        // The same cookie under another id, or the id without the cookie: nothing.
        let other = app.page_as("/sign-in?flash=0000", &flash).await;
        assert!(!other.body.contains(&said));
        let bare = app.get(&location).await;
        assert!(!bare.body.contains(&said));

        // The reset link a coordinator issues without JavaScript reaches the page the same way.
        let body = format!("cohort_id={cohort}&user_id={}", cast.id("tess"));
        let reply = app
            .send(plain_post("/api/members/reset-link", &body, Some(&cora), &format!("/coordinator/cohorts/{cohort}")))
            .await;
        assert!(reply.status.is_redirection(), "{}: {}", reply.status, reply.body);
        let location = reply.headers["location"].to_str().expect("ascii").to_owned();
        assert!(!location.contains("reset_link"), "{location}");
        let set = reply
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("mcf_flash="))
            .expect("a flash cookie")
            .split(';')
            .next()
            .expect("pair")
            .to_owned();
        let page = app.page_as(&location, &format!("{cora}; {set}")).await;
        assert!(page.body.contains("/reset/"), "the page shows the issued link");
    }
}

both_engines! {
    async fn deactivating_an_assessor_gives_their_claims_back(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 3] = [
            ("cora", "Cora Coordinator", &[(true, Role::Coordinator)]),
            ("asa", "Asa Assessor", &[(true, Role::Assessor)]),
            ("tess", "Tess Teacher", &[(true, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Give back", "g.test", &roster).await;
        let text = "In my recorded session I paused, summarised and asked a follow-up question.";
        let r = save(&app, cast.cookie("tess"), &draft_fields(0, "submit", text)).await;
        assert!(r.body.contains("\"Submitted\""), "{}", r.body);
        let id: i64 = sqlx::query_scalar("SELECT id FROM submissions")
            .fetch_one(app.db.pool())
            .await
            .expect("submission");
        let r = app.post_form("/api/review/claim", &[("id", &id.to_string())], Some(cast.cookie("asa"))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let fields = [("cohort_id", cast.cohort.to_string()), ("user_id", cast.id("asa").to_string())];
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.post_form("/api/members/deactivate", &pairs, Some(cast.cookie("cora"))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let holder: Option<i64> = sqlx::query_scalar("SELECT claimed_by FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .expect("claim");
        assert_eq!(holder, None, "the claim went back to the queue");
    }
}
