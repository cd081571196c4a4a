//! Two languages, as data (issue 18): the course's French texts come from the translation
//! files beside the originals, chosen by the `lang` cookie or the browser's Accept-Language,
//! with the page's `<html lang>` to match. Every unit and course page is checked in French
//! against its own translation file, so a text that is not served translated fails.

use crate::common;

use axum::body::Body;
use axum::http::Request;
use common::TestApp;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// (slug, French title, French summary) of every `*.fr.md` under `dir`.
fn french_docs(dir: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("content folder") {
            let path: PathBuf = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".fr.md") {
                let text = std::fs::read_to_string(&path).expect("file");
                let front = text.split("+++").nth(1).expect("front matter");
                let fm: toml::Table = toml::from_str(front).expect("toml");
                let get = |k: &str| {
                    fm.get(k)
                        .and_then(|v| v.as_str())
                        .expect("field")
                        .to_owned()
                };
                out.push((get("slug"), get("title"), get("summary")));
            }
        }
    }
    out
}

async fn get_in(app: &TestApp, uri: &str, header: (&str, &str)) -> common::Reply {
    let request = Request::get(uri)
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header(header.0, header.1)
        .body(Body::empty())
        .expect("request");
    app.send(request).await
}

both_engines! {
    async fn every_unit_and_course_page_is_served_in_french_when_asked(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let content = common::content_dir();
        let units = french_docs(&content.join("units/mcf"));
        let pages = french_docs(&content.join("course/mcf"));
        assert!(units.len() >= 25 && pages.len() >= 9, "{} units, {} pages", units.len(), pages.len());
        for (slug, title, summary) in &units {
            let fr = app.send(
                Request::get(format!("/api/unit?framework=mcf&unit={slug}"))
                    .header("cookie", "lang=fr")
                    .body(Body::empty())
                    .expect("request"),
            ).await;
            assert_eq!(fr.status, 200, "{slug}");
            let fr: Value = serde_json::from_str(&fr.body).expect("json");
            assert_eq!(fr["summary"]["title"], title.as_str(), "{slug}");
            assert_eq!(fr["summary"]["summary"], summary.as_str(), "{slug}");
            // The original is still what everyone else reads.
            let en: Value = serde_json::from_str(&app.api_get(&format!("/api/unit?framework=mcf&unit={slug}")).await.body).expect("json");
            assert_ne!(en["summary"]["title"], fr["summary"]["title"], "{slug} has a French title of its own");
            assert_ne!(en["body_html"], fr["body_html"], "{slug}: the body is translated");
        }
        for (slug, title, _) in &pages {
            let fr = get_in(&app, &format!("/frameworks/mcf/course/{slug}"), ("accept-language", "fr-MU,fr;q=0.9,en;q=0.5")).await;
            assert_eq!(fr.status, 200, "{slug}");
            assert!(fr.body.contains("<html lang=\"fr\""), "{slug}: <html lang> follows the language");
            assert!(fr.body.contains(&leptos_escape(title)), "{slug}: {title}");
            assert!(!fr.body.contains("{{"), "{slug}: placeholders filled");
        }
        let intro = get_in(&app, "/frameworks/mcf/course/introduction", ("cookie", "lang=fr")).await;
        assert!(intro.body.contains("plus de la moitié sont Démontrés"), "the rule in French");
        assert!(intro.body.contains("environ"), "the time in French");
    }

    async fn the_framework_reads_in_french_from_its_translation_file(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let file = common::content_dir().join("frameworks/mcf.fr.toml");
        let fr: toml::Table = toml::from_str(&std::fs::read_to_string(file).expect("file")).expect("toml");
        let reply = app.send(
            Request::get("/api/competency?framework=mcf&competency=communication")
                .header("cookie", "lang=fr")
                .body(Body::empty())
                .expect("request"),
        ).await;
        let c: Value = serde_json::from_str(&reply.body).expect("json");
        for i in c["indicators"].as_array().expect("indicators") {
            let slug = i["slug"].as_str().expect("slug");
            let expected = fr["indicators"][slug]["text"].as_str().expect("translated");
            assert_eq!(i["text"], expected, "{slug}");
        }
        let description: Vec<&str> = fr["competencies"]["communication"]["description"]
            .as_array().expect("description").iter().filter_map(|v| v.as_str()).collect();
        assert_eq!(c["description"], serde_json::json!(description));
        let overview = get_in(&app, "/frameworks/mcf", ("accept-language", "fr")).await;
        let domain = fr["domains"]["professional-identity"]["title"].as_str().expect("domain");
        assert!(overview.body.contains(&leptos_escape(domain)), "{domain}");
        // English by default, whatever the translations.
        let en = app.get("/frameworks/mcf").await;
        assert!(en.body.contains("<html lang=\"en\""));
        assert!(en.body.contains("Professional Identity"));
    }

    async fn choosing_a_language_is_remembered_and_returns_to_the_page(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let reply = app.api_get("/language/fr?next=%2Fframeworks%2Fmcf%3Fx%3D1").await;
        assert_eq!(reply.status, 303);
        assert_eq!(reply.headers["location"], "/frameworks/mcf?x=1");
        let cookie = reply.headers["set-cookie"].to_str().expect("cookie");
        assert!(cookie.starts_with("lang=fr;") && cookie.contains("Max-Age=31536000") && cookie.contains("SameSite=Lax"), "{cookie}");
        for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example", ""] {
            let r = app.api_get(&format!("/language/en?next={next}")).await;
            assert_eq!(r.headers["location"], "/", "{next}");
        }
        assert_eq!(app.api_get("/language/de").await.status, 404);
        assert_eq!(app.api_get("/language/FR").await.status, 404);
        // Every page offers the other language with a way back to itself.
        let page = app.get("/frameworks/mcf/competencies/communication").await;
        assert!(page.body.contains("/language/fr?next=%2Fframeworks%2Fmcf%2Fcompetencies%2Fcommunication"), "switcher link");
    }
}

/// `text` as it appears in server-rendered HTML.
fn leptos_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
