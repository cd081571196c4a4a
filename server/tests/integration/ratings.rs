//! The indicator checklist: saving ratings, refusing bad input, privacy.

use crate::common;

use common::{create_user, TestApp};

const PASSWORD: &str = "lantern orchard kettle";

async fn signed_in(app: &TestApp, email: &str) -> String {
    app.post_form(
        "/api/account/sign-in",
        &[("email", email), ("password", PASSWORD), ("next", "/")],
        None,
    )
    .await
    .session_cookie()
    .expect("cookie")
}

async fn rate(
    app: &TestApp,
    cookie: &str,
    indicator: &str,
    phase: &str,
    level: &str,
    url: &str,
) -> common::Reply {
    app.post_form(
        "/api/checklist/save",
        &[
            ("rating[framework]", "mcf"),
            ("rating[competency]", "communication"),
            ("rating[indicator]", indicator),
            ("rating[phase]", phase),
            ("rating[level]", level),
            ("rating[note]", "Tried it in Tuesday's debrief."),
            ("rating[evidence_url]", url),
        ],
        Some(cookie),
    )
    .await
}

async fn checklist(app: &TestApp, cookie: &str) -> serde_json::Value {
    let reply = app
        .get_as(
            "/api/checklist?framework=mcf&competency=communication",
            cookie,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

both_engines! {
    async fn baseline_and_current_ratings_are_both_kept(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let ana = signed_in(&app, "ana@school.org").await;

        let list = checklist(&app, &ana).await;
        assert_eq!(list.as_array().map(Vec::len), Some(9), "all nine Communication indicators");
        assert!(list[0]["baseline"].is_null() && list[0]["current"].is_null());

        assert_eq!(rate(&app, &ana, "active-listening", "baseline", "2", "").await.status, 200);
        assert_eq!(rate(&app, &ana, "active-listening", "current", "3", "https://drive.example.org/x").await.status, 200);
        let saved = rate(&app, &ana, "active-listening", "current", "4", "").await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        let at: i64 = saved.body.parse().expect("saved-at time");
        assert!(at > 0);

        let list = checklist(&app, &ana).await;
        let row = list.as_array().expect("rows").iter().find(|r| r["slug"] == "active-listening").expect("row").clone();
        assert_eq!(row["baseline"]["level"], "Emerging");
        assert_eq!(row["current"]["level"], "Demonstrating", "the latest save wins");
        assert_eq!(row["current"]["note"], "Tried it in Tuesday's debrief.");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM self_ratings").fetch_one(app.db.pool()).await.expect("count");
        assert_eq!(count, 2, "one row per indicator and phase");
    }

    async fn bad_input_names_the_field_and_keeps_what_was_saved(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let ana = signed_in(&app, "ana@school.org").await;
        assert_eq!(rate(&app, &ana, "active-listening", "current", "3", "").await.status, 200);

        let bad = rate(&app, &ana, "active-listening", "current", "9", "").await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("rating[level]"), "{}", bad.body);
        let bad = rate(&app, &ana, "active-listening", "current", "2", "javascript:alert(1)").await;
        assert!(bad.body.contains("rating[evidence_url]"), "{}", bad.body);
        let bad = rate(&app, &ana, "active-listening", "later", "2", "").await;
        assert!(bad.body.contains("rating[phase]"), "{}", bad.body);
        let missing = rate(&app, &ana, "no-such-indicator", "current", "2", "").await;
        assert_eq!(missing.status, 404);

        let list = checklist(&app, &ana).await;
        let row = list.as_array().expect("rows").iter().find(|r| r["slug"] == "active-listening").expect("row").clone();
        assert_eq!(row["current"]["level"], "Developing", "the saved rating is untouched");
    }

    async fn ratings_are_private_to_their_author(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        create_user(&app.db, "ben@school.org", "Ben Okoro", PASSWORD, false).await;
        let ana = signed_in(&app, "ana@school.org").await;
        let ben = signed_in(&app, "ben@school.org").await;
        assert_eq!(rate(&app, &ana, "active-listening", "current", "3", "").await.status, 200);
        let bens = checklist(&app, &ben).await;
        assert!(bens.as_array().expect("rows").iter().all(|r| r["current"].is_null()), "Ben sees only his own");
        let anonymous = app.api_get("/api/checklist?framework=mcf&competency=communication").await;
        assert_eq!(anonymous.status, 401);
        let page = app.page_as("/frameworks/mcf/competencies/communication/checklist", &ana).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("1 of 9 indicators rated"), "server-rendered for JavaScript-off use");
    }
}
