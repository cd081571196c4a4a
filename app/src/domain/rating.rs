//! Self-ratings against indicators: a four-level scale, baseline and current.

use serde::{Deserialize, Serialize};

/// Where a teacher places themselves on an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// 1
    NotYet,
    /// 2
    Emerging,
    /// 3
    Developing,
    /// 4
    Demonstrating,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 4] = [
        Level::NotYet,
        Level::Emerging,
        Level::Developing,
        Level::Demonstrating,
    ];

    /// 1 to 4.
    pub fn value(self) -> i64 {
        match self {
            Self::NotYet => 1,
            Self::Emerging => 2,
            Self::Developing => 3,
            Self::Demonstrating => 4,
        }
    }

    /// From 1 to 4.
    pub fn from_value(v: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.value() == v)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotYet => crate::t!(labels.level_not_yet),
            Self::Emerging => crate::t!(labels.level_emerging),
            Self::Developing => crate::t!(labels.level_developing),
            Self::Demonstrating => crate::t!(labels.level_demonstrating),
        }
    }

    /// What choosing this level means, in one line.
    pub fn descriptor(self) -> &'static str {
        match self {
            Self::NotYet => crate::t!(labels.level_not_yet_descriptor),
            Self::Emerging => crate::t!(labels.level_emerging_descriptor),
            Self::Developing => crate::t!(labels.level_developing_descriptor),
            Self::Demonstrating => crate::t!(labels.level_demonstrating_descriptor),
        }
    }
}

/// When a rating was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// Once, on joining: where the teacher started.
    Baseline,
    /// Kept up to date as the teacher grows.
    Current,
}

impl Phase {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Baseline => "baseline",
            Self::Current => "current",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "baseline" => Some(Self::Baseline),
            "current" => Some(Self::Current),
            _ => None,
        }
    }
}

/// One saved rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The level.
    pub level: Level,
    /// An optional note.
    pub note: String,
    /// An optional link to evidence.
    pub evidence_url: String,
    /// When it was saved (epoch ms).
    pub updated_at: i64,
}

/// An indicator with the teacher's baseline and current ratings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistRow {
    /// Indicator slug.
    pub slug: String,
    /// Indicator text.
    pub text: String,
    /// Baseline rating, if given.
    pub baseline: Option<Rating>,
    /// Current rating, if given.
    pub current: Option<Rating>,
}

/// The longest note accepted.
pub const NOTE_MAX: usize = 2_000;

/// Checks an evidence link: empty, or an `http(s)` URL of sensible length without spaces.
pub fn parse_evidence_url(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    if s.len() > 2_000 {
        return Err(crate::i18n::k::validation::at_most_chars(2000));
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| crate::t!(validation.url_scheme))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !host.starts_with('.')
        && !host.ends_with('.');
    if !host_ok || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(crate::t!(validation.url_incomplete).into());
    }
    Ok(s.to_owned())
}

/// Checks a note: at most [`NOTE_MAX`] characters, kept exactly as typed (a textarea's text
/// round-trips byte for byte); only white space counts as no note.
pub fn parse_note(input: &str) -> Result<String, String> {
    let s = if input.trim().is_empty() { "" } else { input };
    let n = s.chars().count();
    if n > NOTE_MAX {
        return Err(crate::i18n::k::validation::at_most_chars_has(NOTE_MAX, n));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_order() {
        for l in Level::ALL {
            assert_eq!(Level::from_value(l.value()), Some(l));
        }
        assert_eq!(Level::from_value(0), None);
        assert!(Level::Emerging < Level::Demonstrating);
    }

    #[test]
    fn evidence_links_are_checked() {
        assert_eq!(parse_evidence_url(" "), Ok(String::new()));
        assert_eq!(
            parse_evidence_url("https://drive.example.org/x?y=1"),
            Ok("https://drive.example.org/x?y=1".into())
        );
        assert!(parse_evidence_url("javascript:alert(1)")
            .unwrap_err()
            .contains("https://"));
        assert!(parse_evidence_url("https://nodot/x").is_err());
        assert!(parse_evidence_url("https://exa mple.org").is_err());
    }

    #[test]
    fn notes_have_a_limit() {
        assert_eq!(parse_note("  fine "), Ok("  fine ".into()), "kept as typed");
        assert_eq!(parse_note(" \n "), Ok(String::new()), "blank is no note");
        assert!(parse_note(&"x".repeat(2_001)).unwrap_err().contains("2000"));
    }
}
