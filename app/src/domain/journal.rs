//! The reflection journal: limits and the shapes pages see.

use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Largest body, in bytes (100 KB).
pub const BODY_MAX_BYTES: usize = 100 * 1024;

/// Checks a title: trimmed, 1 to [`TITLE_MAX`] characters.
pub fn parse_title(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(crate::t!(validation.entry_title_required).into());
    }
    let n = t.chars().count();
    if n > TITLE_MAX {
        return Err(crate::i18n::k::validation::at_most_chars_has(TITLE_MAX, n));
    }
    Ok(t.to_owned())
}

/// Checks a body: at most [`BODY_MAX_BYTES`].
pub fn check_body(s: &str) -> Result<(), String> {
    if s.len() > BODY_MAX_BYTES {
        return Err(crate::i18n::k::validation::body_too_large(
            s.len().div_ceil(1024),
        ));
    }
    Ok(())
}

/// An entry in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySummary {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Competency title, if linked.
    pub competency: Option<String>,
    /// Last saved (epoch ms).
    pub updated_at: i64,
    /// Whether it is in the bin (soft-deleted).
    pub deleted: bool,
}

/// An entry as its author edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// The version this text is; a save must be based on it.
    pub version: i64,
    /// Competency slug and title, if linked.
    pub competency: Option<(String, String)>,
    /// The unit's prompt, if written for one.
    pub prompt: Option<String>,
    /// Last saved (epoch ms).
    pub updated_at: i64,
    /// Whether it is in the bin.
    pub deleted: bool,
    /// A text refused because it was based on an older version, to reconcile.
    pub refused: Option<Revision>,
}

/// A saved (or refused) text of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// Revision id.
    pub id: i64,
    /// The version it became (0 when refused).
    pub version: i64,
    /// The version its author was editing.
    pub based_on: i64,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// When (epoch ms).
    pub saved_at: i64,
}

/// What a save came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Saved as this version at this time.
    Saved {
        /// The new version.
        version: i64,
        /// When (epoch ms).
        saved_at: i64,
    },
    /// Refused: it was based on an old version. The text sent is kept (as a refused revision)
    /// and both texts are shown to reconcile.
    Conflict {
        /// The entry as it is now on the server.
        current: Box<EntryView>,
        /// The refused text, as kept.
        mine: Box<Revision>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_bodies_have_limits() {
        assert_eq!(
            parse_title("  A day with Priya "),
            Ok("A day with Priya".into())
        );
        assert!(parse_title(" ").is_err());
        assert!(parse_title(&"t".repeat(201)).unwrap_err().contains("200"));
        assert!(check_body(&"x".repeat(100 * 1024)).is_ok());
        assert!(check_body(&"x".repeat(100 * 1024 + 1))
            .unwrap_err()
            .contains("101 KB"));
    }
}
