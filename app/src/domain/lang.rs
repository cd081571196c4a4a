//! The languages the product speaks. English is the original of every text; French is a
//! translation kept beside it (content files `*.fr.toml`, `*.fr.md`), so ratings, evidence and
//! badges are shared whatever language a person reads in.

use serde::{Deserialize, Serialize};

/// A language of the interface and the course.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English, the original.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, the original first.
    pub const ALL: [Lang; 2] = [Self::En, Self::Fr];

    /// BCP 47 tag (`<html lang>`, content file suffixes, the `lang` cookie).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }

    /// The tag's language, or `None` (never a default: callers decide the fallback).
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(primary))
    }

    /// The language's own name, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Fr => "Français",
        }
    }

    /// Whether texts in this language are translations (read from the translation tables,
    /// falling back to the original where one is missing).
    pub fn is_translation(self) -> bool {
        self != Self::En
    }
}

/// The name of the cookie that remembers a person's choice of language.
pub const COOKIE: &str = "lang";

/// The language of a request: the `lang` cookie when it names one we speak, else the first of
/// the `Accept-Language` tags (in the order the header's qualities give) that we speak, else
/// English. `accept` is the header's tags already in preference order.
pub fn negotiate<'a>(cookie: Option<&str>, accept: impl IntoIterator<Item = &'a str>) -> Lang {
    cookie
        .and_then(Lang::parse)
        .or_else(|| accept.into_iter().find_map(Lang::parse))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_by_their_primary_language() {
        assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("fr-MU"), Some(Lang::Fr));
        assert_eq!(Lang::parse("FR_fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.as_str()), Some(l));
        }
    }

    #[test]
    fn the_cookie_wins_then_the_header_in_order_then_english() {
        assert_eq!(negotiate(Some("fr"), ["en"]), Lang::Fr);
        assert_eq!(negotiate(Some("xx"), ["de", "fr-FR", "en"]), Lang::Fr);
        assert_eq!(negotiate(None, ["de", "en-US", "fr"]), Lang::En);
        assert_eq!(negotiate(None, ["de", "es"]), Lang::En);
        assert_eq!(negotiate(None, []), Lang::En);
    }
}
