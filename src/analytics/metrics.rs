//! The definitions behind every figure, pure: what one report contributes to the rollups, how
//! percentiles are read from a histogram, and when a count is too small to show.
//!
//! Every figure describes the reports **received** in the chosen months (a cohort), in their
//! current state:
//! - *open*: received, accepted, investigating, awaiting the reporter, or suspended (a
//!   denunciation's resolution waiting on another body; its clock stands still, so it is never
//!   overdue);
//! - *overdue*: open and past the clock that runs now — acceptance while received, resolution
//!   (with extensions) once accepted — i.e. due before today in Hà Nội;
//! - *closed*: status closed, or terminated (a denunciation's resolution ended without a
//!   conclusion, Art. 34(3): it is finished, with no finding); *days to close*: Hà Nội calendar days from receipt to closure;
//!   *closed on time*: closed on or before the resolution due date — a denunciation's legal one,
//!   a tip's service target (`domain::track`) — or the acceptance (review) due date when there
//!   is none;
//! - *substantiation rate*: substantiated or partly substantiated findings over the concluded
//!   or closed cases that have a finding;
//! - *anonymous follow-up rate*: anonymous reports whose reporter opened the follow-up page at
//!   least once (`reporter_last_seen_at` set) over anonymous reports;
//! - *satisfaction*: the mean of the reporters' ratings (1–5).
//!
//! Days to close go into a histogram of [`BUCKETS`]: one bucket per day for the first week,
//! then buckets ending at 10, 14, 21, 30, 45, 60, 90, 120 and 180 days, and one for everything
//! longer ([`DAYS_CAP`], "more than 180 days"). A bucket is stored as its upper bound.
//! Percentiles use the nearest-rank definition — the value at rank ⌈q·n⌉ of the sorted days —
//! and are reported as the upper bound of the bucket that value falls in: exact up to 7 days,
//! "at most N days" above. (A per-day histogram made the dashboard scan ~70 rows per month and
//! unit instead of ~10, too slow at a million reports.)

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::calendar::local_date;
use crate::domain::status::CaseStatus;
use crate::domain::workflow::Finding;

/// Upper bounds (days, inclusive) of the days-to-close histogram buckets.
pub const BUCKETS: [i32; 17] = [0, 1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180];
/// The bucket of everything longer than the last bound ("more than 180 days").
pub const DAYS_CAP: i32 = 181;
/// Counts below this are shown as "<5" wherever a breakdown could single someone out.
pub const SMALL_COUNT: i64 = crate::domain::suppression::SMALL_COUNT;

/// A month as `yyyymm`, the rollups' time key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month(pub i32);

impl Month {
    pub fn of_date(day: NaiveDate) -> Self {
        Month(day.year() * 100 + day.month() as i32)
    }

    /// The Hà Nội month of an instant.
    pub fn of(at: DateTime<Utc>) -> Self {
        Month::of_date(local_date(at))
    }

    pub fn year(self) -> i32 {
        self.0 / 100
    }

    pub fn month(self) -> u32 {
        (self.0 % 100) as u32
    }

    /// Parses `yyyy-mm` (or a `yyyy-mm-dd` date, taking its month).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let head = text.get(..7)?;
        let (year, month) = head.split_once('-')?;
        let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
        let rest = &text[7..];
        if !(1..=12).contains(&month) || !(2000..=2999).contains(&year) {
            return None;
        }
        if !rest.is_empty() {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        }
        Some(Month(year * 100 + month as i32))
    }

    pub fn plus(self, months: i32) -> Self {
        let index = self.year() * 12 + self.month() as i32 - 1 + months;
        Month(index.div_euclid(12) * 100 + index.rem_euclid(12) + 1)
    }

    /// `yyyy-mm`, as the month input sends it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }

    /// `mm/yyyy`, as people read it.
    pub fn label(self) -> String {
        format!("{:02}/{:04}", self.month(), self.year())
    }

    /// Every month from `self` to `last`, inclusive.
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut month = self;
        while month <= last && out.len() < 1200 {
            out.push(month);
            month = month.plus(1);
        }
        out
    }
}

/// What the rollups need to know about one report and its case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    pub received_at: DateTime<Utc>,
    pub unit_id: i32,
    pub category_id: i32,
    pub anonymous: bool,
    pub reporter_returned: bool,
    pub status: CaseStatus,
    pub accepted: bool,
    pub acceptance_due: NaiveDate,
    pub resolution_due: Option<NaiveDate>,
    pub finding: Option<Finding>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<i32>,
}

/// Additive counters of one rollup cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    pub received: i64,
    pub anonymous: i64,
    pub anonymous_returned: i64,
    pub accepted: i64,
    pub open: i64,
    pub declined: i64,
    pub concluded: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub with_finding: i64,
    pub substantiated: i64,
    pub days_to_close_sum: i64,
    pub rating_count: i64,
    pub rating_sum: i64,
}

impl Counters {
    fn zip(self, other: Counters, f: impl Fn(i64, i64) -> i64) -> Counters {
        Counters {
            received: f(self.received, other.received),
            anonymous: f(self.anonymous, other.anonymous),
            anonymous_returned: f(self.anonymous_returned, other.anonymous_returned),
            accepted: f(self.accepted, other.accepted),
            open: f(self.open, other.open),
            declined: f(self.declined, other.declined),
            concluded: f(self.concluded, other.concluded),
            closed: f(self.closed, other.closed),
            closed_on_time: f(self.closed_on_time, other.closed_on_time),
            with_finding: f(self.with_finding, other.with_finding),
            substantiated: f(self.substantiated, other.substantiated),
            days_to_close_sum: f(self.days_to_close_sum, other.days_to_close_sum),
            rating_count: f(self.rating_count, other.rating_count),
            rating_sum: f(self.rating_sum, other.rating_sum),
        }
    }

    pub fn plus(self, other: Counters) -> Counters {
        self.zip(other, |a, b| a + b)
    }

    pub fn minus(self, other: Counters) -> Counters {
        self.zip(other, |a, b| a - b)
    }

    pub fn is_zero(&self) -> bool {
        *self == Counters::default()
    }
}

/// Where a report counts: its received month, unit and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    pub month: Month,
    pub unit_id: i32,
    pub category_id: i32,
}

/// One report's share of the rollups.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub key: CellKey,
    pub counters: Counters,
    /// The histogram bucket of its days to close, once closed.
    pub close_bucket: Option<i32>,
    /// The due date of the clock running now, while open.
    pub due_on: Option<NaiveDate>,
}

pub fn is_open(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Received
            | CaseStatus::Accepted
            | CaseStatus::Investigating
            | CaseStatus::AwaitingReporter
            | CaseStatus::Suspended
    )
}

/// The due date that makes an open case overdue once passed.
pub fn running_due(facts: &CaseFacts) -> Option<NaiveDate> {
    match facts.status {
        CaseStatus::Received => Some(facts.acceptance_due),
        CaseStatus::Accepted | CaseStatus::Investigating | CaseStatus::AwaitingReporter => {
            facts.resolution_due
        }
        _ => None,
    }
}

/// Calendar days from receipt to closure (Hà Nội days), never negative.
pub fn days_to_close(received_at: DateTime<Utc>, closed_at: DateTime<Utc>) -> i32 {
    let days = (local_date(closed_at) - local_date(received_at)).num_days();
    days.clamp(0, i64::from(i32::MAX)) as i32
}

/// The histogram bucket (its upper bound) of a number of days.
pub fn bucket_of(days: i32) -> i32 {
    BUCKETS
        .iter()
        .copied()
        .find(|bound| days <= *bound)
        .unwrap_or(DAYS_CAP)
}

/// What `facts` adds to the rollups.
pub fn contribution(facts: &CaseFacts) -> Contribution {
    let closed = matches!(facts.status, CaseStatus::Closed | CaseStatus::Terminated);
    let concluded_or_closed = closed || facts.status == CaseStatus::Concluded;
    let with_finding = concluded_or_closed && facts.finding.is_some();
    let substantiated = with_finding
        && matches!(
            facts.finding,
            Some(Finding::Substantiated | Finding::PartlySubstantiated)
        );
    let close = facts
        .closed_at
        .filter(|_| closed)
        .map(|at| (days_to_close(facts.received_at, at), local_date(at)));
    let deadline = facts.resolution_due.unwrap_or(facts.acceptance_due);
    let counters = Counters {
        received: 1,
        anonymous: i64::from(facts.anonymous),
        anonymous_returned: i64::from(facts.anonymous && facts.reporter_returned),
        accepted: i64::from(facts.accepted),
        open: i64::from(is_open(facts.status)),
        declined: i64::from(facts.status == CaseStatus::Declined),
        concluded: i64::from(facts.status == CaseStatus::Concluded),
        closed: i64::from(closed),
        closed_on_time: i64::from(close.is_some_and(|(_, day)| day <= deadline)),
        with_finding: i64::from(with_finding),
        substantiated: i64::from(substantiated),
        days_to_close_sum: close.map_or(0, |(days, _)| i64::from(days)),
        rating_count: i64::from(facts.rating.is_some()),
        rating_sum: i64::from(facts.rating.unwrap_or(0)),
    };
    Contribution {
        key: CellKey {
            month: Month::of(facts.received_at),
            unit_id: facts.unit_id,
            category_id: facts.category_id,
        },
        counters,
        close_bucket: close.map(|(days, _)| bucket_of(days)),
        due_on: if is_open(facts.status) {
            running_due(facts)
        } else {
            None
        },
    }
}

/// The nearest-rank `percent`-th percentile of a histogram (bucket → count); `None` when empty.
pub fn percentile(histogram: &BTreeMap<i32, i64>, percent: u32) -> Option<i32> {
    let total: i64 = histogram.values().sum();
    if total <= 0 {
        return None;
    }
    let rank = ((i64::from(percent) * total + 99) / 100).max(1);
    let mut seen = 0;
    for (bucket, n) in histogram {
        seen += n;
        if seen >= rank {
            return Some(*bucket);
        }
    }
    histogram.keys().next_back().copied()
}

/// A ratio as a percentage rounded to one decimal; `None` without a denominator.
pub fn rate(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| (numerator as f64 * 1000.0 / denominator as f64).round() / 10.0)
}

/// A mean rounded to two decimals; `None` without values.
pub fn mean(sum: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| (sum as f64 * 100.0 / count as f64).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn facts() -> CaseFacts {
        CaseFacts {
            received_at: Utc.with_ymd_and_hms(2026, 10, 31, 18, 0, 0).unwrap(),
            unit_id: 7,
            category_id: 3,
            anonymous: true,
            reporter_returned: false,
            status: CaseStatus::Received,
            accepted: false,
            acceptance_due: NaiveDate::from_ymd_opt(2026, 11, 11).unwrap(),
            resolution_due: None,
            finding: None,
            closed_at: None,
            rating: None,
        }
    }

    #[test]
    fn a_report_counts_in_its_hanoi_month() {
        // 18:00 UTC on 31/10 is 01:00 on 1/11 in Hà Nội.
        let c = contribution(&facts());
        assert_eq!(c.key.month, Month(202611));
        assert_eq!(c.counters.received, 1);
        assert_eq!(c.counters.open, 1);
        assert_eq!(
            c.due_on,
            Some(NaiveDate::from_ymd_opt(2026, 11, 11).unwrap())
        );
        assert_eq!(c.close_bucket, None);
    }

    #[test]
    fn a_closed_case_counts_its_days_and_whether_it_met_the_deadline() {
        let mut f = facts();
        f.status = CaseStatus::Closed;
        f.accepted = true;
        f.finding = Some(Finding::PartlySubstantiated);
        f.resolution_due = NaiveDate::from_ymd_opt(2026, 12, 1);
        f.closed_at = Some(Utc.with_ymd_and_hms(2026, 11, 30, 17, 30, 0).unwrap());
        let c = contribution(&f);
        // 1/11 → 1/12 in Hà Nội: 30 days, on the due date itself.
        assert_eq!(c.close_bucket, Some(30));
        assert_eq!(bucket_of(8), 10);
        assert_eq!(bucket_of(7), 7);
        assert_eq!(bucket_of(-1), 0);
        assert_eq!(bucket_of(400), DAYS_CAP);
        assert_eq!(c.counters.closed_on_time, 1);
        assert_eq!(c.counters.substantiated, 1);
        assert_eq!(c.counters.open, 0);
        assert_eq!(c.due_on, None);
        f.closed_at = Some(Utc.with_ymd_and_hms(2026, 12, 1, 17, 30, 0).unwrap());
        assert_eq!(contribution(&f).counters.closed_on_time, 0);
    }

    #[test]
    fn months_parse_step_and_print() {
        assert_eq!(Month::parse("2026-11"), Some(Month(202611)));
        assert_eq!(Month::parse("2026-11-27"), Some(Month(202611)));
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("2026-02-30"), None);
        assert_eq!(Month(202611).plus(2), Month(202701));
        assert_eq!(Month(202601).plus(-1), Month(202512));
        assert_eq!(Month(202611).plus(-11), Month(202512));
        assert_eq!(Month(202511).through(Month(202602)).len(), 4);
        assert_eq!(Month(202603).label(), "03/2026");
    }

    #[test]
    fn rates_and_means_round_and_need_a_denominator() {
        assert_eq!(rate(2, 3), Some(66.7));
        assert_eq!(rate(0, 0), None);
        assert_eq!(mean(9, 2), Some(4.5));
    }

    proptest! {
        #[test]
        fn histogram_percentiles_equal_nearest_rank_over_the_bucketed_values(
            days in proptest::collection::vec(0i32..400, 1..200),
            percent in 1u32..=100,
        ) {
            let mut histogram = BTreeMap::new();
            for d in &days {
                *histogram.entry(bucket_of(*d)).or_insert(0i64) += 1;
            }
            let mut sorted = days.clone();
            sorted.sort_unstable();
            let rank = (percent as usize * sorted.len()).div_ceil(100).max(1);
            prop_assert_eq!(percentile(&histogram, percent), Some(bucket_of(sorted[rank - 1])));
        }

        #[test]
        fn contributions_subtract_back_to_nothing(received in 0u32..10) {
            let mut f = facts();
            f.received_at += chrono::Duration::days(i64::from(received));
            let c = contribution(&f).counters;
            prop_assert!(c.minus(c).is_zero());
            prop_assert_eq!(c.plus(c).received, 2);
        }
    }
}
