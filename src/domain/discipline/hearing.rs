//! Who took part in the disciplinary meeting (Labour Code 2019, Art. 122(1)(b)–(c)): the
//! employee's representative body at the workplace, and the employee, present and able to
//! defend themselves. A Labour Code form needs both, unless a reason the law accepts is
//! recorded: the employee is not a member of the representative body, or the body was
//! notified and did not attend; the employee was notified in writing three times and still
//! did not attend (Decree 145/2020/NĐ-CP, Art. 70(4)). Part of [`crate::domain::discipline`].

/// The representative body's part in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representative {
    TookPart,
    /// The employee is not a member of the representative body.
    NotAMember,
    /// The body was notified and did not attend.
    AbsentAfterNotice,
    /// Neither taking part nor a lawful reason recorded.
    Missing,
}

/// The employee's part in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Employee {
    Heard,
    /// Notified in writing three times and still absent.
    AbsentAfterThreeNotices,
    Missing,
}

/// The reasons a form may record for each, as their stored codes.
pub const REPRESENTATIVE_REASONS: [&str; 2] = ["not_a_member", "absent_after_notice"];
pub const EMPLOYEE_REASONS: [&str; 1] = ["absent_after_three_notices"];

impl Representative {
    /// From the form: the box "took part" and the reason chosen when it did not.
    pub fn of(took_part: bool, reason: &str) -> Self {
        match (took_part, reason) {
            (true, _) => Representative::TookPart,
            (false, "not_a_member") => Representative::NotAMember,
            (false, "absent_after_notice") => Representative::AbsentAfterNotice,
            _ => Representative::Missing,
        }
    }

    /// The reason stored with the decision, when there is one.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Representative::NotAMember => Some("not_a_member"),
            Representative::AbsentAfterNotice => Some("absent_after_notice"),
            Representative::TookPart | Representative::Missing => None,
        }
    }
}

impl Employee {
    pub fn of(heard: bool, reason: &str) -> Self {
        match (heard, reason) {
            (true, _) => Employee::Heard,
            (false, "absent_after_three_notices") => Employee::AbsentAfterThreeNotices,
            _ => Employee::Missing,
        }
    }

    pub fn reason(self) -> Option<&'static str> {
        match self {
            Employee::AbsentAfterThreeNotices => Some("absent_after_three_notices"),
            Employee::Heard | Employee::Missing => None,
        }
    }
}

/// The meeting as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hearing {
    pub representative: Representative,
    pub employee: Employee,
}

impl Hearing {
    /// Both took part: what every test of the other rules assumes.
    pub const FULL: Hearing = Hearing {
        representative: Representative::TookPart,
        employee: Employee::Heard,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reasons_the_law_accepts_stand_in_for_taking_part() {
        assert_eq!(Representative::of(true, ""), Representative::TookPart);
        assert_eq!(
            Representative::of(false, "not_a_member"),
            Representative::NotAMember
        );
        assert_eq!(
            Representative::of(false, "absent_after_notice"),
            Representative::AbsentAfterNotice
        );
        assert_eq!(Representative::of(false, ""), Representative::Missing);
        assert_eq!(Representative::of(false, "busy"), Representative::Missing);
        assert_eq!(Employee::of(true, ""), Employee::Heard);
        assert_eq!(
            Employee::of(false, "absent_after_three_notices"),
            Employee::AbsentAfterThreeNotices
        );
        assert_eq!(Employee::of(false, "absent_once"), Employee::Missing);
        for code in REPRESENTATIVE_REASONS {
            assert_eq!(Representative::of(false, code).reason(), Some(code));
        }
        for code in EMPLOYEE_REASONS {
            assert_eq!(Employee::of(false, code).reason(), Some(code));
        }
    }
}

#[cfg(test)]
mod rule_tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::calendar::WorkingCalendar;
    use crate::domain::discipline::{
        rule, DecisionFacts, DisciplineSettings, DismissalGround, Measure, ProtectedCheck,
        ProtectedState, Refusal, ViolationFacts,
    };

    fn judge(measure: Measure, hearing: Hearing) -> Result<(), Vec<Refusal>> {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let violations = [ViolationFacts {
            finding_id: 1,
            date: day,
            finance_assets_secrets: false,
            already_decided: false,
            measure,
            labour_rules: [1].into(),
        }];
        let facts = DecisionFacts {
            today: day,
            decision_date: day,
            violations: &violations,
            protected: ProtectedCheck {
                checked: true,
                found: Some(ProtectedState::None),
            },
            extension: None,
            minutes_recorded: true,
            hearing,
            holds_post: true,
            dismissal_ground: Some(DismissalGround::Absence),
            prior_records: &[],
        };
        rule(
            &facts,
            &DisciplineSettings::default(),
            &WorkingCalendar::default(),
        )
        .map(|_| ())
    }

    #[test]
    fn a_labour_code_form_needs_both_parties_or_a_lawful_reason() {
        let missing = Hearing {
            representative: Representative::Missing,
            employee: Employee::Missing,
        };
        assert_eq!(
            judge(Measure::Reprimand, missing),
            Err(vec![
                Refusal::RepresentativeMissing,
                Refusal::EmployeeNotHeard
            ])
        );
        let excused = Hearing {
            representative: Representative::NotAMember,
            employee: Employee::AbsentAfterThreeNotices,
        };
        assert_eq!(judge(Measure::Reprimand, excused), Ok(()));
        assert_eq!(judge(Measure::Reprimand, Hearing::FULL), Ok(()));
        // An internal measure is not discipline under the Code.
        assert_eq!(judge(Measure::Internal(1), missing), Ok(()));
    }
}
