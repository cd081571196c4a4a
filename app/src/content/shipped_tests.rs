//! Pins what the shipped content files must contain, as read from the source papers.

use super::load_frameworks;
use std::path::Path;

fn shipped() -> Vec<super::FrameworkContent> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/frameworks");
    match load_frameworks(&dir) {
        Ok(f) => f,
        Err(e) => panic!("shipped content must load: {e}"),
    }
}

#[test]
fn the_mcf_has_4_domains_7_competencies_and_38_indicators() {
    let all = shipped();
    let mcf = all
        .iter()
        .find(|f| f.slug.as_str() == "mcf")
        .expect("mcf.toml");
    assert!(mcf.is_default, "the MCF is the default framework");
    let domains: Vec<_> = mcf.domains.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(
        domains,
        [
            "Professional Identity",
            "Professional Knowledge and Skills",
            "Professional Relationships",
            "Professional Dispositions"
        ]
    );
    let per_domain: Vec<_> = mcf.domains.iter().map(|d| d.competencies.len()).collect();
    assert_eq!(per_domain, [1, 2, 3, 1]);
    // Tables 1-4 of the paper, competency by competency.
    let per_competency: Vec<_> = mcf
        .competencies()
        .map(|c| (c.slug.as_str(), c.indicators.len()))
        .collect();
    assert_eq!(
        per_competency,
        [
            ("specialized-development-of-self", 9),
            ("commitment-to-development", 5),
            ("innovation-and-creativity", 3),
            ("communication", 9),
            ("collaboration", 5),
            ("problem-solving", 4),
            ("effective-dispositions", 3),
        ]
    );
    assert_eq!(mcf.indicators().count(), 38);
}

#[test]
fn every_mcf_domain_charts_growth_through_critical_reflection() {
    let all = shipped();
    let mcf = all
        .iter()
        .find(|f| f.slug.as_str() == "mcf")
        .expect("mcf.toml");
    for d in &mcf.domains {
        let charts = d
            .competencies
            .iter()
            .flat_map(|c| &c.indicators)
            .any(|i| i.text.contains("growth/progression"));
        assert!(charts, "domain {} lacks its growth indicator", d.title);
    }
}

#[test]
fn pl2_has_13_competencies_in_five_smart_supports_with_their_ratings() {
    let all = shipped();
    let pl2 = all
        .iter()
        .find(|f| f.slug.as_str() == "pl2")
        .expect("pl2.toml");
    assert!(!pl2.is_default);
    let supports: Vec<_> = pl2
        .domains
        .iter()
        .map(|d| (d.title.as_str(), d.competencies.len()))
        .collect();
    assert_eq!(
        supports,
        [
            ("Social-emotional", 4),
            ("Math content", 2),
            ("Advocacy", 3),
            ("Relationships", 2),
            ("Technology tools", 2)
        ]
    );
    assert_eq!(pl2.competencies().count(), 13);
    let rating = |slug: &str| {
        pl2.competencies()
            .find(|c| c.slug.as_str() == slug)
            .and_then(|c| c.priority)
    };
    assert_eq!(rating("engage-and-motivate-students"), Some(3.7));
    assert_eq!(rating("understand-policies-and-norms"), Some(2.2));
    assert_eq!(rating("use-technology-effectively"), Some(3.0));
    let sum: f64 = pl2.competencies().filter_map(|c| c.priority).sum();
    // 3.7+3.5+3.5+3.5+3.4+3.4+3.3+3.1+3.0+2.9+2.7+2.5+2.2 from Table 1.
    assert!((sum - 40.7).abs() < 1e-9, "sum of ratings was {sum}");
}

#[test]
fn the_course_has_units_for_every_mcf_competency() {
    use crate::domain::unit::UnitKind;
    let frameworks = shipped();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/units");
    let loaded = match super::units::load_units(&dir, &frameworks) {
        Ok(u) => u,
        Err(e) => panic!("shipped units must load: {e}"),
    };
    let (_, units) = loaded
        .iter()
        .find(|(f, _)| f.as_str() == "mcf")
        .expect("mcf units");
    let mcf = frameworks
        .iter()
        .find(|f| f.slug.as_str() == "mcf")
        .expect("mcf");
    for competency in mcf.competencies() {
        let mine: Vec<_> = units
            .iter()
            .filter(|u| u.competency == competency.slug)
            .collect();
        assert!(
            mine.len() >= 2,
            "{} has {} units",
            competency.slug,
            mine.len()
        );
        assert!(
            mine.iter()
                .any(|u| u.kind == UnitKind::Reflection && u.prompt.is_some()),
            "{} lacks a reflection prompt",
            competency.slug
        );
    }
    for domain in &mcf.domains {
        let scenario = domain.competencies.iter().any(|c| {
            units.iter().any(|u| {
                u.competency == c.slug && u.kind == UnitKind::Scenario && u.considerations.is_some()
            })
        });
        assert!(scenario, "domain {} has no scenario", domain.title);
    }
}

#[test]
fn the_home_page_states_the_real_length_of_units() {
    let frameworks = shipped();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/units");
    let units = super::units::load_units(&dir, &frameworks).expect("shipped units load");
    let minutes: Vec<u32> = units
        .iter()
        .flat_map(|(_, u)| u.iter().map(|u| u.minutes))
        .collect();
    let (min, max) = (
        minutes.iter().min().copied().unwrap_or(0),
        minutes.iter().max().copied().unwrap_or(0),
    );
    let words = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let said = format!(
        "{} to {} minutes",
        words.get(min as usize).copied().unwrap_or("many"),
        words.get(max as usize).copied().unwrap_or("many")
    );
    let learn = crate::i18n::text_in(
        crate::domain::lang::Lang::En,
        crate::i18n::k::home::learn_text,
    );
    assert!(
        learn.contains(&said),
        "units take {min}–{max} minutes; the home page says: {learn}"
    );
}

#[test]
fn every_shipped_course_page_loads_and_the_mcf_course_is_complete() {
    use crate::domain::course::PageKind;
    let frameworks = shipped();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/course");
    let course = super::course::load_course(&dir, &frameworks).expect("shipped course pages load");
    let (_, pages) = course
        .iter()
        .find(|(f, _)| f.as_str() == "mcf")
        .expect("mcf course pages");
    let has = |slug: &str, kind: PageKind| {
        pages
            .iter()
            .any(|p| p.slug.as_str() == slug && p.kind == kind)
    };
    for slug in ["introduction", "writing-evidence"] {
        assert!(has(slug, PageKind::Guide), "guide {slug}");
    }
    for slug in [
        "first-meeting-checklist",
        "ground-rules-agreement",
        "session-planner",
        "problem-solving-worksheet",
        "safeguarding-card",
    ] {
        assert!(has(slug, PageKind::Tool), "tool {slug}");
    }
    for slug in ["glossary", "references"] {
        assert!(has(slug, PageKind::Reference), "reference {slug}");
    }
    // The introduction states the rule for Competent and the time from the live units.
    let intro = pages
        .iter()
        .find(|p| p.slug.as_str() == "introduction")
        .expect("introduction");
    for placeholder in ["{{competent_rule}}", "{{total_hours}}"] {
        assert!(
            intro.body.contains(placeholder),
            "introduction uses {placeholder}"
        );
    }
    // The guide to writing evidence has a weak and a strong example for every domain.
    let guide = pages
        .iter()
        .find(|p| p.slug.as_str() == "writing-evidence")
        .expect("guide");
    let mcf = frameworks
        .iter()
        .find(|f| f.slug.as_str() == "mcf")
        .expect("mcf");
    for domain in &mcf.domains {
        assert!(
            guide.body.contains(&domain.title),
            "the guide covers {}",
            domain.title
        );
    }
    assert!(guide.body.to_lowercase().matches("weak").count() >= 4);
    assert!(guide.body.to_lowercase().matches("strong").count() >= 4);
    // The safeguarding card says what to do when the lead cannot be reached.
    let card = pages
        .iter()
        .find(|p| p.slug.as_str() == "safeguarding-card")
        .expect("card");
    assert!(
        card.body.to_lowercase().contains("cannot be reached"),
        "card covers an unreachable lead"
    );
}

#[test]
fn every_text_of_the_course_exists_in_both_languages() {
    use crate::domain::lang::Lang;
    let frameworks = shipped();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let units = super::units::load_units(&root.join("units"), &frameworks).expect("units");
    let course = super::course::load_course(&root.join("course"), &frameworks).expect("course");
    let all = super::translation::load_all(&root, &frameworks, &units, &course)
        .expect("shipped translations load and match their originals");
    for framework in &frameworks {
        let fr = all
            .iter()
            .find(|t| t.framework == framework.slug.as_str() && t.lang == Lang::Fr)
            .unwrap_or_else(|| panic!("{} has no French translation", framework.slug));
        let has = |kind: &str, slug: &str, field: &str| {
            fr.texts
                .iter()
                .any(|t| t.kind == kind && t.slug == slug && t.field == field)
        };
        for i in framework.indicators() {
            assert!(
                has("indicator", i.slug.as_str(), "text"),
                "indicator {}",
                i.slug
            );
        }
        for (_, list) in units.iter().filter(|(f, _)| *f == framework.slug) {
            for u in list {
                for field in ["title", "summary", "body"] {
                    assert!(
                        has("unit", u.slug.as_str(), field),
                        "unit {} {field}",
                        u.slug
                    );
                }
                assert_eq!(
                    has("unit", u.slug.as_str(), "prompt"),
                    u.prompt.is_some(),
                    "unit {} prompt",
                    u.slug
                );
                assert_eq!(
                    has("unit", u.slug.as_str(), "considerations"),
                    u.considerations.is_some(),
                    "unit {} considerations",
                    u.slug
                );
            }
        }
        for (_, list) in course.iter().filter(|(f, _)| *f == framework.slug) {
            for p in list {
                for field in ["title", "summary", "body"] {
                    assert!(
                        has("page", p.slug.as_str(), field),
                        "page {} {field}",
                        p.slug
                    );
                }
                // The same placeholders, so the French page states the same live figures.
                let body = fr
                    .texts
                    .iter()
                    .find(|t| t.kind == "page" && t.slug == p.slug.as_str() && t.field == "body")
                    .map(|t| t.text.as_str())
                    .unwrap_or_default();
                let names = |s: &str| {
                    let mut v: Vec<String> = crate::domain::course::placeholders_in(s)
                        .into_iter()
                        .map(|x| x.name.to_owned())
                        .collect();
                    v.sort();
                    v
                };
                assert_eq!(names(body), names(&p.body), "page {} placeholders", p.slug);
            }
        }
    }
}
