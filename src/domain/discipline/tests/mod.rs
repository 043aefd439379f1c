//! Unit tests of the discipline rules, across all parts (they share fixtures).

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::*;
use crate::domain::calendar::WorkingCalendar;

mod basis;
mod dismissal;
mod extension;
mod finance;
mod post;
mod sanction;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn settings() -> DisciplineSettings {
    DisciplineSettings::default()
}

/// Weekends only, plus 2/9/2026 (a Wednesday) as a holiday.
fn calendar() -> WorkingCalendar {
    WorkingCalendar::new([day(2026, 9, 2)])
}

/// 27/11/2026, the test suite's "today" (a Friday).
fn today() -> NaiveDate {
    day(2026, 11, 27)
}

/// A violation the internal labour regulations set out (article 1 of them).
fn violation(id: i32, date: NaiveDate, measure: Measure) -> ViolationFacts {
    ViolationFacts {
        finding_id: id,
        date,
        finance_assets_secrets: false,
        already_decided: false,
        measure,
        labour_rules: [1].into(),
    }
}

fn checked() -> ProtectedCheck {
    ProtectedCheck {
        checked: true,
        found: Some(ProtectedState::None),
    }
}

fn facts(violations: &[ViolationFacts]) -> DecisionFacts<'_> {
    DecisionFacts {
        today: today(),
        decision_date: today(),
        violations,
        protected: checked(),
        extension: None,
        minutes_recorded: true,
        hearing: super::hearing::Hearing::FULL,
        holds_post: true,
        dismissal_ground: Some(DismissalGround::TheftViolenceDrugs),
        prior_records: &[],
    }
}

fn judge(facts: &DecisionFacts<'_>) -> Result<Ruling, Vec<Refusal>> {
    rule(facts, &settings(), &calendar())
}

// Measures ----------------------------------------------------------------------------

#[test]
fn the_labour_code_forms_are_ordered_and_internal_measures_are_lightest() {
    let ladder = [
        Measure::Internal(1),
        Measure::Reprimand,
        Measure::PayRiseDeferral { months: 1 },
        Measure::PayRiseDeferral { months: 6 },
        Measure::RemovalFromPost,
        Measure::Dismissal,
    ];
    for pair in ladder.windows(2) {
        assert_eq!(pair[0].severity_cmp(pair[1]), Ordering::Less, "{pair:?}");
        assert_eq!(pair[1].severity_cmp(pair[0]), Ordering::Greater);
    }
    assert!(!Measure::Internal(1).is_disciplinary());
    assert!(ladder[1..].iter().all(|m| m.is_disciplinary()));
}

#[test]
fn only_the_heaviest_of_several_measures_applies() {
    assert_eq!(
        heaviest(&[
            Measure::Reprimand,
            Measure::RemovalFromPost,
            Measure::Internal(3)
        ]),
        Some(Measure::RemovalFromPost)
    );
    assert_eq!(
        heaviest(&[
            Measure::PayRiseDeferral { months: 2 },
            Measure::PayRiseDeferral { months: 5 },
            Measure::Reprimand,
        ]),
        Some(Measure::PayRiseDeferral { months: 5 })
    );
    assert_eq!(
        heaviest(&[Measure::Internal(4), Measure::Internal(2)]),
        Some(Measure::Internal(4)),
        "equal internal measures: the first proposed"
    );
    assert_eq!(heaviest(&[]), None);
}

#[test]
fn measure_choices_round_trip_and_deferrals_take_one_to_six_months() {
    for m in [
        Measure::Internal(7),
        Measure::Reprimand,
        Measure::PayRiseDeferral { months: 4 },
        Measure::RemovalFromPost,
        Measure::Dismissal,
    ] {
        assert_eq!(Measure::from_choice(&m.choice(), Some(4), 6), Ok(m));
        let months = match m {
            Measure::PayRiseDeferral { months } => Some(months as i32),
            _ => None,
        };
        let internal = match m {
            Measure::Internal(id) => Some(id),
            _ => None,
        };
        assert_eq!(Measure::from_stored(m.kind(), months, internal), Some(m));
        assert!(KINDS.contains(&m.kind()));
    }
    for months in [None, Some(0), Some(7)] {
        assert_eq!(
            Measure::from_choice("pay_rise_deferral", months, 6),
            Err(MeasureError::DeferralMonths),
            "{months:?}"
        );
    }
    for bad in ["", "warning", "internal:", "internal:x", "internal:0"] {
        assert_eq!(
            Measure::from_choice(bad, None, 6),
            Err(MeasureError::Unknown),
            "{bad}"
        );
    }
}

// Limitation --------------------------------------------------------------------------

#[test]
fn the_same_numbered_day_six_months_later_is_the_last_lawful_day() {
    let s = settings();
    let c = WorkingCalendar::default();
    assert_eq!(
        limitation_ends(day(2026, 5, 27), false, &s, &c),
        day(2026, 11, 27)
    );
    assert_eq!(
        limitation_ends(day(2025, 11, 27), true, &s, &c),
        day(2026, 11, 27)
    );
}

#[test]
fn a_month_without_the_same_day_ends_the_period_on_its_last_day() {
    let c = WorkingCalendar::new([]);
    let s = DisciplineSettings {
        limitation_rolls_over_days_off: false,
        ..settings()
    };
    assert_eq!(
        limitation_ends(day(2026, 8, 31), false, &s, &c),
        day(2027, 2, 28)
    );
    assert_eq!(
        limitation_ends(day(2027, 8, 31), false, &s, &c),
        day(2028, 2, 29)
    );
}

#[test]
fn a_limitation_ending_on_a_day_off_runs_to_the_next_working_day() {
    let c = calendar();
    assert_eq!(
        limitation_ends(day(2025, 12, 6), false, &settings(), &c),
        day(2026, 6, 8),
        "Saturday 6/6/2026 → Monday 8/6/2026"
    );
    assert_eq!(
        limitation_ends(day(2026, 3, 2), false, &settings(), &c),
        day(2026, 9, 3),
        "holiday 2/9/2026 → 3/9/2026"
    );
    let strict = DisciplineSettings {
        limitation_rolls_over_days_off: false,
        ..settings()
    };
    assert_eq!(
        limitation_ends(day(2025, 12, 6), false, &strict, &c),
        day(2026, 6, 6)
    );
}

fn decide_on_today(violated: NaiveDate, finance: bool) -> Result<Ruling, Vec<Refusal>> {
    let v = [ViolationFacts {
        finance_assets_secrets: finance,
        ..violation(1, violated, Measure::Reprimand)
    }];
    judge(&facts(&v))
}

#[test]
fn six_months_one_day_either_side() {
    assert!(
        decide_on_today(day(2026, 5, 28), false).is_ok(),
        "a day inside"
    );
    assert!(
        decide_on_today(day(2026, 5, 27), false).is_ok(),
        "exactly 6 months"
    );
    assert_eq!(
        decide_on_today(day(2026, 5, 26), false),
        Err(vec![Refusal::TimeBarred {
            violation: day(2026, 5, 26),
            last_day: day(2026, 11, 26),
            months: 6,
        }]),
        "a day too late"
    );
}

#[test]
fn twelve_months_one_day_either_side_for_finance_assets_or_secrets() {
    assert!(decide_on_today(day(2025, 11, 28), true).is_ok());
    assert!(decide_on_today(day(2025, 11, 27), true).is_ok());
    assert_eq!(
        decide_on_today(day(2025, 11, 26), true),
        Err(vec![Refusal::TimeBarred {
            violation: day(2025, 11, 26),
            last_day: day(2026, 11, 26),
            months: 12,
        }])
    );
    assert!(
        decide_on_today(day(2025, 11, 28), false).is_err(),
        "6 months without the flag"
    );
}

#[test]
fn internal_measures_are_not_bound_by_the_labour_code_rules() {
    let v = [violation(1, day(2025, 1, 1), Measure::Internal(2))];
    let mut f = facts(&v);
    f.protected = ProtectedCheck {
        checked: false,
        found: None,
    };
    f.minutes_recorded = false;
    let ruling = judge(&f).unwrap();
    assert_eq!(ruling.measure, Measure::Internal(2));
    assert_eq!(ruling.clears_on, None);
}

#[test]
fn a_decision_cannot_be_dated_in_the_future_or_before_the_violation() {
    let v = [violation(1, day(2026, 11, 20), Measure::Reprimand)];
    let mut f = facts(&v);
    f.decision_date = day(2026, 11, 28);
    assert_eq!(judge(&f), Err(vec![Refusal::DecisionInFuture]));
    f.decision_date = day(2026, 11, 19);
    assert_eq!(
        judge(&f),
        Err(vec![Refusal::DecisionBeforeViolation {
            violation: day(2026, 11, 20)
        }])
    );
}

// One measure per violation, the heaviest of several ------------------------------------

#[test]
fn a_violation_already_decided_cannot_be_decided_again() {
    let v = [
        violation(1, day(2026, 11, 1), Measure::Reprimand),
        ViolationFacts {
            already_decided: true,
            ..violation(2, day(2026, 10, 1), Measure::Dismissal)
        },
    ];
    assert_eq!(
        judge(&facts(&v)),
        Err(vec![Refusal::AlreadyDecided { finding_id: 2 }])
    );
}

#[test]
fn several_violations_handled_together_get_the_heaviest_measure_and_its_clearing() {
    let v = [
        violation(1, day(2026, 11, 1), Measure::Reprimand),
        violation(2, day(2026, 10, 1), Measure::RemovalFromPost),
        violation(3, day(2026, 9, 1), Measure::Internal(1)),
    ];
    let ruling = judge(&facts(&v)).unwrap();
    assert_eq!(ruling.measure, Measure::RemovalFromPost);
    assert_eq!(ruling.clears_on, Some(day(2029, 11, 28)));
}

#[test]
fn each_violation_handled_together_must_be_within_its_own_limitation() {
    let v = [
        violation(1, day(2026, 11, 1), Measure::Reprimand),
        violation(2, day(2026, 4, 1), Measure::Reprimand),
    ];
    assert!(matches!(
        judge(&facts(&v)).unwrap_err().as_slice(),
        [Refusal::TimeBarred { violation, .. }] if *violation == day(2026, 4, 1)
    ));
}

#[test]
fn no_violation_means_no_decision() {
    assert_eq!(judge(&facts(&[])), Err(vec![Refusal::NoViolation]));
}

// Protected states, minutes -------------------------------------------------------------

#[test]
fn the_protected_state_check_must_be_recorded() {
    let v = [violation(1, day(2026, 11, 1), Measure::Reprimand)];
    let mut f = facts(&v);
    for check in [
        ProtectedCheck {
            checked: false,
            found: Some(ProtectedState::None),
        },
        ProtectedCheck {
            checked: true,
            found: None,
        },
    ] {
        f.protected = check;
        assert_eq!(judge(&f), Err(vec![Refusal::ProtectedStateNotChecked]));
    }
}

#[test]
fn a_current_protected_state_refuses_discipline() {
    let v = [violation(1, day(2026, 11, 1), Measure::Dismissal)];
    let mut f = facts(&v);
    for state in ProtectedState::ALL
        .into_iter()
        .filter(|s| *s != ProtectedState::None)
    {
        f.protected = ProtectedCheck {
            checked: true,
            found: Some(state),
        };
        assert_eq!(
            judge(&f),
            Err(vec![Refusal::ProtectedStateCurrent(state)]),
            "{state:?}"
        );
    }
}

#[test]
fn a_disciplinary_decision_cites_its_minutes_and_every_refusal_is_reported() {
    let v = [violation(1, day(2026, 1, 1), Measure::Reprimand)];
    let mut f = facts(&v);
    f.minutes_recorded = false;
    f.protected = ProtectedCheck {
        checked: false,
        found: None,
    };
    let refusals = judge(&f).unwrap_err();
    let fields: Vec<&str> = refusals.iter().map(Refusal::field).collect();
    assert_eq!(
        fields,
        ["decision_date", "protected_state", "minutes_reference"]
    );
    assert!(refusals
        .iter()
        .all(|r| r.message_key().starts_with("error-discipline-")));
}

#[test]
fn protected_states_and_appeal_statuses_round_trip() {
    for s in ProtectedState::ALL {
        assert_eq!(ProtectedState::parse(s.as_str()), Some(s));
    }
    for s in AppealStatus::ALL {
        assert_eq!(AppealStatus::parse(s.as_str()), Some(s));
    }
    assert_eq!(ProtectedState::parse("holiday"), None);
}

// Clearing ------------------------------------------------------------------------------

#[test]
fn records_clear_the_day_after_their_period() {
    let s = settings();
    let decided = today();
    assert_eq!(
        clears_on(Measure::Reprimand, decided, &s),
        Some(day(2027, 2, 28))
    );
    assert_eq!(
        clears_on(Measure::PayRiseDeferral { months: 3 }, decided, &s),
        Some(day(2027, 5, 28))
    );
    assert_eq!(
        clears_on(Measure::RemovalFromPost, decided, &s),
        Some(day(2029, 11, 28))
    );
    assert_eq!(clears_on(Measure::Dismissal, decided, &s), None);
    assert_eq!(clears_on(Measure::Internal(1), decided, &s), None);
    let configured = DisciplineSettings {
        reprimand_clears_after_months: 1,
        internal_clears_after_months: Some(2),
        ..s
    };
    assert_eq!(
        clears_on(Measure::Reprimand, decided, &configured),
        Some(day(2026, 12, 28))
    );
    assert_eq!(
        clears_on(Measure::Internal(1), decided, &configured),
        Some(day(2027, 1, 28))
    );
}

#[test]
fn standing_moves_from_active_to_cleared_unless_a_further_violation_intervenes() {
    let decided = day(2026, 1, 10);
    let clears = clears_on(Measure::Reprimand, decided, &settings());
    assert_eq!(clears, Some(day(2026, 4, 11)));
    let at = |today, others: &[NaiveDate]| {
        standing(
            Measure::Reprimand,
            decided,
            clears,
            AppealStatus::None,
            others,
            today,
        )
    };
    assert_eq!(
        at(day(2026, 4, 10), &[]),
        Standing::Active {
            clears_on: day(2026, 4, 11)
        }
    );
    assert_eq!(
        at(day(2026, 4, 11), &[]),
        Standing::Cleared {
            since: day(2026, 4, 11)
        }
    );
    assert_eq!(
        at(day(2026, 6, 1), &[day(2025, 12, 1), day(2026, 3, 1)]),
        Standing::NotCleared {
            violation: day(2026, 3, 1)
        }
    );
    assert_eq!(
        at(day(2026, 6, 1), &[day(2026, 4, 11)]),
        Standing::Cleared {
            since: day(2026, 4, 11)
        },
        "a violation after the period does not block clearing"
    );
    assert!(at(day(2026, 4, 10), &[]).counts());
    assert!(!at(day(2026, 4, 11), &[]).counts());
}

#[test]
fn dismissal_stands_for_good_and_an_overturned_decision_counts_no_more() {
    let decided = day(2020, 1, 1);
    assert_eq!(
        standing(
            Measure::Dismissal,
            decided,
            None,
            AppealStatus::Upheld,
            &[],
            today()
        ),
        Standing::Permanent
    );
    let overturned = standing(
        Measure::Dismissal,
        decided,
        None,
        AppealStatus::Overturned,
        &[],
        today(),
    );
    assert_eq!(overturned, Standing::Overturned);
    assert!(!overturned.counts());
    assert_eq!(
        standing(
            Measure::Internal(1),
            decided,
            None,
            AppealStatus::None,
            &[],
            today()
        ),
        Standing::NotARecord
    );
}

// Appeals, repeat patterns, settings ------------------------------------------------------

#[test]
fn an_appeal_is_lodged_then_upheld_or_overturned() {
    use AppealStatus::*;
    for from in AppealStatus::ALL {
        for to in AppealStatus::ALL {
            let allowed = matches!(
                (from, to),
                (None, Lodged) | (Lodged, Upheld) | (Lodged, Overturned)
            );
            assert_eq!(from.change_to(to).is_ok(), allowed, "{from:?} → {to:?}");
        }
    }
}

#[test]
fn three_violations_within_twelve_months_make_a_repeat_pattern() {
    let three = [day(2026, 1, 10), day(2026, 6, 1), day(2027, 1, 10)];
    assert_eq!(
        repeat_pattern(&three, 3, 12),
        Some((day(2026, 1, 10), day(2027, 1, 10))),
        "the window's last day counts"
    );
    let spread = [day(2026, 1, 10), day(2026, 6, 1), day(2027, 1, 11)];
    assert_eq!(repeat_pattern(&spread, 3, 12), None);
    let mut later = spread.to_vec();
    later.push(day(2027, 2, 1));
    assert_eq!(
        repeat_pattern(&later, 3, 12),
        Some((day(2026, 6, 1), day(2027, 2, 1)))
    );
    assert_eq!(repeat_pattern(&three[..2], 3, 12), None);
    assert_eq!(
        repeat_pattern(&spread, 2, 12),
        Some((day(2026, 1, 10), day(2026, 6, 1)))
    );
}

#[test]
fn settings_default_to_the_labour_code_and_refuse_zeros() {
    let s = settings();
    assert_eq!((s.limitation_months, s.limitation_months_finance), (6, 12));
    assert_eq!(
        (
            s.reprimand_clears_after_months,
            s.pay_rise_deferral_clears_after_months,
            s.removal_clears_after_months
        ),
        (3, 6, 36)
    );
    assert_eq!((s.repeat_threshold, s.repeat_window_months), (3, 12));
    assert!(!s.reporter_sees_measures);
    assert!(s.validate().is_ok());
    let bad = DisciplineSettings {
        repeat_threshold: 0,
        ..s
    };
    assert_eq!(
        bad.validate(),
        Err("discipline.repeat_threshold must be positive".into())
    );
}
