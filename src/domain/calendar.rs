//! Working days and the legal clocks of a case (Law on Denunciations 2018, Art. 24 acceptance,
//! Art. 29 notice, Art. 30 resolution and extensions).
//!
//! A working day is Monday–Friday and not a public holiday (holidays are data). The day of an
//! event is day 0; "within N working days" ends on the N-th working day after it. The
//! resolution clock counts calendar days from acceptance, plus any extensions; when its last
//! day is a day off, the period ends on the next working day (Civil Code 2015, Art. 148(5)).
//! An extension is granted only while the period runs: on the due day at the latest, once for a
//! complex case and twice for a very complex one (Art. 30(1)), each by a numbered decision with
//! its reason. The acceptance period may be lengthened once, to 10 working days, when checks
//! at several places are needed (Art. 24(1)), also before it has run out. All durations are
//! settings. Pure: dates in, dates out.

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
    /// … or this many, when lengthened for checks at several places (Art. 24(1)).
    pub accept_lengthened_working_days: u32,
    /// Tell the denouncer within this many working days of acceptance (Art. 29).
    pub notify_working_days: u32,
    /// Resolve within this many days of acceptance (Art. 30).
    pub resolve_days: u32,
    /// At most this many extensions (Art. 30: once, or twice for very complex cases).
    pub max_extensions: u32,
    /// Each extension at most this many days.
    pub max_extension_days: u32,
    /// A tip (no legal clock, `domain::track`) is reviewed within this many working days of
    /// receipt: the portal's own service target.
    pub tip_review_working_days: u32,
    /// … and answered with a result within this many days of receipt.
    pub tip_result_days: u32,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            accept_working_days: 7,
            accept_lengthened_working_days: 10,
            notify_working_days: 5,
            resolve_days: 30,
            max_extensions: 2,
            max_extension_days: 30,
            tip_review_working_days: 7,
            tip_result_days: 30,
        }
    }
}

/// The days in lieu of Labour Code 2019, Art. 111(3): a public holiday that falls on a weekly
/// day off (Saturday or Sunday) gives the next working day off. Each such holiday, in date
/// order, takes the first Monday–Friday after it that is neither a holiday nor already taken.
/// Used by the reference loader for years whose official plan is not yet published.
pub fn days_in_lieu(holidays: &BTreeSet<NaiveDate>) -> Vec<NaiveDate> {
    let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut taken: BTreeSet<NaiveDate> = BTreeSet::new();
    for holiday in holidays.iter().filter(|d| weekend(**d)) {
        let mut day = *holiday;
        while let Some(next) = day.succ_opt() {
            day = next;
            if !weekend(day) && !holidays.contains(&day) && !taken.contains(&day) {
                taken.insert(day);
                break;
            }
        }
    }
    taken.into_iter().collect()
}

/// Due dates of a case's clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clocks {
    pub acceptance_due: NaiveDate,
    pub notify_due: Option<NaiveDate>,
    pub resolution_due: Option<NaiveDate>,
}

/// Computes the clocks from the receipt date, the acceptance date (once accepted), the
/// extensions granted so far (days each) and the calendar days the resolution was suspended,
/// which do not count (Art. 34(2), `domain::procedure`).
pub fn clocks(
    calendar: &WorkingCalendar,
    settings: &DeadlineSettings,
    received: NaiveDate,
    accepted: Option<NaiveDate>,
    extensions: &[u32],
    paused: u32,
) -> Clocks {
    Clocks {
        acceptance_due: calendar.add_working_days(received, settings.accept_working_days),
        notify_due: accepted
            .map(|day| calendar.add_working_days(day, settings.notify_working_days)),
        resolution_due: accepted.map(|day| {
            let extra: u32 = extensions.iter().sum::<u32>() + paused;
            calendar.roll_to_working_day(day + Days::new(u64::from(settings.resolve_days + extra)))
        }),
    }
}

/// How complex a denunciation is found to be (Art. 30(1)): it decides how many extensions the
/// resolution may get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Complexity {
    /// Phức tạp: one extension.
    Complex,
    /// Đặc biệt phức tạp: two.
    VeryComplex,
}

impl Complexity {
    pub const ALL: [Complexity; 2] = [Complexity::Complex, Complexity::VeryComplex];

    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Complex => "complex",
            Complexity::VeryComplex => "very_complex",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("complexity-{}", self.as_str().replace('_', "-"))
    }

    /// How many extensions a case of this grade may get in all.
    pub fn extensions(self) -> u32 {
        match self {
            Complexity::Complex => 1,
            Complexity::VeryComplex => 2,
        }
    }
}

/// An extension as asked for.
#[derive(Debug, Clone, Copy)]
pub struct ExtensionRequest<'a> {
    pub days: u32,
    pub reason: &'a str,
    pub complexity: Option<Complexity>,
    /// The number of the written extension decision (quyết định gia hạn).
    pub decision_number: &'a str,
}

/// Why an extension is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionRefusal {
    /// The period has already run out: an extension is asked for before the due date passes.
    TooLate,
    /// No complexity grade: Art. 30 extends only complex cases.
    NoComplexity,
    /// More extensions than the grade allows.
    TooMany,
    TooLong,
    NoReason,
    NoDecision,
}

impl ExtensionRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            ExtensionRefusal::TooLate => "error-extension-too-late",
            ExtensionRefusal::NoComplexity => "error-extension-complexity",
            ExtensionRefusal::TooMany => "error-extension-too-many",
            ExtensionRefusal::TooLong => "error-extension-too-long",
            ExtensionRefusal::NoReason => "error-reason-required",
            ExtensionRefusal::NoDecision => "error-extension-decision",
        }
    }
}

/// Checks a requested extension, asked for on `today`, against the current due date and the
/// number of extensions already granted.
pub fn check_extension(
    settings: &DeadlineSettings,
    granted: usize,
    request: &ExtensionRequest<'_>,
    (today, due): (NaiveDate, Option<NaiveDate>),
) -> Result<(), ExtensionRefusal> {
    if due.is_some_and(|due| today > due) {
        return Err(ExtensionRefusal::TooLate);
    }
    let Some(complexity) = request.complexity else {
        return Err(ExtensionRefusal::NoComplexity);
    };
    if granted as u32 >= settings.max_extensions.min(complexity.extensions()) {
        return Err(ExtensionRefusal::TooMany);
    }
    if request.days == 0 || request.days > settings.max_extension_days {
        return Err(ExtensionRefusal::TooLong);
    }
    if request.reason.trim().chars().count() < 5 {
        return Err(ExtensionRefusal::NoReason);
    }
    if request.decision_number.trim().is_empty() {
        return Err(ExtensionRefusal::NoDecision);
    }
    Ok(())
}

/// Why lengthening the acceptance period is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengtheningRefusal {
    /// Asked for after the acceptance period ran out.
    TooLate,
    /// Lengthened once already.
    Already,
    NoReason,
}

impl LengtheningRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            LengtheningRefusal::TooLate => "error-lengthening-too-late",
            LengtheningRefusal::Already => "error-lengthening-already",
            LengtheningRefusal::NoReason => "error-reason-required",
        }
    }
}

/// Checks lengthening the acceptance period on `today` (due on `due`); `already` when it was.
pub fn check_lengthening(
    already: bool,
    reason: &str,
    (today, due): (NaiveDate, NaiveDate),
) -> Result<(), LengtheningRefusal> {
    if already {
        return Err(LengtheningRefusal::Already);
    }
    if today > due {
        return Err(LengtheningRefusal::TooLate);
    }
    if reason.trim().chars().count() < 5 {
        return Err(LengtheningRefusal::NoReason);
    }
    Ok(())
}

/// The lengthened acceptance due date: the given number of working days after receipt.
pub fn lengthened_acceptance_due(
    calendar: &WorkingCalendar,
    settings: &DeadlineSettings,
    received: NaiveDate,
) -> NaiveDate {
    calendar.add_working_days(received, settings.accept_lengthened_working_days)
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
        let received = clocks(&cal, &settings, d(2026, 11, 27), None, &[], 0);
        assert_eq!(received.acceptance_due, d(2026, 12, 8));
        assert_eq!(received.resolution_due, None);
        let accepted = clocks(
            &cal,
            &settings,
            d(2026, 11, 27),
            Some(d(2026, 12, 1)),
            &[],
            0,
        );
        assert_eq!(accepted.notify_due, Some(d(2026, 12, 8)));
        assert_eq!(accepted.resolution_due, Some(d(2026, 12, 31)));
        let extended = clocks(
            &cal,
            &settings,
            d(2026, 11, 27),
            Some(d(2026, 12, 1)),
            &[30, 15],
            0,
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
        let due = |accepted| clocks(&cal, &s, accepted, Some(accepted), &[], 0).resolution_due;
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

    fn request(days: u32, reason: &str, complexity: Option<Complexity>) -> ExtensionRequest<'_> {
        ExtensionRequest {
            days,
            reason,
            complexity,
            decision_number: "12/QĐ-TTr",
        }
    }

    #[test]
    fn an_extension_is_granted_on_the_due_day_at_the_latest() {
        let s = DeadlineSettings::default();
        let due = Some(d(2027, 2, 12));
        let asked = request(
            30,
            "Vụ việc phức tạp, cần xác minh tại nhiều nơi",
            Some(Complexity::Complex),
        );
        assert_eq!(
            check_extension(&s, 0, &asked, (d(2027, 2, 11), due)),
            Ok(())
        );
        assert_eq!(
            check_extension(&s, 0, &asked, (d(2027, 2, 12), due)),
            Ok(())
        );
        assert_eq!(
            check_extension(&s, 0, &asked, (d(2027, 2, 13), due)),
            Err(ExtensionRefusal::TooLate)
        );
    }

    #[test]
    fn a_complex_case_is_extended_once_a_very_complex_one_twice_thirty_days_each() {
        let s = DeadlineSettings::default();
        let check = |granted, days, reason: &str, grade| {
            check_extension(
                &s,
                granted,
                &request(days, reason, grade),
                (d(2026, 12, 1), None),
            )
        };
        let complex = Some(Complexity::Complex);
        let very = Some(Complexity::VeryComplex);
        assert_eq!(check(0, 30, "Cần xác minh thêm", complex), Ok(()));
        assert_eq!(
            check(0, 31, "Cần xác minh thêm", complex),
            Err(ExtensionRefusal::TooLong)
        );
        assert_eq!(
            check(0, 0, "Cần xác minh thêm", complex),
            Err(ExtensionRefusal::TooLong)
        );
        assert_eq!(
            check(1, 10, "Vụ việc phức tạp", complex),
            Err(ExtensionRefusal::TooMany)
        );
        assert_eq!(check(1, 10, "Vụ việc đặc biệt phức tạp", very), Ok(()));
        assert_eq!(
            check(2, 10, "Vụ việc đặc biệt phức tạp", very),
            Err(ExtensionRefusal::TooMany)
        );
        assert_eq!(
            check(0, 10, "Cần xác minh thêm", None),
            Err(ExtensionRefusal::NoComplexity)
        );
        assert_eq!(check(0, 10, "  ", complex), Err(ExtensionRefusal::NoReason));
        let unnumbered = ExtensionRequest {
            decision_number: " ",
            ..request(10, "Cần xác minh thêm", complex)
        };
        assert_eq!(
            check_extension(&s, 0, &unnumbered, (d(2026, 12, 1), None)),
            Err(ExtensionRefusal::NoDecision)
        );
        assert_eq!(Complexity::parse("very_complex"), very);
        assert_eq!(Complexity::parse("simple"), None);
    }

    /// Received Thursday 28/01/2027, with Tết 2027 (05–11/02, days in lieu included) in between.
    #[test]
    fn acceptance_is_lengthened_once_to_ten_working_days_before_it_runs_out() {
        let cal = calendar_2027();
        let s = DeadlineSettings::default();
        let received = d(2027, 1, 28);
        let due = cal.add_working_days(received, s.accept_working_days);
        assert_eq!(
            due,
            d(2027, 2, 15),
            "Fri 29, Mon–Thu 1–4/02, then after Tết 12 and 15"
        );
        assert_eq!(
            lengthened_acceptance_due(&cal, &s, received),
            d(2027, 2, 18)
        );
        let reason = "Cần xác minh tại ba điện lực";
        assert_eq!(
            check_lengthening(false, reason, (due, due)),
            Ok(()),
            "on the due day"
        );
        assert_eq!(
            check_lengthening(false, reason, (d(2027, 2, 16), due)),
            Err(LengtheningRefusal::TooLate)
        );
        assert_eq!(
            check_lengthening(true, reason, (d(2027, 2, 1), due)),
            Err(LengtheningRefusal::Already)
        );
        assert_eq!(
            check_lengthening(false, "   ", (d(2027, 2, 1), due)),
            Err(LengtheningRefusal::NoReason)
        );
    }

    #[test]
    fn a_holiday_on_a_weekend_gives_the_next_free_working_day_in_lieu() {
        // Tết 2027: Fri 5 – Tue 9/02 holds Sat 6 and Sun 7; Mon 8 and Tue 9 are Tết itself.
        let tet: BTreeSet<NaiveDate> = (5..=9).map(|n| d(2027, 2, n)).collect();
        assert_eq!(days_in_lieu(&tet), vec![d(2027, 2, 10), d(2027, 2, 11)]);
        // 1/5/2027 is a Saturday, 30/4 a Friday: Monday 3/5 in lieu.
        let may: BTreeSet<NaiveDate> = [d(2027, 4, 30), d(2027, 5, 1)].into();
        assert_eq!(days_in_lieu(&may), vec![d(2027, 5, 3)]);
        // No weekend holiday, nothing in lieu.
        let weekday: BTreeSet<NaiveDate> = [d(2027, 9, 2)].into();
        assert!(days_in_lieu(&weekday).is_empty());
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
