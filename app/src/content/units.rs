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
    let (fm_start, front, body) = super::split_front_matter(file, text, "a unit")?;
    // Where the body begins: just after the closing `+++`.
    let body_start = fm_start + front.len() + "+++".len();

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
/// the competency exists, slugs and orders are unique, and the units meet [`check_course`].
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
                if file.extension().is_none_or(|x| x != "md")
                    || super::translation::language_of(&file)?.is_some()
                {
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
        check_course(framework, &units).map_err(|m| ContentError::whole_file(&fw_dir, m))?;
        out.push((framework.slug.clone(), units));
    }
    Ok(out)
}

/// The rules a framework's units must meet together, per competency: a competency with units
/// has a scenario (with considerations), a reflection unit (with its prompt) and every one of
/// its indicators named by at least one unit. With `complete_course = true` every competency
/// must have units; otherwise competencies without units are simply not in the course yet, so
/// a framework's units can be written a competency at a time. Errors list everything missing
/// for the first competency that falls short.
pub fn check_course(framework: &FrameworkContent, units: &[UnitContent]) -> Result<(), String> {
    for competency in framework.competencies() {
        let mine: Vec<&UnitContent> = units
            .iter()
            .filter(|u| u.competency == competency.slug)
            .collect();
        if mine.is_empty() {
            if framework.complete_course {
                return Err(format!(
                    "competency {} has no units (the framework says complete_course = true, so every competency needs a scenario, a reflection and units covering its indicators)",
                    competency.slug
                ));
            }
            continue;
        }
        let mut missing = Vec::new();
        if !mine
            .iter()
            .any(|u| u.kind == UnitKind::Scenario && u.considerations.is_some())
        {
            missing.push("a scenario unit".to_owned());
        }
        if !mine
            .iter()
            .any(|u| u.kind == UnitKind::Reflection && u.prompt.is_some())
        {
            missing.push("a reflection unit with a prompt".to_owned());
        }
        let uncovered: Vec<&str> = competency
            .indicators
            .iter()
            .map(|i| i.slug.as_str())
            .filter(|i| {
                !mine
                    .iter()
                    .any(|u| u.indicators.iter().any(|x| x.as_str() == *i))
            })
            .collect();
        if !uncovered.is_empty() {
            missing.push(format!(
                "a unit for each of the indicators {}",
                uncovered.join(", ")
            ));
        }
        if !missing.is_empty() {
            return Err(format!(
                "competency {} needs {}",
                competency.slug,
                missing.join("; ")
            ));
        }
    }
    Ok(())
}

pub(crate) fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, ContentError> {
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

    /// A unit of `competency` of the given kind naming `indicators`.
    fn unit(competency: &str, kind: UnitKind, indicators: &[&str], n: usize) -> UnitContent {
        UnitContent {
            slug: Slug::parse(&format!("u{n}")).expect("slug"),
            competency: Slug::parse(competency).expect("slug"),
            title: "T".into(),
            kind,
            minutes: 5,
            order: n as u32 + 1,
            indicators: indicators
                .iter()
                .map(|i| Slug::parse(i).expect("slug"))
                .collect(),
            summary: "S".into(),
            prompt: (kind == UnitKind::Reflection).then(|| "Why?".into()),
            body: "B".into(),
            considerations: (kind == UnitKind::Scenario).then(|| "C".into()),
        }
    }

    fn shipped_frameworks() -> Vec<FrameworkContent> {
        crate::content::load_frameworks(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/frameworks"),
        )
        .expect("shipped frameworks")
    }

    proptest::proptest! {
        /// For any set of units over one competency of a partial framework, the course is
        /// accepted exactly when the competency has a scenario, a reflection and every
        /// indicator covered; the error names what is missing.
        #[test]
        fn a_competency_with_units_needs_scenario_reflection_and_coverage(
            picks in proptest::collection::vec((0usize..3, proptest::collection::vec(proptest::bool::ANY, 8)), 1..6),
            which in 0usize..13,
        ) {
            let frameworks = shipped_frameworks();
            let pl2 = frameworks.iter().find(|f| f.slug.as_str() == "pl2").expect("pl2");
            proptest::prop_assume!(!pl2.complete_course);
            let competency = pl2.competencies().nth(which).expect("13 competencies");
            let slugs: Vec<&str> = competency.indicators.iter().map(|i| i.slug.as_str()).collect();
            let kinds = [UnitKind::Reading, UnitKind::Scenario, UnitKind::Reflection];
            let units: Vec<UnitContent> = picks
                .iter()
                .enumerate()
                .map(|(n, (k, named))| {
                    let chosen: Vec<&str> = slugs
                        .iter()
                        .zip(named)
                        .filter(|(_, on)| **on)
                        .map(|(s, _)| *s)
                        .collect();
                    unit(competency.slug.as_str(), kinds[*k], &chosen, n)
                })
                .collect();
            let has = |k: UnitKind| units.iter().any(|u| u.kind == k);
            let covered = slugs
                .iter()
                .all(|s| units.iter().any(|u| u.indicators.iter().any(|i| i.as_str() == *s)));
            let result = check_course(pl2, &units);
            let ok = has(UnitKind::Scenario) && has(UnitKind::Reflection) && covered;
            proptest::prop_assert_eq!(result.is_ok(), ok, "{:?}", result);
            if let Err(message) = result {
                proptest::prop_assert!(message.contains(competency.slug.as_str()));
                proptest::prop_assert_eq!(message.contains("a scenario unit"), !has(UnitKind::Scenario));
                proptest::prop_assert_eq!(message.contains("a reflection unit"), !has(UnitKind::Reflection));
                proptest::prop_assert_eq!(message.contains("indicators"), !covered);
            }
        }
    }

    #[test]
    fn a_partial_framework_gains_units_a_competency_at_a_time_and_a_complete_one_cannot() {
        let mut frameworks = shipped_frameworks();
        let pl2 = frameworks
            .iter_mut()
            .find(|f| f.slug.as_str() == "pl2")
            .expect("pl2");
        let first = pl2.competencies().next().expect("a competency").clone();
        let all: Vec<&str> = first.indicators.iter().map(|i| i.slug.as_str()).collect();
        let units = vec![
            unit(first.slug.as_str(), UnitKind::Scenario, &all, 0),
            unit(first.slug.as_str(), UnitKind::Reflection, &[], 1),
        ];
        assert_eq!(check_course(pl2, &[]), Ok(()), "no units yet is fine");
        assert_eq!(
            check_course(pl2, &units),
            Ok(()),
            "one competency done, twelve to come"
        );
        pl2.complete_course = true;
        let e = check_course(pl2, &units).expect_err("a complete course needs every competency");
        assert!(e.contains("has no units"), "{e}");
        let mcf = frameworks
            .iter()
            .find(|f| f.slug.as_str() == "mcf")
            .expect("mcf");
        assert!(mcf.complete_course, "the MCF course is published whole");
    }
}
