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
            Self::NotEvident => crate::t!(labels.rubric_not_evident),
            Self::PartlyEvident => crate::t!(labels.rubric_partly_evident),
            Self::Evident => crate::t!(labels.rubric_evident),
        }
    }

    /// What the level means, in one line.
    pub fn descriptor(self) -> &'static str {
        match self {
            Self::NotEvident => crate::t!(labels.rubric_not_evident_descriptor),
            Self::PartlyEvident => crate::t!(labels.rubric_partly_evident_descriptor),
            Self::Evident => crate::t!(labels.rubric_evident_descriptor),
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
            Self::AllPartlyMostEvident => crate::t!(labels.rule_all_partly_most_evident),
            Self::AllEvident => crate::t!(labels.rule_all_evident),
            Self::AllPartly => crate::t!(labels.rule_all_partly),
        }
    }

    /// [`Self::explain`] in `lang` (server only), whatever the page's language.
    #[cfg(feature = "ssr")]
    pub fn explain_in(self, lang: crate::domain::lang::Lang) -> &'static str {
        crate::i18n::in_lang(lang, || self.explain())
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
    let mut table = [[0_i64; 3]; 3];
    for (a, b) in pairs {
        let (i, j) = (a.value() - 1, b.value() - 1);
        table[usize::try_from(i).unwrap_or(0)][usize::try_from(j).unwrap_or(0)] += 1;
    }
    agreement_of_table(&table)
}

/// [`agreement`] from a square contingency table: `table[i][j]` counts the pairs the first
/// rater put in category `i` and the second in category `j` (any number of categories, e.g.
/// the rubric's three levels or the two decisions). `None` when it holds no pair.
pub fn agreement_of_table<const K: usize>(table: &[[i64; K]; K]) -> Option<Agreement> {
    let total: i64 = table.iter().flatten().sum();
    if total <= 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = total as f64;
    #[allow(clippy::cast_precision_loss)]
    let observed = (0..K).map(|k| table[k][k]).sum::<i64>() as f64 / n;
    let expected: f64 = (0..K)
        .map(|k| {
            #[allow(clippy::cast_precision_loss)]
            let first = table[k].iter().sum::<i64>() as f64 / n;
            #[allow(clippy::cast_precision_loss)]
            let second = table.iter().map(|row| row[k]).sum::<i64>() as f64 / n;
            first * second
        })
        .sum();
    let kappa = if (1.0 - expected).abs() < f64::EPSILON {
        None
    } else {
        Some((observed - expected) / (1.0 - expected))
    };
    Some(Agreement {
        pairs: u32::try_from(total).unwrap_or(u32::MAX),
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
            Self::Draft => crate::t!(labels.status_draft),
            Self::Submitted => crate::t!(labels.status_submitted),
            Self::Competent => crate::t!(labels.status_competent),
            Self::NotYet => crate::t!(labels.status_not_yet),
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
    /// A journal entry's text as sanitised HTML, rendered as the journal's preview renders it
    /// (filled when a snapshot is shown, never stored: [`Snapshot::render_journal`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
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

impl Snapshot {
    /// Renders each journal entry's Markdown to sanitised HTML ([`EvidenceItem::html`]), so an
    /// assessor reads it as its teacher previewed it (issue 15).
    #[cfg(feature = "ssr")]
    pub fn render_journal(&mut self) {
        for item in self
            .indicators
            .iter_mut()
            .flat_map(|i| i.evidence.iter_mut())
            .chain(self.general.iter_mut())
        {
            if item.kind == "journal" {
                item.html = crate::markdown::to_safe_html(&item.text);
            }
        }
    }
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

/// How long a claim on a submission lasts before it lapses and anyone may take it.
pub const CLAIM_MS: i64 = 4 * 60 * 60 * 1000;
/// Most links a teacher may list for one indicator.
pub const LINKS_MAX: usize = 10;

/// Something of the teacher's that can be offered as evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Id of the journal entry or upload.
    pub id: i64,
    /// Title or file name.
    pub title: String,
    /// A short line about it (its competency, its type and size).
    pub detail: String,
}

/// One indicator of the submission being composed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftIndicator {
    /// Slug.
    pub slug: String,
    /// The indicator's text.
    pub text: String,
    /// The teacher's rationale so far.
    pub rationale: String,
    /// Journal entries offered for it.
    pub journal: Vec<i64>,
    /// Uploads offered for it.
    pub uploads: Vec<i64>,
    /// Whether the checklist note and link are offered.
    pub checklist: bool,
    /// The checklist's current note and link for this indicator, if any.
    pub checklist_text: Option<String>,
    /// Links, one per line (`URL label`).
    pub links: String,
}

/// One rated indicator of a review, as the teacher (or a coordinator) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedIndicator {
    /// Indicator slug.
    pub slug: String,
    /// Indicator text.
    pub text: String,
    /// The rubric level given.
    pub level: RubricLevel,
    /// The assessor's comment.
    pub comment: String,
}

/// A decision on an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Competent or Not yet.
    pub competent: bool,
    /// Overall feedback.
    pub feedback: String,
    /// What to improve (Not yet).
    pub improve: String,
    /// Per indicator.
    pub ratings: Vec<RatedIndicator>,
    /// When.
    pub decided_at: i64,
    /// The assessor's name, when the viewer may know it.
    pub assessor: Option<String>,
}

/// A past or current attempt, as its teacher sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// 1, 2, …
    pub attempt: i64,
    /// Where it stands.
    pub status: SubmissionStatus,
    /// When it was submitted.
    pub submitted_at: Option<i64>,
    /// The decision, once made.
    pub decision: Option<Decision>,
}

/// The teacher's workspace for the evidence of one competency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Framework slug.
    pub framework: String,
    /// Competency slug.
    pub competency: String,
    /// Competency title.
    pub competency_title: String,
    /// The cohort the submission goes to; `None` when the teacher is in no cohort of this
    /// framework (they cannot submit).
    pub cohort: Option<String>,
    /// The latest attempt's status (`None`: nothing started).
    pub status: Option<SubmissionStatus>,
    /// The latest attempt's number (0: nothing started).
    pub attempt: i64,
    /// How many attempts the teacher has in all.
    pub attempts_allowed: i64,
    /// The draft's version, to save on (0 before the first save).
    pub version: i64,
    /// When the draft was last saved.
    pub saved_at: Option<i64>,
    /// Whether the teacher may edit now (no attempt yet, or a draft).
    pub editable: bool,
    /// Per indicator, in framework order.
    pub indicators: Vec<DraftIndicator>,
    /// The teacher's journal entries (not in the bin), this competency's first.
    pub journal: Vec<Material>,
    /// The teacher's uploaded files.
    pub uploads: Vec<Material>,
    /// Every attempt, newest first.
    pub history: Vec<AttemptRecord>,
    /// The public id of the teacher's live badge for this competency's domain, once earned
    /// (`/credentials/<id>`).
    pub badge: Option<String>,
}

/// What saving a draft came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftOutcome {
    /// Saved as this version.
    Saved {
        /// The new version.
        version: i64,
        /// When.
        saved_at: i64,
    },
    /// The draft was saved elsewhere meanwhile (another window); nothing was written.
    Conflict {
        /// The version now stored.
        version: i64,
    },
    /// Submitted for assessment: the snapshot is frozen.
    Submitted {
        /// The attempt submitted.
        attempt: i64,
    },
}

/// Who holds a submission in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimState {
    /// Nobody: anyone eligible may claim it.
    Open,
    /// The viewer, until then.
    Mine {
        /// When the claim lapses.
        until: i64,
    },
    /// Someone else (an assessor's name is shown to colleagues), until then.
    Other {
        /// Who.
        by: String,
        /// When the claim lapses.
        until: i64,
    },
    /// Assigned by a coordinator to someone else.
    AssignedOther {
        /// Who.
        to: String,
    },
}

/// A submission waiting for review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    /// Submission id.
    pub id: i64,
    /// `true` for second marking (moderation).
    pub second: bool,
    /// Competency slug.
    pub competency: String,
    /// Competency title.
    pub competency_title: String,
    /// Cohort name.
    pub cohort: String,
    /// Cohort id.
    pub cohort_id: i64,
    /// Attempt number.
    pub attempt: i64,
    /// When submitted (or sent for second marking).
    pub waiting_since: i64,
    /// The teacher's name, or `None` under blind review.
    pub teacher: Option<String>,
    /// Who holds it.
    pub claim: ClaimState,
}

/// An assessor of a cohort, for coordinators assigning work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessorOption {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Cohort id.
    pub cohort_id: i64,
}

/// The assessor's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// Oldest first.
    pub items: Vec<QueueItem>,
    /// Competencies to filter by (slug, title).
    pub competencies: Vec<(String, String)>,
    /// Assessors the viewer may assign to (coordinators only; empty otherwise).
    pub assessors: Vec<AssessorOption>,
    /// Now, on the server (for waiting times).
    pub now: i64,
}

/// A submission on the review screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    /// Submission id.
    pub id: i64,
    /// `true` when this is second marking: the first decision is not shown.
    pub second: bool,
    /// Cohort name.
    pub cohort: String,
    /// Attempt number.
    pub attempt: i64,
    /// When submitted.
    pub submitted_at: i64,
    /// The teacher's name, or `None` under blind review.
    pub teacher: Option<String>,
    /// The rule for Competent, in words.
    pub rule: String,
    /// What was submitted.
    pub snapshot: Snapshot,
    /// Who holds it.
    pub claim: ClaimState,
    /// Whether the viewer may decide now.
    pub can_decide: bool,
    /// The decision already made in this role (first or second), if any.
    pub decided: Option<Decision>,
    /// The teacher's earlier attempts at this competency, oldest first, with their decisions.
    pub earlier: Vec<super::changes::EarlierAttempt>,
    /// What changed since the previous attempt (empty for a first attempt).
    pub changes: Vec<super::changes::IndicatorChanges>,
}

/// A submission chosen for second marking, as its coordinator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationItem {
    /// Moderation id.
    pub id: i64,
    /// Submission id.
    pub submission_id: i64,
    /// Competency title.
    pub competency_title: String,
    /// Attempt.
    pub attempt: i64,
    /// The first assessor.
    pub first_assessor: String,
    /// The first decision (`true`: Competent).
    pub first_competent: bool,
    /// The second assessor, once marked.
    pub second_assessor: Option<String>,
    /// The second decision, once marked.
    pub second_competent: Option<bool>,
    /// Per indicator (text, first level, second level), once marked.
    pub ratings: Vec<(String, RubricLevel, Option<RubricLevel>)>,
    /// `first` or `second`, once resolved.
    pub resolution: Option<String>,
    /// The coordinator's note.
    pub note: String,
}

/// Agreement between two assessors over every submission both marked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairAgreement {
    /// First marker.
    pub first: String,
    /// Second marker.
    pub second: String,
    /// Submissions both marked.
    pub submissions: u32,
    /// Of which the decisions matched.
    pub decisions_agreed: u32,
    /// Per-indicator agreement.
    pub agreement: Option<Agreement>,
}

/// A teacher at their attempt limit on a competency (Not yet, no attempt left).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtLimit {
    /// The teacher's user id.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// Competency slug.
    pub competency: String,
    /// Competency title.
    pub competency_title: String,
    /// Attempts used.
    pub attempts: i64,
}

/// A decided submission a coordinator may send for second marking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedSubmission {
    /// Submission id.
    pub id: i64,
    /// Competency title.
    pub competency_title: String,
    /// Attempt.
    pub attempt: i64,
    /// The teacher.
    pub teacher: String,
    /// The assessor.
    pub assessor: String,
    /// Competent or Not yet.
    pub competent: bool,
    /// When.
    pub decided_at: i64,
}

/// The moderation page of a cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationView {
    /// Cohort id.
    pub cohort_id: i64,
    /// Cohort name.
    pub cohort: String,
    /// Decided submissions not yet sent for second marking, newest first.
    pub eligible: Vec<DecidedSubmission>,
    /// Sent for second marking, newest first.
    pub items: Vec<ModerationItem>,
    /// Per assessor pair.
    pub pairs: Vec<PairAgreement>,
    /// Teachers who used every attempt on a competency without reaching Competent.
    pub at_limit: Vec<AtLimit>,
}

/// What is waiting for the signed-in person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    /// Reviews (and second markings) the person could pick up or holds.
    pub reviews_waiting: u32,
    /// Their own submissions decided since they last looked.
    pub decisions_unseen: u32,
    /// Moderations with both markings and different decisions, for coordinators to resolve.
    pub moderations_to_resolve: u32,
}

/// Parses the links box: one per line, a web address then an optional label.
pub fn parse_links(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (url, label) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let url = crate::domain::rating::parse_evidence_url(url)
            .map_err(|m| crate::i18n::k::validation::link_line_address(n + 1, m))?;
        let label = label.trim();
        if label.chars().count() > 200 {
            return Err(crate::i18n::k::validation::link_line_label_too_long(n + 1));
        }
        out.push((url, label.to_owned()));
    }
    if out.len() > LINKS_MAX {
        return Err(crate::i18n::k::validation::too_many_links(
            LINKS_MAX,
            out.len(),
        ));
    }
    Ok(out)
}

/// Checks a rationale: at most [`RATIONALE_MAX`] characters, and (`required`, when submitting)
/// not empty.
pub fn check_rationale(text: &str, required: bool) -> Result<(), String> {
    let n = text.chars().count();
    if n > RATIONALE_MAX {
        return Err(crate::i18n::k::validation::at_most_chars_found(
            RATIONALE_MAX,
            n,
        ));
    }
    if required && text.trim().is_empty() {
        return Err(crate::t!(validation.rationale_required).into());
    }
    Ok(())
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
    fn kappa_of_two_decisions_matches_the_textbook_example() {
        // 50 submissions; both said yes 20 times, both no 15, A yes B no 5, A no B yes 10.
        // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2 / 0.5 = 0.4.
        let a = agreement_of_table(&[[20, 5], [10, 15]]).expect("pairs");
        assert_eq!(a.pairs, 50);
        assert!((a.percent - 0.7).abs() < 1e-12);
        assert!((a.kappa.expect("defined") - 0.4).abs() < 1e-12);
        assert!(agreement_of_table(&[[0, 0], [0, 0]]).is_none());
    }

    proptest::proptest! {
        /// The table form agrees with the pair form, and κ does not depend on which rater is
        /// called first.
        #[test]
        fn kappa_from_a_table_is_kappa_from_its_pairs(
            raw in proptest::collection::vec((1_i64..=3, 1_i64..=3), 1..60)
        ) {
            let level = |v| RubricLevel::from_value(v).expect("1 to 3");
            let pairs: Vec<_> = raw.iter().map(|(a, b)| (level(*a), level(*b))).collect();
            let swapped: Vec<_> = pairs.iter().map(|(a, b)| (*b, *a)).collect();
            let mut table = [[0_i64; 3]; 3];
            for (a, b) in &raw {
                table[usize::try_from(a - 1).expect("small")][usize::try_from(b - 1).expect("small")] += 1;
            }
            let from_pairs = agreement(&pairs).expect("pairs");
            let from_table = agreement_of_table(&table).expect("pairs");
            let from_swapped = agreement(&swapped).expect("pairs");
            proptest::prop_assert_eq!(from_pairs.pairs as usize, raw.len());
            proptest::prop_assert!((from_pairs.percent - from_table.percent).abs() < 1e-12);
            proptest::prop_assert!((from_pairs.percent - from_swapped.percent).abs() < 1e-12);
            match (from_pairs.kappa, from_table.kappa, from_swapped.kappa) {
                (Some(a), Some(b), Some(c)) => {
                    proptest::prop_assert!((a - b).abs() < 1e-9 && (a - c).abs() < 1e-9);
                    proptest::prop_assert!(a <= 1.0 + 1e-12);
                }
                (None, None, None) => {}
                other => proptest::prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn links_are_checked_line_by_line() {
        let links = parse_links("https://example.org/a Lesson plan\n\n  http://x.example.org  ")
            .expect("valid");
        assert_eq!(
            links,
            vec![
                ("https://example.org/a".to_owned(), "Lesson plan".to_owned()),
                ("http://x.example.org".to_owned(), String::new()),
            ]
        );
        let e = parse_links("https://ok.example.org\nftp://nope").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let many = "https://a.example.org\n".repeat(LINKS_MAX + 1);
        assert!(parse_links(&many).unwrap_err().contains("at most"));
        assert!(check_rationale("  ", true).is_err());
        assert!(check_rationale("  ", false).is_ok());
        assert!(check_rationale(&"x".repeat(RATIONALE_MAX + 1), false).is_err());
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
