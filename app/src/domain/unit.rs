//! Micro-learning units as pages see them.

use serde::{Deserialize, Serialize};

/// What kind of unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    /// A short reading.
    Reading,
    /// A situation to answer in your own words, then considerations to compare with.
    Scenario,
    /// A reflection prompt for the journal.
    Reflection,
}

impl UnitKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reading => "reading",
            Self::Scenario => "scenario",
            Self::Reflection => "reflection",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Reading => crate::t!(labels.unit_reading),
            Self::Scenario => crate::t!(labels.unit_scenario),
            Self::Reflection => crate::t!(labels.unit_reflection),
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Reading, Self::Scenario, Self::Reflection]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A unit in a competency's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// Stable id.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: UnitKind,
    /// Minutes to complete.
    pub minutes: u32,
    /// One sentence.
    pub summary: String,
    /// Whether the signed-in teacher has marked it done.
    pub done: bool,
}

/// A unit with its text rendered to safe HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    /// Framework slug.
    pub framework_slug: String,
    /// Competency slug.
    pub competency_slug: String,
    /// Competency title.
    pub competency_title: String,
    /// The unit.
    pub summary: UnitSummary,
    /// Reflection prompt.
    pub prompt: Option<String>,
    /// Indicators it helps with, as (slug, text).
    pub indicators: Vec<(String, String)>,
    /// Body, sanitised HTML.
    pub body_html: String,
    /// Considerations (scenarios), sanitised HTML; sent only once the reader has answered.
    pub considerations_html: Option<String>,
    /// The scenario has considerations the reader will see after answering in their own words.
    pub considerations_locked: bool,
    /// The reader's journal entry answering this unit, if any.
    pub answer_entry: Option<i64>,
    /// That entry's text as sanitised HTML, rendered as the journal's preview renders it, to
    /// read beside the considerations (only ever the reader's own).
    pub answer_html: Option<String>,
    /// Previous and next unit of the competency, as (slug, title).
    pub previous: Option<(String, String)>,
    /// Next unit.
    pub next: Option<(String, String)>,
}
