//! The lawful extension of the limitation (Labour Code Art. 123(2)).

use chrono::NaiveDate;

use super::*;

#[test]
fn a_recorded_lawful_extension_carries_a_late_decision() {
    let extension = LawfulExtension {
        reason: "Người lao động nghỉ ốm đến 01/11/2026".into(),
        legal_basis: "Khoản 2 Điều 123 Bộ luật Lao động 2019".into(),
        period_ended: day(2026, 11, 1),
    };
    let v = [violation(1, day(2026, 3, 1), Measure::Reprimand)];
    let mut f = facts(&v);
    assert!(judge(&f).is_err());
    f.extension = Some(&extension);
    let ruling = judge(&f).unwrap();
    assert!(ruling.extension_used);
    let inside = [violation(1, day(2026, 10, 1), Measure::Reprimand)];
    let mut f = facts(&inside);
    f.extension = Some(&extension);
    assert!(!judge(&f).unwrap().extension_used);
}

/// Art. 123(2): at most 60 days from the end of the protected period, counted from the next
/// day; today (27/11/2026) is the 60th day after 28/09/2026 and the 61st after 27/09/2026.
#[test]
fn an_extension_runs_sixty_days_from_the_end_of_the_protected_period_and_no_longer() {
    let v = [violation(1, day(2026, 3, 1), Measure::Reprimand)];
    let ended = |d: NaiveDate| LawfulExtension {
        reason: "Nghỉ ốm dài ngày".into(),
        legal_basis: "Khoản 2 Điều 123 Bộ luật Lao động 2019".into(),
        period_ended: d,
    };
    let last_day = ended(day(2026, 9, 28));
    let mut f = facts(&v);
    f.extension = Some(&last_day);
    assert!(judge(&f).unwrap().extension_used, "the 60th day");
    let one_late = ended(day(2026, 9, 27));
    f.extension = Some(&one_late);
    assert_eq!(
        judge(&f),
        Err(vec![Refusal::ExtensionTooLong {
            period_ended: day(2026, 9, 27),
            last_day: day(2026, 11, 26),
        }])
    );
    assert_eq!(
        Refusal::ExtensionTooLong {
            period_ended: today(),
            last_day: today()
        }
        .field(),
        "extension_period_ended"
    );
    // The 60th day on a Saturday or a holiday moves to the next working day (Civil Code 148).
    let (s, c) = (settings(), calendar());
    assert_eq!(
        extension_ends(&ended(day(2026, 9, 29)), &s, &c),
        day(2026, 11, 30)
    );
    assert_eq!(
        extension_ends(&ended(day(2026, 7, 4)), &s, &c),
        day(2026, 9, 3)
    );
}
