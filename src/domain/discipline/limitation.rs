//! The limitation period (Art. 123, counted per Civil Code Art. 147–148) with its lawful
//! extension, and the protected states of Art. 122(4). Part of [`crate::domain::discipline`];
//! its items are re-exported there, which is the path every caller uses.

use chrono::NaiveDate;

use super::{add_months, DisciplineSettings};
use crate::domain::calendar::WorkingCalendar;

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

/// Longest reason recorded for the 12-month limitation of a finding.
pub const FINANCE_REASON_MAX: usize = 2000;

/// Why a finding's answer to "directly concerns the employer's finances, assets, technology or
/// business secrets" is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinanceReasonError {
    /// Ticked without saying why (Art. 123(1)).
    Missing,
    /// Longer than [`FINANCE_REASON_MAX`] characters.
    TooLong,
}

impl FinanceReasonError {
    pub fn message_key(self) -> &'static str {
        match self {
            FinanceReasonError::Missing => "error-discipline-finance-reason-required",
            FinanceReasonError::TooLong => "error-discipline-field-long",
        }
    }
}

/// The 12 months of Art. 123(1) belong to the *violation*: one that directly concerns the
/// employer's finances, assets, or the disclosure of its technology or business secrets. A
/// finding records that answer with its reason; the violation category only suggests it.
/// Returns the reason to store: `None` when not ticked (a reason typed beside an unticked box
/// is not kept), the trimmed reason when ticked.
pub fn finance_assets_reason(
    ticked: bool,
    reason: &str,
) -> Result<Option<String>, FinanceReasonError> {
    let reason = reason.trim();
    if !ticked {
        return Ok(None);
    }
    if reason.is_empty() {
        Err(FinanceReasonError::Missing)
    } else if reason.chars().count() > FINANCE_REASON_MAX {
        Err(FinanceReasonError::TooLong)
    } else {
        Ok(Some(reason.to_string()))
    }
}

/// A recorded lawful extension of the limitation (Art. 123(2)): why, under which text, and the
/// day the protected period of Art. 122(4)(a)–(c) that stopped the discipline ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawfulExtension {
    pub reason: String,
    pub legal_basis: String,
    pub period_ended: NaiveDate,
}

/// How long Art. 123(2) lets the limitation run on after the protected period ends.
pub const EXTENSION_DAYS: i64 = 60;

/// The last day an extension carries a decision: 60 days counted from the day after the
/// protected period ended (Civil Code Art. 147), moved off a day off when the settings say so
/// (Art. 148).
pub fn extension_ends(
    extension: &LawfulExtension,
    settings: &DisciplineSettings,
    calendar: &WorkingCalendar,
) -> NaiveDate {
    let mut last = extension.period_ended + chrono::Duration::days(EXTENSION_DAYS);
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
