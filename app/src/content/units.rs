//! Micro-learning units as Markdown files with TOML front matter:
//! `content/units/<framework>/<competency>/<NN>-<slug>.md`.
//!
//! ```text
//! +++
//! slug = "listening-and-asking-better-questions"
//! title = "Listening well and asking better questions"
//! kind = "reading"            # reading | scenario | reflection
//! minutes = 3
//! order = 1
//! indicators = ["active-listening"]
//! summary = "One sentence for lists."
//! prompt = "…?"               # reflection units only
//! +++
//! Markdown body. A scenario has one line `<!-- considerations -->`: what follows it is shown
//! only after the teacher has written their own answer.
//! ```

use super::{ContentError, FrameworkContent};
use crate::domain::slug::Slug;
use crate::domain::unit::UnitKind;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The line that separates a scenario's situation from its considerations.
pub const CONSIDERATIONS_MARKER: &str = "<!-- considerations -->";

/// A validated unit, ready to import.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitContent {
    /// Stable id, unique within the framework.
    pub slug: Slug,
    /// The competency it belongs to.
    pub competency: Slug,
    /// Title.
    pub title: String,
    /// Reading, scenario or reflection.
    pub kind: UnitKind,
    /// Minutes to complete.
    pub minutes: u32,
    /// Order within the competency.
    pub order: u32,
    /// Indicators of the competency it helps with.
    pub indicators: Vec<Slug>,
    /// One sentence for lists.
    pub summary: String,
    /// The reflection prompt (reflection units).
    pub prompt: Option<String>,
    /// Markdown shown first (for a scenario: the situation and the question).
    pub body: String,
    /// Markdown shown after answering (scenarios only).
    pub considerations: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: Spanned<String>,
    title: Spanned<String>,
    kind: Spanned<String>,
    minutes: Spanned<i64>,
    order: Spanned<i64>,
    indicators: Vec<Spanned<String>>,
    summary: Spanned<String>,
    prompt: Option<Spanned<String>>,
}

/// Parses one unit file. `competency` is the folder it sits in; `indicators` are that
/// competency's indicator slugs.
pub fn parse_unit(
    file: &Path,
    text: &str,
    competency: &Slug,
    indicators: &HashSet<&str>,
) -> Result<UnitContent, ContentError> {
    let err = |offset: usize, msg: String| ContentError::at(file, text, offset, msg);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(|| {
            err(
                0,
                "a unit must start with a line `+++` opening its front matter".into(),
            )
        })?;
    let fm_start = text.len() - rest.len();
    let close = rest
        .find("\n+++\n")
        .or_else(|| rest.find("\n+++\r\n"))
        .or_else(|| rest.strip_suffix("\n+++").map(|s| s.len()))
        .ok_or_else(|| err(0, "the front matter is not closed by a line `+++`".into()))?;
    let front = &rest[..close + 1];
    let body_start = fm_start + close + 1 + "+++".len();
    let body = text
        .get(body_start..)
        .unwrap_or_default()
        .trim_start_matches(['\r', '\n']);

    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        let at = fm_start + e.span().map(|s| s.start).unwrap_or(0);
        err(at, e.message().trim().to_owned())
    })?;
    let at = |s: std::ops::Range<usize>| fm_start + s.start;

    let slug = Slug::parse(fm.slug.get_ref())
        .map_err(|e| err(at(fm.slug.span()), format!("unit slug {e}")))?;
    let kind = UnitKind::parse(fm.kind.get_ref()).ok_or_else(|| {
        err(
            at(fm.kind.span()),
            format!(
                "kind must be reading, scenario or reflection (found {:?})",
                fm.kind.get_ref()
            ),
        )
    })?;
    let minutes = u32::try_from(*fm.minutes.get_ref())
        .ok()
        .filter(|m| (1..=120).contains(m))
        .ok_or_else(|| {
            err(
                at(fm.minutes.span()),
                "minutes must be a whole number from 1 to 120".into(),
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
    let nonempty = |v: &Spanned<String>, what: &str, max: usize| -> Result<String, ContentError> {
        let t = v.get_ref().trim();
        if t.is_empty() || t.chars().count() > max {
            return Err(err(
                at(v.span()),
                format!("{what} must be 1 to {max} characters"),
            ));
        }
        Ok(t.to_owned())
    };
    let title = nonempty(&fm.title, "title", 200)?;
    let summary = nonempty(&fm.summary, "summary", 400)?;
    if fm.indicators.is_empty() {
        return Err(err(
            at(fm.slug.span()),
            "a unit needs at least one indicator".into(),
        ));
    }
    let mut unit_indicators = Vec::new();
    for i in &fm.indicators {
        if !indicators.contains(i.get_ref().as_str()) {
            return Err(err(
                at(i.span()),
                format!(
                    "indicator {:?} is not an indicator of competency {competency}",
                    i.get_ref()
                ),
            ));
        }
        unit_indicators.push(
            Slug::parse(i.get_ref())
                .map_err(|e| err(at(i.span()), format!("indicator slug {e}")))?,
        );
    }
    let prompt = match (&fm.prompt, kind) {
        (Some(p), UnitKind::Reflection) => Some(nonempty(p, "prompt", 300)?),
        (None, UnitKind::Reflection) => {
            return Err(err(
                at(fm.kind.span()),
                "a reflection unit needs a `prompt`".into(),
            ));
        }
        (Some(p), _) => {
            return Err(err(
                at(p.span()),
                "only reflection units have a `prompt`".into(),
            ))
        }
        (None, _) => None,
    };
    let markers = body
        .lines()
        .filter(|l| l.trim() == CONSIDERATIONS_MARKER)
        .count();
    let (body, considerations) = match (kind, markers) {
        (UnitKind::Scenario, 1) => {
            let (before, after) = body.split_once(CONSIDERATIONS_MARKER).unwrap_or((body, ""));
            (before.trim().to_owned(), Some(after.trim().to_owned()))
        }
        (UnitKind::Scenario, n) => {
            return Err(err(
                body_start,
                format!("a scenario needs exactly one line `{CONSIDERATIONS_MARKER}` (found {n})"),
            ));
        }
        (_, 0) => (body.trim().to_owned(), None),
        (_, _) => {
            return Err(err(
                body_start,
                format!("only scenarios have a `{CONSIDERATIONS_MARKER}` line"),
            ));
        }
    };
    if body.is_empty() || considerations.as_deref().is_some_and(str::is_empty) {
        return Err(err(body_start, "the unit's text must not be empty".into()));
    }
    Ok(UnitContent {
        slug,
        competency: competency.clone(),
        title,
        kind,
        minutes,
        order,
        indicators: unit_indicators,
        summary,
        prompt,
        body,
        considerations,
    })
}

/// Loads `dir/<framework>/<competency>/*.md` for every framework that has a folder, checking
/// the competency exists, slugs and orders are unique, and every competency of a framework with
/// units has a reflection prompt.
pub fn load_units(
    dir: &Path,
    frameworks: &[FrameworkContent],
) -> Result<Vec<(Slug, Vec<UnitContent>)>, ContentError> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for framework in frameworks {
        let fw_dir = dir.join(framework.slug.as_str());
        if !fw_dir.is_dir() {
            continue;
        }
        let mut units = Vec::new();
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        for folder in sorted_entries(&fw_dir)? {
            if !folder.is_dir() {
                continue;
            }
            let name = folder
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let Some(competency) = framework.competencies().find(|c| c.slug.as_str() == name)
            else {
                return Err(ContentError::whole_file(
                    &folder,
                    format!(
                        "there is no competency {name:?} in framework {}",
                        framework.slug
                    ),
                ));
            };
            let indicators: HashSet<&str> = competency
                .indicators
                .iter()
                .map(|i| i.slug.as_str())
                .collect();
            let mut orders: HashMap<u32, PathBuf> = HashMap::new();
            for file in sorted_entries(&folder)? {
                if file.extension().is_none_or(|x| x != "md") {
                    continue;
                }
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    ContentError::whole_file(&file, format!("cannot read the file: {e}"))
                })?;
                let unit = parse_unit(&file, &text, &competency.slug, &indicators)?;
                if let Some(other) = seen.insert(unit.slug.as_str().to_owned(), file.clone()) {
                    return Err(ContentError::whole_file(
                        &file,
                        format!(
                            "unit slug {:?} is already used by {}",
                            unit.slug.as_str(),
                            other.display()
                        ),
                    ));
                }
                if let Some(other) = orders.insert(unit.order, file.clone()) {
                    return Err(ContentError::whole_file(
                        &file,
                        format!(
                            "order {} is already used by {}",
                            unit.order,
                            other.display()
                        ),
                    ));
                }
                units.push(unit);
            }
        }
        for competency in framework.competencies() {
            let has_prompt = units
                .iter()
                .any(|u| u.competency == competency.slug && u.kind == UnitKind::Reflection);
            if !has_prompt {
                return Err(ContentError::whole_file(
                    &fw_dir,
                    format!("competency {} has no reflection unit (every competency needs a reflection prompt)", competency.slug),
                ));
            }
        }
        out.push((framework.slug.clone(), units));
    }
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, ContentError> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)
        .map_err(|e| ContentError::whole_file(dir, format!("cannot read the folder: {e}")))?
    {
        let entry = entry
            .map_err(|e| ContentError::whole_file(dir, format!("cannot list the folder: {e}")))?;
        entries.push(entry.path());
    }
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicators() -> HashSet<&'static str> {
        ["active-listening", "framing-questions"]
            .into_iter()
            .collect()
    }

    fn comp() -> Slug {
        Slug::parse("communication").expect("slug")
    }

    const READING: &str = "+++\nslug = \"listening\"\ntitle = \"Listening\"\nkind = \"reading\"\nminutes = 4\norder = 1\nindicators = [\"active-listening\"]\nsummary = \"About listening.\"\n+++\n\nListen first.\n";

    fn err(text: &str) -> String {
        match parse_unit(Path::new("u.md"), text, &comp(), &indicators()) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_reading_parses() {
        let u = parse_unit(Path::new("u.md"), READING, &comp(), &indicators()).expect("parses");
        assert_eq!(u.kind, UnitKind::Reading);
        assert_eq!(u.minutes, 4);
        assert_eq!(u.body, "Listen first.");
        assert_eq!(u.considerations, None);
    }

    #[test]
    fn a_scenario_splits_at_the_marker() {
        let text = READING.replace("kind = \"reading\"", "kind = \"scenario\"").replace(
            "Listen first.\n",
            "A situation.\n\n**What would you do?**\n\n<!-- considerations -->\n\nThings to weigh.\n",
        );
        let u = parse_unit(Path::new("u.md"), &text, &comp(), &indicators()).expect("parses");
        assert_eq!(u.body, "A situation.\n\n**What would you do?**");
        assert_eq!(u.considerations.as_deref(), Some("Things to weigh."));
        let no_marker = READING.replace("kind = \"reading\"", "kind = \"scenario\"");
        assert!(err(&no_marker).contains("exactly one line"));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            err(&READING.replace("minutes = 4", "minutes = 0")),
            "u.md:5:11: minutes must be a whole number from 1 to 120"
        );
        assert_eq!(
            err(&READING.replace("[\"active-listening\"]", "[\"teleporting\"]")),
            "u.md:7:15: indicator \"teleporting\" is not an indicator of competency communication"
        );
        assert!(
            err(&READING.replace("kind = \"reading\"", "kind = \"video\""))
                .starts_with("u.md:4:8: kind must be")
        );
        assert!(
            err(&READING.replace("kind = \"reading\"", "kind = \"reflection\""))
                .contains("needs a `prompt`")
        );
        assert!(err(&READING.replacen("+++\n", "", 1)).contains("must start with a line `+++`"));
        assert!(err(&READING.replace("summary", "sumary")).contains("unknown field `sumary`"));
    }
}
