//! The reflection journal: saves, stale-version refusal that loses nothing, history, restore,
//! the bin, limits, and privacy through every server function.

use crate::common;

use common::{new_teacher as signed_in, TestApp};
use serde_json::Value;

async fn create(app: &TestApp, cookie: &str, title: &str, body: &str) -> i64 {
    let reply = app
        .post_form(
            "/api/journal/create",
            &[
                ("entry[title]", title),
                ("entry[body]", body),
                ("entry[competency]", "communication"),
                ("entry[framework]", "mcf"),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body.parse().expect("id")
}

async fn save(
    app: &TestApp,
    cookie: &str,
    id: i64,
    base: i64,
    title: &str,
    body: &str,
) -> common::Reply {
    app.post_form(
        "/api/journal/save",
        &[
            ("entry[id]", &id.to_string()),
            ("entry[base_version]", &base.to_string()),
            ("entry[title]", title),
            ("entry[body]", body),
        ],
        Some(cookie),
    )
    .await
}

async fn entry(app: &TestApp, cookie: &str, id: i64) -> Value {
    let reply = app
        .get_as(&format!("/api/journal/entry?id={id}"), cookie)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

async fn autosave(app: &TestApp, cookie: &str, id: i64, base: i64, body: &str) -> i64 {
    let reply = app
        .post_form(
            "/api/journal/save",
            &[
                ("entry[id]", &id.to_string()),
                ("entry[base_version]", &base.to_string()),
                ("entry[title]", "Typing"),
                ("entry[body]", body),
                ("entry[autosave]", "true"),
            ],
            Some(cookie),
        )
        .await;
    let outcome: Value = serde_json::from_str(&reply.body).expect("json");
    outcome["Saved"]["version"].as_i64().expect("saved")
}

async fn history_bodies(app: &TestApp, cookie: &str, id: i64) -> Vec<String> {
    let reply = app
        .get_as(&format!("/api/journal/history?id={id}"), cookie)
        .await;
    let history: Value = serde_json::from_str(&reply.body).expect("json");
    history
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

both_engines! {
    async fn autosaves_while_typing_extend_one_revision_and_a_pause_starts_the_next(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "Typing", "A").await;
        // The Save button starts a revision; autosaves right after it extend it.
        assert!(save(&app, &ana, id, 1, "Typing", "AB").await.body.contains("Saved"));
        let v = autosave(&app, &ana, id, 2, "ABC").await;
        let v = autosave(&app, &ana, id, v, "ABCD").await;
        assert_eq!(v, 4, "every save still advances the version");
        assert_eq!(history_bodies(&app, &ana, id).await, ["ABCD", "A"]);
        // After a pause longer than the window, the next autosave opens a new revision.
        sqlx::query("UPDATE journal_entries SET open_saved_at = open_saved_at - 600000, open_opened_at = open_opened_at - 600000 WHERE id = $1")
            .bind(id)
            .execute(app.db.pool())
            .await
            .expect("age revisions");
        let v = autosave(&app, &ana, id, v, "ABCDE").await;
        assert_eq!(v, 5);
        assert_eq!(history_bodies(&app, &ana, id).await, ["ABCDE", "ABCD", "A"]);
        // A restore always starts its own revision, so the text it replaces stays in history.
        let first = app.get_as(&format!("/api/journal/history?id={id}"), &ana).await;
        let first: Value = serde_json::from_str(&first.body).expect("json");
        let first = first.as_array().expect("list").iter().find(|r| r["body"] == "A").expect("A")["id"].as_i64().expect("id");
        let reply = app
            .post_form("/api/journal/restore-revision", &[("id", &id.to_string()), ("revision_id", &first.to_string()), ("base_version", "5")], Some(&ana))
            .await;
        assert!(reply.body.contains("\"version\":6"), "{}", reply.body);
        assert_eq!(history_bodies(&app, &ana, id).await, ["A", "ABCDE", "ABCD", "A"]);
    }

    async fn saves_advance_the_version_and_keep_history(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "After Tuesday's debrief", "I talked too much.").await;
        let e = entry(&app, &ana, id).await;
        assert_eq!(e["version"], 1);
        assert_eq!(e["competency"][0], "communication");

        let reply = save(&app, &ana, id, 1, "After Tuesday's debrief", "I talked too much. Next time: ask first.").await;
        let outcome: Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(outcome["Saved"]["version"], 2, "{}", reply.body);
        let history: Value = serde_json::from_str(&app.get_as(&format!("/api/journal/history?id={id}"), &ana).await.body).expect("json");
        let versions: Vec<i64> = history.as_array().expect("list").iter().filter_map(|r| r["version"].as_i64()).collect();
        assert_eq!(versions, [2, 1]);
    }

    async fn a_save_based_on_an_old_version_is_refused_and_loses_nothing(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "Goals", "First draft.").await;
        // Tab one saves version 2.
        assert!(save(&app, &ana, id, 1, "Goals", "Written in tab one.").await.body.contains("Saved"));
        // Tab two still edits version 1.
        let reply = save(&app, &ana, id, 1, "Goals", "Written in tab two.").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let outcome: Value = serde_json::from_str(&reply.body).expect("json");
        let conflict = &outcome["Conflict"];
        assert_eq!(conflict["current"]["body"], "Written in tab one.");
        assert_eq!(conflict["current"]["version"], 2);
        assert_eq!(conflict["mine"]["body"], "Written in tab two.");
        // The server text is unchanged, and the refused text is kept for reconciling.
        let e = entry(&app, &ana, id).await;
        assert_eq!(e["body"], "Written in tab one.");
        assert_eq!(e["refused"]["body"], "Written in tab two.");
        // Reconciled on top of version 2, it saves.
        let merged = save(&app, &ana, id, 2, "Goals", "Tab one and tab two, merged.").await;
        assert!(merged.body.contains("\"version\":3"), "{}", merged.body);
        assert!(entry(&app, &ana, id).await["refused"].is_null(), "nothing left to reconcile");
    }

    async fn any_revision_can_be_restored(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "Feedback", "Version one.").await;
        save(&app, &ana, id, 1, "Feedback", "Version two.").await;
        let history: Value = serde_json::from_str(&app.get_as(&format!("/api/journal/history?id={id}"), &ana).await.body).expect("json");
        let first = history.as_array().expect("list").iter().find(|r| r["version"] == 1).expect("v1")["id"].as_i64().expect("id");
        let reply = app
            .post_form("/api/journal/restore-revision", &[("id", &id.to_string()), ("revision_id", &first.to_string()), ("base_version", "2")], Some(&ana))
            .await;
        assert!(reply.body.contains("\"version\":3"), "{}", reply.body);
        assert_eq!(entry(&app, &ana, id).await["body"], "Version one.");
    }

    async fn deleting_is_soft_and_can_be_undone(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "To bin", "Text.").await;
        let sid = id.to_string();
        let bin = |deleted: &'static str| {
            let sid = sid.clone();
            let ana = ana.clone();
            let app = &app;
            async move { app.post_form("/api/journal/bin", &[("id", &sid), ("deleted", deleted)], Some(&ana)).await }
        };
        assert_eq!(bin("true").await.status, 200);
        let list: Value = serde_json::from_str(&app.get_as("/api/journal?bin=false", &ana).await.body).expect("json");
        assert_eq!(list.as_array().map(Vec::len), Some(0));
        let binned: Value = serde_json::from_str(&app.get_as("/api/journal?bin=true", &ana).await.body).expect("json");
        assert_eq!(binned[0]["title"], "To bin");
        // A save to a binned entry is refused and kept, not lost.
        let reply = save(&app, &ana, id, 1, "To bin", "Typed after binning.").await;
        assert!(reply.body.contains("Conflict"), "{}", reply.body);
        assert_eq!(bin("false").await.status, 200);
        let e = entry(&app, &ana, id).await;
        assert_eq!(e["deleted"], false);
        assert_eq!(e["body"], "Text.");
    }

    async fn limits_are_clear_and_nothing_saved_is_lost(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let id = create(&app, &ana, "Limits", "Kept.").await;
        let big = "x".repeat(100 * 1024 + 1);
        let reply = save(&app, &ana, id, 1, "Limits", &big).await;
        assert_eq!(reply.status, 422);
        assert!(reply.body.contains("entry[body]") && reply.body.contains("100 KB"), "{}", &reply.body[..200.min(reply.body.len())]);
        let reply = save(&app, &ana, id, 1, "", "x").await;
        assert!(reply.body.contains("entry[title]"), "{}", reply.body);
        assert_eq!(entry(&app, &ana, id).await["body"], "Kept.");
    }

    async fn another_teacher_can_never_read_or_touch_an_entry(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let ben = signed_in(&app, "ben@school.org", "Ben Okoro").await;
        let id = create(&app, &ana, "Private thoughts", "Only mine.").await;
        let sid = id.to_string();
        for uri in [format!("/api/journal/entry?id={id}"), format!("/api/journal/history?id={id}")] {
            let reply = app.get_as(&uri, &ben).await;
            assert_eq!(reply.status, 404, "{uri}");
            assert!(!reply.body.contains("Only mine"));
        }
        let list: Value = serde_json::from_str(&app.get_as("/api/journal?bin=false", &ben).await.body).expect("json");
        assert_eq!(list.as_array().map(Vec::len), Some(0));
        assert_eq!(save(&app, &ben, id, 1, "Hijack", "Ben's text").await.status, 404);
        assert_eq!(app.post_form("/api/journal/bin", &[("id", &sid), ("deleted", "true")], Some(&ben)).await.status, 404);
        assert_eq!(app.post_form("/api/journal/restore-revision", &[("id", &sid), ("revision_id", "1"), ("base_version", "1")], Some(&ben)).await.status, 404);
        let e = entry(&app, &ana, id).await;
        assert_eq!(e["body"], "Only mine.");
        assert_eq!(e["deleted"], false);
        let page = app.page_as(&format!("/journal/{id}"), &ben).await;
        assert!(!page.body.contains("Only mine"), "not in the page either");
    }

    async fn the_preview_is_sanitised(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let ana = signed_in(&app, "ana@school.org", "Ana Silva").await;
        let reply = app.post_form("/api/journal/preview", &[("text", "**bold** <script>alert(1)</script>")], Some(&ana)).await;
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("<strong>bold</strong>") && !reply.body.contains("<script"), "{}", reply.body);
    }
}
