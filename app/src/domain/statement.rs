//! The Learning Statement the teacher owns (after the IM-PRO-MENT model of validating learning):
//! the programme, their objectives and how they changed, what they did, their skills by
//! competency, their growth chart and their credentials. The teacher chooses every part that
//! goes in; only what is public anyway (the programme and the credentials) starts included.

use crate::domain::dashboard::GrowthRow;
use serde::{Deserialize, Serialize};

/// A part of the statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Part {
    /// What the programme is (from the course, not the teacher's).
    Programme,
    /// The objectives the teacher set out to reach.
    Objectives,
    /// How those objectives changed.
    Changes,
    /// What the teacher did, planned and emerging.
    Activities,
    /// Where each competency stands (assessment results).
    Competencies,
    /// Technical skills used or learned.
    TechnicalSkills,
    /// Social and self-appraisal skills.
    SocialSkills,
    /// The tasks the teacher now feels able to take on.
    Tasks,
    /// Self-ratings: baseline against now, per competency.
    Growth,
    /// Credentials with their verification links.
    Credentials,
}

impl Part {
    /// Every part, in the statement's order.
    pub const ALL: [Part; 10] = [
        Self::Programme,
        Self::Objectives,
        Self::Changes,
        Self::Activities,
        Self::Competencies,
        Self::TechnicalSkills,
        Self::SocialSkills,
        Self::Tasks,
        Self::Growth,
        Self::Credentials,
    ];

    /// Stable key (form fields, stored choice, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Programme => "programme",
            Self::Objectives => "objectives",
            Self::Changes => "changes",
            Self::Activities => "activities",
            Self::Competencies => "competencies",
            Self::TechnicalSkills => "technical_skills",
            Self::SocialSkills => "social_skills",
            Self::Tasks => "tasks",
            Self::Growth => "growth",
            Self::Credentials => "credentials",
        }
    }

    /// From its key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Programme => crate::t!(labels.statement_programme),
            Self::Objectives => crate::t!(labels.statement_objectives),
            Self::Changes => crate::t!(labels.statement_changes),
            Self::Activities => crate::t!(labels.statement_activities),
            Self::Competencies => crate::t!(labels.statement_competencies),
            Self::TechnicalSkills => crate::t!(labels.statement_technical_skills),
            Self::SocialSkills => crate::t!(labels.statement_social_skills),
            Self::Tasks => crate::t!(labels.statement_tasks),
            Self::Growth => crate::t!(labels.statement_growth),
            Self::Credentials => crate::t!(labels.statement_credentials),
        }
    }

    /// What to write (for the teacher's own parts).
    pub fn hint(self) -> &'static str {
        match self {
            Self::Objectives => crate::t!(labels.statement_objectives_hint),
            Self::Changes => crate::t!(labels.statement_changes_hint),
            Self::Activities => crate::t!(labels.statement_activities_hint),
            Self::TechnicalSkills => crate::t!(labels.statement_technical_skills_hint),
            Self::SocialSkills => crate::t!(labels.statement_social_skills_hint),
            Self::Tasks => crate::t!(labels.statement_tasks_hint),
            Self::Programme => crate::t!(labels.statement_programme_hint),
            Self::Competencies => crate::t!(labels.statement_competencies_hint),
            Self::Growth => crate::t!(labels.statement_growth_hint),
            Self::Credentials => crate::t!(labels.statement_credentials_hint),
        }
    }

    /// Whether the teacher writes it.
    pub fn written(self) -> bool {
        matches!(
            self,
            Self::Objectives
                | Self::Changes
                | Self::Activities
                | Self::TechnicalSkills
                | Self::SocialSkills
                | Self::Tasks
        )
    }

    /// Parts included until the teacher chooses: only what is public anyway.
    pub fn included_by_default(self) -> bool {
        matches!(self, Self::Programme | Self::Credentials)
    }
}

/// Longest text of one written part, in characters.
pub const TEXT_MAX: usize = 6_000;

/// Reads the stored choice (comma-separated keys); `None` (never saved) gives the defaults.
pub fn parse_included(stored: Option<&str>) -> Vec<Part> {
    match stored {
        None => Part::ALL
            .into_iter()
            .filter(|p| p.included_by_default())
            .collect(),
        Some(s) => Part::ALL
            .into_iter()
            .filter(|p| s.split(',').any(|k| k.trim() == p.key()))
            .collect(),
    }
}

/// The stored form of a choice.
pub fn store_included(parts: &[Part]) -> String {
    Part::ALL
        .into_iter()
        .filter(|p| parts.contains(p))
        .map(Part::key)
        .collect::<Vec<_>>()
        .join(",")
}

/// Where one competency stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetencyLine {
    /// Domain title.
    pub domain: String,
    /// Competency title.
    pub title: String,
    /// Assessment status (`Competent`, `Not yet`, `Submitted`, `In progress`, `Not started`).
    pub status: String,
}

/// A credential with its public link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialLine {
    /// Achievement name.
    pub name: String,
    /// Issue date.
    pub issued: String,
    /// Public verification page.
    pub url: String,
    /// Whether it has been revoked.
    pub revoked: bool,
}

/// The holder's latest signed Learning Statement (a CLR 2.0 credential).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRecord {
    /// Public id: its page is `/credentials/<id>`, its file `/credentials/<id>/credential.json`.
    pub public_id: String,
    /// Signed on (`2026-12-01`).
    pub issued: String,
    /// Why it no longer verifies (replaced, withdrawn, a badge in it revoked), if so.
    pub revoked: Option<String>,
}

/// Everything the statement can hold, with the teacher's choice of parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningStatement {
    /// The teacher's name.
    pub holder: String,
    /// The framework the course is built on.
    pub framework: String,
    /// The programme's description.
    pub programme: String,
    /// Attribution of the framework.
    pub attribution: String,
    /// The teacher's texts, by part key.
    pub texts: Vec<(String, String)>,
    /// The parts included, in order.
    pub included: Vec<Part>,
    /// Each competency's status.
    pub competencies: Vec<CompetencyLine>,
    /// Growth chart rows.
    pub growth: Vec<GrowthRow>,
    /// Credentials.
    pub credentials: Vec<CredentialLine>,
    /// When the teacher last saved it (`2026-11-23`), if ever.
    pub saved: Option<String>,
    /// The day it was put together (`2026-11-30`, UTC): the date a printed statement carries.
    pub as_of: String,
    /// The latest signed record, if the holder ever signed one.
    #[serde(default)]
    pub record: Option<SignedRecord>,
}

impl LearningStatement {
    /// The teacher's text of a written part.
    pub fn text(&self, part: Part) -> &str {
        self.texts
            .iter()
            .find(|(k, _)| k == part.key())
            .map_or("", |(_, t)| t.as_str())
    }

    /// Whether a part is included.
    pub fn includes(&self, part: Part) -> bool {
        self.included.contains(&part)
    }

    /// Whether the holder can sign their statement: a signed record embeds at least one live
    /// badge (CLR 2.0 requires a `verifiableCredential`).
    pub fn can_sign(&self) -> bool {
        self.credentials.iter().any(|c| !c.revoked)
    }
}

/// The programme's description as the statement gives it.
pub fn programme_text(framework: &str) -> String {
    format!(
        "A self-paced micro-credential course for in-service teachers who mentor pre-service and novice teachers, built on the {framework}. Teachers work through course units, rate themselves against the framework's indicators at the start and as they grow, keep a reflection journal of their mentoring, and submit evidence for each competency. Assessors rate every indicator and judge each competency Competent or Not yet; a sample of decisions is second-marked. Domain badges and the whole micro-credential are issued as Open Badges 3.0 credentials that anyone can verify."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_parts_are_included_by_default() {
        assert_eq!(
            parse_included(None),
            vec![Part::Programme, Part::Credentials]
        );
        for p in Part::ALL {
            if p.written() || p == Part::Growth || p == Part::Competencies {
                assert!(!p.included_by_default(), "{p:?} is private");
            }
        }
    }

    #[test]
    fn choices_round_trip_in_statement_order() {
        let chosen = vec![Part::Growth, Part::Objectives];
        let stored = store_included(&chosen);
        assert_eq!(stored, "objectives,growth");
        assert_eq!(
            parse_included(Some(&stored)),
            vec![Part::Objectives, Part::Growth]
        );
        assert_eq!(
            parse_included(Some("")),
            Vec::<Part>::new(),
            "saved with nothing chosen"
        );
        assert_eq!(parse_included(Some("nonsense, tasks")), vec![Part::Tasks]);
        for p in Part::ALL {
            assert_eq!(Part::from_key(p.key()), Some(p));
        }
    }
}
