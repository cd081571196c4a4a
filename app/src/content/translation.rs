//! Translations kept beside the original content (issue 18): `content/frameworks/<slug>.<lang>.toml`
//! for a framework's names, descriptions and indicators, `<NN>-<slug>.<lang>.md` beside a unit or
//! a course page. A translation is never a second framework or a second unit: it names the
//! original by slug, and every rating, submission and badge stays with the original.
//!
//! Every translated text becomes one [`Text`] (kind, slug, field, text), stored in one table and
//! laid over the original when a page is read in that language; anything untranslated shows
//! the original.

use super::{ContentError, FrameworkContent};
use crate::domain::lang::Lang;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// One translated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// `framework`, `domain`, `competency`, `indicator`, `unit` or `page`.
    pub kind: &'static str,
    /// The original's slug (the framework's own slug for `framework`).
    pub slug: String,
    /// The field: `title`, `short_title`, `summary`, `description`, `attribution`, `text`,
    /// `credential_name`, `credential_description`, `credential_criteria`, `prompt`, `body`,
    /// `considerations`.
    pub field: &'static str,
    /// The translation (Markdown for `body` and `considerations`; a competency's description
    /// statements joined by new lines, as the original is stored).
    pub text: String,
}

/// A framework's texts in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The framework translated.
    pub framework: String,
    /// The language.
    pub lang: Lang,
    /// The texts.
    pub texts: Vec<Text>,
}

/// The language of a translation file, from its name: `mcf.fr.toml` and `01-x.fr.md` are
/// French; `mcf.toml`, `01-x.md` are originals (`None`). Errors name a suffix that looks like a
/// language tag but is not one we speak.
pub fn language_of(file: &Path) -> Result<Option<Lang>, ContentError> {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match stem.rsplit_once('.') {
        None => Ok(None),
        Some((_, tag)) => match Lang::parse(tag).filter(|l| l.is_translation() && tag.len() == 2) {
            Some(lang) => Ok(Some(lang)),
            None => Err(ContentError::whole_file(
                file,
                format!(
                    "{tag:?} is not a language of the course: name a translation <name>.fr.{}",
                    file.extension().and_then(|e| e.to_str()).unwrap_or("md")
                ),
            )),
        },
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranslation {
    translation_of: String,
    language: String,
    title: String,
    short_title: String,
    description: String,
    attribution: String,
    credential: Option<RawCredential>,
    #[serde(default)]
    domains: BTreeMap<String, RawDomain>,
    #[serde(default)]
    competencies: BTreeMap<String, RawCompetency>,
    #[serde(default)]
    indicators: BTreeMap<String, RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredential {
    name: String,
    description: String,
    criteria: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    title: String,
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompetency {
    title: String,
    description: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    text: String,
}

fn nonempty(file: &Path, what: &str, value: &str) -> Result<String, ContentError> {
    let t = value.trim();
    if t.is_empty() {
        return Err(ContentError::whole_file(file, format!("{what} is empty")));
    }
    Ok(t.to_owned())
}

/// Parses a framework translation and checks it against its original: the same domains,
/// competencies and indicators (none missing, none unknown), as many description statements
/// per competency, the language its file name gives.
pub fn parse_framework_translation(
    file: &Path,
    text: &str,
    lang: Lang,
    frameworks: &[FrameworkContent],
) -> Result<Translation, ContentError> {
    let raw: RawTranslation = toml::from_str(text).map_err(|e| {
        ContentError::at(
            file,
            text,
            e.span().map(|s| s.start).unwrap_or(0),
            e.message().trim().to_owned(),
        )
    })?;
    let whole = |m: String| ContentError::whole_file(file, m);
    if Lang::parse(&raw.language) != Some(lang) {
        return Err(whole(format!(
            "language = {:?} but the file name says {}",
            raw.language,
            lang.as_str()
        )));
    }
    let original = frameworks
        .iter()
        .find(|f| f.slug.as_str() == raw.translation_of)
        .ok_or_else(|| {
            whole(format!(
                "there is no framework {:?} to translate",
                raw.translation_of
            ))
        })?;
    let slug = original.slug.as_str().to_owned();
    let mut texts = Vec::new();
    let mut push =
        |kind: &'static str, slug: &str, field: &'static str, value: &str, what: &str| {
            nonempty(file, what, value).map(|t| {
                texts.push(Text {
                    kind,
                    slug: slug.to_owned(),
                    field,
                    text: t,
                })
            })
        };
    push("framework", &slug, "title", &raw.title, "title")?;
    push(
        "framework",
        &slug,
        "short_title",
        &raw.short_title,
        "short_title",
    )?;
    push(
        "framework",
        &slug,
        "description",
        &raw.description,
        "description",
    )?;
    push(
        "framework",
        &slug,
        "attribution",
        &raw.attribution,
        "attribution",
    )?;
    match (&raw.credential, &original.credential) {
        (Some(c), Some(_)) => {
            push(
                "framework",
                &slug,
                "credential_name",
                &c.name,
                "credential name",
            )?;
            push(
                "framework",
                &slug,
                "credential_description",
                &c.description,
                "credential description",
            )?;
            push(
                "framework",
                &slug,
                "credential_criteria",
                &c.criteria,
                "credential criteria",
            )?;
        }
        (None, None) => {}
        (None, Some(_)) => {
            return Err(whole(
                "the original has a [credential]: translate it too".into(),
            ))
        }
        (Some(_), None) => {
            return Err(whole(
                "the original has no [credential] to translate".into(),
            ))
        }
    }
    // Same keys both ways: every original item translated, no translation of nothing.
    let check = |kind: &str, given: HashSet<&str>, expected: HashSet<&str>| {
        let mut missing: Vec<&str> = expected.difference(&given).copied().collect();
        let mut unknown: Vec<&str> = given.difference(&expected).copied().collect();
        missing.sort_unstable();
        unknown.sort_unstable();
        if missing.is_empty() && unknown.is_empty() {
            Ok(())
        } else {
            Err(whole(format!(
                "{kind}: not translated {missing:?}; not in the original {unknown:?}"
            )))
        }
    };
    check(
        "domains",
        raw.domains.keys().map(String::as_str).collect(),
        original.domains.iter().map(|d| d.slug.as_str()).collect(),
    )?;
    check(
        "competencies",
        raw.competencies.keys().map(String::as_str).collect(),
        original.competencies().map(|c| c.slug.as_str()).collect(),
    )?;
    check(
        "indicators",
        raw.indicators.keys().map(String::as_str).collect(),
        original.indicators().map(|i| i.slug.as_str()).collect(),
    )?;
    for (slug, d) in &raw.domains {
        push("domain", slug, "title", &d.title, "a domain title")?;
        push("domain", slug, "summary", &d.summary, "a domain summary")?;
    }
    for c in original.competencies() {
        let Some(t) = raw.competencies.get(c.slug.as_str()) else {
            continue;
        };
        if t.description.len() != c.description.len() {
            return Err(whole(format!(
                "competency {}: {} description statements, the original has {}",
                c.slug,
                t.description.len(),
                c.description.len()
            )));
        }
        push(
            "competency",
            c.slug.as_str(),
            "title",
            &t.title,
            "a competency title",
        )?;
        let statements = t
            .description
            .iter()
            .map(|s| nonempty(file, "a description statement", s))
            .collect::<Result<Vec<_>, _>>()?;
        push(
            "competency",
            c.slug.as_str(),
            "description",
            &statements.join("\n"),
            "a description",
        )?;
    }
    for (slug, i) in &raw.indicators {
        push("indicator", slug, "text", &i.text, "an indicator")?;
    }
    Ok(Translation {
        framework: slug,
        lang,
        texts,
    })
}

/// Every `<slug>.<lang>.toml` of the frameworks folder, checked against its original.
pub fn load_framework_translations(
    dir: &Path,
    frameworks: &[FrameworkContent],
) -> Result<Vec<Translation>, ContentError> {
    let mut out = Vec::new();
    for file in super::units::sorted_entries(dir)? {
        if file.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let Some(lang) = language_of(&file)? else {
            continue;
        };
        let text = std::fs::read_to_string(&file)
            .map_err(|e| ContentError::whole_file(&file, format!("cannot read the file: {e}")))?;
        let t = parse_framework_translation(&file, &text, lang, frameworks)?;
        if out
            .iter()
            .any(|o: &Translation| o.framework == t.framework && o.lang == t.lang)
        {
            return Err(ContentError::whole_file(
                &file,
                format!(
                    "{} already has a {} translation",
                    t.framework,
                    lang.as_str()
                ),
            ));
        }
        out.push(t);
    }
    Ok(out)
}

/// The front matter of a unit's or a course page's translation: the original's slug and the
/// translated one-line texts (a reflection's prompt too). Kind, minutes, order and indicators
/// are the original's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocTranslation {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub prompt: Option<String>,
}

/// Parses a `.<lang>.md` translation's front matter and body.
pub(crate) fn parse_doc_translation(
    file: &Path,
    text: &str,
    what: &str,
) -> Result<(RawDocTranslation, String), ContentError> {
    let (fm_start, front, body) = super::split_front_matter(file, text, what)?;
    let raw: RawDocTranslation = toml::from_str(front).map_err(|e| {
        ContentError::at(
            file,
            text,
            fm_start + e.span().map(|s| s.start).unwrap_or(0),
            e.message().trim().to_owned(),
        )
    })?;
    nonempty(file, "title", &raw.title)?;
    nonempty(file, "summary", &raw.summary)?;
    if body.trim().is_empty() {
        return Err(ContentError::whole_file(
            file,
            "the translation has no text",
        ));
    }
    Ok((raw, body.to_owned()))
}

/// An original unit or course page, as its translations are checked against it.
#[derive(Debug, Clone)]
pub struct Original {
    /// Its slug.
    pub slug: String,
    /// A scenario: its translation splits at the considerations line too.
    pub scenario: bool,
    /// A reflection with a prompt: its translation translates the prompt.
    pub prompt: bool,
}

/// Per framework slug, its originals.
pub type Originals = Vec<(String, Vec<Original>)>;

/// Every `<NN>-<slug>.<lang>.md` beside a framework's units (`dir/<framework>/<competency>/`)
/// or course pages (`dir/<framework>/`, `nested = false`), matched to its original by slug.
/// `originals` gives, per framework, each original's slug, whether it is a scenario (whose
/// translation must split at the considerations line too) and whether it has a prompt.
pub fn load_doc_translations(
    dir: &Path,
    kind: &'static str,
    nested: bool,
    originals: &Originals,
) -> Result<Vec<Translation>, ContentError> {
    use crate::content::units::CONSIDERATIONS_MARKER;
    let mut out: Vec<Translation> = Vec::new();
    for (framework, docs) in originals {
        let fw_dir = dir.join(framework);
        if !fw_dir.is_dir() {
            continue;
        }
        let folders = if nested {
            super::units::sorted_entries(&fw_dir)?
                .into_iter()
                .filter(|p| p.is_dir())
                .collect()
        } else {
            vec![fw_dir.clone()]
        };
        let mut seen: HashSet<(Lang, String)> = HashSet::new();
        for folder in folders {
            for file in super::units::sorted_entries(&folder)? {
                if file.extension().is_none_or(|x| x != "md") {
                    continue;
                }
                let Some(lang) = language_of(&file)? else {
                    continue;
                };
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    ContentError::whole_file(&file, format!("cannot read the file: {e}"))
                })?;
                let (raw, body) = parse_doc_translation(&file, &text, "a translation")?;
                let whole = |m: String| ContentError::whole_file(&file, m);
                let Some(Original {
                    scenario,
                    prompt: has_prompt,
                    ..
                }) = docs.iter().find(|o| o.slug == raw.slug)
                else {
                    return Err(whole(format!(
                        "there is no {kind} {:?} to translate",
                        raw.slug
                    )));
                };
                if !seen.insert((lang, raw.slug.clone())) {
                    return Err(whole(format!("{kind} {:?} is translated twice", raw.slug)));
                }
                if raw.prompt.is_some() != *has_prompt {
                    return Err(whole(if *has_prompt {
                        "the original has a prompt: translate it too".to_owned()
                    } else {
                        "only a reflection's translation has a prompt".to_owned()
                    }));
                }
                let markers = body
                    .lines()
                    .filter(|l| l.trim() == CONSIDERATIONS_MARKER)
                    .count();
                let (main, considerations) = match (*scenario, markers) {
                    (true, 1) => {
                        let (a, b) = body
                            .split_once(CONSIDERATIONS_MARKER)
                            .unwrap_or((&body, ""));
                        (a.trim().to_owned(), Some(b.trim().to_owned()))
                    }
                    (false, 0) => (body.trim().to_owned(), None),
                    (_, n) => {
                        return Err(whole(format!(
                            "{n} lines `{CONSIDERATIONS_MARKER}`; the original has {}",
                            u8::from(*scenario)
                        )))
                    }
                };
                let mut texts = vec![
                    Text {
                        kind,
                        slug: raw.slug.clone(),
                        field: "title",
                        text: raw.title.trim().to_owned(),
                    },
                    Text {
                        kind,
                        slug: raw.slug.clone(),
                        field: "summary",
                        text: raw.summary.trim().to_owned(),
                    },
                    Text {
                        kind,
                        slug: raw.slug.clone(),
                        field: "body",
                        text: main,
                    },
                ];
                if let Some(p) = raw.prompt {
                    texts.push(Text {
                        kind,
                        slug: raw.slug.clone(),
                        field: "prompt",
                        text: nonempty(&file, "prompt", &p)?,
                    });
                }
                if let Some(c) = considerations {
                    texts.push(Text {
                        kind,
                        slug: raw.slug.clone(),
                        field: "considerations",
                        text: c,
                    });
                }
                match out
                    .iter_mut()
                    .find(|t| t.framework == *framework && t.lang == lang)
                {
                    Some(t) => t.texts.extend(texts),
                    None => out.push(Translation {
                        framework: framework.clone(),
                        lang,
                        texts,
                    }),
                }
            }
        }
    }
    Ok(out)
}

/// Every translation under `content_dir` (frameworks, units, course pages), each checked against
/// its original, gathered per framework and language.
pub fn load_all(
    content_dir: &Path,
    frameworks: &[FrameworkContent],
    units: &[(crate::domain::slug::Slug, Vec<super::units::UnitContent>)],
    course: &[(crate::domain::slug::Slug, Vec<super::course::PageContent>)],
) -> Result<Vec<Translation>, ContentError> {
    use crate::domain::unit::UnitKind;
    let mut all = load_framework_translations(&content_dir.join("frameworks"), frameworks)?;
    let unit_originals: Originals = units
        .iter()
        .map(|(f, us)| {
            let docs = us
                .iter()
                .map(|u| Original {
                    slug: u.slug.as_str().to_owned(),
                    scenario: u.kind == UnitKind::Scenario,
                    prompt: u.prompt.is_some(),
                })
                .collect();
            (f.as_str().to_owned(), docs)
        })
        .collect();
    let page_originals: Originals = course
        .iter()
        .map(|(f, ps)| {
            let docs = ps
                .iter()
                .map(|p| Original {
                    slug: p.slug.as_str().to_owned(),
                    scenario: false,
                    prompt: false,
                })
                .collect();
            (f.as_str().to_owned(), docs)
        })
        .collect();
    let more = [
        load_doc_translations(&content_dir.join("units"), "unit", true, &unit_originals)?,
        load_doc_translations(&content_dir.join("course"), "page", false, &page_originals)?,
    ];
    for t in more.into_iter().flatten() {
        match all
            .iter_mut()
            .find(|x| x.framework == t.framework && x.lang == t.lang)
        {
            Some(x) => x.texts.extend(t.texts),
            None => all.push(t),
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<FrameworkContent> {
        super::super::load_frameworks(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/frameworks"),
        )
        .expect("shipped frameworks")
    }

    #[test]
    fn file_names_say_which_language() {
        assert_eq!(language_of(Path::new("mcf.toml")).expect("ok"), None);
        assert_eq!(
            language_of(Path::new("mcf.fr.toml")).expect("ok"),
            Some(Lang::Fr)
        );
        assert_eq!(
            language_of(Path::new("01-a.fr.md")).expect("ok"),
            Some(Lang::Fr)
        );
        assert!(language_of(Path::new("01-a.de.md")).is_err());
        assert!(
            language_of(Path::new("01-a.en.md")).is_err(),
            "English is the original"
        );
    }

    /// A translation of the shipped PL2 file with every key, built from the original.
    fn complete_pl2() -> String {
        let frameworks = shipped();
        let pl2 = frameworks
            .iter()
            .find(|f| f.slug.as_str() == "pl2")
            .expect("pl2");
        let mut s = String::from(
            "translation_of = \"pl2\"\nlanguage = \"fr\"\ntitle = \"T\"\nshort_title = \"S\"\ndescription = \"D\"\nattribution = \"A\"\n",
        );
        for d in &pl2.domains {
            s.push_str(&format!(
                "[domains.{}]\ntitle = \"T\"\nsummary = \"S\"\n",
                d.slug
            ));
        }
        for c in pl2.competencies() {
            let d: Vec<String> = c.description.iter().map(|_| "\"x\"".to_owned()).collect();
            s.push_str(&format!(
                "[competencies.{}]\ntitle = \"T\"\ndescription = [{}]\n",
                c.slug,
                d.join(", ")
            ));
        }
        for i in pl2.indicators() {
            s.push_str(&format!("[indicators.{}]\ntext = \"I\"\n", i.slug));
        }
        s
    }

    #[test]
    fn a_complete_translation_parses_and_any_missing_or_extra_key_is_named() {
        let frameworks = shipped();
        let file = Path::new("pl2.fr.toml");
        let full = complete_pl2();
        let t = parse_framework_translation(file, &full, Lang::Fr, &frameworks).expect("complete");
        let pl2 = frameworks
            .iter()
            .find(|f| f.slug.as_str() == "pl2")
            .expect("pl2");
        assert_eq!(
            t.texts.iter().filter(|x| x.kind == "indicator").count(),
            pl2.indicators().count()
        );
        // Drop each item's table in turn: each one is named as not translated.
        for i in pl2.indicators() {
            let header = format!("[indicators.{}]\ntext = \"I\"\n", i.slug);
            let without = full.replace(&header, "");
            let e = parse_framework_translation(file, &without, Lang::Fr, &frameworks)
                .expect_err("missing indicator");
            assert!(e.message.contains(i.slug.as_str()), "{e}");
        }
        let extra = format!("{full}[indicators.teleporting]\ntext = \"I\"\n");
        let e =
            parse_framework_translation(file, &extra, Lang::Fr, &frameworks).expect_err("extra");
        assert!(e.message.contains("teleporting"), "{e}");
        let wrong_lang = full.replace("language = \"fr\"", "language = \"en\"");
        assert!(parse_framework_translation(file, &wrong_lang, Lang::Fr, &frameworks).is_err());
        let first = pl2.competencies().next().expect("competency");
        let short = full.replace(
            &format!(
                "[competencies.{}]\ntitle = \"T\"\ndescription = [\"x\"]",
                first.slug
            ),
            &format!(
                "[competencies.{}]\ntitle = \"T\"\ndescription = [\"x\", \"y\"]",
                first.slug
            ),
        );
        let e = parse_framework_translation(file, &short, Lang::Fr, &frameworks)
            .expect_err("statements");
        assert!(e.message.contains("description statements"), "{e}");
    }
}
