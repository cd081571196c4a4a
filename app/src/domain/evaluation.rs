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
