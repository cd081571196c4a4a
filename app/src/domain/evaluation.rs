//! A cohort's evaluation (issue 17), as the coordinator's page shows it. Figures are computed
//! in SQL (`db::evaluation`); this module holds their shapes and how they are read.

use serde::{Deserialize, Serialize};

/// How far a group of teachers got, stage by stage. Each stage counts teachers, and each is a
/// subset of the one before it only in practice (a teacher may submit evidence before finishing
/// the baseline), so shares are always of `joined`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    /// Teachers who joined the cohort (in the date range, when one is chosen).
    pub joined: i64,
    /// Rated every indicator (of the framework, or of the competency) at baseline.
    pub baseline: i64,
    /// Marked every unit (of the framework, or of the competency) done.
    pub units: i64,
    /// Submitted evidence (for any competency, or for this one), whatever the decision.
    pub submitted: i64,
    /// Judged Competent (in every competency, or in this one).
    pub competent: i64,
}

impl Funnel {
    /// The stages in order, each with its name as the page and the CSV file say it.
    pub fn stages(&self) -> [(&'static str, i64); 5] {
        [
            ("Joined", self.joined),
            ("Baseline complete", self.baseline),
            ("Units done", self.units),
            ("Evidence submitted", self.submitted),
            ("Competent", self.competent),
        ]
    }
}

/// `part` as a whole-number percentage of `whole`, rounded half up (`"67 %"`); `"–"` when
/// `whole` is 0.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".to_owned();
    }
    format!("{} %", (part * 100 + whole / 2) / whole)
}

/// One competency's funnel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetencyFunnel {
    pub slug: String,
    pub title: String,
    pub funnel: Funnel,
}

/// Decisions on the evidence of the teachers in range, and how many attempts Competent took.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Decisions "Competent" (one per attempt judged so).
    pub competent: i64,
    /// Decisions "Not yet".
    pub not_yet: i64,
    /// `(attempt, decisions)`: how many Competent decisions came at the first, second, …
    /// attempt, by attempt number.
    pub to_competent: Vec<(i64, i64)>,
    /// Teachers (with a competency) whose last attempt was Not yet and who have used every
    /// attempt the cohort allows them (extra attempts included): they need a coordinator.
    pub at_limit: i64,
    /// The cohort's attempts per competency.
    pub max_attempts: i64,
}

impl Attempts {
    /// Mean attempt number of the Competent decisions, one decimal (`"1.5"`); `"–"` for none.
    pub fn mean_to_competent(&self) -> String {
        let (sum, n) = self
            .to_competent
            .iter()
            .fold((0, 0), |(s, c), (attempt, k)| (s + attempt * k, c + k));
        if n == 0 {
            return "–".to_owned();
        }
        // Tenths, rounded half up.
        let tenths = (sum * 10 * 2 + n) / (2 * n);
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// What the evaluation page shows for a cohort and a range of joining dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub cohort_id: i64,
    pub cohort_name: String,
    /// The range as chosen (`YYYY-MM-DD`, both days included), empty when open.
    pub from: String,
    pub to: String,
    /// Everyone: "baseline complete" is every indicator, "units done" every unit, "competent"
    /// every competency.
    pub overall: Funnel,
    /// Per competency, in the framework's order.
    pub competencies: Vec<CompetencyFunnel>,
    /// Decisions and attempts of the same teachers.
    pub attempts: Attempts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_and_never_divide_by_zero() {
        assert_eq!(percent(2, 3), "67 %");
        assert_eq!(percent(1, 3), "33 %");
        assert_eq!(percent(1, 8), "13 %", "12.5 rounds up");
        assert_eq!(percent(0, 5), "0 %");
        assert_eq!(percent(5, 5), "100 %");
        assert_eq!(percent(0, 0), "–");
    }

    #[test]
    fn the_mean_attempt_is_weighted_by_decisions() {
        let a = |to_competent: Vec<(i64, i64)>| Attempts {
            to_competent,
            ..Attempts::default()
        };
        assert_eq!(a(vec![]).mean_to_competent(), "–");
        assert_eq!(a(vec![(1, 3)]).mean_to_competent(), "1.0");
        assert_eq!(a(vec![(1, 1), (2, 1)]).mean_to_competent(), "1.5");
        // (1·2 + 3·1) / 3 = 1.666… → 1.7
        assert_eq!(a(vec![(1, 2), (3, 1)]).mean_to_competent(), "1.7");
        // (1·7 + 2·1) / 8 = 1.125 → 1.1
        assert_eq!(a(vec![(1, 7), (2, 1)]).mean_to_competent(), "1.1");
    }

    #[test]
    fn stages_keep_their_order() {
        let f = Funnel {
            joined: 5,
            baseline: 4,
            units: 3,
            submitted: 2,
            competent: 1,
        };
        let counts: Vec<i64> = f.stages().iter().map(|s| s.1).collect();
        assert_eq!(counts, [5, 4, 3, 2, 1]);
    }
}
