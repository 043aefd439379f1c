//! Dismissal on a ground of Art. 125; re-offending (125(3)) only with an uncleared record.

use super::*;

fn deferral_decided(decided: NaiveDate) -> PriorRecord {
    let measure = Measure::PayRiseDeferral { months: 3 };
    PriorRecord {
        measure,
        decided,
        clears_on: clears_on(measure, decided, &settings()),
        appeal: AppealStatus::None,
    }
}

#[test]
fn grounds_round_trip_and_have_labels() {
    for ground in DismissalGround::ALL {
        assert_eq!(DismissalGround::parse(ground.as_str()), Some(ground));
        assert!(ground
            .label_key()
            .starts_with("discipline-dismissal-ground-art125-"));
    }
    assert_eq!(DismissalGround::parse(""), None);
    assert_eq!(DismissalGround::parse("art125_5"), None);
}

#[test]
fn a_dismissal_needs_its_ground_and_other_measures_keep_none() {
    let v = [violation(1, day(2026, 11, 20), Measure::Dismissal)];
    let without = DecisionFacts {
        dismissal_ground: None,
        ..facts(&v)
    };
    assert_eq!(judge(&without), Err(vec![Refusal::DismissalGroundMissing]));
    assert_eq!(Refusal::DismissalGroundMissing.field(), "dismissal_ground");
    for ground in [
        DismissalGround::TheftViolenceDrugs,
        DismissalGround::SecretsDamageHarassment,
        DismissalGround::Absence,
    ] {
        let with = DecisionFacts {
            dismissal_ground: Some(ground),
            ..facts(&v)
        };
        assert_eq!(judge(&with).unwrap().dismissal_ground, Some(ground));
    }
    // A ground typed for a lighter measure is neither needed nor kept.
    let reprimand = [violation(1, day(2026, 11, 20), Measure::Reprimand)];
    assert_eq!(judge(&facts(&reprimand)).unwrap().dismissal_ground, None);
    let bare = DecisionFacts {
        dismissal_ground: None,
        ..facts(&reprimand)
    };
    assert!(judge(&bare).is_ok());
}

#[test]
fn re_offending_counts_from_the_day_after_the_decision_to_the_day_before_clearing() {
    // Deferral decided 01/05/2026 with the 6-month setting: cleared from 02/11/2026.
    let prior = [deferral_decided(day(2026, 5, 1))];
    assert_eq!(prior[0].clears_on, Some(day(2026, 11, 2)));
    assert!(
        !reoffends(&prior, day(2026, 5, 1)),
        "the decision day itself"
    );
    assert!(reoffends(&prior, day(2026, 5, 2)), "the day after");
    assert!(
        reoffends(&prior, day(2026, 11, 1)),
        "the last day before clearing"
    );
    assert!(!reoffends(&prior, day(2026, 11, 2)), "cleared that day");
    let removal = PriorRecord {
        measure: Measure::RemovalFromPost,
        ..deferral_decided(day(2026, 5, 1))
    };
    assert!(reoffends(&[removal], day(2026, 6, 1)));
    let overturned = PriorRecord {
        appeal: AppealStatus::Overturned,
        ..prior[0]
    };
    assert!(!reoffends(&[overturned], day(2026, 6, 1)), "set aside");
    for lighter in [Measure::Reprimand, Measure::Internal(1)] {
        let record = PriorRecord {
            measure: lighter,
            ..prior[0]
        };
        assert!(!reoffends(&[record], day(2026, 6, 1)), "{lighter:?}");
    }
    assert!(!reoffends(&[], day(2026, 6, 1)));
}

#[test]
fn the_re_offending_ground_is_refused_without_an_uncleared_record() {
    let v = [violation(1, day(2026, 11, 1), Measure::Dismissal)];
    let repeat = Some(DismissalGround::Reoffending);
    let none = DecisionFacts {
        dismissal_ground: repeat,
        ..facts(&v)
    };
    assert_eq!(judge(&none), Err(vec![Refusal::NoUnclearedRecord]));
    let prior = [deferral_decided(day(2026, 5, 1))];
    let record = DecisionFacts {
        dismissal_ground: repeat,
        prior_records: &prior,
        ..facts(&v)
    };
    assert_eq!(judge(&record).unwrap().dismissal_ground, repeat);
    // The same record, but the violation after it cleared.
    let late = [violation(1, day(2026, 11, 2), Measure::Dismissal)];
    let cleared = DecisionFacts {
        dismissal_ground: repeat,
        prior_records: &prior,
        ..facts(&late)
    };
    assert_eq!(judge(&cleared), Err(vec![Refusal::NoUnclearedRecord]));
}
