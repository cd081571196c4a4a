//! Plain HTML forms (JavaScript off), issue 15: a refused post gives its form back filled in
//! (nothing typed is lost), secrets never travel back, and a post that succeeds lands on its
//! page in the same state (`?phase=baseline` stays baseline). Table-driven over each
//! kind of form a person types into: a checklist rating (one form per indicator), evidence (also
//! kept as the draft), a journal entry, a scenario answer too long for the echo, an assessor's
//! decision, and sign-in (whose password never comes back).

use crate::common;

use app::components::form::textarea_html;
use app::domain::account::Role;
use app::domain::assessment::{DraftOutcome, Workspace};
use common::{Cast, Person, TestApp};

const COMPETENCY: &str = "innovation-and-creativity";
const INDICATORS: [&str; 3] = [
    "generating-new-ideas",
    "taking-risks-with-new-strategies",
    "charting-growth-knowledge",
];

/// Text as people type it: markup characters, quotes, accents, a second line.
fn typed(label: &str) -> String {
    format!("{label}: 3 < 4 & \"quoted\" café\nsecond line")
}

/// How a typed text appears in the page: inside a `<textarea>` (`textarea`) or an `value`
/// attribute.
fn shown(text: &str, textarea: bool) -> String {
    if textarea {
        textarea_html(text)
    } else {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}

/// One refused plain form post.
struct Case {
    /// What it is, for failure messages.
    name: &'static str,
    /// Who posts (a key of the cast), or nobody.
    who: Option<&'static str>,
    /// The page the form is on.
    page: String,
    /// Where it posts.
    endpoint: &'static str,
    /// Every field posted.
    fields: Vec<(String, String)>,
    /// Typed values that must come back (value, shown in a textarea).
    back: Vec<(String, bool)>,
    /// A value that must never be echoed (a password).
    secret: Option<&'static str>,
}

async fn scenario_unit(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT slug FROM units WHERE kind = 'scenario' ORDER BY slug LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .expect("a scenario unit")
}

both_engines! {
    async fn a_refused_plain_form_comes_back_filled_in(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [Person; 3] = [
            ("teacher", "Tara Teacher", &[(true, Role::Teacher)]),
            ("assessor", "Abe Assessor", &[(true, Role::Assessor)]),
            ("writer", "Wren Writer", &[(true, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Forms", "f.test", &roster).await;
        let teacher = cast.cookie("teacher").to_owned();

        // Something to assess: the teacher submits through the app's own calls.
        let entry = app
            .post_form(
                "/api/journal/create",
                &[("entry[title]", "Tried it"), ("entry[body]", "We tried it.")],
                Some(&teacher),
            )
            .await;
        assert_eq!(entry.status, 200, "{}", entry.body);
        let entry: i64 = entry.body.trim().parse().expect("entry id");
        let workspace = |who: String| {
            let app = &app;
            async move {
                let r = app
                    .get_as(&format!("/api/submission/workspace?framework=mcf&competency={COMPETENCY}"), &who)
                    .await;
                assert_eq!(r.status, 200, "{}", r.body);
                serde_json::from_str::<Workspace>(&r.body).expect("workspace")
            }
        };
        let evidence_page = format!("/frameworks/mcf/competencies/{COMPETENCY}/evidence");
        let version = workspace(teacher.clone()).await.version;
        let mut submit: Vec<(String, String)> = vec![
            ("draft[framework]".into(), "mcf".into()),
            ("draft[competency]".into(), COMPETENCY.into()),
            ("draft[base_version]".into(), version.to_string()),
            ("draft[intent]".into(), "submit".into()),
            (format!("draft[pick][{}__j{entry}]", INDICATORS[0]), "on".into()),
        ];
        for s in INDICATORS {
            submit.push((format!("draft[rationale][{s}]"), format!("Because of {s}")));
        }
        let pairs: Vec<(&str, &str)> = submit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app.post_form("/api/submission/save", &pairs, Some(&teacher)).await;
        let out: DraftOutcome = serde_json::from_str(&r.body).expect("outcome");
        assert!(matches!(out, DraftOutcome::Submitted { .. }), "{out:?}");
        let submission: i64 = sqlx::query_scalar("SELECT id FROM submissions WHERE user_id = $1 AND status = 'submitted'")
            .bind(cast.id("teacher"))
            .fetch_one(app.db.pool())
            .await
            .expect("submission");
        let claim = app
            .post_form("/api/review/claim", &[("id", &submission.to_string())], Some(cast.cookie("assessor")))
            .await;
        assert_eq!(claim.status, 200, "{}", claim.body);

        // A second teacher's evidence form, still a draft, for the evidence case.
        let writer = cast.cookie("writer").to_owned();
        let writer_version = workspace(writer.clone()).await.version;
        let unit = scenario_unit(&app).await;

        let checklist = format!("/frameworks/mcf/competencies/{COMPETENCY}/checklist?phase=baseline");
        let mut cases = vec![
            Case {
                name: "checklist rating with a level that does not exist",
                who: Some("teacher"),
                page: checklist.clone(),
                endpoint: "/api/checklist/save",
                fields: vec![
                    ("rating[framework]".into(), "mcf".into()),
                    ("rating[competency]".into(), COMPETENCY.into()),
                    ("rating[indicator]".into(), INDICATORS[1].into()),
                    ("rating[phase]".into(), "baseline".into()),
                    ("rating[level]".into(), "9".into()),
                    ("rating[note]".into(), typed("Checklist note")),
                    ("rating[evidence_url]".into(), "https://example.org/plan".into()),
                ],
                back: vec![(typed("Checklist note"), true), ("https://example.org/plan".into(), false)],
                secret: None,
            },
            Case {
                name: "evidence submitted with rationales missing",
                who: Some("writer"),
                page: evidence_page.clone(),
                endpoint: "/api/submission/save",
                fields: vec![
                    ("draft[framework]".into(), "mcf".into()),
                    ("draft[competency]".into(), COMPETENCY.into()),
                    ("draft[base_version]".into(), writer_version.to_string()),
                    ("draft[intent]".into(), "submit".into()),
                    (format!("draft[rationale][{}]", INDICATORS[0]), typed("Rationale")),
                    (format!("draft[links][{}]", INDICATORS[0]), "https://example.org/lesson Lesson".into()),
                ],
                back: vec![(typed("Rationale"), true)],
                secret: None,
            },
            Case {
                name: "journal entry without a title",
                who: Some("teacher"),
                page: "/journal".into(),
                endpoint: "/api/journal/create",
                fields: vec![("entry[title]".into(), "   ".into()), ("entry[body]".into(), typed("Reflection"))],
                back: vec![(typed("Reflection"), true)],
                secret: None,
            },
            Case {
                name: "scenario answer that is too long",
                who: Some("teacher"),
                page: format!("/frameworks/mcf/units/{unit}"),
                endpoint: "/api/unit/answer",
                fields: vec![
                    ("framework".into(), "mcf".into()),
                    ("unit".into(), unit.clone()),
                    ("answer".into(), format!("{}{}", typed("Answer"), " padding".repeat(13_000))),
                ],
                // Too long for the echo: the longest field is left out, the rest comes back.
                back: vec![],
                secret: None,
            },
            Case {
                name: "assessor's decision without feedback",
                who: Some("assessor"),
                page: format!("/assess/{submission}"),
                endpoint: "/api/review/decide",
                fields: {
                    let mut f: Vec<(String, String)> = vec![
                        ("review[submission]".into(), submission.to_string()),
                        ("review[feedback]".into(), " ".into()),
                        ("review[improve]".into(), typed("Improve")),
                        ("review[decision]".into(), "not_yet".into()),
                    ];
                    for s in INDICATORS {
                        f.push((format!("review[level][{s}]"), "2".into()));
                        f.push((format!("review[comment][{s}]"), typed(&format!("Comment {s}"))));
                    }
                    f
                },
                back: {
                    let mut b = vec![(typed("Improve"), true)];
                    for s in INDICATORS {
                        b.push((typed(&format!("Comment {s}")), true));
                    }
                    b
                },
                secret: None,
            },
            Case {
                name: "sign-in with a wrong password",
                who: None,
                page: "/sign-in?next=%2Fjournal".into(),
                endpoint: "/api/account/sign-in",
                fields: vec![
                    ("email".into(), "someone.else@f.test".into()),
                    ("password".into(), "not the password 12345".into()),
                    ("next".into(), "/journal".into()),
                ],
                back: vec![("someone.else@f.test".into(), false)],
                secret: Some("not the password 12345"),
            },
        ];
        let mut refused = 0;
        for case in cases.drain(..) {
            let cookie = case.who.map(|who| cast.cookie(who).to_owned());
            let pairs: Vec<(&str, &str)> = case.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let reply = app.plain_post(case.endpoint, &pairs, cookie.as_deref(), &case.page).await;
            assert!(reply.status.is_redirection(), "{}: {} {}", case.name, reply.status, reply.body);
            let location = reply.headers["location"].to_str().expect("ascii").to_owned();
            let (path, query) = case.page.split_once('?').unwrap_or((&case.page, ""));
            assert!(location.starts_with(path) && location.contains("flash="), "{}: back to {location}", case.name);
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                assert!(location.contains(pair), "{}: {pair} lost in {location}", case.name);
            }
            for cookie in reply.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
                assert!(cookie.len() <= 4096, "{}: a cookie of {} bytes", case.name, cookie.len());
                if let Some(secret) = case.secret {
                    let encoded = app::domain::url::encode(secret).replace("%20", "+");
                    assert!(!cookie.contains(&encoded) && !cookie.contains(secret), "{}: the secret travels back", case.name);
                }
            }
            let (page, _) = app.follow(&reply, cookie.as_deref()).await;
            assert_eq!(page.status, 200, "{}: {}", case.name, location);
            for (value, textarea) in &case.back {
                assert!(
                    page.body.contains(&shown(value, *textarea)),
                    "{}: {value:?} is not on the page it came back to",
                    case.name
                );
            }
            if let Some(secret) = case.secret {
                assert!(!page.body.contains(secret), "{}: the secret is on the page", case.name);
            }
            refused += 1;
        }
        assert_eq!(refused, 6);

        // The refused evidence was kept as the writer's draft too (it survives a later visit).
        let saved = workspace(writer.clone()).await;
        let kept = saved
            .indicators
            .iter()
            .find(|i| i.slug == INDICATORS[0])
            .map(|i| i.rationale.clone());
        assert_eq!(kept.as_deref(), Some(typed("Rationale").as_str()));
        assert!(saved.version > writer_version, "the draft was saved");
    }

    async fn signing_in_from_nowhere_lands_on_ones_work(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [Person; 4] = [
            ("teach", "Tia Teach", &[(true, Role::Teacher)]),
            ("mark", "Max Mark", &[(true, Role::Assessor)]),
            ("coord", "Cy Coord", &[(true, Role::Coordinator)]),
            ("both", "Bo Both", &[(true, Role::Teacher), (true, Role::Assessor)]),
        ];
        Cast::new(&app, "Landing", "l.test", &roster).await;
        let cases = [
            ("teach@l.test", "/", "/dashboard"),
            ("mark@l.test", "/", "/assess"),
            ("coord@l.test", "/", "/coordinator"),
            ("both@l.test", "/", "/dashboard"),
            ("admin@l.test", "/", "/coordinator"),
            // Headed somewhere: that is where they go.
            ("mark@l.test", "/journal", "/journal"),
        ];
        for (email, next, expected) in cases {
            let r = app
                .post_form("/api/account/sign-in", &[("email", email), ("password", "cast pw"), ("next", next)], None)
                .await;
            assert_eq!(r.status, 200, "{email}: {}", r.body);
            let to: String = serde_json::from_str(&r.body).expect("a path");
            assert_eq!(to, expected, "{email} from {next}");
            // Without JavaScript, the same, as a redirect.
            let r = app
                .plain_post("/api/account/sign-in", &[("email", email), ("password", "cast pw"), ("next", next)], None, "/sign-in")
                .await;
            assert_eq!(r.headers.get("location").and_then(|v| v.to_str().ok()), Some(expected), "{email}");
        }
    }

    async fn a_plain_form_that_succeeds_keeps_its_page_state(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let cookie = common::new_teacher(&app, "state@f.test", "Stan State").await;
        let page = format!("/frameworks/mcf/competencies/{COMPETENCY}/checklist?phase=baseline");
        let fields = [
            ("rating[framework]", "mcf"),
            ("rating[competency]", COMPETENCY),
            ("rating[indicator]", INDICATORS[2]),
            ("rating[phase]", "baseline"),
            ("rating[level]", "2"),
            ("rating[note]", ""),
            ("rating[evidence_url]", ""),
        ];
        let reply = app.plain_post("/api/checklist/save", &fields, Some(&cookie), &page).await;
        assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
        let location = reply.headers["location"].to_str().expect("ascii");
        assert!(location.contains("phase=baseline"), "the baseline phase is lost: {location}");
        assert!(location.ends_with(&format!("#indicator-{}", INDICATORS[2])), "{location}");
        // The next rating on that page is a baseline rating again.
        let (next, _) = app.follow(&reply, Some(&cookie)).await;
        assert!(next.body.contains("name=\"rating[phase]\" value=\"baseline\""), "the page is not the baseline checklist");
    }
}
