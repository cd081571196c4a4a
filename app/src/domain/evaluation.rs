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
            (crate::t!(labels.stage_joined), self.joined),
            (crate::t!(labels.stage_baseline), self.baseline),
            (crate::t!(labels.stage_units), self.units),
            (crate::t!(labels.stage_submitted), self.submitted),
            (crate::t!(labels.stage_competent), self.competent),
        ]
    }
}

/// `part` as a whole-number percentage of `whole`, rounded half up (`"67 %"`); `"–"` when
/// `whole` is 0.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".to_owned();
    }
    crate::i18n::percent((part * 100 + whole / 2) / whole)
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

/// A sum and a count, for a mean shown to one decimal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mean {
    pub sum: i64,
    pub n: i64,
}

impl Mean {
    /// The mean in tenths, rounded half up; `None` when there is nothing to average.
    pub fn tenths(self) -> Option<i64> {
        (self.n > 0).then(|| (self.sum * 20 + self.n) / (2 * self.n))
    }

    /// `"2.4"`, or `"–"` when there is nothing to average.
    pub fn show(self) -> String {
        self.tenths()
            .map_or_else(|| "–".to_owned(), |t| format!("{}.{}", t / 10, t % 10))
    }
}

/// A four-level self-rating (1 Not yet … 4 Demonstrating) read on the assessors' three-level
/// rubric (1 Not evident … 3 Evident), so the two can be compared: Not yet → Not evident;
/// Emerging and Developing → Partly evident; Demonstrating → Evident. The same mapping is
/// written in SQL as [`SELF_ON_RUBRIC_SQL`].
pub fn self_on_rubric(self_level: i64) -> i64 {
    match self_level {
        i64::MIN..=1 => 1,
        4..=i64::MAX => 3,
        _ => 2,
    }
}

/// [`self_on_rubric`] as an SQL expression over a column `{}` holding the self-rating.
pub const SELF_ON_RUBRIC_SQL: &str = "CASE WHEN {} <= 1 THEN 1 WHEN {} >= 4 THEN 3 ELSE 2 END";

/// One indicator: how teachers rated themselves at baseline and now, the levels assessors gave
/// in each teacher's latest decided attempt, and how the two compare (aggregates only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorGrowth {
    /// Its competency's title.
    pub competency: String,
    /// The indicator's text.
    pub indicator: String,
    /// Self-ratings at baseline (1–4).
    pub baseline: Mean,
    /// Current self-ratings (1–4).
    pub current: Mean,
    /// Assessed levels `[Not evident, Partly evident, Evident]`: the standing review (the
    /// second marker's when moderation upheld it) of each teacher's latest decided attempt.
    pub assessed: [i64; 3],
    /// Of the assessed teachers with a current self-rating: the self-rating, read on the rubric
    /// by [`self_on_rubric`], equals the assessor's level …
    pub agree: i64,
    /// … is above it (the teacher rates themselves higher) …
    pub above: i64,
    /// … or below it.
    pub below: i64,
}

/// Business days (Monday to Friday, UTC) from the day of `from` to the day of `to` (epoch ms):
/// the weekdays `d` with `day(from) < d ≤ day(to)`. Same day: 0; submitted on a Friday and
/// decided on the Monday: 1. 0 when `to` is not after `from`. No public holidays are known.
pub fn business_days(from: i64, to: i64) -> i64 {
    // Days since Monday 1969-12-29 (1970-01-01 was a Thursday), and the weekdays before one.
    let monday_based = |ms: i64| ms.div_euclid(crate::domain::time::DAY_MS) + 3;
    let weekdays_before = |d: i64| d.div_euclid(7) * 5 + d.rem_euclid(7).min(5);
    let (a, b) = (monday_based(from), monday_based(to));
    if b <= a {
        return 0;
    }
    weekdays_before(b + 1) - weekdays_before(a + 1)
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of `sorted` (ascending): the smallest value
/// with at least p % of the values at or below it. `None` for no values.
pub fn percentile(sorted: &[i64], p: i64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = i64::try_from(sorted.len()).unwrap_or(i64::MAX);
    let rank = (p.clamp(1, 100) * n + 99) / 100;
    sorted.get(usize::try_from(rank - 1).unwrap_or(0)).copied()
}

/// The turnaround histogram's bins, in business days (inclusive; the last is open).
pub const TURNAROUND_BINS: [(i64, Option<i64>); 7] = [
    (0, Some(1)),
    (2, Some(3)),
    (4, Some(5)),
    (6, Some(10)),
    (11, Some(15)),
    (16, Some(20)),
    (21, None),
];

/// A submission waiting for its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub submission_id: i64,
    pub teacher: String,
    pub competency: String,
    pub cohort: String,
    /// Epoch ms.
    pub submitted_at: i64,
    /// Business days waited so far.
    pub days: i64,
    /// Beyond its cohort's target.
    pub late: bool,
}

/// Submission to decision, in business days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnaround {
    /// The cohort's target; `None` over several cohorts (each keeps its own).
    pub target_days: Option<i64>,
    /// Decisions counted.
    pub decided: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
    /// Decisions that took longer than their cohort's target.
    pub late: i64,
    /// Decisions per bin of [`TURNAROUND_BINS`].
    pub bins: Vec<i64>,
    /// Submissions waiting now, and how many of them are already beyond the target.
    pub waiting: i64,
    pub waiting_late: i64,
    /// The oldest waiting, oldest first (at most [`OLDEST_SHOWN`]).
    pub oldest: Vec<Waiting>,
}

/// How many of the oldest waiting submissions the page lists.
pub const OLDEST_SHOWN: usize = 10;

impl Turnaround {
    /// The figures from each decision's `(business days, its cohort's target)` and each
    /// waiting submission with its business days so far and target; `oldest` as read (oldest
    /// first), marked late here.
    pub fn from_days(
        target_days: Option<i64>,
        decided: &[(i64, i64)],
        waiting: &[(i64, i64)],
        oldest: Vec<Waiting>,
    ) -> Self {
        let mut days: Vec<i64> = decided.iter().map(|(d, _)| *d).collect();
        days.sort_unstable();
        let bins = TURNAROUND_BINS
            .iter()
            .map(|(lo, hi)| {
                let n = days
                    .iter()
                    .filter(|d| **d >= *lo && hi.is_none_or(|hi| **d <= hi))
                    .count();
                i64::try_from(n).unwrap_or(i64::MAX)
            })
            .collect();
        let count = |v: &[(i64, i64)], late: bool| {
            let n = v.iter().filter(|(d, t)| !late || d > t).count();
            i64::try_from(n).unwrap_or(i64::MAX)
        };
        Self {
            target_days,
            decided: count(decided, false),
            median: percentile(&days, 50),
            p90: percentile(&days, 90),
            late: count(decided, true),
            bins,
            waiting: count(waiting, false),
            waiting_late: count(waiting, true),
            oldest,
        }
    }
}

/// One assessor's work on the teachers in range.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssessorFigures {
    pub name: String,
    /// First reviews and second markings written.
    pub first: i64,
    pub second: i64,
    /// Their decisions by kind (first and second together).
    pub competent: i64,
    pub not_yet: i64,
    /// Claims whose time ran out before they decided.
    pub lapsed: i64,
    /// Second-marked submissions they marked (either side), and of those, decisions that agreed.
    pub moderated: i64,
    pub decisions_agreed: i64,
    /// Per-indicator agreement with the other marker on those submissions.
    pub agreement: Option<crate::domain::assessment::Agreement>,
}

/// The assessors of the teachers in range, and agreement between markers from moderation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Assessors {
    /// By name.
    pub rows: Vec<AssessorFigures>,
    /// Decided submissions, and those second-marked (both markings recorded).
    pub decided: i64,
    pub second_marked: i64,
    /// First and second decisions on the second-marked: percent and κ over the two decisions.
    pub decisions: Option<crate::domain::assessment::Agreement>,
    /// Their indicator levels, pair by pair.
    pub indicators: Option<crate::domain::assessment::Agreement>,
}

/// A share 0–1 as `"71 %"`; `"–"` when undefined.
pub fn show_share(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), share_text)
}

/// A share 0–1 as a whole percentage, rounded half away from zero (`0.665` is `"67 %"`).
/// Whole numbers only: formatting a float would put the float formatter (kilobytes) in the
/// browser's main module.
pub fn share_text(share: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    crate::i18n::percent((share * 100.0).round() as i64)
}

/// Cohen's κ to two decimals (`"0.70"`, « 0,70 »); `"–"` when undefined.
pub fn show_kappa(kappa: Option<f64>) -> String {
    kappa.map_or_else(|| "–".to_owned(), kappa_text)
}

/// Cohen's κ to two decimals, rounded half away from zero, in the page's language.
pub fn kappa_text(kappa: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let h = (kappa * 100.0).round() as i64;
    let sign = if h < 0 { "-" } else { "" };
    let h = h.abs();
    format!(
        "{sign}{}{}{:02}",
        h / 100,
        crate::i18n::decimal_separator(),
        h % 100
    )
}

/// What the evaluation page shows for a cohort (or every cohort of a framework, for an
/// institution coordinator) and a range of joining dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// 0 for every cohort of the framework.
    pub cohort_id: i64,
    /// The cohort's name, or "All cohorts".
    pub cohort_name: String,
    /// The framework's slug, and the frameworks that have cohorts (slug, title) for choosing.
    pub framework: String,
    pub frameworks: Vec<(String, String)>,
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
    /// Per indicator, in the framework's order.
    pub growth: Vec<IndicatorGrowth>,
    pub turnaround: Turnaround,
    pub assessors: Assessors,
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
    fn means_round_half_up_to_tenths() {
        assert_eq!(Mean { sum: 0, n: 0 }.show(), "–");
        assert_eq!(Mean { sum: 5, n: 2 }.show(), "2.5");
        assert_eq!(Mean { sum: 7, n: 3 }.show(), "2.3");
        assert_eq!(Mean { sum: 8, n: 3 }.show(), "2.7");
        assert_eq!(Mean { sum: 21, n: 8 }.show(), "2.6", "2.625");
        assert_eq!(Mean { sum: 4, n: 1 }.show(), "4.0");
    }

    #[test]
    fn self_ratings_read_on_the_rubric() {
        assert_eq!(
            [1, 2, 3, 4].map(self_on_rubric),
            [1, 2, 2, 3],
            "Not yet, Emerging, Developing, Demonstrating"
        );
        // The SQL form is the same mapping.
        assert_eq!(SELF_ON_RUBRIC_SQL.matches("{}").count(), 2);
    }

    /// Monday 2026-11-30 00:00 UTC, in epoch ms.
    const MONDAY: i64 = 1_795_996_800_000;
    const DAY: i64 = crate::domain::time::DAY_MS;

    #[test]
    fn business_days_skip_weekends() {
        assert_eq!(crate::domain::time::utc_date(MONDAY), "2026-11-30");
        let at = |day: i64, hour: i64| MONDAY + day * DAY + hour * 3_600_000;
        assert_eq!(business_days(at(0, 9), at(0, 17)), 0, "same day");
        assert_eq!(business_days(at(0, 9), at(1, 8)), 1, "Monday to Tuesday");
        assert_eq!(business_days(at(4, 9), at(7, 9)), 1, "Friday to Monday");
        assert_eq!(business_days(at(5, 9), at(7, 9)), 1, "Saturday to Monday");
        assert_eq!(business_days(at(4, 9), at(6, 9)), 0, "Friday to Sunday");
        assert_eq!(business_days(at(0, 9), at(14, 9)), 10, "two weeks");
        assert_eq!(business_days(at(3, 9), at(0, 9)), 0, "backwards");
    }

    proptest::proptest! {
        /// The closed form counts the same weekdays as walking day by day.
        #[test]
        fn business_days_match_a_day_by_day_count(
            from in 0_i64..4_000_000_000_000,
            span in 0_i64..(60 * 86_400_000),
        ) {
            let to = from + span;
            let (a, b) = (from.div_euclid(DAY), to.div_euclid(DAY));
            // 1970-01-01 (day 0) was a Thursday: weekday index 3 with Monday 0.
            let walked = ((a + 1)..=b).filter(|d| (d + 3).rem_euclid(7) < 5).count();
            proptest::prop_assert_eq!(business_days(from, to), i64::try_from(walked).expect("small"));
        }

        /// Nearest-rank percentiles are values of the sample, in order, and at least p % of the
        /// values are at or below them.
        #[test]
        fn percentiles_are_nearest_rank(mut v in proptest::collection::vec(0_i64..40, 1..50), p in 1_i64..=100) {
            v.sort_unstable();
            let q = percentile(&v, p).expect("values");
            proptest::prop_assert!(v.contains(&q));
            let at_or_below = v.iter().filter(|x| **x <= q).count() as i64;
            proptest::prop_assert!(at_or_below * 100 >= p * v.len() as i64);
            let below = v.iter().filter(|x| **x < q).count() as i64;
            proptest::prop_assert!(below * 100 < p * v.len() as i64);
        }
    }

    #[test]
    fn turnaround_figures_from_days() {
        let t = Turnaround::from_days(
            Some(5),
            &[(0, 5), (2, 5), (3, 5), (6, 5), (25, 5)],
            &[(1, 5), (9, 5)],
            vec![],
        );
        assert_eq!(t.decided, 5);
        assert_eq!(t.median, Some(3));
        assert_eq!(t.p90, Some(25));
        assert_eq!(t.late, 2, "6 and 25 are beyond 5");
        assert_eq!(t.bins, vec![1, 2, 0, 1, 0, 0, 1]);
        assert_eq!((t.waiting, t.waiting_late), (2, 1));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2), "the lower middle");
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
