//! Labour discipline under the Labour Code 2019 (Art. 122–127), as pure rules: dates in,
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
//! - **Dismissal** (Art. 125) records its ground; re-offending (125(3)) needs an earlier
//!   pay-rise deferral or removal from post not yet cleared on the violation day ([`dismissal`]).
//! - **Removal from post** (Art. 124) only for a person holding a managerial post.
//! - **Minutes** (Art. 122(1)(đ)): a disciplinary decision cites the meeting's minutes.
//! - **Taking part** (Art. 122(1)(b)–(c)): the representative body took part and the employee
//!   was heard, or a reason the law accepts is recorded ([`hearing`]).
//! - **Internal labour regulations** (Art. 127(3)): a Labour Code form only for violations
//!   the regulations set out — one of the culture-code articles breached is linked to an active
//!   regulation article; the decision cites those articles ([`basis`]).
//! - **Clearing** (Art. 126): a record is cleared the day after its period (counted like the
//!   limitation) ends — reprimand 3 months, pay-rise deferral 6 months, removal from post 3 years
//!   from the decision date — unless a further violation happened within the period. Dismissal
//!   never clears. Every duration is a setting ([`DisciplineSettings`]).
//!
//! The Labour Code rules (limitation, protected state, minutes, regulations) bind the Labour
//! Code forms;
//! an internal measure is not discipline under the Code, so they are not enforced for it.
//!
//! Layout: the settings and month arithmetic live here; the rules are in `measures`,
//! `limitation` (with the protected states), `basis`, `decision` and `standing`, all re-exported
//! so that `crate::domain::discipline::X` is the one path callers use.

mod basis;
mod decision;
mod dismissal;
pub mod hearing;
mod limitation;
mod measures;
mod standing;

pub use basis::*;
pub use decision::*;
pub use dismissal::*;
pub use limitation::*;
pub use measures::*;
pub use standing::*;

use chrono::{Months, NaiveDate};
use serde::Deserialize;

/// The configurable durations and thresholds (Labour Code Art. 123 and 126; settings, so a
/// legal department can correct them without a release).
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

#[cfg(test)]
mod tests;
