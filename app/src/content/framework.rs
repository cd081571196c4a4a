//! Competency frameworks as TOML files: `content/frameworks/<slug>.toml`.
//!
//! A framework file holds the framework's metadata and its domains, each with competencies, each
//! with indicators. Every item has a slug, its stable id: renaming a title is safe, changing a slug
//! retires the old item and creates a new one.

use super::ContentError;
use crate::domain::slug::Slug;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

/// Longest title accepted for a framework, domain or competency.
pub const MAX_TITLE: usize = 200;
/// Longest indicator or description statement accepted.
pub const MAX_STATEMENT: usize = 1_000;

/// A validated framework, ready to import.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkContent {
    /// Stable id, e.g. `mcf`.
    pub slug: Slug,
    /// Full title.
    pub title: String,
    /// Short title.
    pub short_title: String,
    /// Version of the content, e.g. `1.0.0`.
    pub version: String,
    /// Language tag of the text, e.g. `en`.
    pub language: String,
    /// Whether the course is built on this framework.
    pub is_default: bool,
    /// `complete_course = true`: every competency must have units (a scenario, a reflection,
    /// every indicator covered). Without it, competencies can gain units a few at a time.
    pub complete_course: bool,
    /// One-paragraph description.
    pub description: String,
    /// Attribution shown wherever the framework is reproduced.
    pub attribution: String,
    /// Who wrote the framework (`creator`; CASE 1.1 `CFDocument.creator`); empty when not given.
    pub creator: String,
    /// How rubric ratings turn into Competent (`competent_rule`, default
    /// `all-partly-most-evident`).
    pub competent_rule: crate::domain::assessment::CompetentRule,
    /// The micro-credential the framework awards (`[credential]`), if any: a badge per domain
    /// and one for the whole.
    pub credential: Option<CredentialContent>,
    /// Domains in order.
    pub domains: Vec<DomainContent>,
}

/// The texts of a framework's micro-credential (its domain badges derive theirs from the
/// domains).
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialContent {
    /// Name of the whole micro-credential.
    pub name: String,
    /// What holding it means.
    pub description: String,
    /// How it is earned (Markdown-free narrative).
    pub criteria: String,
}

/// A validated domain.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainContent {
    /// Stable id, unique within the framework.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// What the domain is about.
    pub summary: String,
    /// The summary is written for the course, not the source's wording (`summary_adapted`).
    pub summary_adapted: bool,
    /// Competencies in order.
    pub competencies: Vec<CompetencyContent>,
}

/// A validated competency.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyContent {
    /// Stable id, unique within the framework.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Description statements.
    pub description: Vec<String>,
    /// The description paraphrases the source (`description_adapted`), so pages say "adapted".
    pub description_adapted: bool,
    /// Survey priority rating, where the framework has one.
    pub priority: Option<f64>,
    /// Indicators in order.
    pub indicators: Vec<IndicatorContent>,
}

/// A validated indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorContent {
    /// Stable id, unique within the framework.
    pub slug: Slug,
    /// The indicator's wording.
    pub text: String,
}

impl FrameworkContent {
    /// All competencies in order, across domains.
    pub fn competencies(&self) -> impl Iterator<Item = &CompetencyContent> {
        self.domains.iter().flat_map(|d| d.competencies.iter())
    }

    /// All indicators in order, across competencies.
    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorContent> {
        self.competencies().flat_map(|c| c.indicators.iter())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    slug: Spanned<String>,
    title: Spanned<String>,
    short_title: Spanned<String>,
    version: Spanned<String>,
    language: Spanned<String>,
    #[serde(default)]
    default: bool,
    #[serde(default)]
    complete_course: bool,
    description: Spanned<String>,
    attribution: Spanned<String>,
    creator: Option<Spanned<String>>,
    competent_rule: Option<Spanned<String>>,
    credential: Option<RawCredential>,
    domains: Vec<RawDomain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredential {
    name: Spanned<String>,
    description: Spanned<String>,
    criteria: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    slug: Spanned<String>,
    title: Spanned<String>,
    summary: Spanned<String>,
    #[serde(default)]
    summary_adapted: bool,
    #[serde(default)]
    competencies: Vec<RawCompetency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompetency {
    slug: Spanned<String>,
    title: Spanned<String>,
    description: Vec<Spanned<String>>,
    #[serde(default)]
    description_adapted: bool,
    priority: Option<Spanned<f64>>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    slug: Spanned<String>,
    text: Spanned<String>,
}

/// Checks one file's text; `file` is only used to name it in errors.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Checker<'_> {
    fn error(&self, at: usize, message: impl Into<String>) -> ContentError {
        ContentError::at(self.file, self.text, at, message)
    }

    fn slug(&self, what: &str, value: &Spanned<String>) -> Result<Slug, ContentError> {
        Slug::parse(value.get_ref())
            .map_err(|e| self.error(value.span().start, format!("{what} slug {e}")))
    }

    fn text(
        &self,
        what: &str,
        value: &Spanned<String>,
        max: usize,
    ) -> Result<String, ContentError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.error(value.span().start, format!("{what} must not be empty")));
        }
        let len = text.chars().count();
        if len > max {
            return Err(self.error(
                value.span().start,
                format!("{what} must be at most {max} characters (found {len})"),
            ));
        }
        Ok(text.to_owned())
    }
}

/// Where a slug was first used, to report duplicates.
#[derive(Default)]
struct SeenSlugs(HashMap<String, usize>);

impl SeenSlugs {
    fn insert(
        &mut self,
        c: &Checker<'_>,
        what: &str,
        slug: &Spanned<String>,
    ) -> Result<(), ContentError> {
        let at = slug.span().start;
        if let Some(first) = self.0.insert(slug.get_ref().clone(), at) {
            let (first_line, _) = super::line_and_column(c.text, first);
            return Err(c.error(
                at,
                format!(
                    "duplicate {what} slug {:?} (first used on line {first_line}); slugs must be unique within a framework",
                    slug.get_ref()
                ),
            ));
        }
        Ok(())
    }
}

/// Parses and validates one framework file's text.
pub fn parse_framework(file: &Path, text: &str) -> Result<FrameworkContent, ContentError> {
    let c = Checker { file, text };
    let raw: RawFramework = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        c.error(at, e.message().trim().to_owned())
    })?;

    let language = raw.language.get_ref();
    let language_ok =
        (2..=3).contains(&language.len()) && language.chars().all(|ch| ch.is_ascii_lowercase());
    if !language_ok {
        return Err(c.error(
            raw.language.span().start,
            format!(
                "language must be a two- or three-letter code such as \"en\" (found {language:?})"
            ),
        ));
    }
    let version = c.text("version", &raw.version, 40)?;
    if raw.domains.is_empty() {
        return Err(c.error(
            raw.slug.span().start,
            "a framework needs at least one [[domains]] entry",
        ));
    }

    let mut domain_slugs = SeenSlugs::default();
    let mut competency_slugs = SeenSlugs::default();
    let mut indicator_slugs = SeenSlugs::default();
    let mut domains = Vec::with_capacity(raw.domains.len());
    for d in &raw.domains {
        domain_slugs.insert(&c, "domain", &d.slug)?;
        if d.competencies.is_empty() {
            return Err(c.error(
                d.slug.span().start,
                format!(
                    "domain {:?} needs at least one [[domains.competencies]] entry",
                    d.slug.get_ref()
                ),
            ));
        }
        let mut competencies = Vec::with_capacity(d.competencies.len());
        for k in &d.competencies {
            competency_slugs.insert(&c, "competency", &k.slug)?;
            if k.indicators.is_empty() {
                return Err(c.error(
                    k.slug.span().start,
                    format!(
                        "competency {:?} needs at least one indicator",
                        k.slug.get_ref()
                    ),
                ));
            }
            if k.description.is_empty() {
                return Err(c.error(
                    k.slug.span().start,
                    format!(
                        "competency {:?} needs a description (a list of statements)",
                        k.slug.get_ref()
                    ),
                ));
            }
            let priority = match &k.priority {
                Some(p) if !(p.get_ref().is_finite() && (0.0..=10.0).contains(p.get_ref())) => {
                    return Err(c.error(p.span().start, "priority must be a number from 0 to 10"));
                }
                Some(p) => Some(*p.get_ref()),
                None => None,
            };
            let mut indicators = Vec::with_capacity(k.indicators.len());
            for i in &k.indicators {
                indicator_slugs.insert(&c, "indicator", &i.slug)?;
                indicators.push(IndicatorContent {
                    slug: c.slug("indicator", &i.slug)?,
                    text: c.text("indicator text", &i.text, MAX_STATEMENT)?,
                });
            }
            competencies.push(CompetencyContent {
                slug: c.slug("competency", &k.slug)?,
                title: c.text("competency title", &k.title, MAX_TITLE)?,
                description: k
                    .description
                    .iter()
                    .map(|s| c.text("description statement", s, MAX_STATEMENT))
                    .collect::<Result<_, _>>()?,
                description_adapted: k.description_adapted,
                priority,
                indicators,
            });
        }
        domains.push(DomainContent {
            slug: c.slug("domain", &d.slug)?,
            title: c.text("domain title", &d.title, MAX_TITLE)?,
            summary: c.text("domain summary", &d.summary, MAX_STATEMENT * 2)?,
            summary_adapted: d.summary_adapted,
            competencies,
        });
    }

    let competent_rule = match &raw.competent_rule {
        None => crate::domain::assessment::CompetentRule::AllPartlyMostEvident,
        Some(r) => {
            crate::domain::assessment::CompetentRule::parse(r.get_ref()).ok_or_else(|| {
                c.error(
                r.span().start,
                "competent_rule must be one of all-partly-most-evident, all-evident, all-partly",
            )
            })?
        }
    };
    Ok(FrameworkContent {
        slug: c.slug("framework", &raw.slug)?,
        title: c.text("title", &raw.title, MAX_TITLE)?,
        short_title: c.text("short_title", &raw.short_title, 40)?,
        version,
        language: language.clone(),
        is_default: raw.default,
        complete_course: raw.complete_course,
        description: c.text("description", &raw.description, MAX_STATEMENT * 2)?,
        attribution: c.text("attribution", &raw.attribution, MAX_STATEMENT * 2)?,
        creator: match &raw.creator {
            Some(v) => c.text("creator", v, MAX_TITLE)?,
            None => String::new(),
        },
        competent_rule,
        credential: match &raw.credential {
            None => None,
            Some(k) => Some(CredentialContent {
                name: c.text("credential name", &k.name, MAX_TITLE)?,
                description: c.text("credential description", &k.description, MAX_STATEMENT * 2)?,
                criteria: c.text("credential criteria", &k.criteria, MAX_STATEMENT * 2)?,
            }),
        },
        domains,
    })
}

/// Loads every `*.toml` file of a folder (in name order) and checks the rules across files:
/// slugs are unique and exactly one framework is the default.
pub fn load_frameworks(dir: &Path) -> Result<Vec<FrameworkContent>, ContentError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        ContentError::whole_file(dir, format!("cannot read the frameworks folder: {e}"))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|e| ContentError::whole_file(dir, format!("cannot list the folder: {e}")))?;
        let path = entry.path();
        // `<slug>.<lang>.toml` is a translation (`content::translation`), not a framework.
        if path.extension().is_some_and(|x| x == "toml")
            && super::translation::language_of(&path)?.is_none()
        {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(ContentError::whole_file(
            dir,
            "no framework files (*.toml) found",
        ));
    }
    let mut frameworks: Vec<FrameworkContent> = Vec::with_capacity(files.len());
    let mut default_file: Option<&Path> = None;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| ContentError::whole_file(file, format!("cannot read the file: {e}")))?;
        let framework = parse_framework(file, &text)?;
        if let Some(other) = frameworks.iter().position(|f| f.slug == framework.slug) {
            return Err(ContentError::whole_file(
                file,
                format!(
                    "framework slug {:?} is already used by {}",
                    framework.slug.as_str(),
                    files[other].display()
                ),
            ));
        }
        if framework.is_default {
            if let Some(first) = default_file {
                return Err(ContentError::whole_file(
                    file,
                    format!(
                        "only one framework can be the default, and {} already is",
                        first.display()
                    ),
                ));
            }
            default_file = Some(file);
        }
        frameworks.push(framework);
    }
    if default_file.is_none() {
        return Err(ContentError::whole_file(
            dir,
            "one framework file must say `default = true`",
        ));
    }
    Ok(frameworks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
slug = "demo"
title = "Demo framework"
short_title = "Demo"
version = "1.0.0"
language = "en"
description = "A framework for tests."
attribution = "Written for tests."

[[domains]]
slug = "one"
title = "One"
summary = "The first domain."

[[domains.competencies]]
slug = "alpha"
title = "Alpha"
description = ["Doing alpha things."]
indicators = [
  { slug = "alpha-1", text = "Shows alpha" },
]
"#;

    fn err(text: &str) -> String {
        match parse_framework(Path::new("content/frameworks/demo.toml"), text) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_minimal_file_parses() {
        let f = parse_framework(Path::new("demo.toml"), MINIMAL).expect("parses");
        assert_eq!(f.slug.as_str(), "demo");
        assert_eq!(f.domains.len(), 1);
        assert_eq!(f.indicators().count(), 1);
        assert!(!f.is_default);
    }

    #[test]
    fn a_syntax_error_names_file_and_line() {
        let text = MINIMAL.replace("title = \"Alpha\"", "title = \"Alpha");
        let e = err(&text);
        assert!(e.starts_with("content/frameworks/demo.toml:17:"), "{e}");
    }

    #[test]
    fn a_missing_field_is_named() {
        let text = MINIMAL.replace("summary = \"The first domain.\"\n", "");
        let e = err(&text);
        assert!(e.contains("missing field `summary`"), "{e}");
        assert!(e.starts_with("content/frameworks/demo.toml:"), "{e}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let text = MINIMAL.replace("summary = ", "sumary = ");
        assert!(err(&text).contains("unknown field `sumary`"));
    }

    #[test]
    fn a_bad_slug_points_at_its_line() {
        let text = MINIMAL.replace("slug = \"alpha\"", "slug = \"Alpha\"");
        assert_eq!(
            err(&text),
            "content/frameworks/demo.toml:16:8: competency slug may contain only lowercase letters a-z, digits and '-' (found 'A')"
        );
    }

    #[test]
    fn a_duplicate_indicator_slug_says_where_it_was_first_used() {
        let text = MINIMAL.replace(
            "{ slug = \"alpha-1\", text = \"Shows alpha\" },",
            "{ slug = \"alpha-1\", text = \"Shows alpha\" },\n  { slug = \"alpha-1\", text = \"Again\" },",
        );
        let e = err(&text);
        assert_eq!(
            e,
            "content/frameworks/demo.toml:21:12: duplicate indicator slug \"alpha-1\" (first used on line 20); slugs must be unique within a framework"
        );
    }

    #[test]
    fn empty_text_and_empty_lists_are_refused() {
        let text = MINIMAL.replace("text = \"Shows alpha\"", "text = \"  \"");
        assert!(err(&text).ends_with("indicator text must not be empty"));
        let text = MINIMAL.replace("{ slug = \"alpha-1\", text = \"Shows alpha\" },", "");
        assert!(err(&text).ends_with("competency \"alpha\" needs at least one indicator"));
    }

    #[test]
    fn a_bad_language_or_priority_is_refused() {
        let text = MINIMAL.replace("language = \"en\"", "language = \"English\"");
        assert!(err(&text).contains("language must be a two- or three-letter code"));
        let text = MINIMAL.replace(
            "description = [\"Doing",
            "priority = -1.0\ndescription = [\"Doing",
        );
        assert!(err(&text).ends_with("priority must be a number from 0 to 10"));
    }

    #[test]
    fn the_competent_rule_defaults_and_a_bad_one_is_named() {
        use crate::domain::assessment::CompetentRule;
        let f = parse_framework(Path::new("demo.toml"), MINIMAL).expect("parses");
        assert_eq!(f.competent_rule, CompetentRule::AllPartlyMostEvident);
        let text = MINIMAL.replace(
            "attribution = \"Written for tests.\"",
            "attribution = \"Written for tests.\"\ncompetent_rule = \"all-evident\"",
        );
        let f = parse_framework(Path::new("demo.toml"), &text).expect("parses");
        assert_eq!(f.competent_rule, CompetentRule::AllEvident);
        let text = MINIMAL.replace(
            "attribution = \"Written for tests.\"",
            "attribution = \"Written for tests.\"\ncompetent_rule = \"most\"",
        );
        let e = err(&text);
        assert!(e.starts_with("content/frameworks/demo.toml:9:"), "{e}");
        assert!(
            e.ends_with(
                "competent_rule must be one of all-partly-most-evident, all-evident, all-partly"
            ),
            "{e}"
        );
    }
}
