//! The course framework as data: import, re-import, retirement, and the pages that show it.

use crate::common;

use common::{content_dir, fresh_db, Engine, TestApp};
use sqlx::Row as _;

async fn ids(db: &app::db::Db, table: &str) -> Vec<(String, i64, Option<i64>)> {
    let sql = format!("SELECT slug, id, retired_at FROM {table} ORDER BY slug");
    sqlx::query(&sql)
        .fetch_all(db.pool())
        .await
        .expect("query")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

both_engines! {
    async fn frameworks_carry_their_rule_for_competent(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let rule: String = sqlx::query_scalar("SELECT competent_rule FROM frameworks WHERE slug = 'mcf'")
            .fetch_one(app.db.pool())
            .await
            .expect("rule");
        assert_eq!(rule, "all-partly-most-evident");
        // The assessment tables exist on this engine.
        for table in ["submissions", "submission_rationales", "submission_evidence", "reviews", "review_ratings", "moderations", "uploads", "upload_blobs", "attempt_allowances"] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(app.db.pool())
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
            assert_eq!(n, 0, "{table}");
        }
    }

    async fn import_is_idempotent_and_keeps_ids(engine: Engine) {
        let Some(db) = fresh_db(engine).await else { return };
        let frameworks = app::content::load_frameworks(&content_dir().join("frameworks")).expect("content");
        for f in &frameworks {
            app::db::framework::import(&db, f).await.expect("first import");
        }
        let before = ids(&db, "indicators").await;
        assert_eq!(before.len(), 38 + 13, "MCF 38 + PL2 13 indicators");
        for f in &frameworks {
            let report = app::db::framework::import(&db, f).await.expect("second import");
            assert_eq!(report.retired, 0);
        }
        assert_eq!(ids(&db, "indicators").await, before, "same ids after a re-import");
        let list = app::db::framework::list(&db).await.expect("list");
        let counts: Vec<_> = list
            .iter()
            .map(|f| (f.slug.as_str(), f.domain_count, f.competency_count, f.indicator_count))
            .collect();
        assert_eq!(counts, [("mcf", 4, 7, 38), ("pl2", 5, 13, 13)]);
    }

    async fn an_indicator_removed_from_the_file_is_retired_not_deleted(engine: Engine) {
        let Some(db) = fresh_db(engine).await else { return };
        let frameworks = app::content::load_frameworks(&content_dir().join("frameworks")).expect("content");
        let mut mcf = frameworks.into_iter().find(|f| f.slug.as_str() == "mcf").expect("mcf");
        app::db::framework::import(&db, &mcf).await.expect("import");
        let original = ids(&db, "indicators").await;
        let (_, active_listening_id, _) = original
            .iter()
            .find(|(slug, _, _)| slug == "active-listening")
            .cloned()
            .expect("indicator exists");

        // An editor removes one indicator of Communication and re-imports.
        let communication = mcf.domains[2].competencies.iter_mut().find(|c| c.slug.as_str() == "communication").expect("communication");
        communication.indicators.retain(|i| i.slug.as_str() != "active-listening");
        let report = app::db::framework::import(&db, &mcf).await.expect("re-import");
        assert_eq!(report.retired, 1);
        let after = ids(&db, "indicators").await;
        assert_eq!(after.len(), original.len(), "no row deleted");
        let row = after.iter().find(|(slug, _, _)| slug == "active-listening").expect("still there");
        assert_eq!(row.1, active_listening_id);
        assert!(row.2.is_some(), "marked retired");
        let page = app::db::framework::competency(&db, "mcf", "communication").await.expect("query").expect("found");
        assert_eq!(page.indicators.len(), 8, "a retired indicator is no longer shown");

        // Put back, it comes back with the same id.
        let fresh = app::content::load_frameworks(&content_dir().join("frameworks")).expect("content");
        let mcf = fresh.into_iter().find(|f| f.slug.as_str() == "mcf").expect("mcf");
        app::db::framework::import(&db, &mcf).await.expect("re-import");
        assert_eq!(ids(&db, "indicators").await, original);
    }

    async fn framework_pages_carry_the_content_in_html(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let page = app.get("/frameworks/mcf").await;
        assert_eq!(page.status, 200);
        for title in [
            "Professional Identity",
            "Professional Knowledge and Skills",
            "Professional Relationships",
            "Professional Dispositions",
            "Specialized development of self",
            "Commitment in the development of self and of mentees",
            "Innovation and creativity",
            "Communication",
            "Collaboration",
            "Problem-solving",
            "Development of effective dispositions",
        ] {
            assert!(page.body.contains(title), "overview lacks {title}");
        }
        assert!(page.body.contains("4 domains · 7 competencies · 38 indicators"));
        assert_eq!(page.body.matches("<h1").count(), 1, "one h1");

        let page = app.get("/frameworks/mcf/competencies/communication").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Indicators (9)"));
        for text in ["Actively listening to each other during conversations", "Framing different types and levels of questions"] {
            assert!(page.body.contains(text), "competency page lacks {text}");
        }
        assert!(page.body.contains("rel=\"next\""));

        let page = app.get("/frameworks/pl2").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("priority 3.7 of 4"));
    }

    async fn unknown_addresses_are_404_pages(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        for uri in ["/frameworks/nope", "/frameworks/mcf/competencies/nope", "/no/such/page"] {
            let page = app.get(uri).await;
            assert_eq!(page.status, 404, "{uri}");
            assert!(page.body.contains("Not found"), "{uri}");
        }
    }

    async fn the_home_page_explains_the_journey(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let page = app.get("/").await;
        assert_eq!(page.status, 200);
        for step in ["Learn", "Reflect", "Submit", "Get assessed", "Earn badges"] {
            assert!(page.body.contains(&format!("<h3>{step}</h3>")), "home lacks {step}");
        }
        assert!(page.body.contains("Skip to main content"));
        assert!(page.body.contains("<main id=\"main\""));
        assert_eq!(page.headers.get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]));
    }

    async fn server_functions_answer_json(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let reply = app.api_get("/api/competency?framework=mcf&competency=problem-solving").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(json["indicators"].as_array().map(Vec::len), Some(4));
        let reply = app.api_get("/api/framework?slug=nope").await;
        assert_eq!(reply.status, 404, "{}", reply.body);
        assert!(reply.body.contains("NotFound"), "a typed error: {}", reply.body);
    }

    async fn healthz_checks_the_database(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let reply = app.get("/healthz").await;
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("\"status\":\"ok\""));
        app.db.close().await;
        let reply = app.get("/healthz").await;
        assert_eq!(reply.status, 503);
    }
}

#[tokio::test]
async fn malformed_content_stops_start_up_naming_file_and_line() {
    let Some(db) = fresh_db(Engine::Sqlite).await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("mcf-bad-content-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("frameworks")).expect("dir");
    let good = std::fs::read_to_string(content_dir().join("frameworks/mcf.toml")).expect("read");
    let bad = good.replacen("slug = \"communication\"", "slug = \"Communication\"", 1);
    std::fs::write(dir.join("frameworks/mcf.toml"), &bad).expect("write");
    let err = server::startup::import_content(&db, &dir)
        .await
        .expect_err("must refuse");
    let line = bad
        .lines()
        .position(|l| l.contains("\"Communication\""))
        .expect("line")
        + 1;
    let message = format!("{err:#}");
    assert!(
        message.contains(&format!("mcf.toml:{line}:"))
            && message.contains("competency slug may contain only lowercase"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
