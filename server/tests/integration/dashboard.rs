//! The dashboard: progress per domain, next steps from the teacher's own ratings, the growth
//! chart as server-rendered SVG with its table, and the baseline invitation after joining.

use crate::common;

use common::{new_teacher, TestApp};
use serde_json::Value;

async fn signed_in(app: &TestApp, email: &str) -> String {
    new_teacher(app, email, "Ana Silva").await
}

async fn rate(app: &TestApp, cookie: &str, indicator: &str, phase: &str, level: &str) {
    let reply = app
        .post_form(
            "/api/checklist/save",
            &[
                ("rating[framework]", "mcf"),
                ("rating[competency]", "communication"),
                ("rating[indicator]", indicator),
                ("rating[phase]", phase),
                ("rating[level]", level),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn dashboard(app: &TestApp, cookie: &str) -> Value {
    let reply = app.get_as("/api/dashboard", cookie).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

async fn communication_indicators(app: &TestApp, cookie: &str) -> Vec<String> {
    let reply = app
        .get_as(
            "/api/checklist?framework=mcf&competency=communication",
            cookie,
        )
        .await;
    let rows: Value = serde_json::from_str(&reply.body).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["slug"].as_str().map(str::to_owned))
        .collect()
}

both_engines! {
    async fn progress_next_steps_and_growth_come_from_the_teachers_own_work(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org").await;
        let fresh = dashboard(&app, &ana).await;
        let domains = fresh["domains"].as_array().expect("domains");
        assert_eq!(domains.len(), 4, "one bar set per MCF domain");
        assert_eq!(fresh["indicators_total"], 38);
        assert_eq!(fresh["baseline_rated"], 0);
        let total_competencies: i64 = domains.iter().map(|d| d["competencies_total"].as_i64().unwrap_or(0)).sum();
        assert_eq!(total_competencies, 7);
        assert_eq!(fresh["growth"].as_array().map(Vec::len), Some(7));
        assert_eq!(fresh["next_steps"][0]["reason"], "Next in the course.");

        let indicators = communication_indicators(&app, &ana).await;
        let (low, high) = (&indicators[0], &indicators[1]);
        rate(&app, &ana, low, "baseline", "1").await;
        rate(&app, &ana, high, "baseline", "2").await;
        rate(&app, &ana, high, "current", "4").await;
        app.post_form("/api/unit/done", &[("framework", "mcf"), ("unit", "listening-and-asking-better-questions"), ("done", "true")], Some(&ana)).await;

        let d = dashboard(&app, &ana).await;
        assert_eq!(d["baseline_rated"], 2);
        let growth = d["growth"].as_array().expect("growth");
        let communication = growth.iter().find(|g| g["slug"] == "communication").expect("communication");
        assert_eq!(communication["baseline"], 150, "(1 + 2) / 2 × 100");
        assert_eq!(communication["current"], 250, "(1 + 4) / 2 × 100: the first counts at its baseline");
        let units_done: i64 = d["domains"].as_array().expect("domains").iter().map(|x| x["units_done"].as_i64().unwrap_or(0)).sum();
        assert_eq!(units_done, 1);
        let first = &d["next_steps"][0];
        assert!(first["reason"].as_str().unwrap_or_default().ends_with("as Not yet."), "{first}");
        assert_ne!(first["unit_slug"], "listening-and-asking-better-questions", "a done unit is not recommended");

        // Another teacher's dashboard shows none of it.
        let ben = signed_in(&app, "ben@school.org").await;
        assert_eq!(dashboard(&app, &ben).await["baseline_rated"], 0);

        // The page renders the chart on the server, with its table.
        let page = app.page_as("/dashboard", &ana).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<svg"), "server-rendered SVG");
        assert!(page.body.contains("role=\"img\""));
        assert!(page.body.contains("<table class=\"growth__table\""));
        assert!(page.body.contains("<td>1.50</td><td>2.50</td>"), "the table carries the figures");
        assert!(page.body.contains("Because you rated"));
        assert!(page.body.contains("Continue my baseline"));
    }

    async fn signed_out_people_are_sent_to_sign_in(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        assert_eq!(app.api_get("/api/dashboard").await.status, 401);
    }
}
