//! Micro-learning units: imported from content, read by anyone, marked done by the signed-in.

use crate::common;

use common::{new_teacher, TestApp};

both_engines! {
    async fn units_are_imported_and_listed_per_competency(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let reply = app.api_get("/api/units?framework=mcf&competency=communication").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let units: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        let units = units.as_array().expect("array");
        assert!(units.len() >= 2, "at least two units per competency");
        assert!(units.iter().any(|u| u["kind"] == "Reflection"), "a reflection prompt per competency");
        assert!(units.iter().all(|u| u["done"] == false && u["minutes"].as_u64().unwrap_or(0) > 0));
        for competency in ["specialized-development-of-self", "commitment-to-development", "innovation-and-creativity", "collaboration", "problem-solving", "effective-dispositions"] {
            let list: serde_json::Value = serde_json::from_str(&app.api_get(&format!("/api/units?framework=mcf&competency={competency}")).await.body).expect("json");
            assert!(list.as_array().map(Vec::len).unwrap_or(0) >= 2, "{competency}");
        }
    }

    async fn a_unit_page_renders_safe_html_and_can_be_marked_done(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let page = app.get("/frameworks/mcf/units/listening-and-asking-better-questions").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Listening well and asking better questions"));
        assert!(page.body.contains("Reading · 3 min"));
        assert!(page.body.contains("<p>Most mentoring happens in conversation"), "Markdown rendered");

        let cookie = new_teacher(&app, "ana@school.org", "Ana Silva").await;
        let reply = app
            .post_form("/api/unit/done", &[("framework", "mcf"), ("unit", "listening-and-asking-better-questions"), ("done", "true")], Some(&cookie))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let list: serde_json::Value = serde_json::from_str(&app.get_as("/api/units?framework=mcf&competency=communication", &cookie).await.body).expect("json");
        let done: Vec<_> = list.as_array().expect("array").iter().filter(|u| u["done"] == true).collect();
        assert_eq!(done.len(), 1);
        // Someone else's list is unaffected.
        let anonymous: serde_json::Value = serde_json::from_str(&app.api_get("/api/units?framework=mcf&competency=communication").await.body).expect("json");
        assert!(anonymous.as_array().expect("array").iter().all(|u| u["done"] == false));
        let missing = app.post_form("/api/unit/done", &[("framework", "mcf"), ("unit", "no-such-unit"), ("done", "true")], Some(&cookie)).await;
        assert_eq!(missing.status, 404);
    }

    async fn a_scenario_shows_its_considerations_only_after_the_readers_own_answer(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let path = "/api/unit?framework=mcf&unit=the-camera-stays-off";
        // Before answering, nobody receives the considerations, not even through the API.
        let unit: serde_json::Value = serde_json::from_str(&app.api_get(path).await.body).expect("json");
        assert!(unit["considerations_html"].is_null(), "{unit}");
        assert_eq!(unit["considerations_locked"], true);
        let page = app.get("/frameworks/mcf/units/the-camera-stays-off").await;
        assert!(page.body.contains("Your answer first"));
        assert!(!page.body.contains("Considerations to compare with your answer"));

        let cookie = new_teacher(&app, "ana@school.org", "Ana Silva").await;
        let args = |answer: &'static str| [("framework", "mcf"), ("unit", "the-camera-stays-off"), ("answer", answer)];
        // An empty answer is refused, naming the field.
        let empty = app.post_form("/api/unit/answer", &args("   "), Some(&cookie)).await;
        assert_eq!(empty.status, 422, "{}", empty.body);
        assert!(empty.body.contains("\"field\":\"answer\""), "{}", empty.body);
        let before: serde_json::Value = serde_json::from_str(&app.get_as(path, &cookie).await.body).expect("json");
        assert!(before["considerations_html"].is_null());

        let reply = app.post_form("/api/unit/answer", &args("I would ask her what she fears first."), Some(&cookie)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let entry_id: i64 = reply.body.parse().expect("id");
        // Answering twice keeps the first answer and adds nothing.
        let again = app.post_form("/api/unit/answer", &args("Second click."), Some(&cookie)).await;
        assert_eq!(again.body, entry_id.to_string());

        let after: serde_json::Value = serde_json::from_str(&app.get_as(path, &cookie).await.body).expect("json");
        let body = after["body_html"].as_str().expect("body");
        let considerations = after["considerations_html"].as_str().expect("considerations after answering");
        assert!(!considerations.is_empty() && !body.contains(considerations));
        assert_eq!(after["answer_entry"], entry_id);
        // The reader's own answer comes with them, to read side by side (issue 15) ...
        let answer = after["answer_html"].as_str().expect("the reader's answer");
        assert!(answer.contains("I would ask her what she fears first."), "{answer}");
        // ... and nobody else's: another teacher who answered sees only their own.
        let other_teacher = new_teacher(&app, "bo@school.org", "Bo Lind").await;
        let r = app.post_form("/api/unit/answer", &args("Mine is different."), Some(&other_teacher)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let theirs: serde_json::Value = serde_json::from_str(&app.get_as(path, &other_teacher).await.body).expect("json");
        let theirs = theirs["answer_html"].as_str().expect("their answer");
        assert!(theirs.contains("Mine is different.") && !theirs.contains("fears first"), "{theirs}");
        // The answer is a journal entry of the reader's, linked to the unit's competency.
        let entry: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/journal/entry?id={entry_id}"), &cookie).await.body).expect("json");
        assert_eq!(entry["body"], "I would ask her what she fears first.");
        assert_eq!(entry["competency"][0], "innovation-and-creativity");
        assert!(entry["title"].as_str().unwrap_or_default().starts_with("My answer: "));
        // Someone else still has to answer first.
        let other: serde_json::Value = serde_json::from_str(&app.api_get(path).await.body).expect("json");
        assert!(other["considerations_html"].is_null());
        assert!(other["answer_html"].is_null());
        // Readings and reflections are not gated.
        let reading: serde_json::Value = serde_json::from_str(&app.api_get("/api/unit?framework=mcf&unit=listening-and-asking-better-questions").await.body).expect("json");
        assert_eq!(reading["considerations_locked"], false);
    }
}

both_engines! {
    async fn course_pages_are_imported_listed_and_filled_from_the_live_units(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        // The figures the introduction must state, computed here from the units themselves.
        let mut minutes = Vec::new();
        for competency in ["specialized-development-of-self", "commitment-to-development", "innovation-and-creativity", "communication", "collaboration", "problem-solving", "effective-dispositions"] {
            let list: serde_json::Value = serde_json::from_str(&app.api_get(&format!("/api/units?framework=mcf&competency={competency}")).await.body).expect("json");
            minutes.extend(list.as_array().expect("array").iter().map(|u| u["minutes"].as_u64().expect("minutes")));
        }
        let (min, max) = (minutes.iter().min().copied().unwrap_or(0), minutes.iter().max().copied().unwrap_or(0));
        let index = app.api_get("/api/course?framework=mcf").await;
        assert_eq!(index.status, 200, "{}", index.body);
        let index: serde_json::Value = serde_json::from_str(&index.body).expect("json");
        assert_eq!(index["facts"]["units"].as_u64(), Some(minutes.len() as u64));
        assert_eq!(index["facts"]["total_minutes"].as_u64(), Some(minutes.iter().sum::<u64>()));
        let kinds: Vec<&str> = index["pages"].as_array().expect("pages").iter().filter_map(|p| p["kind"].as_str()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "Tool").count(), 5, "{kinds:?}");
        assert!(kinds.contains(&"Guide") && kinds.contains(&"Reference"), "{kinds:?}");

        let page = app.get("/frameworks/mcf/course/introduction").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("There are {} units", minutes.len())), "units filled in");
        assert!(page.body.contains(&format!("{min}–{max} minutes")), "minutes range filled in");
        assert!(page.body.contains("more than half are Evident"), "the Competent rule filled in");
        assert!(!page.body.contains("{{"), "no placeholder left");
        assert!(page.body.contains("<table>"), "the rubric table is rendered");

        let tool = app.get("/frameworks/mcf/course/safeguarding-card").await;
        assert_eq!(tool.status, 200);
        assert!(tool.body.contains("course-page--tool"), "tools carry the print layout");
        assert!(tool.body.contains("Print this tool"));
        let checklist = app.get("/frameworks/mcf/course/first-meeting-checklist").await;
        assert!(checklist.body.contains('☐'), "task lists print as boxes");

        let index_page = app.get("/frameworks/mcf/course").await;
        assert_eq!(index_page.status, 200);
        assert!(index_page.body.contains("Printable tools"));
        let framework = app.get("/frameworks/mcf").await;
        assert!(framework.body.contains("/frameworks/mcf/course/introduction"), "the framework page links the introduction");
        assert!(framework.body.contains("summary adapted from the source"), "adapted summaries are marked");

        // Every page opens, and every link inside a page's text leads somewhere.
        for slug in index["pages"].as_array().expect("pages").iter().filter_map(|p| p["slug"].as_str()) {
            let page = app.api_get(&format!("/api/course/page?framework=mcf&page={slug}")).await;
            assert_eq!(page.status, 200, "{slug}");
            let page: serde_json::Value = serde_json::from_str(&page.body).expect("json");
            let html = page["body_html"].as_str().expect("html");
            for link in html.split("href=\"/").skip(1).filter_map(|rest| rest.split('"').next()) {
                let target = format!("/{link}");
                assert_eq!(app.get(&target).await.status, 200, "{slug} links to {target}");
            }
        }
        assert_eq!(app.get("/frameworks/mcf/course/no-such-page").await.status, 404);
        assert_eq!(app.api_get("/api/course/page?framework=mcf&page=no-such-page").await.status, 404);
        assert_eq!(app.api_get("/api/course?framework=nope").await.status, 404);
    }
}
