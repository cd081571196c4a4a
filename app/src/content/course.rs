//! Course pages as Markdown files with TOML front matter:
//! `content/course/<framework>/<NN>-<slug>.md`.
//!
//! ```text
//! +++
//! slug = "introduction"
//! title = "About this course"
//! kind = "guide"              # guide | tool | reference
//! order = 1
//! summary = "One sentence for the course index."
//! +++
//! Markdown body. `{{units}}`, `{{minutes_range}}`, `{{total_hours}}` and `{{competent_rule}}`
//! are filled in from the live course when the page is shown.
//! ```

use super::{ContentError, FrameworkContent};
use crate::domain::course::{placeholders_in, PageKind, PLACEHOLDERS};
use crate::domain::slug::Slug;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A validated course page, ready to import.
#[derive(Debug, Clone, PartialEq)]
pub struct PageContent {
    /// Stable id, unique within the framework's course.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Guide, tool or reference.
    pub kind: PageKind,
    /// Position in the course index (1–99, unique).
    pub order: u32,
    /// One sentence for the index.
    pub summary: String,
    /// Markdown, placeholders unfilled.
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: Spanned<String>,
    title: Spanned<String>,
    kind: Spanned<String>,
    order: Spanned<i64>,
    summary: Spanned<String>,
}

/// Parses one course page. Errors name the line: a missing or unknown field, a kind other
/// than guide, tool or reference, an order outside 1–99, an empty body, or a `{{…}}` that is
/// not one of [`PLACEHOLDERS`].
pub fn parse_page(file: &Path, text: &str) -> Result<PageContent, ContentError> {
    let err = |offset: usize, msg: String| ContentError::at(file, text, offset, msg);
    let (fm_start, front, body) = super::split_front_matter(file, text, "a course page")?;
    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        let at = fm_start + e.span().map(|s| s.start).unwrap_or(0);
        err(at, e.message().trim().to_owned())
    })?;
    let at = |s: std::ops::Range<usize>| fm_start + s.start;
    let slug = Slug::parse(fm.slug.get_ref())
        .map_err(|e| err(at(fm.slug.span()), format!("page slug {e}")))?;
    let kind = PageKind::parse(fm.kind.get_ref()).ok_or_else(|| {
        err(
            at(fm.kind.span()),
            format!(
                "kind must be guide, tool or reference (found {:?})",
                fm.kind.get_ref()
            ),
        )
    })?;
    let order = u32::try_from(*fm.order.get_ref())
        .ok()
        .filter(|o| (1..=99).contains(o))
        .ok_or_else(|| {
            err(
                at(fm.order.span()),
                "order must be a whole number from 1 to 99".into(),
            )
        })?;
    let text_field = |v: &Spanned<String>, what: &str, max: usize| {
        let t = v.get_ref().trim();
        if t.is_empty() || t.chars().count() > max {
            Err(err(
                at(v.span()),
                format!("{what} must be 1 to {max} characters"),
            ))
        } else {
            Ok(t.to_owned())
        }
    };
    let title = text_field(&fm.title, "title", 120)?;
    let summary = text_field(&fm.summary, "summary", 300)?;
    if body.trim().is_empty() {
        return Err(err(
            text.len(),
            "the page has no text after its front matter".into(),
        ));
    }
    let body_offset = text.len() - body.len();
    for p in placeholders_in(body) {
        if !p.closed {
            return Err(err(
                body_offset + p.offset,
                "a placeholder opened with {{ is not closed by }} on the same line".into(),
            ));
        }
        let name = p.name;
        if !PLACEHOLDERS.contains(&name) {
            return Err(err(
                body_offset + p.offset,
                format!(
                    "unknown placeholder {{{{{name}}}}}: use one of {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{{{p}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(PageContent {
        slug,
        title,
        kind,
        order,
        summary,
        body: body.to_owned(),
    })
}

/// Loads `dir/<framework>/*.md` for every framework that has a folder, checking slugs and
/// orders are unique within it. A folder named after no framework is an error.
pub fn load_course(
    dir: &Path,
    frameworks: &[FrameworkContent],
) -> Result<Vec<(Slug, Vec<PageContent>)>, ContentError> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for folder in super::units::sorted_entries(dir)? {
        if !folder.is_dir() {
            continue;
        }
        let name = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !frameworks.iter().any(|f| f.slug.as_str() == name) {
            return Err(ContentError::whole_file(
                &folder,
                format!("there is no framework {name:?} for these course pages"),
            ));
        }
    }
    for framework in frameworks {
        let fw_dir = dir.join(framework.slug.as_str());
        if !fw_dir.is_dir() {
            continue;
        }
        let mut pages = Vec::new();
        let mut slugs: HashMap<String, PathBuf> = HashMap::new();
        let mut orders: HashMap<u32, PathBuf> = HashMap::new();
        for file in super::units::sorted_entries(&fw_dir)? {
            if file.extension().is_none_or(|x| x != "md")
                || super::translation::language_of(&file)?.is_some()
            {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(|e| {
                ContentError::whole_file(&file, format!("cannot read the file: {e}"))
            })?;
            let page = parse_page(&file, &text)?;
            if let Some(other) = slugs.insert(page.slug.as_str().to_owned(), file.clone()) {
                return Err(ContentError::whole_file(
                    &file,
                    format!(
                        "page slug {:?} is already used by {}",
                        page.slug.as_str(),
                        other.display()
                    ),
                ));
            }
            if let Some(other) = orders.insert(page.order, file.clone()) {
                return Err(ContentError::whole_file(
                    &file,
                    format!(
                        "order {} is already used by {}",
                        page.order,
                        other.display()
                    ),
                ));
            }
            pages.push(page);
        }
        pages.sort_by_key(|p| p.order);
        out.push((framework.slug.clone(), pages));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "+++\nslug = \"introduction\"\ntitle = \"About this course\"\nkind = \"guide\"\norder = 1\nsummary = \"What the course is.\"\n+++\n\n{{units}} units, {{total_hours}}.\n";

    fn err(text: &str) -> String {
        match parse_page(Path::new("p.md"), text) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_page_parses() {
        let page = parse_page(Path::new("p.md"), PAGE).expect("valid page");
        assert_eq!(page.slug.as_str(), "introduction");
        assert_eq!(page.kind, PageKind::Guide);
        assert_eq!(page.order, 1);
        assert_eq!(page.body, "{{units}} units, {{total_hours}}.\n");
    }

    #[test]
    fn every_field_is_checked_with_its_line() {
        // (change, expected words in the error, expected line)
        let cases = [
            (
                "kind = \"guide\"",
                "kind = \"poster\"",
                "kind must be guide, tool or reference",
                4,
            ),
            (
                "order = 1",
                "order = 0",
                "order must be a whole number from 1 to 99",
                5,
            ),
            (
                "order = 1",
                "order = 100",
                "order must be a whole number from 1 to 99",
                5,
            ),
            (
                "title = \"About this course\"",
                "title = \" \"",
                "title must be 1 to 120",
                3,
            ),
            (
                "summary = \"What the course is.\"",
                "summary = \"\"",
                "summary must be 1 to 300",
                6,
            ),
            (
                "slug = \"introduction\"",
                "slug = \"Intro duction\"",
                "page slug",
                2,
            ),
            (
                "order = 1\n",
                "order = 1\ncolour = \"red\"\n",
                "unknown field",
                6,
            ),
            (
                "{{units}}",
                "{{unit_count}}",
                "unknown placeholder {{unit_count}}",
                9,
            ),
            (
                "{{total_hours}}.",
                "{{total_hours",
                "is not closed by }}",
                9,
            ),
        ];
        for (from, to, words, line) in cases {
            let text = PAGE.replacen(from, to, 1);
            let e = err(&text);
            assert!(e.contains(words), "{to:?}: {e}");
            assert!(e.starts_with(&format!("p.md:{line}:")), "{to:?}: {e}");
        }
        assert!(err(&PAGE.replacen("+++\n", "", 1)).contains("a course page must start with"));
        let empty = PAGE.split("\n+++\n").next().unwrap_or_default().to_owned() + "\n+++\n\n";
        assert!(err(&empty).contains("no text"));
    }

    #[test]
    fn folders_must_name_a_framework_and_slugs_be_unique() {
        let frameworks = super::super::load_frameworks(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/frameworks"),
        )
        .expect("shipped frameworks");
        let dir = std::env::temp_dir().join(format!("course-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("mcf")).expect("tmp");
        std::fs::write(dir.join("mcf/01-a.md"), PAGE).expect("write");
        assert_eq!(load_course(&dir, &frameworks).expect("loads")[0].1.len(), 1);
        std::fs::write(dir.join("mcf/02-b.md"), PAGE).expect("write");
        let dup = load_course(&dir, &frameworks).expect_err("duplicate slug");
        assert!(dup.message.contains("already used"), "{dup}");
        std::fs::remove_file(dir.join("mcf/02-b.md")).expect("rm");
        std::fs::create_dir_all(dir.join("nope")).expect("tmp");
        let unknown = load_course(&dir, &frameworks).expect_err("unknown framework");
        assert!(
            unknown.message.contains("no framework \"nope\""),
            "{unknown}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
