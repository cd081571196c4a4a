//! The review rules, table-driven over who is looking × the shape of the submission.

use super::*;

const NOW: i64 = 1_000_000;
const TEACHER: UserId = UserId::new(1);
const ME: UserId = UserId::new(2);
const OTHER: UserId = UserId::new(3);

/// Who is looking: an assessor of the cohort, a coordinator who is not one, an outsider.
#[derive(Clone, Copy, Debug)]
enum Viewer {
    Assessor,
    CoordinatorOnly,
    Outsider,
}

fn facts(viewer: Viewer) -> Facts {
    Facts {
        teacher: TEACHER,
        status: SubmissionStatus::Submitted,
        claim: None,
        assigned_to: None,
        viewer_assesses: matches!(viewer, Viewer::Assessor),
        viewer_coordinates: matches!(viewer, Viewer::CoordinatorOnly),
        moderation: None,
        first_assessor: None,
        second_marked: false,
    }
}

/// The shapes a submission takes, each from a plain submitted one.
fn shape(name: &str, mut f: Facts) -> Facts {
    let claim = |by, until| Some(Claim { by, until });
    let decided = |mut f: Facts, first| {
        f.status = SubmissionStatus::NotYet;
        f.first_assessor = Some(first);
        f
    };
    let sent = |mut f: Facts, first| {
        f = decided(f, first);
        f.moderation = Some(Moderation {
            second_assessor: None,
            resolved: false,
        });
        f
    };
    match name {
        "open" => {}
        "draft" => f.status = SubmissionStatus::Draft,
        "own work" => f.teacher = ME,
        "claimed by other" => f.claim = claim(OTHER, NOW + 1),
        "lapsed claim of other" => f.claim = claim(OTHER, NOW),
        "claimed by me" => f.claim = claim(ME, NOW + 1),
        "my lapsed claim" => f.claim = claim(ME, NOW - 1),
        "assigned to other" => f.assigned_to = Some(OTHER),
        "assigned to me" => f.assigned_to = Some(ME),
        "assigned to other, lapsed claim of mine" => {
            f.assigned_to = Some(OTHER);
            f.claim = claim(ME, NOW - 1);
        }
        "decided by other" => f = decided(f, OTHER),
        "decided by me" => f = decided(f, ME),
        "second marking, first by other" => f = sent(f, OTHER),
        "second marking, first by me" => f = sent(f, ME),
        "second marking assigned to other" => {
            f = sent(f, OTHER);
            f.moderation = Some(Moderation {
                second_assessor: Some(UserId::new(9)),
                resolved: false,
            });
        }
        "second marking made" => {
            f = sent(f, OTHER);
            f.second_marked = true;
        }
        "moderation resolved" => {
            f = sent(f, OTHER);
            f.moderation = Some(Moderation {
                second_assessor: None,
                resolved: true,
            });
        }
        other => panic!("no shape {other}"),
    }
    f
}

const TAKEN_ASSIGNED: Refusal = Refusal::Taken("a coordinator assigned this to another assessor");
const TAKEN_CLAIMED: Refusal = Refusal::Taken("another assessor is reviewing this now");
const TAKEN_HELD: Refusal = Refusal::Taken("another assessor holds this submission");
const ONLY_ASSESSORS: Refusal = Refusal::Taken("only an assessor of this cohort can review it");

#[test]
fn who_may_claim_and_decide() {
    use Marking::{First, Second};
    use Refusal::{NotFound, NotWaiting};
    use Viewer::{Assessor, CoordinatorOnly, Outsider};
    // (viewer, shape, may_claim, may_decide)
    type Outcome = Result<Marking, Refusal>;
    let cases: &[(Viewer, &str, Outcome, Outcome)] = &[
        (Assessor, "open", Ok(First), Ok(First)),
        (Assessor, "draft", Err(NotFound), Err(NotFound)),
        (Assessor, "own work", Err(NotFound), Err(NotFound)),
        (
            Assessor,
            "claimed by other",
            Err(TAKEN_CLAIMED),
            Err(TAKEN_HELD),
        ),
        (Assessor, "lapsed claim of other", Ok(First), Ok(First)),
        (Assessor, "claimed by me", Ok(First), Ok(First)),
        (Assessor, "my lapsed claim", Ok(First), Ok(First)),
        (
            Assessor,
            "assigned to other",
            Err(TAKEN_ASSIGNED),
            Err(TAKEN_HELD),
        ),
        (Assessor, "assigned to me", Ok(First), Ok(First)),
        (
            Assessor,
            "assigned to other, lapsed claim of mine",
            Err(TAKEN_ASSIGNED),
            Err(TAKEN_HELD),
        ),
        (
            Assessor,
            "decided by other",
            Err(NotWaiting),
            Err(NotWaiting),
        ),
        (
            Assessor,
            "second marking, first by other",
            Ok(Second),
            Ok(Second),
        ),
        (
            Assessor,
            "second marking, first by me",
            Err(NotWaiting),
            Err(NotWaiting),
        ),
        (
            Assessor,
            "second marking assigned to other",
            Err(TAKEN_ASSIGNED),
            Err(TAKEN_HELD),
        ),
        (
            Assessor,
            "second marking made",
            Err(NotWaiting),
            Err(NotWaiting),
        ),
        (
            Assessor,
            "moderation resolved",
            Err(NotWaiting),
            Err(NotWaiting),
        ),
        (
            CoordinatorOnly,
            "open",
            Err(ONLY_ASSESSORS),
            Err(ONLY_ASSESSORS),
        ),
        (
            CoordinatorOnly,
            "second marking, first by other",
            Err(NotWaiting),
            Err(NotWaiting),
        ),
        (CoordinatorOnly, "own work", Err(NotFound), Err(NotFound)),
        (Outsider, "open", Err(NotFound), Err(NotFound)),
        (
            Outsider,
            "second marking, first by other",
            Err(NotFound),
            Err(NotFound),
        ),
    ];
    for (viewer, name, claim, decide) in cases {
        let f = shape(name, facts(*viewer));
        assert_eq!(may_claim(&f, ME, NOW), *claim, "claim: {viewer:?}, {name}");
        assert_eq!(
            may_decide(&f, ME, NOW),
            *decide,
            "decide: {viewer:?}, {name}"
        );
    }
}

#[test]
fn who_may_assign_whom() {
    use Marking::{First, Second};
    use Refusal::{NotFound, NotWaiting};
    use Viewer::{Assessor, CoordinatorOnly, Outsider};
    let invalid = |message| Refusal::Invalid {
        field: "assessor",
        message,
    };
    // (viewer, shape, assessor, eligible, expected)
    type Outcome = Result<Marking, Refusal>;
    let cases: &[(Viewer, &str, UserId, bool, Outcome)] = &[
        (CoordinatorOnly, "open", OTHER, true, Ok(First)),
        (CoordinatorOnly, "claimed by other", OTHER, true, Ok(First)),
        (
            CoordinatorOnly,
            "open",
            OTHER,
            false,
            Err(invalid("choose an assessor of this submission's cohort")),
        ),
        (
            CoordinatorOnly,
            "open",
            TEACHER,
            true,
            Err(invalid("nobody assesses their own work")),
        ),
        (CoordinatorOnly, "own work", OTHER, true, Err(NotFound)),
        (CoordinatorOnly, "draft", OTHER, true, Err(NotFound)),
        (Assessor, "open", OTHER, true, Err(NotFound)),
        (Outsider, "open", OTHER, true, Err(NotFound)),
        (
            CoordinatorOnly,
            "decided by other",
            OTHER,
            true,
            Err(NotWaiting),
        ),
        (
            CoordinatorOnly,
            "second marking, first by other",
            ME,
            true,
            Ok(Second),
        ),
        (
            CoordinatorOnly,
            "second marking, first by other",
            OTHER,
            true,
            Err(invalid(
                "second marking needs someone other than the first assessor",
            )),
        ),
        (
            CoordinatorOnly,
            "second marking, first by me",
            OTHER,
            true,
            Err(NotFound),
        ),
        (
            CoordinatorOnly,
            "second marking made",
            ME,
            true,
            Err(NotWaiting),
        ),
        (
            CoordinatorOnly,
            "moderation resolved",
            ME,
            true,
            Err(NotWaiting),
        ),
    ];
    for (viewer, name, assessor, eligible, expected) in cases {
        let f = shape(name, facts(*viewer));
        assert_eq!(
            may_assign(&f, ME, *assessor, *eligible),
            *expected,
            "{viewer:?}, {name}, assessor {assessor}, eligible {eligible}"
        );
    }
}

#[test]
fn who_may_send_for_second_marking() {
    use Refusal::{NotFound, NotWaiting};
    use Viewer::{Assessor, CoordinatorOnly};
    let cases: &[(Viewer, &str, Result<(), Refusal>)] = &[
        (CoordinatorOnly, "decided by other", Ok(())),
        (CoordinatorOnly, "decided by me", Err(NotFound)),
        (CoordinatorOnly, "open", Err(NotWaiting)),
        (
            CoordinatorOnly,
            "second marking, first by other",
            Err(NotWaiting),
        ),
        (CoordinatorOnly, "own work", Err(NotFound)),
        (Assessor, "decided by other", Err(NotFound)),
    ];
    for (viewer, name, expected) in cases {
        let f = shape(name, facts(*viewer));
        assert_eq!(may_pick(&f, ME), *expected, "{viewer:?}, {name}");
    }
}

#[test]
fn who_may_resolve_a_moderation() {
    use Refusal::{NotFound, NotWaiting};
    use Verdict::{Competent, NotYet};
    let base = ResolveFacts {
        viewer_coordinates: true,
        teacher: TEACHER,
        first: (OTHER, Competent),
        second: Some((UserId::new(9), NotYet)),
        resolved: false,
    };
    let cases: &[(&str, ResolveFacts, Result<Verdict, Refusal>)] = &[
        ("both markings in", base, Ok(NotYet)),
        (
            "not a coordinator of the cohort",
            ResolveFacts {
                viewer_coordinates: false,
                ..base
            },
            Err(NotFound),
        ),
        (
            "own work",
            ResolveFacts {
                teacher: ME,
                ..base
            },
            Err(NotFound),
        ),
        (
            "own first decision",
            ResolveFacts {
                first: (ME, Competent),
                ..base
            },
            Err(NotFound),
        ),
        (
            "own second marking",
            ResolveFacts {
                second: Some((ME, NotYet)),
                ..base
            },
            Err(NotFound),
        ),
        (
            "second marking not made",
            ResolveFacts {
                second: None,
                ..base
            },
            Err(NotWaiting),
        ),
        (
            "resolved already",
            ResolveFacts {
                resolved: true,
                ..base
            },
            Err(NotWaiting),
        ),
    ];
    for (name, f, expected) in cases {
        assert_eq!(may_resolve(f, ME), *expected, "{name}");
    }
}

#[test]
fn a_resolution_changes_the_verdict_only_when_a_differing_second_stands() {
    use Marking::{First, Second};
    use Verdict::{Competent, NotYet};
    let cases = [
        (Competent, NotYet, Second, Some(NotYet)),
        (NotYet, Competent, Second, Some(Competent)),
        (Competent, NotYet, First, None),
        (Competent, Competent, Second, None),
        (NotYet, NotYet, First, None),
    ];
    for (first, second, stands, expected) in cases {
        assert_eq!(
            resolution_changes(first, second, stands),
            expected,
            "{first:?} then {second:?}, {stands:?} stands"
        );
    }
}

#[test]
fn extra_attempts_only_for_teachers_of_ones_cohorts_and_not_oneself() {
    assert_eq!(may_allow_attempt(true, TEACHER, ME), Ok(()));
    assert_eq!(
        may_allow_attempt(false, TEACHER, ME),
        Err(Refusal::NotFound)
    );
    assert_eq!(may_allow_attempt(true, ME, ME), Err(Refusal::NotFound));
}

#[test]
fn only_a_draft_may_be_edited() {
    assert_eq!(may_edit(SubmissionStatus::Draft), Ok(()));
    for status in [
        SubmissionStatus::Submitted,
        SubmissionStatus::Competent,
        SubmissionStatus::NotYet,
    ] {
        assert!(may_edit(status).is_err(), "{status:?}");
    }
}

#[test]
fn claim_state_shows_a_live_claim_first_then_an_assignment() {
    let name = || Some("Ada".to_owned());
    let live = Claim::from_columns(Some(OTHER), Some(NOW + 5));
    let lapsed = Claim::from_columns(Some(OTHER), Some(NOW));
    let mine = Claim::from_columns(Some(ME), Some(NOW + 5));
    let cases = [
        (None, None, ClaimState::Open),
        (
            live,
            None,
            ClaimState::Other {
                by: "Ada".into(),
                until: NOW + 5,
            },
        ),
        (mine, Some(OTHER), ClaimState::Mine { until: NOW + 5 }),
        (lapsed, None, ClaimState::Open),
        (
            lapsed,
            Some(OTHER),
            ClaimState::AssignedOther { to: "Ada".into() },
        ),
        (None, Some(ME), ClaimState::Mine { until: i64::MAX }),
    ];
    for (claim, assigned, expected) in cases {
        assert_eq!(
            claim_state(ME, NOW, claim, name(), assigned, name()),
            expected,
            "{claim:?}, assigned {assigned:?}"
        );
    }
    assert_eq!(Claim::from_columns(Some(ME), None), None);
}

#[test]
fn stored_words_round_trip_and_nothing_else_parses() {
    for m in Marking::ALL {
        assert_eq!(Marking::parse(m.as_str()), Some(m));
    }
    for v in Verdict::ALL {
        assert_eq!(Verdict::parse(v.as_str()), Some(v));
        assert_eq!(Verdict::from_competent(v.is_competent()), v);
    }
    for k in EvidenceKind::ALL {
        assert_eq!(EvidenceKind::parse(k.as_str()), Some(k));
    }
    for bad in ["", "First", "draft", "other"] {
        assert_eq!(Marking::parse(bad), None);
        assert_eq!(Verdict::parse(bad), None);
        assert_eq!(EvidenceKind::parse(bad), None);
    }
}
