//! Every page kind, as each kind of reader sees it: the data a server-rendered page hands to the
//! browser for hydration (`__RESOLVED_RESOURCES[n] = "…"`) is loaded and sent once.
//!
//! The kind of defect: a component that creates a resource inside a closure which re-runs while
//! the page renders (the private-page guard re-created its page when the viewer resolved), so
//! the server loads, serializes and sends the same data several times. It cost every private
//! page two extra loads and doubled its size, and nothing the reader sees shows it.

use crate::common;

use common::TestApp;

/// The payloads of the resources a page resolved on the server, in order.
fn resolved_resources(html: &str) -> Vec<&str> {
    let marker = "__RESOLVED_RESOURCES[";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let Some(open) = rest.find("] = \"") else {
            break;
        };
        let body = &rest[open + 5..];
        // The payload is a JavaScript string literal: it ends at the first unescaped quote.
        let mut end = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else { break };
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

#[test]
fn resources_are_read_from_the_page_scripts() {
    let html = r#"<script>__RESOLVED_RESOURCES[0] = "{\"a\":\"x\\\"y\"}";__RESOLVED_RESOURCES[3] = "[1]";</script>"#;
    assert_eq!(resolved_resources(html), [r#"{\"a\":\"x\\\"y\"}"#, "[1]"]);
}

both_engines! {
    async fn every_page_sends_each_piece_of_its_data_once(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let readers = common::page_kinds(
            &app,
            "Pages",
            "pages.test",
            ("An entry", "Some words, enough of them to be worth sending once."),
        )
        .await;
        let mut checked = 0;
        for (who, cookie, pages) in &readers {
            for page in pages {
                let reply = match cookie {
                    Some(c) => app.page_as(page, c).await,
                    None => app.get(page).await,
                };
                assert_eq!(reply.status, 200, "{page} for {who}");
                let resources = resolved_resources(&reply.body);
                assert!(!resources.is_empty(), "{page} for {who}: no hydration data found");
                for (i, a) in resources.iter().enumerate() {
                    // Small payloads (an empty list, zero counts) may well repeat by chance.
                    if a.len() < 64 {
                        continue;
                    }
                    let copies = resources.iter().filter(|b| *b == a).count();
                    assert_eq!(
                        copies, 1,
                        "{page} for {who}: resource {i} sent {copies} times ({} bytes each)",
                        a.len()
                    );
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 36, "every page kind was read");
    }
}
