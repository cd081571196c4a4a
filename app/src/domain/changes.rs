//! What an assessor of a later attempt sees of the earlier ones (issue 15): each earlier
//! decision with what to improve, and what the teacher changed since the previous attempt,
//! indicator by indicator (the rationale word by word, the evidence added, removed or edited).

#[cfg(feature = "ssr")]
use super::assessment::Snapshot;
use super::assessment::{Decision, EvidenceItem};
use serde::{Deserialize, Serialize};

/// A run of words of a rationale compared with the previous attempt's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Piece {
    /// In both.
    Same(String),
    /// New in this attempt.
    Added(String),
    /// In the previous attempt only.
    Removed(String),
}

/// What changed in one indicator (or, with an empty `slug`, in the evidence offered for the
/// competency as a whole) since the previous attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorChanges {
    /// Indicator slug; empty for the competency as a whole.
    pub slug: String,
    /// The indicator's text, or "The competency as a whole".
    pub text: String,
    /// The rationale, word by word: the previous one is the `Same` and `Removed` pieces in
    /// order, this one the `Same` and `Added` pieces.
    pub rationale: Vec<Piece>,
    /// Evidence offered now and not before (labels).
    pub added: Vec<String>,
    /// Evidence offered before and not now.
    pub removed: Vec<String>,
    /// Evidence offered both times whose text changed (a journal entry edited in between).
    pub edited: Vec<String>,
}

impl IndicatorChanges {
    /// Whether nothing changed.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.edited.is_empty()
            && self.rationale.iter().all(|p| matches!(p, Piece::Same(_)))
    }
}

/// An earlier attempt, as the assessor of a later one sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierAttempt {
    /// 1, 2, …
    pub attempt: i64,
    /// Its decision (the one that stands), once made.
    pub decision: Option<Decision>,
}

/// How a piece of evidence is named to an assessor.
pub fn evidence_label(e: &EvidenceItem) -> String {
    match e.kind.as_str() {
        "journal" => format!("Journal entry “{}”", e.title),
        "link" if e.title.is_empty() => format!("Link {}", e.url),
        "link" => format!("Link “{}” ({})", e.title, e.url),
        "upload" => format!("File “{}”", e.title),
        "rating" => "Checklist note and link".to_owned(),
        other => format!("{other} “{}”", e.title),
    }
}

/// What identifies a piece of evidence across attempts and indicators (its text may change):
/// kind, title, link and file.
pub fn identity(e: &EvidenceItem) -> (&str, &str, &str, Option<i64>) {
    (&e.kind, &e.title, &e.url, e.upload_id)
}

/// Compares two lists of evidence: (added, removed, edited) labels.
#[cfg(feature = "ssr")]
fn compare_evidence(
    before: &[EvidenceItem],
    now: &[EvidenceItem],
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let find = |list: &[EvidenceItem], e: &EvidenceItem| {
        list.iter().find(|x| identity(x) == identity(e)).cloned()
    };
    let mut added = Vec::new();
    let mut edited = Vec::new();
    for e in now {
        match find(before, e) {
            None => added.push(evidence_label(e)),
            Some(old) if old.text != e.text => edited.push(evidence_label(e)),
            Some(_) => {}
        }
    }
    let removed = before
        .iter()
        .filter(|e| find(now, e).is_none())
        .map(evidence_label)
        .collect();
    (added, removed, edited)
}

/// The rationale `before` → `now`, word by word ([`Piece`]); consecutive pieces of one kind
/// are joined.
#[cfg(feature = "ssr")]
pub fn diff_words(before: &str, now: &str) -> Vec<Piece> {
    use similar::{utils::diff_words as words, Algorithm, ChangeTag};
    let mut out: Vec<Piece> = Vec::new();
    for (tag, text) in words(Algorithm::Myers, before, now) {
        let piece = |s: String| match tag {
            ChangeTag::Equal => Piece::Same(s),
            ChangeTag::Insert => Piece::Added(s),
            ChangeTag::Delete => Piece::Removed(s),
        };
        match (out.last_mut(), tag) {
            (Some(Piece::Same(s)), ChangeTag::Equal)
            | (Some(Piece::Added(s)), ChangeTag::Insert)
            | (Some(Piece::Removed(s)), ChangeTag::Delete) => s.push_str(text),
            _ => out.push(piece(text.to_owned())),
        }
    }
    out
}

/// What changed from the attempt `before` to the attempt `now`, per indicator of `now` (in
/// its order), then the competency-wide evidence when either offered any.
#[cfg(feature = "ssr")]
pub fn changes(before: &Snapshot, now: &Snapshot) -> Vec<IndicatorChanges> {
    let mut out: Vec<IndicatorChanges> = now
        .indicators
        .iter()
        .map(|ind| {
            let old = before.indicators.iter().find(|o| o.slug == ind.slug);
            let (old_rationale, old_evidence) =
                old.map_or(("", &[][..]), |o| (o.rationale.as_str(), &o.evidence[..]));
            let (added, removed, edited) = compare_evidence(old_evidence, &ind.evidence);
            IndicatorChanges {
                slug: ind.slug.clone(),
                text: ind.text.clone(),
                rationale: diff_words(old_rationale, &ind.rationale),
                added,
                removed,
                edited,
            }
        })
        .collect();
    if !before.general.is_empty() || !now.general.is_empty() {
        let (added, removed, edited) = compare_evidence(&before.general, &now.general);
        out.push(IndicatorChanges {
            slug: String::new(),
            text: "The competency as a whole".to_owned(),
            rationale: Vec::new(),
            added,
            removed,
            edited,
        });
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::assessment::SnapshotIndicator;

    fn item(kind: &str, title: &str, text: &str) -> EvidenceItem {
        EvidenceItem {
            kind: kind.into(),
            title: title.into(),
            text: text.into(),
            url: if kind == "link" {
                format!("https://example.org/{title}")
            } else {
                String::new()
            },
            upload_id: None,
            media_type: String::new(),
            html: String::new(),
        }
    }

    fn snapshot(indicators: &[(&str, &str, Vec<EvidenceItem>)]) -> Snapshot {
        Snapshot {
            competency_slug: "c".into(),
            competency_title: "C".into(),
            indicators: indicators
                .iter()
                .map(|(slug, rationale, evidence)| SnapshotIndicator {
                    slug: (*slug).into(),
                    text: slug.to_uppercase(),
                    rationale: (*rationale).into(),
                    evidence: evidence.clone(),
                })
                .collect(),
            general: Vec::new(),
        }
    }

    fn side(pieces: &[Piece], later: bool) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Same(s) => Some(s.as_str()),
                Piece::Added(s) if later => Some(s.as_str()),
                Piece::Removed(s) if !later => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_resubmission_shows_what_the_teacher_changed() {
        let before = snapshot(&[
            (
                "a",
                "I tried pair work once.",
                vec![item("journal", "Week 1", "v1")],
            ),
            ("b", "Unchanged text.", vec![item("link", "plan", "")]),
        ]);
        let now = snapshot(&[
            (
                "a",
                "I tried pair work in three lessons.",
                vec![
                    item("journal", "Week 1", "v2"),
                    item("upload", "obs.pdf", ""),
                ],
            ),
            ("b", "Unchanged text.", vec![item("link", "plan", "")]),
        ]);
        let c = changes(&before, &now);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].added, vec!["File “obs.pdf”".to_owned()]);
        assert_eq!(c[0].edited, vec!["Journal entry “Week 1”".to_owned()]);
        assert!(c[0].removed.is_empty());
        assert!(c[0]
            .rationale
            .iter()
            .any(|p| matches!(p, Piece::Removed(s) if s.contains("once"))));
        assert!(c[0]
            .rationale
            .iter()
            .any(|p| matches!(p, Piece::Added(s) if s.contains("three"))));
        assert!(c[1].is_unchanged());
        assert!(!c[0].is_unchanged());
    }

    proptest::proptest! {
        /// Whatever the two rationales: the pieces give back the previous one (same and
        /// removed) and the new one (same and added), and equal texts are one `Same` piece.
        #[test]
        fn the_pieces_give_back_both_texts(
            before in "[a-zé ,.\n]{0,80}",
            now in "[a-zé ,.\n]{0,80}",
        ) {
            let pieces = diff_words(&before, &now);
            proptest::prop_assert_eq!(side(&pieces, false), before.clone());
            proptest::prop_assert_eq!(side(&pieces, true), now.clone());
            if before == now && !before.is_empty() {
                proptest::prop_assert_eq!(pieces, vec![Piece::Same(before)]);
            }
        }

        /// Evidence: everything offered now is either added, edited or unchanged; everything
        /// offered before and not now is removed, and nothing is both.
        #[test]
        fn evidence_is_added_removed_edited_or_kept(
            before in proptest::collection::vec(("[a-c]", "[a-z]{1,3}"), 0..5),
            now in proptest::collection::vec(("[a-c]", "[a-z]{1,3}"), 0..5),
        ) {
            let to_items = |v: &[(String, String)]| -> Vec<EvidenceItem> {
                let mut items: Vec<EvidenceItem> = Vec::new();
                for (title, text) in v {
                    if !items.iter().any(|i| &i.title == title) {
                        items.push(item("journal", title, text));
                    }
                }
                items
            };
            let (b, n) = (to_items(&before), to_items(&now));
            let (added, removed, edited) = compare_evidence(&b, &n);
            for e in &n {
                let label = evidence_label(e);
                let was = b.iter().find(|x| x.title == e.title);
                proptest::prop_assert_eq!(added.contains(&label), was.is_none());
                proptest::prop_assert_eq!(edited.contains(&label), was.is_some_and(|w| w.text != e.text));
            }
            for e in &b {
                let label = evidence_label(e);
                proptest::prop_assert_eq!(removed.contains(&label), !n.iter().any(|x| x.title == e.title));
            }
        }
    }
}
