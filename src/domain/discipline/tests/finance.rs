//! The 12-month limitation decided per finding, with its reason (Art. 123(1)).

use super::*;

#[test]
fn ticked_needs_a_reason_and_unticked_keeps_none() {
    assert_eq!(finance_assets_reason(false, ""), Ok(None));
    assert_eq!(
        finance_assets_reason(false, "typed, then unticked"),
        Ok(None),
        "a reason beside an unticked box is not kept"
    );
    assert_eq!(
        finance_assets_reason(true, ""),
        Err(FinanceReasonError::Missing)
    );
    assert_eq!(
        finance_assets_reason(true, " \n\t "),
        Err(FinanceReasonError::Missing),
        "blank is no reason"
    );
    assert_eq!(
        finance_assets_reason(true, "  Thu tiền điện không xuất hóa đơn "),
        Ok(Some("Thu tiền điện không xuất hóa đơn".to_string()))
    );
}

#[test]
fn the_reason_may_be_as_long_as_its_limit_and_no_longer() {
    let longest = "x".repeat(FINANCE_REASON_MAX);
    assert_eq!(
        finance_assets_reason(true, &longest),
        Ok(Some(longest.clone()))
    );
    assert_eq!(
        finance_assets_reason(true, &format!("{longest}x")),
        Err(FinanceReasonError::TooLong)
    );
    // Characters, not bytes: Vietnamese letters count once.
    let accented = "ữ".repeat(FINANCE_REASON_MAX);
    assert!(finance_assets_reason(true, &accented).is_ok());
}

#[test]
fn the_findings_answer_not_the_category_sets_six_or_twelve_months() {
    let c = calendar();
    // A violation 12 months ago to the day: only the finding's answer carries it.
    let ticked = [ViolationFacts {
        finance_assets_secrets: true,
        ..violation(1, day(2025, 11, 27), Measure::Reprimand)
    }];
    assert!(judge(&facts(&ticked)).is_ok());
    let unticked = [violation(1, day(2025, 11, 27), Measure::Reprimand)];
    assert!(matches!(
        judge(&facts(&unticked)).unwrap_err()[..],
        [Refusal::TimeBarred { months: 6, .. }]
    ));
    assert_eq!(
        limitation_ends(day(2025, 11, 27), true, &settings(), &c),
        day(2026, 11, 27)
    );
}
