//! Working days and the legal clocks of a case (Law on Denunciations 2018, Art. 24 acceptance,
//! Art. 29 notice, Art. 30 resolution and extensions).
//!
//! A working day is Monday–Friday and not a public holiday (holidays are data). The day of an
//! event is day 0; "within N working days" ends on the N-th working day after it. The
//! resolution clock counts calendar days from acceptance, plus any extensions; when its last
//! day is a day off, the period ends on the next working day (Civil Code 2015, Art. 148(5)).
//! An extension is granted only while the period runs: on the due day at the latest. All
//! durations are settings. Pure: dates in, dates out.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;

/// The calendar day of an instant in Asia/Ho_Chi_Minh, where every period is counted.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// Monday–Friday minus the holidays it knows.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The `n`-th working day after `start` (`start` itself is day 0).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// `day` when it is a working day, else the next working day: where a period whose last
    /// day is a day off ends (Civil Code 2015, Art. 148(5)).
    pub fn roll_to_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut day = day;
        while !self.is_working_day(day) {
            day = day + Days::new(1);
        }
        day
    }

    /// Working days from `start` (exclusive) to `end` (inclusive); 0 when `end <= start`.
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = start;
        while day < end {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

/// The configurable legal durations.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct DeadlineSettings {
    /// Decide whether to accept within this many working days of receipt (Art. 24).
    pub accept_working_days: u32,
    /// Tell the denouncer within this many working days of acceptance (Art. 29).
    pub notify_working_days: u32,
    /// Resolve within this many days of acceptance (Art. 30).
    pub resolve_days: u32,
    /// At most this many extensions (Art. 30: once, or twice for very complex cases).
    pub max_extensions: u32,
    /// Each extension at most this many days.
    pub max_extension_days: u32,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            accept_working_days: 7,
            notify_working_days: 5,
            resolve_days: 30,
            max_extensions: 2,
            max_extension_days: 30,
        }
    }
}

/// Due dates of a case's clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clocks {
    pub acceptance_due: NaiveDate,
    pub notify_due: Option<NaiveDate>,
    pub resolution_due: Option<NaiveDate>,
}

/// Computes the clocks from the receipt date, the acceptance date (once accepted) and the
/// extensions granted so far (days each).
pub fn clocks(
    calendar: &WorkingCalendar,
    settings: &DeadlineSettings,
    received: NaiveDate,
    accepted: Option<NaiveDate>,
    extensions: &[u32],
) -> Clocks {
    Clocks {
        acceptance_due: calendar.add_working_days(received, settings.accept_working_days),
        notify_due: accepted
            .map(|day| calendar.add_working_days(day, settings.notify_working_days)),
        resolution_due: accepted.map(|day| {
            let extra: u32 = extensions.iter().sum();
            calendar.roll_to_working_day(day + Days::new(u64::from(settings.resolve_days + extra)))
        }),
    }
}

/// Why an extension is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionRefusal {
    /// The period has already run out: an extension is asked for before the due date passes.
    TooLate,
    TooMany,
    TooLong,
    NoReason,
}

impl ExtensionRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            ExtensionRefusal::TooLate => "error-extension-too-late",
            ExtensionRefusal::TooMany => "error-extension-too-many",
            ExtensionRefusal::TooLong => "error-extension-too-long",
            ExtensionRefusal::NoReason => "error-reason-required",
        }
    }
}

/// Checks a requested extension, asked for on `today`, against the current due date and the
/// extensions already granted.
pub fn check_extension(
    settings: &DeadlineSettings,
    granted: usize,
    days: u32,
    reason: &str,
    (today, due): (NaiveDate, Option<NaiveDate>),
) -> Result<(), ExtensionRefusal> {
    if due.is_some_and(|due| today > due) {
        return Err(ExtensionRefusal::TooLate);
    }
    if granted as u32 >= settings.max_extensions {
        return Err(ExtensionRefusal::TooMany);
    }
    if days == 0 || days > settings.max_extension_days {
        return Err(ExtensionRefusal::TooLong);
    }
    if reason.trim().chars().count() < 5 {
        return Err(ExtensionRefusal::NoReason);
    }
    Ok(())
}

/// How close a clock is to its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    None,
    Half,
    ThreeQuarters,
    Ninety,
    /// 100 %: due today.
    Due,
    Overdue,
}

impl Alert {
    pub fn as_str(self) -> &'static str {
        match self {
            Alert::None => "none",
            Alert::Half => "half",
            Alert::ThreeQuarters => "three_quarters",
            Alert::Ninety => "ninety",
            Alert::Due => "due",
            Alert::Overdue => "overdue",
        }
    }
}

/// The alert level of a clock that started on `start` and is due on `due`, seen on `today`:
/// 50 %, 75 %, 90 %, 100 % (due today) of the time used, or past due.
pub fn alert(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> Alert {
    if today > due {
        return Alert::Overdue;
    }
    let total = (due - start).num_days().max(1) as f64;
    let used = (today - start).num_days().max(0) as f64 / total;
    if used >= 1.0 {
        Alert::Due
    } else if used >= 0.9 {
        Alert::Ninety
    } else if used >= 0.75 {
        Alert::ThreeQuarters
    } else if used >= 0.5 {
        Alert::Half
    } else {
        Alert::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Tết 2026 as the reference data ships it (14–22 Feb), plus 30/4 and 1/5.
    fn calendar() -> WorkingCalendar {
        let mut days: Vec<NaiveDate> = (14..=22).map(|n| d(2026, 2, n)).collect();
        days.extend([d(2026, 4, 30), d(2026, 5, 1), d(2026, 1, 1)]);
        WorkingCalendar::new(days)
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = calendar();
        // Friday 27/11/2026 + 7 working days = Tuesday 8/12/2026.
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 7), d(2026, 12, 8));
        // Saturday receipt: Monday is the first working day.
        assert_eq!(cal.add_working_days(d(2026, 11, 28), 1), d(2026, 11, 30));
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 0), d(2026, 11, 27));
    }

    #[test]
    fn tet_holidays_are_skipped() {
        let cal = calendar();
        // Thursday 12/2/2026: Fri 13 is day 1, then Tết until Sun 22, then Mon 23 …
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 1), d(2026, 2, 13));
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 2), d(2026, 2, 23));
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 7), d(2026, 3, 2));
        assert_eq!(cal.working_days_between(d(2026, 2, 12), d(2026, 3, 2)), 7);
    }

    #[test]
    fn reunification_and_labour_day_are_skipped() {
        let cal = calendar();
        // Wed 29/4/2026 + 1 → Mon 4/5/2026 (30/4, 1/5 holidays, then the weekend).
        assert_eq!(cal.add_working_days(d(2026, 4, 29), 1), d(2026, 5, 4));
    }

    #[test]
    fn clocks_follow_the_law_and_extensions_add_up() {
        let cal = calendar();
        let settings = DeadlineSettings::default();
        let received = clocks(&cal, &settings, d(2026, 11, 27), None, &[]);
        assert_eq!(received.acceptance_due, d(2026, 12, 8));
        assert_eq!(received.resolution_due, None);
        let accepted = clocks(&cal, &settings, d(2026, 11, 27), Some(d(2026, 12, 1)), &[]);
        assert_eq!(accepted.notify_due, Some(d(2026, 12, 8)));
        assert_eq!(accepted.resolution_due, Some(d(2026, 12, 31)));
        let extended = clocks(
            &cal,
            &settings,
            d(2026, 11, 27),
            Some(d(2026, 12, 1)),
            &[30, 15],
        );
        // 1/12/2026 + 75 days is Sunday 14/2/2027: the period ends on Monday 15/2.
        assert_eq!(extended.resolution_due, Some(d(2027, 2, 15)));
    }

    /// Tết 2027 (5–9/2) with its days in lieu (10–11/2), and Labour Day on a Saturday with
    /// Monday 3/5 in lieu.
    fn calendar_2027() -> WorkingCalendar {
        let mut days: Vec<NaiveDate> = (5..=11).map(|n| d(2027, 2, n)).collect();
        days.extend([d(2027, 1, 1), d(2027, 4, 30), d(2027, 5, 1), d(2027, 5, 3)]);
        WorkingCalendar::new(days)
    }

    #[test]
    fn a_resolution_period_ending_on_a_day_off_ends_on_the_next_working_day() {
        let cal = calendar_2027();
        let s = DeadlineSettings::default();
        let due = |accepted| clocks(&cal, &s, accepted, Some(accepted), &[]).resolution_due;
        // Accepted 7/1/2027: day 30 is Saturday 6/2, in Tết and its days in lieu → Fri 12/2.
        assert_eq!(due(d(2027, 1, 7)), Some(d(2027, 2, 12)));
        // Day 30 on a plain Sunday (4/4/2027) → Monday 5/4.
        assert_eq!(due(d(2027, 3, 5)), Some(d(2027, 4, 5)));
        // Day 30 on Monday 3/5/2027, the day in lieu of Labour Day → Tuesday 4/5.
        assert_eq!(due(d(2027, 4, 3)), Some(d(2027, 5, 4)));
        // Day 30 on a working day stays.
        assert_eq!(due(d(2027, 3, 1)), Some(d(2027, 3, 31)));
        assert_eq!(cal.roll_to_working_day(d(2027, 3, 31)), d(2027, 3, 31));
    }

    #[test]
    fn an_extension_is_granted_on_the_due_day_at_the_latest() {
        let s = DeadlineSettings::default();
        let due = Some(d(2027, 2, 12));
        let reason = "Vụ việc phức tạp, cần xác minh tại nhiều nơi";
        assert_eq!(
            check_extension(&s, 0, 30, reason, (d(2027, 2, 11), due)),
            Ok(())
        );
        assert_eq!(
            check_extension(&s, 0, 30, reason, (d(2027, 2, 12), due)),
            Ok(())
        );
        assert_eq!(
            check_extension(&s, 0, 30, reason, (d(2027, 2, 13), due)),
            Err(ExtensionRefusal::TooLate)
        );
    }

    #[test]
    fn at_most_two_extensions_of_thirty_days_each_with_a_reason() {
        let s = DeadlineSettings::default();
        let check_extension = |granted, days, reason: &str| {
            check_extension(&s, granted, days, reason, (d(2026, 12, 1), None))
        };
        assert_eq!(check_extension(0, 30, "Cần xác minh thêm"), Ok(()));
        assert_eq!(
            check_extension(0, 31, "Cần xác minh thêm"),
            Err(ExtensionRefusal::TooLong)
        );
        assert_eq!(
            check_extension(0, 0, "Cần xác minh thêm"),
            Err(ExtensionRefusal::TooLong)
        );
        assert_eq!(check_extension(1, 10, "Vụ việc phức tạp"), Ok(()));
        assert_eq!(
            check_extension(2, 10, "Vụ việc phức tạp"),
            Err(ExtensionRefusal::TooMany)
        );
        assert_eq!(
            check_extension(0, 10, "  "),
            Err(ExtensionRefusal::NoReason)
        );
    }

    #[test]
    fn alerts_fire_at_fifty_seventy_five_ninety_and_one_hundred_percent() {
        let start = d(2026, 1, 1);
        let due = d(2026, 1, 21); // 20 days
        assert_eq!(alert(start, due, d(2026, 1, 10)), Alert::None);
        assert_eq!(alert(start, due, d(2026, 1, 11)), Alert::Half);
        assert_eq!(alert(start, due, d(2026, 1, 16)), Alert::ThreeQuarters);
        assert_eq!(alert(start, due, d(2026, 1, 19)), Alert::Ninety);
        assert_eq!(alert(start, due, d(2026, 1, 21)), Alert::Due);
        assert_eq!(alert(start, due, d(2026, 1, 22)), Alert::Overdue);
    }
}
