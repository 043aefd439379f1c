//! Clearing (Art. 126), a record's standing over time, appeals and repeat patterns. Part of
//! [`crate::domain::discipline`]; its items are re-exported there.

use chrono::NaiveDate;

use super::{add_months, DisciplineSettings, Measure};

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
