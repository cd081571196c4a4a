//! Course content read from versioned files under `content/` (server only).
//!
//! Content is validated when the server starts: a malformed file stops it with an error naming
//! the file, the line and the problem.

pub mod course;
pub mod framework;
pub mod translation;
pub mod units;

use std::fmt;
use std::path::{Path, PathBuf};

pub use framework::{
    load_frameworks, parse_framework, CompetencyContent, CredentialContent, DomainContent,
    FrameworkContent, IndicatorContent,
};

/// A problem in a content file, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, as given to the loader.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, in words an editor can act on.
    pub message: String,
}

impl ContentError {
    /// An error about a whole file (unreadable, or a rule across files).
    pub fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a byte offset of the file's text.
    pub fn at(file: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_and_column(text, offset);
        Self {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, ":{line}:{column}")?,
            (Some(line), None) => write!(f, ":{line}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ContentError {}

/// Splits a Markdown file with TOML front matter between `+++` lines into (byte offset of the
/// front matter, the front matter, the body with leading blank lines removed). `what` names
/// the file's kind in errors ("a unit").
pub(crate) fn split_front_matter<'t>(
    file: &Path,
    text: &'t str,
    what: &str,
) -> Result<(usize, &'t str, &'t str), ContentError> {
    let err = |msg: String| ContentError::at(file, text, 0, msg);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(|| {
            err(format!(
                "{what} must start with a line `+++` opening its front matter"
            ))
        })?;
    let fm_start = text.len() - rest.len();
    let close = rest
        .find("\n+++\n")
        .or_else(|| rest.find("\n+++\r\n"))
        .or_else(|| rest.strip_suffix("\n+++").map(|s| s.len()))
        .ok_or_else(|| err("the front matter is not closed by a line `+++`".into()))?;
    let front = &rest[..close + 1];
    let body_start = fm_start + close + 1 + "+++".len();
    let body = text
        .get(body_start..)
        .unwrap_or_default()
        .trim_start_matches(['\r', '\n']);
    Ok((fm_start, front, body))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before
        .get(line_start..)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_and_column(text, 9), (2, 3));
    }

    #[test]
    fn display_names_file_line_column_and_problem() {
        let e = ContentError::at(Path::new("content/x.toml"), "a\nbc", 3, "bad thing");
        assert_eq!(e.to_string(), "content/x.toml:2:2: bad thing");
    }
}

#[cfg(test)]
mod shipped_tests;
