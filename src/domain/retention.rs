//! How long a closed case's personal data is kept, and when it is purged (Law on Personal Data
//! Protection No. 91/2025/QH15: data are kept no longer than their purpose needs).
//!
//! A case ends in one of five retention classes, decided by its track, its finding and whether
//! a disciplinary decision was recorded. Its personal data are due for purge a whole number of
//! years after closure. The team leads are warned `warn_days` before; a purge never happens
//! before a warning is that old, and never while a legal hold stands. The defaults follow the
//! retention list for complaint and denunciation files in Circular 10/2022/TT-BNV (ordinary
//! denunciation files 15 years) and keep the less weighty files shorter; each unit's archivist
//! may set longer periods in the settings.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The retention periods, in years after closure (`[default.retention]`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
// A misspelt period would otherwise keep its default silently, and data too long or too short.
#[serde(default, deny_unknown_fields)]
pub struct RetentionSettings {
    /// Tips closed without substance: declined, unsubstantiated, or closed without a finding.
    pub tip_no_substance_years: u32,
    /// Tips with a (partly) substantiated finding.
    pub tip_substantiated_years: u32,
    /// Denunciations (and unverified candidates) without substance, terminated or withdrawn.
    pub denunciation_no_substance_years: u32,
    /// Denunciations with a (partly) substantiated finding.
    pub denunciation_substantiated_years: u32,
    /// Any case behind a disciplinary decision.
    pub disciplinary_years: u32,
    /// How many days before the purge the team leads are warned.
    pub warn_days: u32,
    /// Whether the portal runs the retention itself once a day (false when a scheduler runs
    /// `conduct-portal retention run` instead).
    pub run_daily: bool,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            tip_no_substance_years: 5,
            tip_substantiated_years: 10,
            denunciation_no_substance_years: 10,
            denunciation_substantiated_years: 15,
            disciplinary_years: 20,
            warn_days: 30,
            run_daily: true,
        }
    }
}

impl RetentionSettings {
    /// Why the settings cannot be used, if they cannot: every period at least one year, the
    /// weightier outcome never kept shorter, a warning of at least one day.
    pub fn problem(&self) -> Option<&'static str> {
        let years = [
            self.tip_no_substance_years,
            self.tip_substantiated_years,
            self.denunciation_no_substance_years,
            self.denunciation_substantiated_years,
            self.disciplinary_years,
        ];
        if years.contains(&0) {
            return Some("every retention period must be at least one year");
        }
        if self.tip_substantiated_years < self.tip_no_substance_years
            || self.denunciation_substantiated_years < self.denunciation_no_substance_years
            || self.disciplinary_years < self.denunciation_substantiated_years
        {
            return Some("a substantiated or disciplinary file may not be kept shorter");
        }
        if self.warn_days == 0 || self.warn_days > 365 {
            return Some("warn_days must be between 1 and 365");
        }
        None
    }

    pub fn years(&self, class: RetentionClass) -> u32 {
        match class {
            RetentionClass::TipNoSubstance => self.tip_no_substance_years,
            RetentionClass::TipSubstantiated => self.tip_substantiated_years,
            RetentionClass::DenunciationNoSubstance => self.denunciation_no_substance_years,
            RetentionClass::DenunciationSubstantiated => self.denunciation_substantiated_years,
            RetentionClass::Disciplinary => self.disciplinary_years,
        }
    }

    /// The day a case closed on `closed_on` is due for purge.
    pub fn due_on(&self, class: RetentionClass, closed_on: NaiveDate) -> NaiveDate {
        add_years(closed_on, self.years(class))
    }
}

/// What a closed case is kept as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionClass {
    TipNoSubstance,
    TipSubstantiated,
    DenunciationNoSubstance,
    DenunciationSubstantiated,
    Disciplinary,
}

impl RetentionClass {
    pub const ALL: [RetentionClass; 5] = [
        RetentionClass::TipNoSubstance,
        RetentionClass::TipSubstantiated,
        RetentionClass::DenunciationNoSubstance,
        RetentionClass::DenunciationSubstantiated,
        RetentionClass::Disciplinary,
    ];

    /// `denunciation`: the case was (or was becoming) a denunciation; `substantiated`: its
    /// finding was substantiated or partly; `disciplined`: a disciplinary decision cites it.
    pub fn of(denunciation: bool, substantiated: bool, disciplined: bool) -> Self {
        match (disciplined, denunciation, substantiated) {
            (true, _, _) => RetentionClass::Disciplinary,
            (false, true, true) => RetentionClass::DenunciationSubstantiated,
            (false, true, false) => RetentionClass::DenunciationNoSubstance,
            (false, false, true) => RetentionClass::TipSubstantiated,
            (false, false, false) => RetentionClass::TipNoSubstance,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RetentionClass::TipNoSubstance => "tip_no_substance",
            RetentionClass::TipSubstantiated => "tip_substantiated",
            RetentionClass::DenunciationNoSubstance => "denunciation_no_substance",
            RetentionClass::DenunciationSubstantiated => "denunciation_substantiated",
            RetentionClass::Disciplinary => "disciplinary",
        }
    }

    /// The catalogue key of the class's name.
    pub fn label_key(self) -> &'static str {
        match self {
            RetentionClass::TipNoSubstance => "retention-class-tip-no-substance",
            RetentionClass::TipSubstantiated => "retention-class-tip-substantiated",
            RetentionClass::DenunciationNoSubstance => "retention-class-denunciation-no-substance",
            RetentionClass::DenunciationSubstantiated => {
                "retention-class-denunciation-substantiated"
            }
            RetentionClass::Disciplinary => "retention-class-disciplinary",
        }
    }
}

/// What the daily run does with one closed case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing yet.
    Keep,
    /// Warn the team leads now; the purge comes no earlier than `purge_from`.
    Warn { purge_from: NaiveDate },
    /// Warned long enough ago and due: purge.
    Purge,
    /// Due (or about to be), but a legal hold stands.
    Held,
}

/// The case's retention state on `today`: `due` from [`RetentionSettings::due_on`], `warned_on`
/// the day the team leads were warned, if they were.
pub fn step(
    settings: &RetentionSettings,
    due: NaiveDate,
    warned_on: Option<NaiveDate>,
    held: bool,
    today: NaiveDate,
) -> Step {
    let notice = Duration::days(i64::from(settings.warn_days));
    if today < due - notice {
        return Step::Keep;
    }
    if held {
        return Step::Held;
    }
    match warned_on {
        None => Step::Warn {
            purge_from: due.max(today + notice),
        },
        Some(warned) if today >= due && today >= warned + notice => Step::Purge,
        Some(_) => Step::Keep,
    }
}

/// `date` plus whole years; 29 February becomes 28 February in a common year.
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    let year = date.year() + years as i32;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), date.day() - 1))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_class_follows_the_weightiest_outcome() {
        assert_eq!(
            RetentionClass::of(false, false, false),
            RetentionClass::TipNoSubstance
        );
        assert_eq!(
            RetentionClass::of(false, true, false),
            RetentionClass::TipSubstantiated
        );
        assert_eq!(
            RetentionClass::of(true, false, false),
            RetentionClass::DenunciationNoSubstance
        );
        assert_eq!(
            RetentionClass::of(true, true, false),
            RetentionClass::DenunciationSubstantiated
        );
        assert_eq!(
            RetentionClass::of(false, false, true),
            RetentionClass::Disciplinary
        );
    }

    #[test]
    fn due_dates_count_whole_years_from_closure() {
        let s = RetentionSettings::default();
        assert_eq!(
            s.due_on(RetentionClass::TipNoSubstance, day(2026, 11, 27)),
            day(2031, 11, 27)
        );
        assert_eq!(
            s.due_on(RetentionClass::DenunciationSubstantiated, day(2028, 2, 29)),
            day(2043, 2, 28)
        );
    }

    #[test]
    fn warning_comes_first_and_the_purge_waits_for_it() {
        let s = RetentionSettings::default();
        let due = day(2031, 11, 27);
        assert_eq!(step(&s, due, None, false, day(2031, 10, 27)), Step::Keep);
        assert_eq!(
            step(&s, due, None, false, day(2031, 10, 28)),
            Step::Warn { purge_from: due }
        );
        // Warned, not yet due.
        assert_eq!(
            step(&s, due, Some(day(2031, 10, 28)), false, day(2031, 11, 26)),
            Step::Keep
        );
        assert_eq!(
            step(&s, due, Some(day(2031, 10, 28)), false, due),
            Step::Purge
        );
        // Never warned although long due (the job did not run, or a period was shortened):
        // warned now, purged thirty days later, not today.
        assert_eq!(
            step(&s, due, None, false, day(2033, 1, 1)),
            Step::Warn {
                purge_from: day(2033, 1, 31)
            }
        );
        assert_eq!(
            step(&s, due, Some(day(2033, 1, 1)), false, day(2033, 1, 30)),
            Step::Keep
        );
        assert_eq!(
            step(&s, due, Some(day(2033, 1, 1)), false, day(2033, 1, 31)),
            Step::Purge
        );
    }

    #[test]
    fn a_legal_hold_stops_warning_and_purge() {
        let s = RetentionSettings::default();
        let due = day(2031, 11, 27);
        assert_eq!(step(&s, due, None, true, due), Step::Held);
        assert_eq!(
            step(&s, due, Some(day(2031, 10, 28)), true, day(2040, 1, 1)),
            Step::Held
        );
        assert_eq!(step(&s, due, None, true, day(2030, 1, 1)), Step::Keep);
    }

    #[test]
    fn settings_refuse_zero_periods_and_inversions() {
        assert_eq!(RetentionSettings::default().problem(), None);
        let zero = RetentionSettings {
            tip_no_substance_years: 0,
            ..Default::default()
        };
        assert!(zero.problem().is_some());
        let inverted = RetentionSettings {
            disciplinary_years: 3,
            ..Default::default()
        };
        assert!(inverted.problem().is_some());
        let no_warning = RetentionSettings {
            warn_days: 0,
            ..Default::default()
        };
        assert!(no_warning.problem().is_some());
    }
}
