//! Evidence and assessment: the rubric, the rule that turns rubric ratings into a decision,
//! agreement between assessors, and the shapes pages see.

use serde::{Deserialize, Serialize};

/// How evident an indicator is in a submission, as an assessor rates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RubricLevel {
    /// 1
    NotEvident,
    /// 2
    PartlyEvident,
    /// 3
    Evident,
}

impl RubricLevel {
    /// Every level, lowest first.
    pub const ALL: [RubricLevel; 3] = [Self::NotEvident, Self::PartlyEvident, Self::Evident];

    /// 1 to 3.
    pub fn value(self) -> i64 {
        match self {
            Self::NotEvident => 1,
            Self::PartlyEvident => 2,
            Self::Evident => 3,
        }
    }

    /// From 1 to 3.
    pub fn from_value(v: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.value() == v)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotEvident => "Not evident",
            Self::PartlyEvident => "Partly evident",
            Self::Evident => "Evident",
        }
    }

    /// What the level means, in one line.
    pub fn descriptor(self) -> &'static str {
        match self {
            Self::NotEvident => "The evidence does not show this indicator yet.",
            Self::PartlyEvident => "Some evidence, but thin, indirect or from a single occasion.",
            Self::Evident => "Clear evidence from practice, explained in the teacher's rationale.",
        }
    }
}

/// The rule a framework uses to turn rubric ratings into Competent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompetentRule {
    /// Every indicator at least Partly evident, and more than half Evident (the default).
    AllPartlyMostEvident,
    /// Every indicator Evident.
    AllEvident,
    /// Every indicator at least Partly evident.
    AllPartly,
}

impl CompetentRule {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllPartlyMostEvident => "all-partly-most-evident",
            Self::AllEvident => "all-evident",
            Self::AllPartly => "all-partly",
        }
    }

    /// Parses the stored (and content file) form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all-partly-most-evident" => Some(Self::AllPartlyMostEvident),
            "all-evident" => Some(Self::AllEvident),
            "all-partly" => Some(Self::AllPartly),
            _ => None,
        }
    }

    /// The rule in words, for assessors.
    pub fn explain(self) -> &'static str {
        match self {
            Self::AllPartlyMostEvident => {
                "Competent when every indicator is at least Partly evident and more than half are Evident."
            }
            Self::AllEvident => "Competent when every indicator is Evident.",
            Self::AllPartly => "Competent when every indicator is at least Partly evident.",
        }
    }

    /// Whether these ratings (one per indicator of the competency) meet the rule.
    pub fn met_by(self, levels: &[RubricLevel]) -> bool {
        if levels.is_empty() {
            return false;
        }
        let evident = levels
            .iter()
            .filter(|l| **l == RubricLevel::Evident)
            .count();
        let none_missing = levels.iter().all(|l| *l >= RubricLevel::PartlyEvident);
        match self {
            Self::AllPartlyMostEvident => none_missing && evident * 2 > levels.len(),
            Self::AllEvident => evident == levels.len(),
            Self::AllPartly => none_missing,
        }
    }
}

/// Agreement between two assessors over paired ratings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Number of paired ratings.
    pub pairs: u32,
    /// Share of pairs rated the same, 0 to 1.
    pub percent: f64,
    /// Cohen's kappa; `None` when undefined (every rating in one category on both sides).
    pub kappa: Option<f64>,
}

/// Percent agreement and Cohen's kappa (unweighted) of paired categorical ratings.
///
/// κ = (p_o − p_e) / (1 − p_e), where p_o is the observed agreement and p_e the agreement
/// expected by chance from each rater's own marginal frequencies.
pub fn agreement(pairs: &[(RubricLevel, RubricLevel)]) -> Option<Agreement> {
    if pairs.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = pairs.len() as f64;
    #[allow(clippy::cast_precision_loss)]
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let expected: f64 = RubricLevel::ALL
        .iter()
        .map(|level| {
            #[allow(clippy::cast_precision_loss)]
            let first = pairs.iter().filter(|(a, _)| a == level).count() as f64 / n;
            #[allow(clippy::cast_precision_loss)]
            let second = pairs.iter().filter(|(_, b)| b == level).count() as f64 / n;
            first * second
        })
        .sum();
    let kappa = if (1.0 - expected).abs() < f64::EPSILON {
        None
    } else {
        Some((observed - expected) / (1.0 - expected))
    };
    Some(Agreement {
        pairs: u32::try_from(pairs.len()).unwrap_or(u32::MAX),
        percent: observed,
        kappa,
    })
}

/// Where a submission stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubmissionStatus {
    /// Being composed by the teacher.
    Draft,
    /// Waiting for (or under) review.
    Submitted,
    /// Judged Competent.
    Competent,
    /// Judged Not yet.
    NotYet,
}

impl SubmissionStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Competent => "competent",
            Self::NotYet => "not_yet",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "submitted" => Some(Self::Submitted),
            "competent" => Some(Self::Competent),
            "not_yet" => Some(Self::NotYet),
            _ => None,
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "In progress",
            Self::Submitted => "Submitted",
            Self::Competent => "Competent",
            Self::NotYet => "Not yet",
        }
    }
}

/// A piece of evidence as frozen in a submission: what the assessor sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// `journal`, `rating` (a checklist note and link), `link` or `upload`.
    pub kind: String,
    /// Title (journal entry), label (link) or file name (upload).
    pub title: String,
    /// The journal text at the time of submission (Markdown), if a journal entry.
    pub text: String,
    /// The link, if a link.
    pub url: String,
    /// The upload's id, if a file (served only to those who may see the submission).
    pub upload_id: Option<i64>,
    /// The file's type, if a file.
    pub media_type: String,
}

/// One indicator of a frozen submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotIndicator {
    /// Indicator slug.
    pub slug: String,
    /// Indicator text.
    pub text: String,
    /// The teacher's rationale.
    pub rationale: String,
    /// The evidence offered for it.
    pub evidence: Vec<EvidenceItem>,
}

/// What was submitted, frozen: later journal edits do not change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Competency slug.
    pub competency_slug: String,
    /// Competency title.
    pub competency_title: String,
    /// Per indicator, in framework order.
    pub indicators: Vec<SnapshotIndicator>,
    /// Evidence offered for the competency as a whole.
    pub general: Vec<EvidenceItem>,
}

/// Longest rationale per indicator, in characters.
pub const RATIONALE_MAX: usize = 4_000;
/// Largest upload, in bytes (10 MB).
pub const UPLOAD_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The file type, from the bytes themselves (never from the name): PDF, PNG or JPEG.
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RubricLevel::{Evident as E, NotEvident as N, PartlyEvident as P};

    #[test]
    fn the_default_rule_needs_everything_partly_and_most_evident() {
        let rule = CompetentRule::AllPartlyMostEvident;
        assert!(rule.met_by(&[E, E, P]));
        assert!(!rule.met_by(&[E, P, P, E]), "half is not most");
        assert!(!rule.met_by(&[E, E, E, N]), "nothing may be missing");
        assert!(rule.met_by(&[E]));
        assert!(!rule.met_by(&[]));
        assert!(CompetentRule::AllPartly.met_by(&[P, P]));
        assert!(!CompetentRule::AllEvident.met_by(&[E, P]));
        for r in [
            CompetentRule::AllPartlyMostEvident,
            CompetentRule::AllEvident,
            CompetentRule::AllPartly,
        ] {
            assert_eq!(CompetentRule::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn kappa_matches_a_worked_example() {
        // 10 paired ratings. Rater A: N×3, P×3, E×4; rater B: N×2, P×5, E×3.
        // Agreements on the diagonal: N–N 2, P–P 3, E–E 3 → p_o = 8/10 = 0.8.
        // p_e = 0.3·0.2 + 0.3·0.5 + 0.4·0.3 = 0.06 + 0.15 + 0.12 = 0.33.
        // κ = (0.8 − 0.33) / (1 − 0.33) = 0.47 / 0.67 = 0.701492…
        let pairs = [
            (N, N),
            (N, N),
            (N, P),
            (P, P),
            (P, P),
            (P, P),
            (E, E),
            (E, E),
            (E, E),
            (E, P),
        ];
        let a = agreement(&pairs).expect("pairs");
        assert_eq!(a.pairs, 10);
        assert!((a.percent - 0.8).abs() < 1e-12);
        let kappa = a.kappa.expect("defined");
        assert!((kappa - 0.47 / 0.67).abs() < 1e-12, "{kappa}");
        assert!((kappa - 0.701_492_537_313_432_9).abs() < 1e-12);
    }

    #[test]
    fn kappa_edges() {
        assert!(agreement(&[]).is_none());
        // Perfect agreement over several categories: κ = 1.
        let perfect = agreement(&[(N, N), (E, E), (P, P)]).expect("pairs");
        assert!((perfect.kappa.expect("defined") - 1.0).abs() < 1e-12);
        // Everyone always says Evident: chance explains everything, κ is undefined.
        assert_eq!(agreement(&[(E, E), (E, E)]).expect("pairs").kappa, None);
        // Systematic disagreement is worse than chance.
        let opposite = agreement(&[(N, E), (E, N)]).expect("pairs");
        assert!(opposite.kappa.expect("defined") < 0.0);
    }

    #[test]
    fn files_are_known_by_their_bytes() {
        assert_eq!(sniff_media_type(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff_media_type(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(
            sniff_media_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_media_type(b"<html><script>"), None);
        assert_eq!(sniff_media_type(b"GIF89a"), None);
    }
}
