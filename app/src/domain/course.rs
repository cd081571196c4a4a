//! Course pages (introduction, guides, printable tools, glossary, references) as pages see
//! them, and the placeholders a page's text may use for figures taken from the live course.

use serde::{Deserialize, Serialize};

/// What kind of course page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageKind {
    /// Read before or during the course: the introduction, the guide to writing evidence.
    Guide,
    /// A printable tool: a checklist, an agreement, a worksheet, a card.
    Tool,
    /// Looked up: the glossary, the reference list.
    Reference,
}

impl PageKind {
    /// Every kind, in the order the course index lists them.
    pub const ALL: [PageKind; 3] = [Self::Guide, Self::Tool, Self::Reference];

    /// Stored (and content file) form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guide => "guide",
            Self::Tool => "tool",
            Self::Reference => "reference",
        }
    }

    /// Parses the stored form; anything else is `None` (never a default).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Heading of the kind's group on the course index.
    pub fn group_label(self) -> &'static str {
        match self {
            Self::Guide => crate::t!(labels.course_guides),
            Self::Tool => crate::t!(labels.course_tools),
            Self::Reference => crate::t!(labels.course_reference),
        }
    }
}

/// A course page in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSummary {
    /// Stable id within the framework.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: PageKind,
    /// One sentence.
    pub summary: String,
}

/// A course page with its text rendered to safe HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    /// Framework slug.
    pub framework_slug: String,
    /// Framework title.
    pub framework_title: String,
    /// The page.
    pub summary: PageSummary,
    /// Body with placeholders filled, sanitised HTML.
    pub body_html: String,
}

/// The course index: every page of a framework's course, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseIndex {
    /// Framework slug.
    pub framework_slug: String,
    /// Framework title.
    pub framework_title: String,
    /// Figures about the units.
    pub facts: CourseFacts,
    /// Pages in order.
    pub pages: Vec<PageSummary>,
}

/// Figures about a framework's live units, for placeholders and the course index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFacts {
    /// Number of live units.
    pub units: u32,
    /// Shortest unit, minutes (0 without units).
    pub min_minutes: u32,
    /// Longest unit, minutes.
    pub max_minutes: u32,
    /// All units together, minutes.
    pub total_minutes: u32,
    /// The framework's rule for Competent, in words.
    pub competent_rule: String,
}

impl CourseFacts {
    /// Total time in words: "about N hours", rounded to the nearest half hour ("about 1 hour",
    /// "about 3½ hours"); under 45 minutes, "about N minutes".
    pub fn total_in_words(&self) -> String {
        self.total_in(crate::domain::lang::Lang::En)
    }

    /// [`Self::total_in_words`] in `lang` ("environ 3½ heures").
    pub fn total_in(&self, lang: crate::domain::lang::Lang) -> String {
        use crate::domain::lang::Lang;
        let m = self.total_minutes;
        if m < 45 {
            return match lang {
                Lang::En => format!("about {m} minutes"),
                Lang::Fr => format!("environ {m} minutes"),
            };
        }
        let halves = (m + 15) / 30;
        let (hours, half) = (halves / 2, halves % 2 == 1);
        let number = if half {
            format!("{hours}½")
        } else {
            hours.to_string()
        };
        match (lang, halves == 2) {
            (Lang::En, true) => format!("about {number} hour"),
            (Lang::En, false) => format!("about {number} hours"),
            (Lang::Fr, true) => format!("environ {number} heure"),
            (Lang::Fr, false) => format!("environ {number} heures"),
        }
    }

    /// The range of unit lengths, "3–15" (one number when all are alike).
    pub fn range_in_words(&self) -> String {
        if self.min_minutes == self.max_minutes {
            self.min_minutes.to_string()
        } else {
            format!("{}–{}", self.min_minutes, self.max_minutes)
        }
    }
}

/// The placeholders a course page may use, each written `{{name}}` in its Markdown.
pub const PLACEHOLDERS: [&str; 4] = ["units", "minutes_range", "total_hours", "competent_rule"];

/// One `{{…}}` found in a page's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placeholder<'t> {
    /// Byte offset of its `{{`.
    pub offset: usize,
    /// The name between the braces, trimmed (for an unclosed one, the rest of the line).
    pub name: &'t str,
    /// Whether a `}}` closes it on the same line.
    pub closed: bool,
}

/// Every `{{…}}` in `text`, in order, including any `{{` left unclosed on its line (which the
/// loader rejects).
pub fn placeholders_in(text: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let rest = &text[start + 2..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let close = rest[..line_end].find("}}");
        let end = close.unwrap_or(line_end);
        found.push(Placeholder {
            offset: start,
            name: rest[..end].trim(),
            closed: close.is_some(),
        });
        from = start + 2 + end;
    }
    found
}

/// `text` with every known placeholder replaced by its figure from `facts`. Unknown names and
/// unclosed braces are left as written (the loader rejects them before any page is stored).
pub fn fill(text: &str, facts: &CourseFacts) -> String {
    fill_in(text, facts, crate::domain::lang::Lang::En)
}

/// [`fill`] for a page in `lang`: the total time in that language (the rule comes in `facts`,
/// already in it).
pub fn fill_in(text: &str, facts: &CourseFacts, lang: crate::domain::lang::Lang) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut from = 0;
    for p in placeholders_in(text).into_iter().filter(|p| p.closed) {
        let value = match p.name {
            "units" => facts.units.to_string(),
            "minutes_range" => facts.range_in_words(),
            "total_hours" => facts.total_in(lang),
            "competent_rule" => facts.competent_rule.clone(),
            _ => continue,
        };
        let Some(len) = text[p.offset..].find("}}").map(|e| e + 2) else {
            continue;
        };
        out.push_str(&text[from..p.offset]);
        out.push_str(&value);
        from = p.offset + len;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(total: u32) -> CourseFacts {
        CourseFacts {
            units: 23,
            min_minutes: 3,
            max_minutes: 15,
            total_minutes: total,
            competent_rule: "Rule.".into(),
        }
    }

    #[test]
    fn kinds_round_trip_and_unknown_is_none() {
        for k in PageKind::ALL {
            assert_eq!(PageKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PageKind::parse("Guide"), None);
        assert_eq!(PageKind::parse(""), None);
    }

    #[test]
    fn totals_round_to_half_hours() {
        assert_eq!(facts(20).total_in_words(), "about 20 minutes");
        assert_eq!(facts(50).total_in_words(), "about 1 hour");
        assert_eq!(facts(75).total_in_words(), "about 1½ hours");
        assert_eq!(facts(224).total_in_words(), "about 3½ hours");
        assert_eq!(facts(226).total_in_words(), "about 4 hours");
    }

    #[test]
    fn totals_in_french() {
        use crate::domain::lang::Lang;
        assert_eq!(facts(20).total_in(Lang::Fr), "environ 20 minutes");
        assert_eq!(facts(50).total_in(Lang::Fr), "environ 1 heure");
        assert_eq!(facts(224).total_in(Lang::Fr), "environ 3½ heures");
    }

    #[test]
    fn ranges_name_both_ends_or_one() {
        assert_eq!(facts(1).range_in_words(), "3–15");
        let same = CourseFacts {
            min_minutes: 5,
            max_minutes: 5,
            ..facts(1)
        };
        assert_eq!(same.range_in_words(), "5");
    }

    #[test]
    fn fill_replaces_every_known_placeholder() {
        let text =
            "{{units}} units of {{ minutes_range }} minutes, {{total_hours}}. {{competent_rule}}";
        assert_eq!(
            fill(text, &facts(240)),
            "23 units of 3–15 minutes, about 4 hours. Rule."
        );
    }

    #[test]
    fn unclosed_and_unknown_placeholders_are_found() {
        let text = "a {{units}} b {{nope}} c {{ open\nnext";
        let found: Vec<(&str, bool)> = placeholders_in(text)
            .into_iter()
            .map(|p| (p.name, p.closed))
            .collect();
        assert_eq!(found, [("units", true), ("nope", true), ("open", false)]);
        // Unknown and unclosed stay as written.
        assert_eq!(fill(text, &facts(1)), "a 23 b {{nope}} c {{ open\nnext");
    }

    proptest! {
        /// Text without `{{` is returned unchanged, whatever it holds.
        #[test]
        fn text_without_placeholders_is_unchanged(text in "[^{]*") {
            prop_assert_eq!(fill(&text, &facts(100)), text);
        }

        /// Every placeholder, wherever it sits among arbitrary text, is replaced; nothing else changes.
        #[test]
        fn placeholders_anywhere_are_filled(a in "[^{}]*", b in "[^{}]*", i in 0usize..4) {
            let name = PLACEHOLDERS[i];
            let text = format!("{a}{{{{{name}}}}}{b}");
            let filled = fill(&text, &facts(100));
            prop_assert!(!filled.contains("{{"));
            prop_assert!(filled.starts_with(&a));
            prop_assert!(filled.ends_with(&b));
        }
    }
}
