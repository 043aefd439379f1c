//! Removal from post (cách chức) only for a person holding a managerial post (Art. 124).

use super::*;

fn without_post(violations: &[ViolationFacts]) -> DecisionFacts<'_> {
    DecisionFacts {
        holds_post: false,
        ..facts(violations)
    }
}

#[test]
fn removal_from_post_needs_a_post() {
    let removal = [violation(1, day(2026, 11, 20), Measure::RemovalFromPost)];
    assert_eq!(
        judge(&without_post(&removal)),
        Err(vec![Refusal::RemovalWithoutPost])
    );
    assert_eq!(Refusal::RemovalWithoutPost.field(), "measure");
    let ruling = judge(&facts(&removal)).expect("a person holding a post");
    assert_eq!(ruling.measure, Measure::RemovalFromPost);
}

#[test]
fn the_forms_either_side_of_removal_need_no_post() {
    for measure in [
        Measure::Internal(1),
        Measure::Reprimand,
        Measure::PayRiseDeferral { months: 6 },
        Measure::Dismissal,
    ] {
        let v = [violation(1, day(2026, 11, 20), measure)];
        assert!(judge(&without_post(&v)).is_ok(), "{measure:?}");
    }
}

#[test]
fn the_applied_measure_decides_not_a_lighter_or_heavier_proposal() {
    // Removal proposed for one violation, dismissal for another: dismissal applies.
    let dismissed = [
        violation(1, day(2026, 11, 20), Measure::RemovalFromPost),
        violation(2, day(2026, 11, 21), Measure::Dismissal),
    ];
    assert!(judge(&without_post(&dismissed)).is_ok());
    // Removal is the heaviest proposed: it applies, and needs the post.
    let removed = [
        violation(1, day(2026, 11, 20), Measure::Reprimand),
        violation(2, day(2026, 11, 21), Measure::RemovalFromPost),
    ];
    assert_eq!(
        judge(&without_post(&removed)),
        Err(vec![Refusal::RemovalWithoutPost])
    );
}
