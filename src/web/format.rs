//! How the portal writes dates and times: dd/mm/yyyy, in Asia/Ho_Chi_Minh, for every reader.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Ho_Chi_Minh)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// dd/mm/yyyy.
pub fn show_date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_hanoi_as_day_month_year() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 18, 30, 0).unwrap();
        assert_eq!(local_time(at), "01/01/2027 01:30");
        assert_eq!(
            show_date(NaiveDate::from_ymd_opt(2027, 2, 6).unwrap()),
            "06/02/2027"
        );
    }
}
