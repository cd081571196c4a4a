//! The shape of a competency framework as pages see it: domains > competencies > indicators.

use serde::{Deserialize, Serialize};

/// One framework in a list of frameworks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameworkSummary {
    /// Stable id used in URLs, e.g. `mcf`.
    pub slug: String,
    /// Full title.
    pub title: String,
    /// Short title, e.g. `MCF`.
    pub short_title: String,
    /// One-paragraph description.
    pub description: String,
    /// Whether this is the framework the course is built on.
    pub is_default: bool,
    /// Number of domains.
    pub domain_count: usize,
    /// Number of competencies.
    pub competency_count: usize,
    /// Number of indicators.
    pub indicator_count: usize,
}

/// A whole framework with its domains and competencies, without indicator texts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameworkView {
    /// Stable id used in URLs.
    pub slug: String,
    /// Full title.
    pub title: String,
    /// Short title.
    pub short_title: String,
    /// Version of the content file.
    pub version: String,
    /// One-paragraph description.
    pub description: String,
    /// Where the framework comes from, shown wherever it is reproduced.
    pub attribution: String,
    /// How many course pages (introduction, guides, tools, reference) it has.
    pub course_pages: usize,
    /// Domains in order.
    pub domains: Vec<DomainView>,
}

impl FrameworkView {
    /// Competencies across all domains.
    pub fn competency_count(&self) -> usize {
        self.domains.iter().map(|d| d.competencies.len()).sum()
    }

    /// Indicators across all competencies.
    pub fn indicator_count(&self) -> usize {
        self.domains
            .iter()
            .flat_map(|d| &d.competencies)
            .map(|c| c.indicator_count)
            .sum()
    }
}

/// A domain and its competencies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainView {
    /// Stable id.
    pub slug: String,
    /// Title, e.g. "Professional Identity".
    pub title: String,
    /// What the domain is about.
    pub summary: String,
    /// The summary is written for the course rather than quoted from the source.
    pub summary_adapted: bool,
    /// Competencies in order.
    pub competencies: Vec<CompetencySummary>,
}

/// A competency as listed on the framework page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetencySummary {
    /// Stable id.
    pub slug: String,
    /// Title.
    pub title: String,
    /// How many current (not retired) indicators it has.
    pub indicator_count: usize,
    /// A priority rating from a survey, where the framework has one (PL2: 1 = low to 4 = urgent).
    pub priority: Option<Priority>,
}

/// A competency with everything needed for its own page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetencyView {
    /// Framework slug.
    pub framework_slug: String,
    /// Framework short title, for breadcrumbs.
    pub framework_title: String,
    /// Attribution of the framework.
    pub attribution: String,
    /// Domain slug.
    pub domain_slug: String,
    /// Domain title.
    pub domain_title: String,
    /// Stable id.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description, one statement per entry.
    pub description: Vec<String>,
    /// The description paraphrases the source rather than quoting it.
    pub description_adapted: bool,
    /// A priority rating from a survey, where the framework has one.
    pub priority: Option<Priority>,
    /// Indicators in order.
    pub indicators: Vec<IndicatorView>,
    /// The competency before this one in the framework, as (slug, title).
    pub previous: Option<(String, String)>,
    /// The competency after this one in the framework, as (slug, title).
    pub next: Option<(String, String)>,
}

/// One indicator of a competency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    /// Stable id.
    pub slug: String,
    /// The indicator as the framework words it.
    pub text: String,
}

/// A survey priority rating, kept in whole hundredths (3.7 is 370) so no floating point crosses
/// the wire (float formatting alone would add kilobytes to the browser bundle).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Priority(pub u16);

impl Priority {
    /// The rating with one decimal, rounded half up: `370` is "3.7", `365` is "3.7".
    pub fn label(self) -> String {
        let tenths = (u32::from(self.0) + 5) / 10;
        format!(
            "{}{}{}",
            tenths / 10,
            crate::i18n::decimal_separator(),
            tenths % 10
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_labels_have_one_decimal() {
        assert_eq!(Priority(370).label(), "3.7");
        assert_eq!(Priority(300).label(), "3.0");
        assert_eq!(Priority(365).label(), "3.7");
        assert_eq!(Priority(0).label(), "0.0");
    }
}
