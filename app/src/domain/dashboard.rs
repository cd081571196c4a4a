//! The teacher's dashboard: progress per domain, a next step drawn from their own ratings, and
//! the growth chart (baseline against now, per competency). Built by a pure function from what
//! the database holds, so every rule here is unit-tested without one.

use crate::domain::assessment::SubmissionStatus;
use crate::domain::rating::Level;
use serde::{Deserialize, Serialize};

/// Progress in one domain of the framework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainProgress {
    /// Domain slug.
    pub slug: String,
    /// Domain title.
    pub title: String,
    /// Units marked done.
    pub units_done: u32,
    /// Units in the domain.
    pub units_total: u32,
    /// Indicators with a current (or baseline) rating.
    pub indicators_rated: u32,
    /// Indicators in the domain.
    pub indicators_total: u32,
    /// Competencies judged Competent by an assessor.
    pub competencies_validated: u32,
    /// Competencies in the domain.
    pub competencies_total: u32,
}

/// One competency's line on the growth chart: mean levels (1 to 4) times 100, so the numbers
/// stay exact integers across the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthRow {
    /// Competency slug.
    pub slug: String,
    /// Competency title.
    pub title: String,
    /// Mean baseline level × 100, if any indicator has a baseline.
    pub baseline: Option<u32>,
    /// Mean level now × 100 (an indicator not re-rated counts at its baseline).
    pub current: Option<u32>,
    /// Indicators rated (either way).
    pub rated: u32,
    /// Indicators in the competency.
    pub total: u32,
}

/// A recommended unit and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    /// Unit slug.
    pub unit_slug: String,
    /// Unit title.
    pub unit_title: String,
    /// Reading time.
    pub minutes: u32,
    /// The competency it belongs to.
    pub competency_title: String,
    /// Why it is recommended, in the teacher's terms.
    pub reason: String,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Framework slug.
    pub framework_slug: String,
    /// Framework title.
    pub framework_title: String,
    /// Per domain, in framework order.
    pub domains: Vec<DomainProgress>,
    /// Per competency, in framework order.
    pub growth: Vec<GrowthRow>,
    /// Up to three recommended units.
    pub next_steps: Vec<NextStep>,
    /// Indicators with a baseline rating.
    pub baseline_rated: u32,
    /// Indicators in the framework.
    pub indicators_total: u32,
    /// The first competency whose baseline is incomplete, to continue from.
    pub baseline_next: Option<String>,
    /// Per competency, in framework order: where the teacher's evidence stands.
    pub evidence: Vec<EvidenceStatus>,
}

/// Where a teacher's evidence for one competency stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceStatus {
    /// Competency slug.
    pub slug: String,
    /// Competency title.
    pub title: String,
    /// The latest attempt's status; `None`: not started.
    pub status: Option<SubmissionStatus>,
    /// A decision the teacher has not opened yet: `Some(true)` Competent, `Some(false)` Not yet.
    pub new_decision: Option<bool>,
    /// The public id of the live badge of this competency's domain, once earned
    /// (`/credentials/<id>`).
    pub badge: Option<String>,
}

/// A competency as loaded.
#[derive(Clone, Debug)]
pub struct CompetencyIn {
    /// Database id.
    pub id: i64,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Its domain's slug.
    pub domain_slug: String,
    /// Its domain's title.
    pub domain_title: String,
    /// Where this teacher's evidence for it stands (latest attempt), if started.
    pub evidence: Option<SubmissionStatus>,
    /// A decision on it the teacher has not opened yet (`true`: Competent).
    pub new_decision: Option<bool>,
    /// The public id of the teacher's live badge for its domain, if issued.
    pub badge: Option<String>,
}

/// A unit as loaded.
#[derive(Clone, Debug)]
pub struct UnitIn {
    /// Its competency's id.
    pub competency_id: i64,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Reading time.
    pub minutes: u32,
    /// Indicator slugs it helps with.
    pub indicators: Vec<String>,
    /// Marked done by this teacher.
    pub done: bool,
}

/// An indicator with this teacher's ratings.
#[derive(Clone, Debug)]
pub struct IndicatorIn {
    /// Its competency's id.
    pub competency_id: i64,
    /// Slug.
    pub slug: String,
    /// Text.
    pub text: String,
    /// Baseline rating.
    pub baseline: Option<Level>,
    /// Current rating.
    pub current: Option<Level>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn mean_hundredths(levels: &[Level]) -> Option<u32> {
    if levels.is_empty() {
        return None;
    }
    let sum: i64 = levels.iter().map(|l| l.value()).sum();
    let n = i64::try_from(levels.len()).unwrap_or(i64::MAX);
    // Rounded to the nearest hundredth.
    u32::try_from((sum * 200 + n) / (2 * n)).ok()
}

/// Builds the dashboard. Inputs are in framework order.
pub fn build(
    framework_slug: &str,
    framework_title: &str,
    competencies: &[CompetencyIn],
    units: &[UnitIn],
    indicators: &[IndicatorIn],
) -> Dashboard {
    let mut domains: Vec<DomainProgress> = Vec::new();
    let mut growth = Vec::new();
    let mut baseline_next = None;
    for c in competencies {
        let its_units: Vec<&UnitIn> = units.iter().filter(|u| u.competency_id == c.id).collect();
        let its_indicators: Vec<&IndicatorIn> = indicators
            .iter()
            .filter(|i| i.competency_id == c.id)
            .collect();
        let baselines: Vec<Level> = its_indicators.iter().filter_map(|i| i.baseline).collect();
        let nows: Vec<Level> = its_indicators
            .iter()
            .filter_map(|i| i.current.or(i.baseline))
            .collect();
        if baseline_next.is_none() && baselines.len() < its_indicators.len() {
            baseline_next = Some(c.slug.clone());
        }
        growth.push(GrowthRow {
            slug: c.slug.clone(),
            title: c.title.clone(),
            baseline: mean_hundredths(&baselines),
            current: mean_hundredths(&nows),
            rated: count(nows.len()),
            total: count(its_indicators.len()),
        });
        let d = match domains.iter_mut().find(|d| d.slug == c.domain_slug) {
            Some(d) => d,
            None => {
                domains.push(DomainProgress {
                    slug: c.domain_slug.clone(),
                    title: c.domain_title.clone(),
                    units_done: 0,
                    units_total: 0,
                    indicators_rated: 0,
                    indicators_total: 0,
                    competencies_validated: 0,
                    competencies_total: 0,
                });
                let last = domains.len() - 1;
                &mut domains[last]
            }
        };
        d.units_done += count(its_units.iter().filter(|u| u.done).count());
        d.units_total += count(its_units.len());
        d.indicators_rated += count(nows.len());
        d.indicators_total += count(its_indicators.len());
        d.competencies_validated += u32::from(c.evidence == Some(SubmissionStatus::Competent));
        d.competencies_total += 1;
    }
    Dashboard {
        framework_slug: framework_slug.to_owned(),
        framework_title: framework_title.to_owned(),
        domains,
        growth,
        next_steps: next_steps(competencies, units, indicators),
        baseline_rated: count(indicators.iter().filter(|i| i.baseline.is_some()).count()),
        indicators_total: count(indicators.len()),
        baseline_next,
        evidence: competencies
            .iter()
            .map(|c| EvidenceStatus {
                slug: c.slug.clone(),
                title: c.title.clone(),
                status: c.evidence,
                new_decision: c.new_decision,
                badge: c.badge.clone(),
            })
            .collect(),
    }
}

/// Up to three units: first for the indicators rated lowest (below Demonstrating), saying so;
/// then, if room is left, the next units of the course not yet done.
fn next_steps(
    competencies: &[CompetencyIn],
    units: &[UnitIn],
    indicators: &[IndicatorIn],
) -> Vec<NextStep> {
    const MAX: usize = 3;
    let title_of = |id: i64| {
        competencies
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
            .unwrap_or_default()
    };
    let mut rated: Vec<(usize, &IndicatorIn, Level)> = indicators
        .iter()
        .enumerate()
        .filter_map(|(n, i)| i.current.or(i.baseline).map(|l| (n, i, l)))
        .filter(|(_, _, l)| *l < Level::Demonstrating)
        .collect();
    // Lowest first; among equals, framework order.
    rated.sort_by_key(|(n, _, l)| (*l, *n));
    let mut steps: Vec<NextStep> = Vec::new();
    for (_, indicator, level) in rated {
        if steps.len() == MAX {
            break;
        }
        let pick = units
            .iter()
            .filter(|u| !u.done && !steps.iter().any(|s| s.unit_slug == u.slug))
            .find(|u| u.indicators.contains(&indicator.slug))
            .or_else(|| {
                units.iter().find(|u| {
                    !u.done
                        && u.competency_id == indicator.competency_id
                        && !steps.iter().any(|s| s.unit_slug == u.slug)
                })
            });
        if let Some(u) = pick {
            steps.push(NextStep {
                unit_slug: u.slug.clone(),
                unit_title: u.title.clone(),
                minutes: u.minutes,
                competency_title: title_of(u.competency_id),
                reason: crate::i18n::k::labels::next_because(
                    indicator.text.trim_end_matches('.'),
                    level.label(),
                ),
            });
        }
    }
    for u in units.iter().filter(|u| !u.done) {
        if steps.len() == MAX {
            break;
        }
        if steps.iter().any(|s| s.unit_slug == u.slug) {
            continue;
        }
        steps.push(NextStep {
            unit_slug: u.slug.clone(),
            unit_title: u.title.clone(),
            minutes: u.minutes,
            competency_title: title_of(u.competency_id),
            reason: crate::t!(labels.next_in_course).to_owned(),
        });
    }
    steps
}

/// `2.75` for 275.
pub fn hundredths(v: u32) -> String {
    format!(
        "{}{}{:02}",
        v / 100,
        crate::i18n::decimal_separator(),
        v % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(id: i64, slug: &str, domain: &str) -> CompetencyIn {
        CompetencyIn {
            id,
            slug: slug.into(),
            title: slug.to_uppercase(),
            domain_slug: domain.into(),
            domain_title: domain.to_uppercase(),
            evidence: None,
            new_decision: None,
            badge: None,
        }
    }

    fn unit(c: i64, slug: &str, indicators: &[&str], done: bool) -> UnitIn {
        UnitIn {
            competency_id: c,
            slug: slug.into(),
            title: format!("Unit {slug}"),
            minutes: 5,
            indicators: indicators.iter().map(|s| (*s).to_owned()).collect(),
            done,
        }
    }

    fn ind(c: i64, slug: &str, baseline: Option<Level>, current: Option<Level>) -> IndicatorIn {
        IndicatorIn {
            competency_id: c,
            slug: slug.into(),
            text: format!("Does {slug}."),
            baseline,
            current,
        }
    }

    #[test]
    fn only_competent_evidence_counts_as_validated() {
        let mut comps = vec![comp(1, "a", "d1"), comp(2, "b", "d1"), comp(3, "c", "d1")];
        comps[0].evidence = Some(SubmissionStatus::Competent);
        comps[1].evidence = Some(SubmissionStatus::Submitted);
        let d = build("f", "F", &comps, &[], &[]);
        assert_eq!(d.domains[0].competencies_validated, 1);
        assert_eq!(d.domains[0].competencies_total, 3);
        let statuses: Vec<_> = d.evidence.iter().map(|e| e.status).collect();
        assert_eq!(
            statuses,
            vec![
                Some(SubmissionStatus::Competent),
                Some(SubmissionStatus::Submitted),
                None
            ]
        );
    }

    #[test]
    fn progress_is_counted_per_domain_in_order() {
        let comps = [comp(1, "a", "d1"), comp(2, "b", "d1"), comp(3, "c", "d2")];
        let units = [
            unit(1, "u1", &[], true),
            unit(2, "u2", &[], false),
            unit(3, "u3", &[], true),
        ];
        let inds = [
            ind(1, "i1", Some(Level::Emerging), None),
            ind(2, "i2", None, None),
            ind(3, "i3", None, Some(Level::Developing)),
        ];
        let d = build("mcf", "MCF", &comps, &units, &inds);
        assert_eq!(d.domains.len(), 2);
        assert_eq!(d.domains[0].slug, "d1");
        assert_eq!((d.domains[0].units_done, d.domains[0].units_total), (1, 2));
        assert_eq!(
            (d.domains[0].indicators_rated, d.domains[0].indicators_total),
            (1, 2)
        );
        assert_eq!(d.domains[0].competencies_total, 2);
        assert_eq!((d.domains[1].units_done, d.domains[1].units_total), (1, 1));
        assert_eq!(d.baseline_rated, 1);
        assert_eq!(d.baseline_next.as_deref(), Some("b"));
    }

    #[test]
    fn growth_compares_baseline_with_now_and_counts_unrated_at_baseline() {
        let comps = [comp(1, "a", "d1")];
        let inds = [
            ind(1, "i1", Some(Level::NotYet), Some(Level::Developing)),
            ind(1, "i2", Some(Level::Emerging), None),
            ind(1, "i3", None, None),
        ];
        let d = build("mcf", "MCF", &comps, &[], &inds);
        let row = &d.growth[0];
        assert_eq!(row.baseline, Some(150)); // (1 + 2) / 2
        assert_eq!(row.current, Some(250)); // (3 + 2) / 2
        assert_eq!((row.rated, row.total), (2, 3));
        assert_eq!(hundredths(250), "2.50");
        assert_eq!(
            mean_hundredths(&[Level::NotYet, Level::NotYet, Level::Emerging]),
            Some(133)
        );
        assert_eq!(mean_hundredths(&[]), None);
    }

    #[test]
    fn next_steps_follow_the_lowest_ratings_and_say_why() {
        let comps = [comp(1, "a", "d1"), comp(2, "b", "d1")];
        let units = [
            unit(1, "about-i1", &["i1"], false),
            unit(2, "about-i2", &["i2"], false),
            unit(2, "about-i3-done", &["i3"], true),
            unit(2, "more-b", &[], false),
        ];
        let inds = [
            ind(1, "i1", Some(Level::Developing), None),
            ind(2, "i2", Some(Level::Developing), Some(Level::Emerging)),
            ind(2, "i3", Some(Level::NotYet), None),
            ind(2, "i4", Some(Level::Demonstrating), None),
        ];
        let d = build("mcf", "MCF", &comps, &units, &inds);
        let slugs: Vec<&str> = d.next_steps.iter().map(|s| s.unit_slug.as_str()).collect();
        // i3 (Not yet): its own unit is done, so another unit of its competency; then i2
        // (Emerging); then i1 (Developing).
        assert_eq!(slugs, ["about-i2", "more-b", "about-i1"]);
        assert_eq!(
            d.next_steps[0].reason,
            "Because you rated “Does i3” as Not yet."
        );
        assert_eq!(
            d.next_steps[1].reason,
            "Because you rated “Does i2” as Emerging."
        );
    }

    #[test]
    fn without_ratings_the_course_order_is_the_next_step() {
        let comps = [comp(1, "a", "d1")];
        let units = [unit(1, "first", &[], true), unit(1, "second", &[], false)];
        let d = build("mcf", "MCF", &comps, &units, &[]);
        assert_eq!(d.next_steps.len(), 1);
        assert_eq!(d.next_steps[0].unit_slug, "second");
        assert_eq!(d.next_steps[0].reason, "Next in the course.");
    }
}
