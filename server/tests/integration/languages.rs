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

/// What a person reads on a server-rendered page: its text nodes and the attributes a screen
/// reader or a hover reads (`aria-label`, `title`, `placeholder`, `alt`), each trimmed, with
/// scripts, styles and comments left out and the common entities decoded.
fn readable_texts(html: &str) -> Vec<String> {
    let mut rest = html;
    let mut cleaned = String::with_capacity(html.len());
    // Drop <script>…</script>, <style>…</style> and <!--…-->.
    loop {
        let next = ["<script", "<style", "<!--"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, *open)))
            .min();
        let Some((i, open)) = next else {
            cleaned.push_str(rest);
            break;
        };
        cleaned.push_str(&rest[..i]);
        let close = match open {
            "<script" => "</script>",
            "<style" => "</style>",
            _ => "-->",
        };
        rest = match rest[i..].find(close) {
            Some(j) => &rest[i + j + close.len()..],
            None => "",
        };
    }
    let decode = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&")
    };
    let mut texts = Vec::new();
    let mut in_tag = false;
    let mut buf = String::new();
    for c in cleaned.chars() {
        match c {
            '<' => {
                let t = buf.trim();
                if !t.is_empty() {
                    texts.push(decode(t));
                }
                buf.clear();
                in_tag = true;
            }
            '>' if in_tag => {
                for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
                    let mut from = 0;
                    while let Some(i) = buf[from..].find(attr) {
                        let start = from + i + attr.len();
                        let end = buf[start..].find('"').map_or(buf.len(), |j| start + j);
                        let value = buf[start..end].trim();
                        if !value.is_empty() {
                            texts.push(decode(value));
                        }
                        from = end;
                    }
                }
                buf.clear();
                in_tag = false;
            }
            _ => buf.push(c),
        }
    }
    texts
}

/// Whether `text` reads as words of an interface (two or more words with letters), as opposed
/// to a number, a date, a symbol or a single name.
fn is_phrase(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count()
        >= 2
}

both_engines! {
    /// A person's choice of language, made while signed in, is remembered on their account, and
    /// e-mails reach them in it whoever's action sends them (here a coordinator reading in
    /// English issues a reset link).
    async fn e_mails_reach_people_in_the_language_they_chose(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let roster: [common::Person; 2] = [
            ("tess", "Tess Teacher", &[(true, app::domain::account::Role::Teacher)]),
            ("cora", "Cora Coordinator", &[(true, app::domain::account::Role::Coordinator)]),
        ];
        let cast = common::Cast::new(&app, "Courriels", "courriels.test", &roster).await;
        let stored = |id: i64| {
            let app = &app;
            async move {
                sqlx::query_scalar::<_, String>("SELECT lang FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_one(app.db.pool())
                    .await
                    .expect("lang")
            }
        };
        assert_eq!(stored(cast.id("tess")).await, "en", "English until chosen");
        let chose = app.get_as("/language/fr?next=%2Fdashboard", cast.cookie("tess")).await;
        assert_eq!(chose.status, 303);
        assert_eq!(stored(cast.id("tess")).await, "fr");
        assert_eq!(stored(cast.id("cora")).await, "en", "only the chooser's account");
        app::db::cohort::create_reset(&app.db, cast.id("tess"), cast.id("cora"), 3_600_000)
            .await
            .expect("reset");
        let mail = common::last_mail(&app.db, "tess@courriels.test").await;
        assert_eq!(mail.message.subject, "Définir un nouveau mot de passe");
        assert!(mail.message.text.starts_with("Bonjour Tess Teacher,"), "{}", mail.message.text);
        assert!(mail.message.html.contains("Bonjour Tess Teacher,"));
        // Cora chose nothing: English, while Tess's choice stays hers.
        app::db::cohort::create_reset(&app.db, cast.id("cora"), cast.id("cora"), 3_600_000)
            .await
            .expect("reset");
        let mail = common::last_mail(&app.db, "cora@courriels.test").await;
        assert_eq!(mail.message.subject, "Set a new password");
        // Back to English: remembered too.
        app.get_as("/language/en?next=%2F", cast.cookie("tess")).await;
        assert_eq!(stored(cast.id("tess")).await, "en");
    }

    /// Every page kind, as each kind of reader, in French: no text a person reads is the same as
    /// on the English page, except what people wrote themselves (names, journal text: listed
    /// below) and the few names the translation keeps on purpose. A string written in the code
    /// rather than the locale files, or a content text without its translation, fails here.
    async fn every_page_reads_in_french_with_nothing_left_in_english(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let mut readers = common::page_kinds(
            &app,
            "Langues",
            "langues.test",
            ("Entrée 42", "Quelques mots écrits par l’enseignante elle-même, jamais traduits."),
        )
        .await;
        readers[0].2.push("/no-such-page".to_owned());
        // Kept in every language on purpose: names of people, of the framework's source and of
        // standards.
        let kept = |t: &str| {
            ["Tess Teacher", "Abe Assessor", "Cora Coordinator", "Mentoring Competency Framework",
             "Quelques mots écrits par l’enseignante elle-même",
             "Open Badges", "Mauritius Institute of Education", "Wilfrid Laurier University"]
                .iter()
                .any(|k| t.contains(k))
        };
        let mut untranslated = Vec::new();
        let mut checked = 0;
        for (who, cookie, pages) in &readers {
            for page in pages {
                let read = |lang: &str| {
                    let cookie = match cookie {
                        Some(c) => format!("{c}; lang={lang}"),
                        None => format!("lang={lang}"),
                    };
                    let page = page.clone();
                    let app = &app;
                    async move { app.page_as(&page, &cookie).await }
                };
                let en = read("en").await;
                let fr = read("fr").await;
                assert_eq!(en.status, fr.status, "{page} for {who}");
                assert!(fr.body.contains("<html lang=\"fr\""), "{page} for {who}");
                let english: std::collections::HashSet<String> =
                    readable_texts(&en.body).into_iter().collect();
                for text in readable_texts(&fr.body) {
                    if english.contains(&text) && is_phrase(&text) && !kept(&text) {
                        untranslated.push(format!("{page} for {who}: {text:?}"));
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 37, "every page kind was read in both languages");
        untranslated.sort();
        untranslated.dedup();
        assert!(untranslated.is_empty(), "{} texts the same in French and English:\n{}", untranslated.len(), untranslated.join("\n"));
    }
}

/// `text` as it appears in server-rendered HTML.
fn leptos_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
