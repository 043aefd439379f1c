//! One decision judged against the Labour Code rules: limitation, protected state, minutes,
//! the internal labour regulations, one measure per violation and the heaviest of several. Part of
//! [`crate::domain::discipline`]; its items are re-exported there.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::hearing::{Employee, Hearing, Representative};
use super::{
    cited_rules, clears_on, extension_ends, heaviest, limitation_ends, not_set_out, reoffends,
    DisciplineSettings, DismissalGround, LawfulExtension, Measure, PriorRecord, ProtectedCheck,
    ProtectedState,
};
use crate::domain::calendar::WorkingCalendar;

/// One violation a decision would handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationFacts {
    pub finding_id: i32,
    pub date: NaiveDate,
    pub finance_assets_secrets: bool,
    /// A decision already handled it.
    pub already_decided: bool,
    /// The measure proposed for this violation.
    pub measure: Measure,
    /// The active internal labour regulation articles that set it out (Art. 127(3);
    /// [`super::LabourRuleMap::setting_out`]).
    pub labour_rules: BTreeSet<i32>,
}

/// Everything the rules need to judge a decision.
#[derive(Debug, Clone)]
pub struct DecisionFacts<'a> {
    pub today: NaiveDate,
    pub decision_date: NaiveDate,
    /// The violations handled together; the case's own first.
    pub violations: &'a [ViolationFacts],
    pub protected: ProtectedCheck,
    pub extension: Option<&'a LawfulExtension>,
    pub minutes_recorded: bool,
    /// Who took part in the meeting (Art. 122(1)(b)–(c)).
    pub hearing: Hearing,
    /// The staff directory records the person as holding a managerial post (Art. 124:
    /// removal from post applies only to such a person).
    pub holds_post: bool,
    /// The Art. 125 ground chosen, read only when the measure applied is dismissal.
    pub dismissal_ground: Option<DismissalGround>,
    /// The person's earlier decisions (Art. 125(3)).
    pub prior_records: &'a [PriorRecord],
}

/// Why a decision is refused. Each names the form field it belongs beside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoViolation,
    /// One measure per violation: this one already has its decision.
    AlreadyDecided {
        finding_id: i32,
    },
    DecisionInFuture,
    DecisionBeforeViolation {
        violation: NaiveDate,
    },
    /// Outside the limitation and no lawful extension recorded.
    TimeBarred {
        violation: NaiveDate,
        last_day: NaiveDate,
        months: u32,
    },
    /// Art. 123(2): the extension runs at most 60 days from the end of the protected period.
    ExtensionTooLong {
        period_ended: NaiveDate,
        last_day: NaiveDate,
    },
    ProtectedStateNotChecked,
    ProtectedStateCurrent(ProtectedState),
    MinutesMissing,
    /// Art. 122(1)(b): the representative body did not take part, and no lawful reason.
    RepresentativeMissing,
    /// Art. 122(1)(c): the employee was not heard, and not absent after three notices.
    EmployeeNotHeard,
    /// Art. 124: removal from post (cách chức) for a person recorded as holding no
    /// managerial post.
    RemovalWithoutPost,
    /// Art. 125: a dismissal names its ground.
    DismissalGroundMissing,
    /// Art. 125(3) chosen, but no violation handled happened while a pay-rise deferral or
    /// removal from post of the person was not yet cleared.
    NoUnclearedRecord,
    /// Art. 127(3): a Labour Code form for a violation no active article of the internal
    /// labour regulations sets out.
    NotSetOut {
        finding_id: i32,
        violation: NaiveDate,
    },
}

impl Refusal {
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NoViolation => "error-discipline-no-violation",
            Refusal::AlreadyDecided { .. } => "error-discipline-already-decided",
            Refusal::DecisionInFuture => "error-discipline-decision-future",
            Refusal::DecisionBeforeViolation { .. } => "error-discipline-decision-before-violation",
            Refusal::TimeBarred { .. } => "error-discipline-time-barred",
            Refusal::ExtensionTooLong { .. } => "error-discipline-extension-too-long",
            Refusal::ProtectedStateNotChecked => "error-discipline-protected-unchecked",
            Refusal::ProtectedStateCurrent(_) => "error-discipline-protected-current",
            Refusal::MinutesMissing => "error-discipline-minutes-required",
            Refusal::RepresentativeMissing => "error-discipline-representative-required",
            Refusal::EmployeeNotHeard => "error-discipline-employee-heard-required",
            Refusal::RemovalWithoutPost => "error-discipline-removal-without-post",
            Refusal::DismissalGroundMissing => "error-discipline-dismissal-ground-required",
            Refusal::NoUnclearedRecord => "error-discipline-dismissal-not-repeat",
            Refusal::NotSetOut { .. } => "error-discipline-not-in-labour-rules",
        }
    }

    /// The form field the message sits beside.
    pub fn field(&self) -> &'static str {
        match self {
            Refusal::NoViolation
            | Refusal::AlreadyDecided { .. }
            | Refusal::RemovalWithoutPost
            | Refusal::NotSetOut { .. } => "measure",
            Refusal::DecisionInFuture
            | Refusal::DecisionBeforeViolation { .. }
            | Refusal::TimeBarred { .. } => "decision_date",
            Refusal::ProtectedStateNotChecked | Refusal::ProtectedStateCurrent(_) => {
                "protected_state"
            }
            Refusal::ExtensionTooLong { .. } => "extension_period_ended",
            Refusal::MinutesMissing => "minutes_reference",
            Refusal::RepresentativeMissing => "representative_absence",
            Refusal::EmployeeNotHeard => "employee_absence",
            Refusal::DismissalGroundMissing | Refusal::NoUnclearedRecord => "dismissal_ground",
        }
    }
}

/// A decision the rules accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruling {
    /// The one measure applied: the heaviest proposed.
    pub measure: Measure,
    /// The day the record is cleared; `None` when it never is.
    pub clears_on: Option<NaiveDate>,
    /// True when at least one violation was outside the limitation and the recorded
    /// extension carried it.
    pub extension_used: bool,
    /// The Art. 125 ground, for a dismissal only.
    pub dismissal_ground: Option<DismissalGround>,
    /// The internal labour regulation articles the decision cites (Art. 127(3)).
    pub labour_rules: BTreeSet<i32>,
}

/// Judges a decision; every refusal is reported at once.
pub fn rule(
    facts: &DecisionFacts<'_>,
    settings: &DisciplineSettings,
    calendar: &WorkingCalendar,
) -> Result<Ruling, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let proposed: Vec<Measure> = facts.violations.iter().map(|v| v.measure).collect();
    let Some(measure) = heaviest(&proposed) else {
        return Err(vec![Refusal::NoViolation]);
    };
    for v in facts.violations.iter().filter(|v| v.already_decided) {
        refusals.push(Refusal::AlreadyDecided {
            finding_id: v.finding_id,
        });
    }
    if facts.decision_date > facts.today {
        refusals.push(Refusal::DecisionInFuture);
    }
    let mut extension_used = false;
    for v in facts.violations {
        if facts.decision_date < v.date {
            refusals.push(Refusal::DecisionBeforeViolation { violation: v.date });
            continue;
        }
        if !measure.is_disciplinary() {
            continue;
        }
        let last_day = limitation_ends(v.date, v.finance_assets_secrets, settings, calendar);
        if facts.decision_date > last_day {
            if let Some(extension) = facts.extension {
                let until = extension_ends(extension, settings, calendar);
                if facts.decision_date <= until {
                    extension_used = true;
                } else if !refusals
                    .iter()
                    .any(|r| matches!(r, Refusal::ExtensionTooLong { .. }))
                {
                    refusals.push(Refusal::ExtensionTooLong {
                        period_ended: extension.period_ended,
                        last_day: until,
                    });
                }
            } else {
                refusals.push(Refusal::TimeBarred {
                    violation: v.date,
                    last_day,
                    months: if v.finance_assets_secrets {
                        settings.limitation_months_finance
                    } else {
                        settings.limitation_months
                    },
                });
            }
        }
    }
    refusals.extend(not_set_out(measure, facts.violations));
    if measure == Measure::RemovalFromPost && !facts.holds_post {
        refusals.push(Refusal::RemovalWithoutPost);
    }
    let dismissal_ground = if measure == Measure::Dismissal {
        match facts.dismissal_ground {
            None => refusals.push(Refusal::DismissalGroundMissing),
            Some(DismissalGround::Reoffending)
                if !facts
                    .violations
                    .iter()
                    .any(|v| reoffends(facts.prior_records, v.date)) =>
            {
                refusals.push(Refusal::NoUnclearedRecord)
            }
            Some(_) => {}
        }
        facts.dismissal_ground
    } else {
        None
    };
    if measure.is_disciplinary() {
        match facts.protected {
            ProtectedCheck { checked: false, .. } | ProtectedCheck { found: None, .. } => {
                refusals.push(Refusal::ProtectedStateNotChecked)
            }
            ProtectedCheck {
                found: Some(state), ..
            } if state != ProtectedState::None => {
                refusals.push(Refusal::ProtectedStateCurrent(state))
            }
            _ => {}
        }
        if !facts.minutes_recorded {
            refusals.push(Refusal::MinutesMissing);
        }
        if facts.hearing.representative == Representative::Missing {
            refusals.push(Refusal::RepresentativeMissing);
        }
        if facts.hearing.employee == Employee::Missing {
            refusals.push(Refusal::EmployeeNotHeard);
        }
    }
    if refusals.is_empty() {
        Ok(Ruling {
            measure,
            clears_on: clears_on(measure, facts.decision_date, settings),
            extension_used,
            dismissal_ground,
            labour_rules: cited_rules(facts.violations),
        })
    } else {
        Err(refusals)
    }
}
