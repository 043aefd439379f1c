//! A customer's report as validated input. Once you hold a [`NewReport`], every field is within
//! its limits; [`ReportInput::validate`] returns every problem at once, keyed by field, so the
//! form can show each error beside its field.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use unicode_normalization::UnicodeNormalization;

/// Limits on what a reporter may type (characters, not bytes).
pub mod limits {
    pub const DESCRIPTION_MIN: usize = 20;
    pub const DESCRIPTION_MAX: usize = 5000;
    pub const STAFF_NAME_MAX: usize = 120;
    pub const STAFF_NUMBER_MAX: usize = 32;
    pub const STAFF_DESCRIPTION_MAX: usize = 1000;
    pub const FULL_NAME_MAX: usize = 120;
    pub const ADDRESS_MAX: usize = 300;
    pub const REPLY_MAX: usize = 5000;
    /// Reports about events older than this many years are refused.
    pub const MAX_AGE_YEARS: i32 = 10;
}

/// The form's fields as typed, before validation (serialisable so a form can be re-rendered).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReportInput {
    pub unit_id: String,
    pub occurred_on: String,
    pub occurred_time: String,
    pub category_id: String,
    pub description: String,
    pub staff_name: String,
    pub staff_number: String,
    pub staff_description: String,
    pub identity: String,
    pub full_name: String,
    pub address: String,
    pub phone: String,
    pub escalate: bool,
    /// The named reporter ticked the consent box under the privacy notice (unticked by
    /// default; a tip needs none).
    pub consent: bool,
}

/// Field name → catalogue key of the error shown beside it.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// How the reporter wants to be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    /// A tip (phản ánh): no identity at all.
    Anonymous,
    /// A named denunciation (tố cáo).
    Named(ReporterIdentity),
}

impl Submission {
    pub fn kind(&self) -> &'static str {
        match self {
            Submission::Anonymous => "anonymous",
            Submission::Named(_) => "named",
        }
    }
}

/// The denouncer's identity; sealed before it is stored, never logged.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReporterIdentity {
    pub full_name: String,
    pub address: String,
    pub phone: String,
}

impl std::fmt::Debug for ReporterIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReporterIdentity(***)")
    }
}

/// A report that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub unit_id: i32,
    pub category_id: i32,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<NaiveTime>,
    pub description: String,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub staff_description: Option<String>,
    pub submission: Submission,
    pub escalate_above: bool,
}

/// Trims, drops control characters other than line breaks and tabs, and normalises to NFC so
/// the same Vietnamese word typed on different keyboards compares equal.
pub fn clean_text(raw: &str) -> String {
    let normalised: String = raw.nfc().collect();
    normalised
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// A required text field of an admin form (a name, a title, a body in one language): cleaned,
/// with `keys.0` when it is empty or `keys.1` when it is longer than `max` characters.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    max: usize,
    keys: (&'static str, &'static str),
) -> String {
    let text = clean_text(raw);
    if text.is_empty() {
        errors.insert(field, keys.0);
    } else if text.chars().count() > max {
        errors.insert(field, keys.1);
    }
    text
}

/// A day as people type it: `dd/mm/yyyy` or `d/m/yyyy` (how dates are written in Việt Nam), or
/// `yyyy-mm-dd` (what a browser's date picker sends). White space is ignored; the year has four
/// digits; any other order or separator, and days that do not exist, are refused.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let numbers = |separator: char| -> Option<Vec<(u32, usize)>> {
        text.split(separator)
            .map(|part| {
                let all_digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
                all_digits.then(|| part.parse().ok().map(|n| (n, part.len())))?
            })
            .collect()
    };
    let (year, month, day) = match (numbers('/'), numbers('-')) {
        (Some(parts), _) => match parts[..] {
            [(d, 1..=2), (m, 1..=2), (y, 4)] => (y, m, d),
            _ => return None,
        },
        (_, Some(parts)) => match parts[..] {
            [(y, 4), (m, 2), (d, 2)] => (y, m, d),
            _ => return None,
        },
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A typed day as the form shows it again: `dd/mm/yyyy` when it is a day, else as typed.
pub fn day_as_shown(raw: &str) -> String {
    match parse_day(raw) {
        Some(day) => day.format("%d/%m/%Y").to_string(),
        None => raw.to_string(),
    }
}

fn optional(raw: &str) -> Option<String> {
    let cleaned = clean_text(raw);
    (!cleaned.is_empty()).then_some(cleaned)
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

impl ReportInput {
    /// Checks every field against `today` (the reporter's local date in Asia/Ho_Chi_Minh).
    /// Whether the unit and category exist is the caller's check, against the database.
    pub fn validate(&self, today: NaiveDate) -> Result<NewReport, FieldErrors> {
        let mut errors = FieldErrors::new();

        let unit_id = self.unit_id.trim().parse::<i32>().ok().filter(|id| *id > 0);
        if unit_id.is_none() {
            errors.insert("unit_id", "error-unit-required");
        }
        let category_id = self
            .category_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| *id > 0);
        if category_id.is_none() {
            errors.insert("category_id", "error-category-required");
        }

        let occurred_on = match parse_day(&self.occurred_on).ok_or(()) {
            Err(_) if self.occurred_on.trim().is_empty() => {
                errors.insert("occurred_on", "error-date-required");
                None
            }
            Err(_) => {
                errors.insert("occurred_on", "error-date-invalid");
                None
            }
            Ok(date) if date > today => {
                errors.insert("occurred_on", "error-date-future");
                None
            }
            Ok(date) if date < today - chrono::Months::new(12 * limits::MAX_AGE_YEARS as u32) => {
                errors.insert("occurred_on", "error-date-too-old");
                None
            }
            Ok(date) => Some(date),
        };

        let occurred_time = match self.occurred_time.trim() {
            "" => None,
            text => match NaiveTime::parse_from_str(text, "%H:%M") {
                Ok(time) => Some(time),
                Err(_) => {
                    errors.insert("occurred_time", "error-time-invalid");
                    None
                }
            },
        };

        let description = clean_text(&self.description);
        let length = description.chars().count();
        if length == 0 {
            errors.insert("description", "error-description-required");
        } else if length < limits::DESCRIPTION_MIN {
            errors.insert("description", "error-description-short");
        } else if length > limits::DESCRIPTION_MAX {
            errors.insert("description", "error-description-long");
        }

        let staff_name = optional(&self.staff_name);
        if staff_name
            .as_deref()
            .is_some_and(|n| too_long(n, limits::STAFF_NAME_MAX))
        {
            errors.insert("staff_name", "error-too-long");
        }
        let staff_number = optional(&self.staff_number);
        if let Some(number) = &staff_number {
            if too_long(number, limits::STAFF_NUMBER_MAX) {
                errors.insert("staff_number", "error-too-long");
            } else if !number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | ' '))
            {
                errors.insert("staff_number", "error-staff-number-invalid");
            }
        }
        let staff_description = optional(&self.staff_description);
        if staff_description
            .as_deref()
            .is_some_and(|d| too_long(d, limits::STAFF_DESCRIPTION_MAX))
        {
            errors.insert("staff_description", "error-too-long");
        }

        let submission = match self.identity.trim() {
            "anonymous" => Some(Submission::Anonymous),
            "named" => {
                if !self.consent {
                    errors.insert("consent", "error-consent-required");
                }
                validate_identity(self, &mut errors).map(Submission::Named)
            }
            _ => {
                errors.insert("identity", "error-identity-required");
                None
            }
        };

        match (unit_id, category_id, occurred_on, submission) {
            (Some(unit_id), Some(category_id), Some(occurred_on), Some(submission))
                if errors.is_empty() =>
            {
                Ok(NewReport {
                    unit_id,
                    category_id,
                    occurred_on,
                    occurred_time,
                    description,
                    staff_name,
                    // Stored the way the staff directory stores numbers, so the conflict-of-interest match works.
                    staff_number: staff_number
                        .map(|n| n.to_uppercase().split_whitespace().collect()),
                    staff_description,
                    submission,
                    escalate_above: self.escalate,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Checks the three identity fields on their own (a reporter disclosing identity later).
pub fn validate_identity_fields(
    full_name: &str,
    address: &str,
    phone: &str,
) -> Result<ReporterIdentity, FieldErrors> {
    let input = ReportInput {
        full_name: full_name.to_string(),
        address: address.to_string(),
        phone: phone.to_string(),
        ..ReportInput::default()
    };
    let mut errors = FieldErrors::new();
    validate_identity(&input, &mut errors).ok_or(errors)
}

fn validate_identity(input: &ReportInput, errors: &mut FieldErrors) -> Option<ReporterIdentity> {
    let full_name = clean_text(&input.full_name);
    let address = clean_text(&input.address);
    let phone = clean_text(&input.phone);
    let before = errors.len();
    if full_name.chars().count() < 2 {
        errors.insert("full_name", "error-full-name-required");
    } else if too_long(&full_name, limits::FULL_NAME_MAX) {
        errors.insert("full_name", "error-too-long");
    }
    if address.chars().count() < 5 {
        errors.insert("address", "error-address-required");
    } else if too_long(&address, limits::ADDRESS_MAX) {
        errors.insert("address", "error-too-long");
    }
    if phone.is_empty() {
        errors.insert("phone", "error-phone-required");
    } else if !valid_phone(&phone) {
        errors.insert("phone", "error-phone-invalid");
    }
    (errors.len() == before).then_some(ReporterIdentity {
        full_name,
        address,
        phone,
    })
}

/// A Vietnamese or international number: an optional leading `+`, then 9–15 digits, with
/// spaces, dots, dashes or brackets between them.
pub fn valid_phone(phone: &str) -> bool {
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
        && (9..=15).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn days_are_read_as_typed_in_viet_nam_and_as_a_date_picker_sends_them() {
        assert_eq!(parse_day("31/12/2026"), day(2026, 12, 31));
        assert_eq!(parse_day("1/2/2026"), day(2026, 2, 1));
        assert_eq!(parse_day("01/02/2026"), day(2026, 2, 1));
        assert_eq!(parse_day(" 20 / 11 / 2026 "), day(2026, 11, 20));
        assert_eq!(parse_day("2026-11-20"), day(2026, 11, 20));
        assert_eq!(parse_day("29/02/2028"), day(2028, 2, 29));
    }

    #[test]
    fn impossible_days_other_orders_and_text_are_refused() {
        for typed in [
            "31/02/2026",
            "29/02/2027",
            "32/1/2026",
            "1/13/2026",
            "0/1/2026",
            "2026/11/20",
            "11/20/2026",
            "20-11-2026",
            "2026-1-2",
            "20/11/26",
            "20/11/02026",
            "20.11.2026",
            "20/11",
            "hôm qua",
            "ngày 20 tháng 11",
            "",
            "+1/2/2026",
            "١/٢/٢٠٢٦",
        ] {
            assert_eq!(parse_day(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_typed_day_is_shown_again_as_day_month_year() {
        assert_eq!(day_as_shown("2026-11-20"), "20/11/2026");
        assert_eq!(day_as_shown("1/2/2026"), "01/02/2026");
        assert_eq!(day_as_shown("31/02/2026"), "31/02/2026");
    }

    #[test]
    fn the_report_form_takes_a_day_month_year_date() {
        let mut input = valid_input();
        input.occurred_on = "20/11/2026".into();
        assert_eq!(
            input.validate(today()).unwrap().occurred_on,
            day(2026, 11, 20).unwrap()
        );
        input.occurred_on = "31/02/2026".into();
        assert_eq!(
            input.validate(today()).unwrap_err()["occurred_on"],
            "error-date-invalid"
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn valid_input() -> ReportInput {
        ReportInput {
            unit_id: "3".into(),
            occurred_on: "2026-11-20".into(),
            occurred_time: "14:30".into(),
            category_id: "2".into(),
            description: "Nhân viên ghi chỉ số đòi tiền bồi dưỡng mới ghi đúng.".into(),
            identity: "anonymous".into(),
            ..ReportInput::default()
        }
    }

    #[test]
    fn a_complete_anonymous_report_is_valid() {
        let report = valid_input().validate(today()).unwrap();
        assert_eq!(report.unit_id, 3);
        assert_eq!(report.submission, Submission::Anonymous);
        assert_eq!(report.occurred_time, NaiveTime::from_hms_opt(14, 30, 0));
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = ReportInput::default().validate(today()).unwrap_err();
        for field in [
            "unit_id",
            "category_id",
            "occurred_on",
            "description",
            "identity",
        ] {
            assert!(
                errors.contains_key(field),
                "{field} missing from {errors:?}"
            );
        }
    }

    #[test]
    fn a_date_in_the_future_is_refused_but_today_is_fine() {
        let mut input = valid_input();
        input.occurred_on = "2026-11-28".into();
        assert_eq!(
            input.validate(today()).unwrap_err()["occurred_on"],
            "error-date-future"
        );
        input.occurred_on = "2026-11-27".into();
        assert!(input.validate(today()).is_ok());
    }

    #[test]
    fn description_limits_count_characters_not_bytes() {
        let mut input = valid_input();
        input.description = "đ".repeat(limits::DESCRIPTION_MAX);
        assert!(input.validate(today()).is_ok());
        input.description.push('đ');
        assert_eq!(
            input.validate(today()).unwrap_err()["description"],
            "error-description-long"
        );
    }

    #[test]
    fn a_named_report_needs_name_address_and_a_plausible_phone() {
        let mut input = valid_input();
        input.identity = "named".into();
        let errors = input.validate(today()).unwrap_err();
        assert_eq!(errors["full_name"], "error-full-name-required");
        assert_eq!(errors["address"], "error-address-required");
        assert_eq!(errors["phone"], "error-phone-required");

        input.full_name = "Trần Thị Bích".into();
        input.address = "12 Lê Lợi, Quận 1".into();
        input.phone = "abc".into();
        assert_eq!(
            input.validate(today()).unwrap_err()["phone"],
            "error-phone-invalid"
        );
        input.phone = "+84 912 345 678".into();
        assert_eq!(
            input.validate(today()).unwrap_err(),
            FieldErrors::from([("consent", "error-consent-required")])
        );
        input.consent = true;
        let report = input.validate(today()).unwrap();
        assert!(
            matches!(report.submission, Submission::Named(ref id) if id.full_name == "Trần Thị Bích")
        );
    }

    #[test]
    fn a_tip_needs_no_consent() {
        let input = valid_input();
        assert!(!input.consent);
        assert_eq!(
            input.validate(today()).unwrap().submission,
            Submission::Anonymous
        );
    }

    #[test]
    fn staff_numbers_are_stored_upper_case_without_spaces() {
        let mut input = valid_input();
        input.staff_number = " nv 12-3 ".into();
        assert_eq!(
            input.validate(today()).unwrap().staff_number.as_deref(),
            Some("NV12-3")
        );
    }

    #[test]
    fn decomposed_vietnamese_is_normalised_to_composed_form() {
        let decomposed = "Nhân vie\u{302}n";
        assert_eq!(clean_text(decomposed), "Nhân viên");
    }

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        assert_eq!(clean_text("  a\u{0}b\r\nc\u{7}  "), "ab\nc");
    }
}
