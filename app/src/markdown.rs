//! Markdown to safe HTML (server only): pulldown-cmark renders, ammonia keeps only harmless
//! tags and attributes, so no raw HTML from a file or a person reaches anyone's browser.

use pulldown_cmark::{html, Event, Options, Parser};

/// How deeply elements may nest in rendered Markdown. Deeper tags are dropped (their text
/// stays): 100 KB of `>` is 100,000 nested quotes, which the HTML sanitiser's parser handles
/// in time quadratic in the depth (33 s measured); no real text nests this deep.
pub const MAX_NESTING: usize = 24;

/// `text` with the five characters that are markup in HTML and XML written as entities, for
/// putting plain text inside an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Renders CommonMark (with tables, strikethrough and task lists, whose `[ ]` and `[x]` become
/// the characters ☐ and ☑ so printed checklists keep their boxes) to sanitised HTML. Cost is linear in the
/// input: nesting is capped at [`MAX_NESTING`]. For text from a request, call
/// [`to_safe_html_off_thread`].
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    // Each open tag: whether it was kept (deeper ones, and their ends, are dropped), and how
    // many of the open ones were kept (constant work per event).
    let mut open: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    let events = Parser::new_ext(markdown, options).filter(|event| match event {
        Event::Start(_) => {
            let keep = kept < MAX_NESTING;
            kept += usize::from(keep);
            open.push(keep);
            keep
        }
        Event::End(_) => {
            let keep = open.pop().unwrap_or(true);
            kept -= usize::from(keep && kept > 0);
            keep
        }
        _ => true,
    });
    let events = events.map(|event| match event {
        Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
        other => other,
    });
    html::push_html(&mut raw, with_captions(events).into_iter());
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

/// Gives every table a `<caption>` (tables need one to be announced with their purpose): a
/// paragraph `Table: …` just before a table becomes its caption; a table without one takes the
/// text of the heading above it.
fn with_captions<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    use pulldown_cmark::{Tag, TagEnd};
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut heading = String::new();
    let mut in_heading = false;
    for event in events {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => heading.push_str(t),
            Event::Start(Tag::Table(_)) => {
                // `Table: …` as the whole of the paragraph just before.
                let n = out.len();
                let explicit = match out.get(n.saturating_sub(3)..) {
                    Some(
                        [Event::Start(Tag::Paragraph), Event::Text(t), Event::End(TagEnd::Paragraph)],
                    ) => t.strip_prefix("Table:").map(|c| c.trim().to_owned()),
                    _ => None,
                };
                let caption = match explicit {
                    Some(c) => {
                        out.truncate(n - 3);
                        c
                    }
                    None => heading.clone(),
                };
                out.push(event);
                if !caption.is_empty() {
                    out.push(Event::Html(
                        format!("<caption>{}</caption>", escape(&caption)).into(),
                    ));
                }
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// [`to_safe_html`] on a free core, off the async workers (see [`crate::work`]).
pub async fn to_safe_html_off_thread(markdown: String) -> anyhow::Result<String> {
    crate::work::cpu("render Markdown", move || to_safe_html(&markdown)).await
}

#[cfg(test)]
mod tests {
    use super::{to_safe_html, MAX_NESTING};

    #[test]
    fn tables_get_a_caption_from_a_table_line_or_the_heading_above() {
        let table = "| A | B |\n|---|---|\n| 1 | 2 |\n";
        let explicit = to_safe_html(&format!(
            "## Plan\n\nTable: Who does what, and when\n\n{table}"
        ));
        assert!(
            explicit.contains("<table><caption>Who does what, and when</caption>"),
            "{explicit}"
        );
        assert!(!explicit.contains("Table:"), "{explicit}");
        let from_heading = to_safe_html(&format!("## Agreed actions\n\n{table}"));
        assert!(
            from_heading.contains("<caption>Agreed actions</caption>"),
            "{from_heading}"
        );
        let none = to_safe_html(table);
        assert!(!none.contains("<caption>"), "{none}");
        // Raw HTML in a caption line is escaped, never passed through.
        let hostile = to_safe_html(&format!("Table: <script>x</script>\n\n{table}"));
        assert!(!hostile.contains("<script"), "{hostile}");
    }

    #[test]
    fn task_list_markers_become_boxes() {
        let out = to_safe_html("- [ ] to do\n- [x] done\n");
        assert!(out.contains("☐ to do"), "{out}");
        assert!(out.contains("☑ done"), "{out}");
        assert!(!out.contains("<input"), "{out}");
    }

    #[test]
    fn deep_nesting_is_capped_and_the_text_kept() {
        for (open, close) in [(">", ""), ("- ", ""), ("* ", ""), ("1. ", "")] {
            let text = format!("{}deep words{close}", open.repeat(5_000));
            let out = to_safe_html(&text);
            assert!(out.contains("deep words"), "{open}: the text stays");
            let depth = out.matches("<blockquote>").count()
                + out.matches("<ul>").count()
                + out.matches("<ol>").count()
                + out.matches("<li>").count();
            assert!(depth <= MAX_NESTING, "{open}: {depth} nested tags");
        }
        // Ordinary nesting is untouched.
        assert_eq!(
            to_safe_html("> > quoted twice"),
            "<blockquote>\n<blockquote>\n<p>quoted twice</p>\n</blockquote>\n</blockquote>\n"
        );
    }

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_safe_html("**bold** and *it*"),
            "<p><strong>bold</strong> and <em>it</em></p>\n"
        );
        assert!(to_safe_html("- a\n- b").contains("<li>a</li>"));
    }

    #[test]
    fn strips_scripts_handlers_and_bad_urls() {
        let out = to_safe_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert)",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("href=\"javascript"), "{out}");
        assert!(
            out.contains("<a rel="),
            "the link stays, without its URL: {out}"
        );
        let link = to_safe_html("[site](https://example.org)");
        assert!(
            link.contains("rel=\"noopener noreferrer nofollow\""),
            "{link}"
        );
    }
}
