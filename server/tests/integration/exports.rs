//! Coordinators' CSV exports (issue 17): the roster's figures on a cohort seeded with known
//! answers, who may export what, spreadsheet safety, and the audit trail by date range.

use crate::common;

use app::domain::account::Role;
use common::{Cast, Engine, Person, TestApp};

const JOURNAL_TEXT: &str = "Only-in-the-journal sentence 7781";
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example\",\"Click\")";

struct World {
    app: TestApp,
    cast: Cast,
    admin_cookie: String,
}

impl World {
    /// Cohort A: `coord` coordinates, `ana` and `ben` (named like a formula) teach, `asse`
    /// assesses. Cohort B: `coordb` coordinates, `cara` teaches.
    async fn new(engine: Engine) -> Option<Self> {
        let app = TestApp::new(engine).await?;
        let roster: [Person; 6] = [
            ("coord", "Cora Coordinator", &[(true, Role::Coordinator)]),
            ("ana", "Ana Teacher", &[(true, Role::Teacher)]),
            ("ben", FORMULA_NAME, &[(true, Role::Teacher)]),
            ("asse", "Ada Assessor", &[(true, Role::Assessor)]),
            ("coordb", "Cole Other", &[(false, Role::Coordinator)]),
            ("cara", "Cara Elsewhere", &[(false, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Export", "x.test", &roster).await;
        let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind("admin@x.test")
            .fetch_one(app.db.pool())
            .await
            .expect("admin");
        let token = app::auth::session::create(&app.db, admin, "test", "192.0.2.1")
            .await
            .expect("session");
        Some(Self {
            app,
            cast,
            admin_cookie: format!("mcf_session={token}"),
        })
    }

    fn roster_path(&self) -> String {
        format!("/coordinator/cohorts/{}/roster.csv", self.cast.cohort)
    }
}

/// The file's rows (header first), after the BOM.
fn parse(body: &str) -> Vec<Vec<String>> {
    let text = body.strip_prefix('\u{feff}').expect("a UTF-8 BOM first");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect()
}

/// The row whose `email` column is `email`, as column name → value.
fn row_of(rows: &[Vec<String>], email: &str) -> Option<std::collections::HashMap<String, String>> {
    let header = &rows[0];
    rows[1..]
        .iter()
        .find(|r| r[1] == email)
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
}

async fn exec(db: &app::db::Db, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(db.pool()).await.expect(sql);
}

async fn ids(db: &app::db::Db, sql: &str) -> Vec<i64> {
    sqlx::query_scalar(sql)
        .fetch_all(db.pool())
        .await
        .expect(sql)
}

both_engines! {
    async fn the_roster_counts_each_teachers_progress_and_nothing_private(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        let (ana, ben, cara) = (w.cast.id("ana"), w.cast.id("ben"), w.cast.id("cara"));
        let cohort = w.cast.cohort;
        let indicators = ids(db, "SELECT i.id FROM indicators i JOIN frameworks f ON f.id = i.framework_id \
             WHERE f.slug = 'mcf' AND i.retired_at IS NULL ORDER BY i.id").await;
        let competencies = ids(db, "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = 'mcf' AND c.retired_at IS NULL ORDER BY c.id").await;
        let units = ids(db, "SELECT u.id FROM units u JOIN frameworks f ON f.id = u.framework_id \
             WHERE f.slug = 'mcf' AND u.retired_at IS NULL ORDER BY u.id").await;
        let framework = ids(db, "SELECT id FROM frameworks WHERE slug = 'mcf'").await[0];
        let key = ids(db, "SELECT id FROM issuer_keys").await[0];

        // Ana: 3 baseline ratings and 1 current, 2 units, 2 journal entries (and one deleted),
        // Competent in one competency after a Not yet, Not yet in another, a draft in a third,
        // two live badges, a revoked one and a signed record (neither counted).
        for (k, i) in indicators.iter().take(3).enumerate() {
            exec(db, "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) \
                 VALUES ($1, $2, 'baseline', 2, $3)", &[ana, *i, 1_000 + k as i64]).await;
        }
        exec(db, "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) \
             VALUES ($1, $2, 'current', 3, 5000)", &[ana, indicators[0]]).await;
        for u in units.iter().take(2) {
            exec(db, "INSERT INTO unit_progress (user_id, unit_id, done_at) VALUES ($1, $2, 2000)", &[ana, *u]).await;
        }
        for (n, deleted) in [(1_i64, false), (2, false), (3, true)] {
            sqlx::query("INSERT INTO journal_entries (user_id, title, body, version, created_at, updated_at, deleted_at) \
                 VALUES ($1, $2, $3, 1, 100, $4, $5)")
                .bind(ana)
                .bind(format!("Entry {n}"))
                .bind(JOURNAL_TEXT)
                .bind(100 + n)
                .bind(deleted.then_some(200_i64))
                .execute(db.pool()).await.expect("journal");
        }
        // The latest activity: 86,400,000 ms + 2 h 5 min = 1970-01-02 02:05 UTC.
        let last = 86_400_000 + 7_500_000;
        for (competency, attempt, status, updated) in [
            (competencies[0], 1, "not_yet", 3000),
            (competencies[0], 2, "competent", last),
            (competencies[1], 1, "not_yet", 3000),
            (competencies[2], 1, "draft", 3000),
        ] {
            sqlx::query("INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 10, $6)")
                .bind(ana).bind(cohort).bind(competency).bind(attempt).bind(status).bind(updated)
                .execute(db.pool()).await.expect("submission");
        }
        for (n, achievement, revoked) in [
            (1_i64, "domain:one", None),
            (2, "domain:two", None),
            (3, "domain:three", Some(50_i64)),
            (4, "learning-record", None),
        ] {
            sqlx::query("INSERT INTO credentials (public_id, user_id, framework_id, achievement, status_index, key_id, document, issued_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, '{}', 40, $7)")
                .bind(format!("export-test-{n}")).bind(ana).bind(framework).bind(achievement)
                .bind(90_000 + n).bind(key).bind(revoked)
                .execute(db.pool()).await.expect("credential");
        }
        // Cara (the other cohort) has work too; it must not appear.
        exec(db, "INSERT INTO unit_progress (user_id, unit_id, done_at) VALUES ($1, $2, 2000)", &[cara, units[0]]).await;
        // Ben is deactivated.
        exec(db, "UPDATE users SET deactivated_at = 77 WHERE id = $1", &[ben]).await;

        let reply = w.app.get_as(&w.roster_path(), w.cast.cookie("coord")).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.headers["content-type"], "text/csv; charset=utf-8");
        let disposition = reply.headers["content-disposition"].to_str().expect("ascii");
        assert!(disposition.starts_with(&format!("attachment; filename=\"cohort-{cohort}-roster-")), "{disposition}");
        assert_eq!(reply.headers["cache-control"], "private, no-store");
        assert!(!reply.body.contains(JOURNAL_TEXT), "journal text in the export");

        let rows = parse(&reply.body);
        assert_eq!(rows.len(), 3, "header + the two teachers of cohort A: {rows:?}");
        let a = row_of(&rows, "ana@x.test").expect("ana");
        let expect = |col: &str, value: String| assert_eq!(a[col], value, "{col}");
        expect("name", "Ana Teacher".into());
        expect("status", "active".into());
        expect("baseline indicators rated", "3".into());
        expect("current indicators rated", "1".into());
        expect("indicators", indicators.len().to_string());
        expect("units done", "2".into());
        expect("units", units.len().to_string());
        expect("journal entries", "2".into());
        expect("competencies submitted", "2".into());
        expect("competencies competent", "1".into());
        expect("competencies", competencies.len().to_string());
        expect("badges held", "2".into());
        expect("last activity (UTC)", "1970-01-02 02:05 UTC".into());
        assert_eq!(indicators.len(), 38, "the MCF's indicators");
        assert_eq!(competencies.len(), 7, "the MCF's competencies");

        let b = row_of(&rows, "ben@x.test").expect("ben");
        assert_eq!(b["name"], format!("'{FORMULA_NAME}"), "a formula is shown as text");
        assert_eq!(b["status"], "deactivated");
        assert_eq!(b["units done"], "0");
        assert_eq!(b["last activity (UTC)"], "");
        assert!(row_of(&rows, "cara@x.test").is_none(), "another cohort's teacher");

        // The export is audited with its size.
        let detail: Option<String> = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'export.roster' AND subject = $1 AND actor_id = $2")
            .bind(format!("cohort:{cohort}"))
            .bind(w.cast.id("coord"))
            .fetch_optional(db.pool()).await.expect("audit");
        assert_eq!(detail.as_deref(), Some("{\"rows\":2}"));
    }

    async fn only_the_cohorts_coordinators_export_its_roster(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let roster = w.roster_path();
        let other = format!("/coordinator/cohorts/{}/roster.csv", w.cast.other_cohort);
        let missing = format!("/coordinator/cohorts/{}/roster.csv", w.cast.other_cohort + 1000);
        let audit = "/coordinator/audit.csv?from=2026-01-01&to=2026-01-31";
        let cases: Vec<(&str, Option<&str>, &str, u16)> = vec![
            ("anonymous", None, &roster, 401),
            ("teacher of A", Some(w.cast.cookie("ana")), &roster, 404),
            ("assessor of A", Some(w.cast.cookie("asse")), &roster, 404),
            ("coordinator of B", Some(w.cast.cookie("coordb")), &roster, 404),
            ("coordinator of A", Some(w.cast.cookie("coord")), &roster, 200),
            ("institution coordinator", Some(&w.admin_cookie), &roster, 200),
            ("coordinator of A, cohort B", Some(w.cast.cookie("coord")), &other, 404),
            ("coordinator of B, cohort B", Some(w.cast.cookie("coordb")), &other, 200),
            ("institution coordinator, no such cohort", Some(&w.admin_cookie), &missing, 404),
            ("coordinator, not an id", Some(w.cast.cookie("coord")), "/coordinator/cohorts/abc/roster.csv", 404),
            ("anonymous", None, audit, 401),
            ("teacher", Some(w.cast.cookie("ana")), audit, 403),
            ("coordinator of a cohort", Some(w.cast.cookie("coord")), audit, 403),
            ("institution coordinator", Some(&w.admin_cookie), audit, 200),
        ];
        for (who, cookie, path, status) in cases {
            let reply = match cookie {
                Some(c) => w.app.get_as(path, c).await,
                None => w.app.get(path).await,
            };
            assert_eq!(reply.status.as_u16(), status, "{who} GET {path}: {}", reply.body);
            let is_csv = reply.headers.get("content-type").is_some_and(|v| v == "text/csv; charset=utf-8");
            assert_eq!(is_csv, status == 200, "{who} GET {path}: only an allowed export is a file");
        }
        // Refusals are not audited as exports: two roster exports of A, one of B, one audit.
        let exports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'export.%'")
            .fetch_one(w.app.db.pool()).await.expect("count");
        assert_eq!(exports, 4);
    }

    async fn the_audit_export_covers_the_days_asked_and_names_bad_fields(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        // Entries on known days: 2026-03-09 23:59:59.999, 2026-03-10 00:00, 2026-03-11 23:59,
        // 2026-03-12 00:00 UTC; one by a person, one formula-like detail.
        let day = 86_400_000_i64;
        let mar10 = 20_522 * day; // 2026-03-10
        for (at, actor, action, detail) in [
            (mar10 - 1, None, "before", "{}"),
            (mar10, Some(w.cast.id("coord")), "first", "{\"note\":\"=1+1\"}"),
            (mar10 + 2 * day - 60_000, None, "last", "{}"),
            (mar10 + 2 * day, None, "after", "{}"),
        ] {
            sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, 'test:1', $4)")
                .bind(at).bind(actor).bind(action).bind(detail)
                .execute(db.pool()).await.expect("audit row");
        }
        let reply = w.app.get_as("/coordinator/audit.csv?from=2026-03-10&to=2026-03-11", &w.admin_cookie).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let rows = parse(&reply.body);
        assert_eq!(rows[0], ["id", "at (UTC)", "actor", "action", "subject", "detail"]);
        let actions: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
        assert_eq!(actions, ["first", "last"], "both days included, nothing outside");
        assert_eq!(rows[1][1], "2026-03-10T00:00:00Z");
        assert_eq!(rows[1][2], "coord@x.test");
        assert_eq!(rows[2][2], "", "the system acts without an actor");
        assert!(reply.headers["content-disposition"].to_str().expect("ascii").contains("audit-2026-03-10-to-2026-03-11.csv"));

        for (query, field) in [
            ("", "from"),
            ("?from=2026-03-10", "to"),
            ("?from=10/03/2026&to=2026-03-11", "from"),
            ("?from=2026-03-10&to=2026-02-30", "to"),
            ("?from=2026-03-11&to=2026-03-10", "to"),
            ("?from=2025-01-01&to=2026-03-10", "to"),
            ("?from=%FF&to=2026-03-10", "from"),
        ] {
            let reply = w.app.get_as(&format!("/coordinator/audit.csv{query}"), &w.admin_cookie).await;
            assert_eq!(reply.status, 400, "{query}: {}", reply.body);
            assert!(reply.body.starts_with(&format!("{field}:")), "{query} names {field}: {}", reply.body);
        }
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export.audit'")
            .fetch_one(db.pool()).await.expect("count");
        assert_eq!(audited, 1, "only the export that was sent is audited");
    }
}

both_engines! {
    async fn the_funnel_counts_each_stage_per_competency_and_by_joining_date(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        let (ana, ben) = (w.cast.id("ana"), w.cast.id("ben"));
        let cohort = w.cast.cohort;
        let slug_of = |n: usize| async move {
            sqlx::query_scalar::<_, String>(
                "SELECT c.slug FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
                 WHERE f.slug = 'mcf' ORDER BY c.id")
                .fetch_all(db.pool()).await.expect("slugs")[n].clone()
        };
        let competencies = ids(db, "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = 'mcf' ORDER BY c.id").await;
        let (x, y) = (competencies[0], competencies[1]);
        let (x_slug, y_slug) = (slug_of(0).await, slug_of(1).await);
        let all_indicators = ids(db, "SELECT i.id FROM indicators i JOIN frameworks f ON f.id = i.framework_id \
             WHERE f.slug = 'mcf' ORDER BY i.id").await;
        let x_indicators = ids(db, &format!("SELECT id FROM indicators WHERE competency_id = {x}")).await;
        let x_units = ids(db, &format!("SELECT id FROM units WHERE competency_id = {x} AND retired_at IS NULL")).await;
        let y_units = ids(db, &format!("SELECT id FROM units WHERE competency_id = {y} AND retired_at IS NULL")).await;
        assert!(!x_units.is_empty() && !y_units.is_empty(), "both competencies have units");

        // Ana joined 2026-03-20: every indicator at baseline, every unit of X, Competent in X,
        // Not yet in Y. Ben joined 2026-03-10: X's indicators at baseline, a draft for Y.
        let day = 86_400_000_i64;
        exec(db, "UPDATE memberships SET created_at = $1 WHERE user_id = $2 AND cohort_id = $3", &[20_532 * day, ana, cohort]).await;
        exec(db, "UPDATE memberships SET created_at = $1 WHERE user_id = $2 AND cohort_id = $3", &[20_522 * day, ben, cohort]).await;
        for i in &all_indicators {
            exec(db, "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) VALUES ($1, $2, 'baseline', 2, 1)", &[ana, *i]).await;
        }
        for i in &x_indicators {
            exec(db, "INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) VALUES ($1, $2, 'baseline', 1, 1)", &[ben, *i]).await;
        }
        for u in &x_units {
            exec(db, "INSERT INTO unit_progress (user_id, unit_id, done_at) VALUES ($1, $2, 1)", &[ana, *u]).await;
        }
        // Ben also tried a third competency three times, Not yet each time: at the limit (3).
        let z = competencies[2];
        for (user, competency, attempt, status) in [
            (ana, x, 1, "competent"),
            (ana, y, 1, "not_yet"),
            (ben, y, 1, "draft"),
            (ben, z, 1, "not_yet"),
            (ben, z, 2, "not_yet"),
            (ben, z, 3, "not_yet"),
        ] {
            sqlx::query("INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, 1)")
                .bind(user).bind(cohort).bind(competency).bind(attempt).bind(status)
                .execute(db.pool()).await.expect("submission");
        }

        let coord = w.cast.cookie("coord");
        let csv_of = |query: &'static str| {
            let path = format!("/coordinator/cohorts/{cohort}/evaluation/funnel.csv{query}");
            let app = &w.app;
            async move {
                let reply = app.get_as(&path, coord).await;
                assert_eq!(reply.status, 200, "{path}: {}", reply.body);
                parse(&reply.body)
            }
        };
        let scope = |rows: &[Vec<String>], name: &str| -> Vec<String> {
            rows.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("{name} in {rows:?}"))[1..6].to_vec()
        };
        let all = csv_of("").await;
        assert_eq!(all.len(), 1 + 1 + competencies.len(), "header, overall, each competency");
        //                          joined baseline units submitted competent
        assert_eq!(scope(&all, "overall"), ["2", "1", "0", "2", "0"]);
        assert_eq!(scope(&all, &x_slug), ["2", "2", "1", "1", "1"]);
        assert_eq!(scope(&all, &y_slug), ["2", "1", "0", "1", "0"]);
        let ana_row = all.iter().find(|r| r[0] == "overall").expect("overall");
        assert_eq!(ana_row[6..], ["50 %", "0 %", "100 %", "0 %"]);

        let ana_only = csv_of("?from=2026-03-15").await;
        assert_eq!(scope(&ana_only, "overall"), ["1", "1", "0", "1", "0"]);
        assert_eq!(scope(&ana_only, &x_slug), ["1", "1", "1", "1", "1"]);
        let ben_only = csv_of("?to=2026-03-10").await;
        assert_eq!(scope(&ben_only, "overall"), ["1", "0", "0", "1", "0"]);
        assert_eq!(scope(&ben_only, &x_slug), ["1", "1", "0", "0", "0"]);
        let nobody = csv_of("?from=2027-01-01&to=2027-01-31").await;
        assert_eq!(scope(&nobody, "overall"), ["0", "0", "0", "0", "0"]);
        assert_eq!(nobody[1][6], "–", "no share of nobody");

        // Attempts: 1 Competent (at the first attempt), 4 Not yet; Ben at the limit in Z.
        let attempts = |query: &'static str| {
            let path = format!("/coordinator/cohorts/{cohort}/evaluation/attempts.csv{query}");
            let app = &w.app;
            async move {
                let reply = app.get_as(&path, coord).await;
                assert_eq!(reply.status, 200, "{path}: {}", reply.body);
                parse(&reply.body)[1..]
                    .iter()
                    .map(|r| (r[0].clone(), r[1].clone()))
                    .collect::<std::collections::HashMap<_, _>>()
            }
        };
        let a = attempts("").await;
        assert_eq!(a["decisions: competent"], "1");
        assert_eq!(a["decisions: not yet"], "4");
        assert_eq!(a["competent at attempt 1"], "1");
        assert_eq!(a["mean attempts to competent"], "1.0");
        assert_eq!(a["attempts allowed"], "3");
        assert_eq!(a["at the attempt limit now"], "1");
        let a = attempts("?from=2026-03-15").await;
        assert_eq!((a["decisions: not yet"].as_str(), a["at the attempt limit now"].as_str()), ("1", "0"), "Ana only");
        // An extra attempt for Ben in Z lifts him off the limit.
        sqlx::query("INSERT INTO attempt_allowances (user_id, competency_id, extra, granted_by, granted_at) VALUES ($1, $2, 1, $3, 1)")
            .bind(ben).bind(z).bind(w.cast.id("coord"))
            .execute(db.pool()).await.expect("allowance");
        assert_eq!(attempts("").await["at the attempt limit now"], "0");

        // The page shows the same figures; refusals as for the roster.
        let page = w.app.page_as(&format!("/coordinator/cohorts/{cohort}/evaluation?from=2026-03-15"), coord).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Evaluation: Export A"), "{}", page.body);
        assert!(page.body.contains("Teachers who joined on or after 2026-03-15"));
        assert!(
            page.body.contains("2 decisions: 1 Not yet (50 %), 1 Competent. Competent took 1.0 attempts on average; the cohort allows 3."),
            "the attempts for Ana alone"
        );
        for (who, status) in [("ana", 404), ("coordb", 404)] {
            let reply = w.app.get_as(&format!("/coordinator/cohorts/{cohort}/evaluation/funnel.csv"), w.cast.cookie(who)).await;
            assert_eq!(reply.status.as_u16(), status, "{who}");
        }
        let other = w.app.get_as(&format!("/coordinator/cohorts/{cohort}/evaluation/roster.csv"), coord).await;
        assert_eq!(other.status, 404, "only the page's tables");
        let bad = w.app.get_as(&format!("/coordinator/cohorts/{cohort}/evaluation/funnel.csv?from=2026-13-01"), coord).await;
        assert_eq!(bad.status, 400);
        assert!(bad.body.starts_with("from:"), "{}", bad.body);
    }
}

/// The kind of defect behind a 1.2 s roster column: a per-teacher lookup of their submissions in
/// a cohort by status must use the teacher's index, never the queue's (cohort, status) one,
/// which would scan the whole cohort per teacher. Every form of the lookup, on SQLite's planner.
#[tokio::test]
async fn per_teacher_submission_lookups_use_the_teachers_index() {
    let Some(app) = TestApp::new(Engine::Sqlite).await else {
        return;
    };
    for status in [
        "= 'competent'",
        "= 'not_yet'",
        "= 'submitted'",
        "= 'draft'",
        "<> 'draft'",
        "IN ('competent', 'not_yet')",
    ] {
        for select in [
            "COUNT(DISTINCT s.competency_id)",
            "COUNT(*)",
            "MAX(s.updated_at)",
        ] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT {select} FROM submissions s \
                 WHERE s.user_id = $1 AND s.cohort_id = $2 AND s.status {status}"
            );
            let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&sql)
                .bind(1_i64)
                .bind(1_i64)
                .fetch_all(app.db.pool())
                .await
                .expect(&sql);
            let text: Vec<&str> = plan.iter().map(|p| p.3.as_str()).collect();
            assert!(
                text.iter().any(|t| t.contains("(user_id=?"))
                    && !text.iter().any(|t| t.contains("submissions_queue")),
                "{select} … status {status}: {text:?}"
            );
        }
    }
}
