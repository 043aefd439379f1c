//! A case's human reference, `PA-2026-000123`: the year the report was received (in Hà Nội)
//! and the report's number. Staff quote it on the phone and in letters; the inbox search reads
//! it back in any of the short forms people type.

use std::fmt;

use chrono::{DateTime, Datelike, Utc};

use super::calendar::local_date;

/// The reference of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef {
    pub report_id: i32,
    pub year: i32,
}

impl CaseRef {
    /// The reference of a report received at `received_at`.
    pub fn of(report_id: i32, received_at: DateTime<Utc>) -> Self {
        Self {
            report_id,
            year: local_date(received_at).year(),
        }
    }

    /// Reads a typed reference back to a report id (`PA-2026-000123`, `2026-123` or `123`).
    pub fn parse(text: &str) -> Option<i32> {
        text.trim()
            .rsplit('-')
            .next()
            .and_then(|tail| tail.trim().parse::<i32>().ok())
            .filter(|id| *id > 0)
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PA-{}-{:06}", self.year, self.report_id)
    }
}

/// `PA-{year}-{id:06}` as text.
pub fn reference(report_id: i32, received_year: i32) -> String {
    CaseRef {
        report_id,
        year: received_year,
    }
    .to_string()
}

/// See [`CaseRef::parse`].
pub fn parse_reference(text: &str) -> Option<i32> {
    CaseRef::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn references_round_trip() {
        assert_eq!(reference(123, 2026), "PA-2026-000123");
        assert_eq!(parse_reference("PA-2026-000123"), Some(123));
        assert_eq!(parse_reference(" 45 "), Some(45));
        assert_eq!(parse_reference("PA-2026-abc"), None);
    }

    #[test]
    fn the_year_is_the_year_in_hanoi() {
        // 31/12/2026 20:00 UTC is already 01/01/2027 in Hà Nội.
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 20, 0, 0).unwrap();
        assert_eq!(CaseRef::of(7, at).to_string(), "PA-2027-000007");
    }
}
