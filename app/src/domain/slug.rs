//! Stable identifiers for framework content (domains, competencies, indicators).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A lowercase, hyphen-separated identifier such as `professional-identity`.
///
/// Slugs are the stable ids of framework content: learner data attaches to them, so they never
/// change once published.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a text is not a valid slug.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// The text is empty.
    #[error("must not be empty")]
    Empty,
    /// The text is longer than [`Slug::MAX_LEN`].
    #[error("must be at most {max} characters (found {found})", max = Slug::MAX_LEN)]
    TooLong {
        /// How many characters were found.
        found: usize,
    },
    /// A character other than `a-z`, `0-9` or `-`.
    #[error("may contain only lowercase letters a-z, digits and '-' (found {0:?})")]
    BadChar(char),
    /// Starts or ends with `-`, or has `--`.
    #[error("must not start or end with '-' or contain '--'")]
    BadHyphen,
}

impl Slug {
    /// The longest slug accepted.
    pub const MAX_LEN: usize = 80;

    /// Parses a slug, saying exactly what is wrong when it is not one.
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        let len = s.chars().count();
        if len > Self::MAX_LEN {
            return Err(SlugError::TooLong { found: len });
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(SlugError::BadChar(c));
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::BadHyphen);
        }
        Ok(Self(s.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_words_with_single_hyphens() {
        assert_eq!(
            Slug::parse("problem-solving").map(|s| s.to_string()),
            Ok("problem-solving".to_owned())
        );
        assert!(Slug::parse("pl2-13").is_ok());
    }

    #[test]
    fn rejects_what_would_make_a_bad_url() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse("Problem"), Err(SlugError::BadChar('P')));
        assert_eq!(Slug::parse("a b"), Err(SlugError::BadChar(' ')));
        assert_eq!(Slug::parse("-a"), Err(SlugError::BadHyphen));
        assert_eq!(Slug::parse("a--b"), Err(SlugError::BadHyphen));
        assert_eq!(
            Slug::parse(&"a".repeat(81)),
            Err(SlugError::TooLong { found: 81 })
        );
    }
}
