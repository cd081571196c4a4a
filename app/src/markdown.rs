//! Markdown to safe HTML (server only): pulldown-cmark renders, ammonia keeps only harmless
//! tags and attributes, so no raw HTML from a file or a person reaches anyone's browser.

use pulldown_cmark::{html, Options, Parser};

/// Renders CommonMark (with tables and strikethrough) to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

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
