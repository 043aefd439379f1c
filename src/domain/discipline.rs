//! Labour discipline under the Labour Code 2019 (DOMAIN.md §3), as pure rules: dates in,
//! verdicts out. Used by the discipline slice (`src/discipline/`) and nothing else writes
//! disciplinary decisions.
//!
//! - **Measures** (Art. 124): reprimand < pay-rise deferral (1–6 months) < removal from post
//!   < dismissal. Internal, non-disciplinary measures (reminder, criticism, retraining…) come
//!   from an admin-edited list and are lighter than any Labour Code form.
//! - **One measure per violation; several violations handled together get only the heaviest**
//!   (Art. 122(1)–(3)): a decision names one or more violations of one person, each proposed a
//!   measure; the decision applies exactly one, [`heaviest`], and a violation already decided
//!   cannot be decided again.
//! - **Limitation** (Art. 123): 6 months from the violation, 12 when the violation is tied to
//!   finance, assets or disclosure of technology or business secrets. Counting follows the Civil
//!   Code 2015 (Art. 147–148), which applies where a law sets no rule of its own: the day of the
//!   violation is not counted, and the period ends at the end of the *same-numbered day* of the
//!   6th (12th) month after it, or the last day of that month when it has no such day. So a
//!   violation on 27/05/2026 may be decided on 27/11/2026 at the latest, and 31/08/2026 on
//!   28/02/2027. When that last day is a weekend or public holiday, the period runs to the end
//!   of the next working day (Art. 148(5); a setting). Later than that, the decision is refused
//!   unless a lawful extension is recorded with its reason and legal basis (Art. 123(2)).
//! - **Protected states** (Art. 122(4)): no discipline during approved leave, sick leave or
//!   convalescence, custody or detention, while awaiting the outcome of an investigation, or
//!   during pregnancy, maternity leave or while raising a child under 12 months. Every
//!   disciplinary decision records that this was checked and what was found; a current
//!   protected state refuses it.
//! - **Minutes** (Art. 122(1)(đ)): a disciplinary decision cites the meeting's minutes.
//! - **Clearing** (Art. 126): a record is cleared the day after its period (counted like the
//!   limitation) ends — reprimand 3 months, pay-rise deferral 6 months, removal from post 3 years
//!   from the decision date — unless a further violation happened within the period. Dismissal
//!   never clears. Every duration is a setting ([`DisciplineSettings`]).
//!
//! The Labour Code rules (limitation, protected state, minutes) bind the Labour Code forms;
//! an internal measure is not discipline under the Code, so they are not enforced for it.

use std::cmp::Ordering;

use chrono::{Months, NaiveDate};
use serde::Deserialize;

use super::calendar::WorkingCalendar;

/// The configurable durations and thresholds (DOMAIN.md §3: "default, verify").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DisciplineSettings {
    /// Months after the violation within which discipline may be decided (Art. 123).
    pub limitation_months: u32,
    /// The same, for violations tied to finance, assets or secrets.
    pub limitation_months_finance: u32,
    /// A limitation ending on a weekend or holiday runs to the next working day (Civil Code
    /// Art. 148(5)).
    pub limitation_rolls_over_days_off: bool,
    /// Longest pay-rise deferral (Art. 124: at most 6 months).
    pub max_deferral_months: u32,
    /// Months after which a reprimand is cleared (Art. 126).
    pub reprimand_clears_after_months: u32,
    /// Months after which a pay-rise deferral is cleared.
    pub pay_rise_deferral_clears_after_months: u32,
    /// Months after which a removal from post is cleared.
    pub removal_clears_after_months: u32,
    /// Months after which an internal measure stops counting; none: it is never a record.
    pub internal_clears_after_months: Option<u32>,
    /// Substantiated findings within `repeat_window_months` that flag a repeat pattern.
    pub repeat_threshold: u32,
    pub repeat_window_months: u32,
    /// The reporter also sees which measures were taken (never who was disciplined).
    pub reporter_sees_measures: bool,
}

impl Default for DisciplineSettings {
    fn default() -> Self {
        Self {
            limitation_months: 6,
            limitation_months_finance: 12,
            limitation_rolls_over_days_off: true,
            max_deferral_months: 6,
            reprimand_clears_after_months: 3,
            pay_rise_deferral_clears_after_months: 6,
            removal_clears_after_months: 36,
            internal_clears_after_months: None,
            repeat_threshold: 3,
            repeat_window_months: 12,
            reporter_sees_measures: false,
        }
    }
}

impl DisciplineSettings {
    /// Refuses settings that would make the rules meaningless.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("limitation_months", self.limitation_months),
            ("limitation_months_finance", self.limitation_months_finance),
            ("max_deferral_months", self.max_deferral_months),
            (
                "reprimand_clears_after_months",
                self.reprimand_clears_after_months,
            ),
            (
                "pay_rise_deferral_clears_after_months",
                self.pay_rise_deferral_clears_after_months,
            ),
            (
                "removal_clears_after_months",
                self.removal_clears_after_months,
            ),
            ("repeat_threshold", self.repeat_threshold),
            ("repeat_window_months", self.repeat_window_months),
        ];
        match positive.iter().find(|(_, value)| *value == 0) {
            Some((name, _)) => Err(format!("discipline.{name} must be positive")),
            None => Ok(()),
        }
    }
}

/// `day` plus `months` calendar months, on the same-numbered day or the last day of a
/// shorter month (31/08 + 6 months = 28/02 or 29/02).
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

// ---------------------------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------------------------

/// What a decision applies to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// An internal, non-disciplinary measure from the admin list (its id).
    Internal(i32),
    /// Khiển trách.
    Reprimand,
    /// Kéo dài thời hạn nâng lương, for 1–6 months.
    PayRiseDeferral { months: u32 },
    /// Cách chức.
    RemovalFromPost,
    /// Sa thải.
    Dismissal,
}

/// The stored kinds, lightest first.
pub const KINDS: [&str; 5] = [
    "internal",
    "reprimand",
    "pay_rise_deferral",
    "removal_from_post",
    "dismissal",
];

/// Why a chosen measure is not a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureError {
    Unknown,
    DeferralMonths,
}

impl MeasureError {
    pub fn message_key(self) -> &'static str {
        match self {
            MeasureError::Unknown => "error-discipline-measure-required",
            MeasureError::DeferralMonths => "error-discipline-deferral-months",
        }
    }
}

impl Measure {
    /// The stored kind (`measure` column).
    pub fn kind(self) -> &'static str {
        match self {
            Measure::Internal(_) => "internal",
            Measure::Reprimand => "reprimand",
            Measure::PayRiseDeferral { .. } => "pay_rise_deferral",
            Measure::RemovalFromPost => "removal_from_post",
            Measure::Dismissal => "dismissal",
        }
    }

    /// Severity: internal measures 0, then the Art. 124 forms in order.
    pub fn rank(self) -> u8 {
        match self {
            Measure::Internal(_) => 0,
            Measure::Reprimand => 1,
            Measure::PayRiseDeferral { .. } => 2,
            Measure::RemovalFromPost => 3,
            Measure::Dismissal => 4,
        }
    }

    /// True for the Labour Code forms (Art. 124).
    pub fn is_disciplinary(self) -> bool {
        !matches!(self, Measure::Internal(_))
    }

    /// The catalogue key of a Labour Code form's name; internal measures are named by data.
    pub fn label_key(self) -> &'static str {
        match self {
            Measure::Internal(_) => "measure-internal",
            Measure::Reprimand => "measure-reprimand",
            Measure::PayRiseDeferral { .. } => "measure-pay-rise-deferral",
            Measure::RemovalFromPost => "measure-removal-from-post",
            Measure::Dismissal => "measure-dismissal",
        }
    }

    /// The value of a `<select>` option: the kind, or `internal:<id>`.
    pub fn choice(self) -> String {
        match self {
            Measure::Internal(id) => format!("internal:{id}"),
            other => other.kind().to_string(),
        }
    }

    /// Reads a `<select>` choice; `deferral_months` is used by a pay-rise deferral only and
    /// must lie in `1..=max_months`.
    pub fn from_choice(
        choice: &str,
        deferral_months: Option<u32>,
        max_months: u32,
    ) -> Result<Self, MeasureError> {
        match choice.trim() {
            "reprimand" => Ok(Measure::Reprimand),
            "pay_rise_deferral" => match deferral_months {
                Some(months) if (1..=max_months).contains(&months) => {
                    Ok(Measure::PayRiseDeferral { months })
                }
                _ => Err(MeasureError::DeferralMonths),
            },
            "removal_from_post" => Ok(Measure::RemovalFromPost),
            "dismissal" => Ok(Measure::Dismissal),
            other => other
                .strip_prefix("internal:")
                .and_then(|id| id.parse::<i32>().ok())
                .filter(|id| *id > 0)
                .map(Measure::Internal)
                .ok_or(MeasureError::Unknown),
        }
    }

    /// Rebuilds a stored measure.
    pub fn from_stored(kind: &str, months: Option<i32>, internal_id: Option<i32>) -> Option<Self> {
        match kind {
            "internal" => internal_id.map(Measure::Internal),
            "reprimand" => Some(Measure::Reprimand),
            "pay_rise_deferral" => months
                .and_then(|m| u32::try_from(m).ok())
                .map(|months| Measure::PayRiseDeferral { months }),
            "removal_from_post" => Some(Measure::RemovalFromPost),
            "dismissal" => Some(Measure::Dismissal),
            _ => None,
        }
    }

    /// Orders two measures by severity; a longer deferral is heavier than a shorter one.
    pub fn severity_cmp(self, other: Measure) -> Ordering {
        let months = |m: Measure| match m {
            Measure::PayRiseDeferral { months } => months,
            _ => 0,
        };
        (self.rank(), months(self)).cmp(&(other.rank(), months(other)))
    }
}

/// The one measure a decision applies to several violations handled together: the heaviest
/// (Art. 122(3)). Among equally heavy internal measures the first proposed wins.
pub fn heaviest(measures: &[Measure]) -> Option<Measure> {
    measures.iter().copied().fold(None, |best, m| match best {
        Some(b) if m.severity_cmp(b) != Ordering::Greater => Some(b),
        _ => Some(m),
    })
}

// ---------------------------------------------------------------------------------------------
// Limitation
// ---------------------------------------------------------------------------------------------

/// The last day on which a violation on `violation` may still be disciplined (inclusive).
pub fn limitation_ends(
    violation: NaiveDate,
    finance_assets_secrets: bool,
    settings: &DisciplineSettings,
    calendar: &WorkingCalendar,
) -> NaiveDate {
    let months = if finance_assets_secrets {
        settings.limitation_months_finance
    } else {
        settings.limitation_months
    };
    let mut last = add_months(violation, months);
    if settings.limitation_rolls_over_days_off {
        while !calendar.is_working_day(last) {
            match last.succ_opt() {
                Some(next) => last = next,
                None => break,
            }
        }
    }
    last
}

/// A recorded lawful extension of the limitation (Art. 123(2)): why, and under which text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawfulExtension {
    pub reason: String,
    pub legal_basis: String,
}

// ---------------------------------------------------------------------------------------------
// Protected states
// ---------------------------------------------------------------------------------------------

/// What the check of Art. 122(4) found about the person on the decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtectedState {
    None,
    /// Nghỉ việc được sự đồng ý của người sử dụng lao động (incl. annual leave).
    Leave,
    /// Nghỉ ốm đau, điều dưỡng.
    SickLeave,
    /// Đang bị tạm giữ, tạm giam.
    Custody,
    /// Đang chờ kết quả của cơ quan có thẩm quyền điều tra xác minh.
    AwaitingInvestigation,
    /// Mang thai, nghỉ thai sản, nuôi con dưới 12 tháng tuổi.
    Pregnancy,
}

impl ProtectedState {
    pub const ALL: [ProtectedState; 6] = [
        ProtectedState::None,
        ProtectedState::Leave,
        ProtectedState::SickLeave,
        ProtectedState::Custody,
        ProtectedState::AwaitingInvestigation,
        ProtectedState::Pregnancy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProtectedState::None => "none",
            ProtectedState::Leave => "leave",
            ProtectedState::SickLeave => "sick_leave",
            ProtectedState::Custody => "custody",
            ProtectedState::AwaitingInvestigation => "awaiting_investigation",
            ProtectedState::Pregnancy => "pregnancy",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("discipline-protected-{}", self.as_str().replace('_', "-"))
    }
}

/// The recorded check: ticked or not, and what was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectedCheck {
    pub checked: bool,
    pub found: Option<ProtectedState>,
}

// ---------------------------------------------------------------------------------------------
// A decision
// ---------------------------------------------------------------------------------------------

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
    ProtectedStateNotChecked,
    ProtectedStateCurrent(ProtectedState),
    MinutesMissing,
}

impl Refusal {
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NoViolation => "error-discipline-no-violation",
            Refusal::AlreadyDecided { .. } => "error-discipline-already-decided",
            Refusal::DecisionInFuture => "error-discipline-decision-future",
            Refusal::DecisionBeforeViolation { .. } => "error-discipline-decision-before-violation",
            Refusal::TimeBarred { .. } => "error-discipline-time-barred",
            Refusal::ProtectedStateNotChecked => "error-discipline-protected-unchecked",
            Refusal::ProtectedStateCurrent(_) => "error-discipline-protected-current",
            Refusal::MinutesMissing => "error-discipline-minutes-required",
        }
    }

    /// The form field the message sits beside.
    pub fn field(&self) -> &'static str {
        match self {
            Refusal::NoViolation | Refusal::AlreadyDecided { .. } => "measure",
            Refusal::DecisionInFuture
            | Refusal::DecisionBeforeViolation { .. }
            | Refusal::TimeBarred { .. } => "decision_date",
            Refusal::ProtectedStateNotChecked | Refusal::ProtectedStateCurrent(_) => {
                "protected_state"
            }
            Refusal::MinutesMissing => "minutes_reference",
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
            if facts.extension.is_some() {
                extension_used = true;
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
    }
    if refusals.is_empty() {
        Ok(Ruling {
            measure,
            clears_on: clears_on(measure, facts.decision_date, settings),
            extension_used,
        })
    } else {
        Err(refusals)
    }
}

// ---------------------------------------------------------------------------------------------
// Clearing, appeals, repeat patterns
// ---------------------------------------------------------------------------------------------

/// The first day on which a measure decided on `decided` no longer counts (Art. 126): the day
/// after its period ends. `None`: never (dismissal; internal measures unless configured).
pub fn clears_on(
    measure: Measure,
    decided: NaiveDate,
    settings: &DisciplineSettings,
) -> Option<NaiveDate> {
    let months = match measure {
        Measure::Reprimand => Some(settings.reprimand_clears_after_months),
        Measure::PayRiseDeferral { .. } => Some(settings.pay_rise_deferral_clears_after_months),
        Measure::RemovalFromPost => Some(settings.removal_clears_after_months),
        Measure::Dismissal => None,
        Measure::Internal(_) => settings.internal_clears_after_months,
    }?;
    add_months(decided, months).succ_opt()
}

/// Where a decided measure stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// In force; cleared on the day given, if nothing intervenes.
    Active { clears_on: NaiveDate },
    /// In force for good (dismissal).
    Permanent,
    /// An internal measure that is no disciplinary record.
    NotARecord,
    /// Cleared since the day given.
    Cleared { since: NaiveDate },
    /// Its period is over, but a further violation within it prevents automatic clearing.
    NotCleared { violation: NaiveDate },
    /// Set aside on appeal.
    Overturned,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Active { .. } => "active",
            Standing::Permanent => "permanent",
            Standing::NotARecord => "not_a_record",
            Standing::Cleared { .. } => "cleared",
            Standing::NotCleared { .. } => "not_cleared",
            Standing::Overturned => "overturned",
        }
    }

    /// True while the measure counts against the person.
    pub fn counts(self) -> bool {
        matches!(
            self,
            Standing::Active { .. } | Standing::Permanent | Standing::NotCleared { .. }
        )
    }
}

/// The standing on `today` of a measure decided on `decided`, given the dates of the person's
/// other substantiated violations.
pub fn standing(
    measure: Measure,
    decided: NaiveDate,
    clears: Option<NaiveDate>,
    appeal: AppealStatus,
    other_violations: &[NaiveDate],
    today: NaiveDate,
) -> Standing {
    if appeal == AppealStatus::Overturned {
        return Standing::Overturned;
    }
    let Some(clears) = clears else {
        return if measure.is_disciplinary() {
            Standing::Permanent
        } else {
            Standing::NotARecord
        };
    };
    if today < clears {
        return Standing::Active { clears_on: clears };
    }
    match other_violations
        .iter()
        .filter(|d| **d > decided && **d < clears)
        .min()
    {
        Some(violation) => Standing::NotCleared {
            violation: *violation,
        },
        None => Standing::Cleared { since: clears },
    }
}

/// Where an appeal against a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealStatus {
    None,
    Lodged,
    Upheld,
    Overturned,
}

impl AppealStatus {
    pub const ALL: [AppealStatus; 4] = [
        AppealStatus::None,
        AppealStatus::Lodged,
        AppealStatus::Upheld,
        AppealStatus::Overturned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppealStatus::None => "none",
            AppealStatus::Lodged => "lodged",
            AppealStatus::Upheld => "upheld",
            AppealStatus::Overturned => "overturned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("discipline-appeal-{}", self.as_str())
    }

    /// The statuses reachable from this one: an appeal is lodged, then upheld or overturned.
    pub fn next(self) -> &'static [AppealStatus] {
        match self {
            AppealStatus::None => &[AppealStatus::Lodged],
            AppealStatus::Lodged => &[AppealStatus::Upheld, AppealStatus::Overturned],
            AppealStatus::Upheld | AppealStatus::Overturned => &[],
        }
    }

    /// Checks a change of status.
    pub fn change_to(self, to: AppealStatus) -> Result<AppealStatus, &'static str> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err("error-discipline-appeal-transition")
        }
    }
}

/// The first run of `threshold` violations within `window_months` of each other (both ends
/// inclusive), as (first, last) dates; `None` when there is no such run.
pub fn repeat_pattern(
    dates: &[NaiveDate],
    threshold: u32,
    window_months: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let span = usize::try_from(threshold.max(1)).ok()? - 1;
    let mut sorted = dates.to_vec();
    sorted.sort();
    sorted.iter().enumerate().find_map(|(i, first)| {
        let last = sorted.get(i + span)?;
        (*last <= add_months(*first, window_months)).then_some((*first, *last))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn violation(id: i32, date: NaiveDate, measure: Measure) -> ViolationFacts {
        ViolationFacts {
            finding_id: id,
            date,
            finance_assets_secrets: false,
            already_decided: false,
            measure,
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
    fn a_recorded_lawful_extension_carries_a_late_decision() {
        let extension = LawfulExtension {
            reason: "Người lao động nghỉ ốm đến 01/11/2026".into(),
            legal_basis: "Khoản 2 Điều 123 Bộ luật Lao động 2019".into(),
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
}
