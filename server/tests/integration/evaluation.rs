//! The evaluation's growth, turnaround and assessor figures (issue 17) on a cohort seeded with
//! known answers (each computed by hand in the comments), the institution's view over every
//! cohort, and who may see them.

use crate::common;

use app::domain::account::Role;
use common::{Cast, Engine, Person, TestApp};
use std::collections::HashMap;

struct World {
    app: TestApp,
    cast: Cast,
    admin_cookie: String,
}

impl World {
    /// Cohort A: `coord` coordinates, `ana` and `ben` teach, `asse` and `bob` assess.
    /// Cohort B: `cara` teaches.
    async fn new(engine: Engine) -> Option<Self> {
        let app = TestApp::new(engine).await?;
        let roster: [Person; 6] = [
            ("coord", "Cora Coordinator", &[(true, Role::Coordinator)]),
            ("ana", "Ana Teacher", &[(true, Role::Teacher)]),
            ("ben", "Ben Teacher", &[(true, Role::Teacher)]),
            ("asse", "Ada Assessor", &[(true, Role::Assessor)]),
            ("bob", "Bob Marker", &[(true, Role::Assessor)]),
            ("cara", "Cara Elsewhere", &[(false, Role::Teacher)]),
        ];
        let cast = Cast::new(&app, "Evaluation", "ev.test", &roster).await;
        let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@ev.test'")
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

    async fn csv(&self, path: &str, cookie: &str) -> Vec<Vec<String>> {
        let reply = self.app.get_as(path, cookie).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.headers["cache-control"], "private, no-store");
        let text = reply.body.strip_prefix('\u{feff}').expect("a BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect()
    }

    /// A `measure, value` file as a map.
    async fn measures(&self, path: &str, cookie: &str) -> HashMap<String, String> {
        self.csv(path, cookie)
            .await
            .into_iter()
            .skip(1)
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect()
    }
}

async fn exec(db: &app::db::Db, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(db.pool()).await.expect(sql);
}

async fn scalar(db: &app::db::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .expect(sql)
}

/// Epoch ms of a UTC day and hour.
fn at(day: &str, hour: i64) -> i64 {
    app::domain::time::day_start(day).expect("a date") + hour * 3_600_000
}

/// A submission with its times; returns its id.
async fn submission(
    db: &app::db::Db,
    (user, cohort, competency, attempt): (i64, i64, i64, i64),
    status: &str,
    submitted: i64,
    decided: Option<i64>,
) -> i64 {
    sqlx::query(
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, \
         updated_at, submitted_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7)",
    )
    .bind(user)
    .bind(cohort)
    .bind(competency)
    .bind(attempt)
    .bind(status)
    .bind(submitted)
    .bind(decided)
    .execute(db.pool())
    .await
    .expect("submission");
    scalar(db, &format!("SELECT id FROM submissions WHERE user_id = {user} AND competency_id = {competency} AND attempt = {attempt}")).await
}

/// A review with its levels (indicator, level); returns its id.
async fn review(
    db: &app::db::Db,
    submission: i64,
    assessor: i64,
    kind: &str,
    decision: &str,
    levels: &[(i64, i64)],
) {
    sqlx::query(
        "INSERT INTO reviews (submission_id, assessor_id, kind, decision, feedback, created_at) \
         VALUES ($1, $2, $3, $4, 'Private feedback 5521', 1)",
    )
    .bind(submission)
    .bind(assessor)
    .bind(kind)
    .bind(decision)
    .execute(db.pool())
    .await
    .expect("review");
    let id = scalar(
        db,
        &format!("SELECT id FROM reviews WHERE submission_id = {submission} AND kind = '{kind}'"),
    )
    .await;
    for (indicator, level) in levels {
        exec(
            db,
            "INSERT INTO review_ratings (review_id, indicator_id, level) VALUES ($1, $2, $3)",
            &[id, *indicator, *level],
        )
        .await;
    }
}

both_engines! {
    async fn growth_turnaround_and_assessors_match_hand_counts(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        let cohort = w.cast.cohort;
        let (ana, ben, asse, bob) = (w.cast.id("ana"), w.cast.id("ben"), w.cast.id("asse"), w.cast.id("bob"));
        let x = scalar(db, "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = 'mcf' ORDER BY c.id LIMIT 1").await;
        let y = scalar(db, &format!("SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = 'mcf' AND c.id <> {x} ORDER BY c.id LIMIT 1")).await;
        let indicators: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, text FROM indicators WHERE competency_id = {x} ORDER BY position LIMIT 2"))
            .fetch_all(db.pool()).await.expect("indicators");
        let [(i1, i1_text), (i2, i2_text)] = [indicators[0].clone(), indicators[1].clone()];

        // Self-ratings. i1: baseline 1 and 2 (1.5), now 3 and 2 (2.5); i2: baseline 2, now 4.
        for (user, indicator, phase, level) in [
            (ana, i1, "baseline", 1), (ana, i2, "baseline", 2), (ana, i1, "current", 3), (ana, i2, "current", 4),
            (ben, i1, "baseline", 2), (ben, i1, "current", 2),
        ] {
            sqlx::query("INSERT INTO self_ratings (user_id, indicator_id, phase, level, updated_at) VALUES ($1, $2, $3, $4, 1)")
                .bind(user).bind(indicator).bind(phase).bind(level)
                .execute(db.pool()).await.expect("rating");
        }
        // Ana, X, attempt 1: submitted Monday 2026-11-30, decided Friday 2026-12-11 (9 business
        // days), Not yet by Ada.
        let a1 = submission(db, (ana, cohort, x, 1), "not_yet", at("2026-11-30", 9), Some(at("2026-12-11", 16))).await;
        review(db, a1, asse, "first", "not_yet", &[(i1, 1), (i2, 2)]).await;
        // Attempt 2: Monday 2026-12-14 to Tuesday (1 day). Ada: Competent; Bob second-marks:
        // Competent, and moderation upholds Bob's, so his levels stand (i1 3, i2 3).
        let a2 = submission(db, (ana, cohort, x, 2), "competent", at("2026-12-14", 9), Some(at("2026-12-15", 9))).await;
        review(db, a2, asse, "first", "competent", &[(i1, 2), (i2, 3)]).await;
        review(db, a2, bob, "second", "competent", &[(i1, 3), (i2, 3)]).await;
        // Ben, X: Friday 2026-12-04 to Monday 2026-12-21 (11 days). Bob: Competent (i1 2); Ada
        // second-marks Not yet (i1 1); moderation upholds Bob's (the first).
        let b1 = submission(db, (ben, cohort, x, 1), "competent", at("2026-12-04", 9), Some(at("2026-12-21", 9))).await;
        review(db, b1, bob, "first", "competent", &[(i1, 2)]).await;
        review(db, b1, asse, "second", "not_yet", &[(i1, 1)]).await;
        let coord = w.cast.id("coord");
        for (s, resolution) in [(a2, "second"), (b1, "first")] {
            sqlx::query("INSERT INTO moderations (submission_id, requested_by, requested_at, second_assessor, resolved_by, resolved_at, resolution) \
                 VALUES ($1, $2, 1, $3, $2, 2, $4)")
                .bind(s).bind(coord).bind(if s == a2 { bob } else { asse }).bind(resolution)
                .execute(db.pool()).await.expect("moderation");
        }
        // Ben, Y: waiting since Monday 2020-01-06, long beyond any target.
        let waiting = submission(db, (ben, cohort, y, 1), "submitted", at("2020-01-06", 9), None).await;
        // Claims: Ada's on the waiting one ran out (still open); Bob's lapsed when Ada took it
        // over; Bob released one. Two lapsed for Ada and Bob together, one each.
        for (assessor, ended, outcome) in [(asse, None, None), (bob, Some(5_i64), Some("lapsed")), (bob, Some(5), Some("released"))] {
            sqlx::query("INSERT INTO claims (submission_id, assessor_id, claimed_at, expires_at, ended_at, outcome) VALUES ($1, $2, 1, 2, $3, $4)")
                .bind(waiting).bind(assessor).bind(ended).bind(outcome)
                .execute(db.pool()).await.expect("claim");
        }

        // The target, set through the cohort's settings (a bad one is refused, naming it).
        let settings = |target: &'static str| {
            let w = &w;
            async move {
                w.app.post_form("/api/cohorts/settings", &[
                    ("cohort_id", &cohort.to_string()), ("max_attempts", "3"), ("turnaround_days", target),
                ], Some(w.cast.cookie("coord"))).await
            }
        };
        let bad = settings("0").await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("turnaround_days"), "{}", bad.body);
        assert_eq!(settings("5").await.status, 200);

        let coord_cookie = w.cast.cookie("coord");
        let base = format!("/coordinator/cohorts/{cohort}/evaluation");

        // Growth: i1 assessed Partly (Ben, Bob's standing first review) and Evident (Ana, Bob's
        // upheld second marking); Ana now 3 → Partly on the rubric, below Evident; Ben now 2 →
        // Partly, agrees. i2: Evident (Ana), Ana now 4 → Evident, agrees.
        let growth = w.csv(&format!("{base}/growth.csv"), coord_cookie).await;
        assert_eq!(growth.len(), 1 + 38, "a row per indicator of the MCF");
        let row = |text: &str| -> Vec<String> {
            growth.iter().find(|r| r[1] == text).unwrap_or_else(|| panic!("{text}"))[2..].to_vec()
        };
        //              baseline n  current n  not partly evident agree above below
        assert_eq!(row(&i1_text), ["1.5", "2", "2.5", "2", "0", "1", "1", "1", "0", "1"]);
        assert_eq!(row(&i2_text), ["2.0", "1", "4.0", "1", "0", "0", "1", "1", "0", "0"]);

        // Turnaround: 9, 1 and 11 business days → sorted 1, 9, 11: median (nearest rank 2) 9,
        // 90th percentile (rank 3) 11; beyond 5: two. The waiting one is late.
        let t = w.measures(&format!("{base}/turnaround.csv"), coord_cookie).await;
        assert_eq!(t["target (business days)"], "5");
        assert_eq!(t["decisions"], "3");
        assert_eq!(t["median (business days)"], "9");
        assert_eq!(t["90th percentile (business days)"], "11");
        assert_eq!(t["decisions beyond the target"], "2");
        assert_eq!((t["waiting now"].as_str(), t["waiting beyond the target"].as_str()), ("1", "1"));
        assert_eq!(t["decisions in 0-1 business days"], "1");
        assert_eq!(t["decisions in 6-10 business days"], "1");
        assert_eq!(t["decisions in 11-15 business days"], "1");
        assert_eq!(t["decisions in 2-3 business days"], "0");

        // Assessors. Second-marked: Ana's attempt 2 (both Competent) and Ben's (Competent, Not
        // yet): decisions agree on 1 of 2 (50 %); κ: p_o 0.5, p_e 1·0.5 + 0·0.5 = 0.5 → 0.
        // Levels: (2,3), (3,3), (2,1): 1 of 3; p_e = (2/3)·0 + (1/3)·(2/3) = 2/9, κ = (1/3 −
        // 2/9) / (7/9) = 1/7 = 0.14.
        let a = w.csv(&format!("{base}/assessors.csv"), coord_cookie).await;
        let by = |name: &str| -> Vec<String> { a.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("{name}: {a:?}"))[1..].to_vec() };
        //             first second competent not-yet lapsed moderated agreed kappa pairs levels kappa
        assert_eq!(by("all markers"), ["3", "2", "3", "2", "2", "2", "50 %", "0.00", "3", "33 %", "0.14"]);
        // Ada: first on both of Ana's, second on Ben's. Her table (her level first): (2,3),
        // (3,3), (1,2): 1 of 3 agree.
        assert_eq!(by("Ada Assessor")[..8], ["2", "1", "1", "2", "1", "2", "50 %", ""]);
        assert_eq!(by("Ada Assessor")[8..10], ["3", "33 %"]);
        assert_eq!(by("Bob Marker")[..7], ["1", "1", "2", "0", "1", "2", "50 %"]);
        assert_eq!(a.len(), 1 + 1 + 2, "header, all markers, two assessors");

        // The page shows the same, and what is late in words.
        let page = w.app.page_as(&base, coord_cookie).await;
        assert_eq!(page.status, 200);
        for text in [
            "Growth per indicator",
            "3 decisions, from submission to decision in business days (Monday to Friday): median 9, 90th percentile 11. The cohort's target is 5 business days: 2 were beyond it.",
            "1 submission is waiting for a decision; 1 beyond the target.",
            "– beyond the target",
            "2 of 3 decided submissions were second-marked (67 %): the two markers' decisions agreed on 50 % (κ 0.00); their indicator levels agreed on 33 % of 3 pairs (κ 0.14).",
            "Bob Marker",
        ] {
            assert!(page.body.contains(text), "the page says {text:?}: {}", &page.body[page.body.find("Review turnaround").unwrap_or(0)..][..3000]);
        }
        assert!(!page.body.contains("Private feedback 5521"), "no review text on the page");
        for file in ["growth", "turnaround", "assessors"] {
            let audited = scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'export.{file}'")).await;
            assert_eq!(audited, 1, "{file} export audited");
        }
    }

    async fn the_institution_sees_every_cohort_together_and_no_one_else_does(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        let x = scalar(db, "SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
             WHERE f.slug = 'mcf' ORDER BY c.id LIMIT 1").await;
        // Ana (A) Competent, Cara (B) Not yet: two cohorts, each with its own target.
        submission(db, (w.cast.id("ana"), w.cast.cohort, x, 1), "competent", at("2026-11-30", 9), Some(at("2026-12-01", 9))).await;
        submission(db, (w.cast.id("cara"), w.cast.other_cohort, x, 1), "not_yet", at("2026-11-30", 9), Some(at("2026-12-14", 9))).await;
        exec(db, "UPDATE cohorts SET turnaround_days = 20 WHERE id = $1", &[w.cast.other_cohort]).await;

        let admin = w.admin_cookie.clone();
        let funnel = w.csv("/coordinator/evaluation/funnel.csv?framework=mcf", &admin).await;
        assert_eq!(funnel[1][..6], ["overall", "3", "0", "0", "2", "0"], "Ana, Ben and Cara; two submitted");
        let one = w.csv(&format!("/coordinator/cohorts/{}/evaluation/funnel.csv", w.cast.cohort), &admin).await;
        assert_eq!(one[1][1], "2", "cohort A alone");
        // Each decision against its own cohort's target: 1 day (A, 10) and 10 days (B, 20).
        let t = w.measures("/coordinator/evaluation/turnaround.csv", &admin).await;
        assert_eq!(t["target (business days)"], "per cohort");
        assert_eq!((t["decisions"].as_str(), t["decisions beyond the target"].as_str()), ("2", "0"));
        let a = w.measures("/coordinator/evaluation/attempts.csv", &admin).await;
        assert_eq!((a["decisions: competent"].as_str(), a["decisions: not yet"].as_str()), ("1", "1"));
        assert_eq!(a["attempts allowed"], "per cohort");
        let page = w.app.page_as("/coordinator/evaluation", &admin).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Evaluation: all cohorts of"), "{}", page.body);
        assert!(page.body.contains("Each cohort sets its own target"));

        let coord = w.cast.cookie("coord");
        for (who, cookie, path, status) in [
            ("coordinator of A", Some(coord), "/coordinator/evaluation/funnel.csv", 403),
            ("teacher", Some(w.cast.cookie("ana")), "/coordinator/evaluation/growth.csv", 403),
            ("anonymous", None, "/coordinator/evaluation/funnel.csv", 401),
            ("coordinator of A", Some(coord), "/api/evaluation/all", 403),
            ("anonymous", None, "/api/evaluation/all", 401),
            ("institution coordinator", Some(admin.as_str()), "/api/evaluation/all?framework=nope", 404),
            ("institution coordinator", Some(admin.as_str()), "/coordinator/evaluation/funnel.csv?framework=nope", 404),
            ("institution coordinator", Some(admin.as_str()), "/coordinator/evaluation/secrets.csv", 404),
            ("institution coordinator", Some(admin.as_str()), "/coordinator/evaluation/funnel.csv?to=2026-02-30", 400),
            ("institution coordinator", Some(admin.as_str()), "/api/evaluation/all?from=yesterday", 422),
            ("institution coordinator", Some(admin.as_str()), "/api/evaluation/all", 200),
            ("coordinator of A, their cohort", Some(coord), &format!("/coordinator/cohorts/{}/evaluation/assessors.csv", w.cast.cohort), 200),
            ("coordinator of A, cohort B", Some(coord), &format!("/coordinator/cohorts/{}/evaluation/assessors.csv", w.cast.other_cohort), 404),
        ] {
            let reply = match cookie {
                Some(c) => w.app.get_as(path, c).await,
                None if path.starts_with("/api/") => w.app.api_get(path).await,
                None => w.app.get(path).await,
            };
            assert_eq!(reply.status.as_u16(), status, "{who} GET {path}: {}", reply.body);
        }
    }
}
