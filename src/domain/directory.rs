//! The staff directory's rules: what an employee number is, the searchable form of a name, the
//! field limits, and the validation of the employee form. Pure; used by `/admin/staff`
//! and by the HR import (`admin::staff_import`, which re-exports the number rules).
//!
//! Invariants: employee numbers are stored trimmed and upper-case (A–Z, 0–9, `-`, `/`, `.`, at
//! most [`NUMBER_MAX`] bytes); `full_name_folded` is always [`folded_name`] of the full name.

use serde::Serialize;

use crate::domain::report::{clean_text, FieldErrors};
use crate::domain::text::fold;

/// Longest employee number.
pub const NUMBER_MAX: usize = 32;
/// Longest full name.
pub const NAME_MAX: usize = 200;
/// Longest position (job title).
pub const POSITION_MAX: usize = 200;

/// Why an employee number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    Missing,
    Invalid,
}

/// Trims and upper-cases an employee number and checks it: A–Z, 0–9, `-`, `/`, `.`, ≤ 32.
pub fn normalise_employee_number(raw: &str) -> Result<String, NumberError> {
    let number = raw.trim().to_ascii_uppercase();
    if number.is_empty() {
        return Err(NumberError::Missing);
    }
    let valid = number.len() <= NUMBER_MAX
        && number
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '/' | '.'));
    if valid {
        Ok(number)
    } else {
        Err(NumberError::Invalid)
    }
}

/// A `holds_post` cell that is none of the words [`parse_holds_post`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldsPostInvalid;

/// Reads an import's `holds_post` cell (holds a managerial post; Labour Code Art. 124 allows
/// removal from post only for such a person): `1`/`0`, `true`/`false`, `có`/`không` in any
/// case (`co`/`khong` without diacritics too). Empty means "not given": `Ok(None)`, which keeps
/// the directory's value. Anything else is refused.
pub fn parse_holds_post(raw: &str) -> Result<Option<bool>, HoldsPostInvalid> {
    match fold(raw.trim()).as_str() {
        "" => Ok(None),
        "1" | "true" | "co" => Ok(Some(true)),
        "0" | "false" | "khong" => Ok(Some(false)),
        _ => Err(HoldsPostInvalid),
    }
}

/// The searchable form of a name, within the column's width.
pub fn folded_name(full_name: &str) -> String {
    fold(full_name).chars().take(NAME_MAX).collect()
}

/// The employee form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StaffInput {
    pub employee_number: String,
    pub full_name: String,
    pub unit_id: String,
    pub position: String,
    /// Holds a managerial post (the form's checkbox).
    pub holds_post: bool,
}

/// Everything but the employee number, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFields {
    pub full_name: String,
    pub unit_id: i32,
    pub position: Option<String>,
    pub holds_post: bool,
}

impl StaffInput {
    fn fields_into(&self, errors: &mut FieldErrors) -> Option<StaffFields> {
        let full_name = clean_text(&self.full_name);
        if full_name.is_empty() {
            errors.insert("full_name", "error-admin-staff-name-required");
        } else if full_name.chars().count() > NAME_MAX {
            errors.insert("full_name", "error-admin-staff-name-long");
        }
        let unit_id = match self.unit_id.trim().parse::<i32>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.insert("unit_id", "error-admin-staff-unit-required");
                None
            }
        };
        let position = clean_text(&self.position);
        if position.chars().count() > POSITION_MAX {
            errors.insert("position", "error-admin-staff-position-long");
        }
        Some(StaffFields {
            full_name,
            unit_id: unit_id?,
            position: (!position.is_empty()).then_some(position),
            holds_post: self.holds_post,
        })
    }

    /// Validates an edit: every field but the employee number. Whether the unit exists and is
    /// open is checked against the database.
    pub fn validate_fields(&self) -> Result<StaffFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Validates a new employee; whether the number is free is checked against the database.
    pub fn validate_new(&self) -> Result<(String, StaffFields), FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = match normalise_employee_number(&self.employee_number) {
            Ok(number) => Some(number),
            Err(NumberError::Missing) => {
                errors.insert("employee_number", "error-admin-staff-number-required");
                None
            }
            Err(NumberError::Invalid) => {
                errors.insert("employee_number", "error-admin-staff-number-invalid");
                None
            }
        };
        let fields = self.fields_into(&mut errors);
        match (number, fields) {
            (Some(number), Some(fields)) if errors.is_empty() => Ok((number, fields)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_employee_reports_every_bad_field() {
        let errors = StaffInput {
            employee_number: "NV 1".into(),
            full_name: " ".into(),
            unit_id: "x".into(),
            position: "p".repeat(201),
            holds_post: false,
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(
            errors["employee_number"],
            "error-admin-staff-number-invalid"
        );
        assert_eq!(errors["full_name"], "error-admin-staff-name-required");
        assert_eq!(errors["unit_id"], "error-admin-staff-unit-required");
        assert_eq!(errors["position"], "error-admin-staff-position-long");
    }

    #[test]
    fn a_valid_employee_is_normalised() {
        let (number, fields) = StaffInput {
            employee_number: " hn-0042 ".into(),
            full_name: "  Nguyễn Văn An ".into(),
            unit_id: "7".into(),
            position: "".into(),
            holds_post: true,
        }
        .validate_new()
        .unwrap();
        assert_eq!(number, "HN-0042");
        assert_eq!(fields.full_name, "Nguyễn Văn An");
        assert_eq!(fields.unit_id, 7);
        assert_eq!(fields.position, None);
        assert!(fields.holds_post);
    }

    #[test]
    fn holds_post_reads_the_documented_words_and_refuses_others() {
        for yes in ["1", "true", "TRUE", " có ", "Có", "co"] {
            assert_eq!(parse_holds_post(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["0", "false", "False", "không", "KHÔNG", "khong"] {
            assert_eq!(parse_holds_post(no), Ok(Some(false)), "{no}");
        }
        assert_eq!(parse_holds_post(""), Ok(None));
        assert_eq!(parse_holds_post("  "), Ok(None));
        for bad in ["2", "yes", "x", "truong phong", "-1", "co chuc vu"] {
            assert_eq!(parse_holds_post(bad), Err(HoldsPostInvalid), "{bad}");
        }
    }

    #[test]
    fn employee_numbers_are_upper_cased_and_checked() {
        assert_eq!(
            normalise_employee_number(" nv-01/2.b "),
            Ok("NV-01/2.B".to_string())
        );
        assert_eq!(normalise_employee_number("  "), Err(NumberError::Missing));
        for bad in ["NV 01", "NV_01", "ĐL01", "NV#1"] {
            assert_eq!(
                normalise_employee_number(bad),
                Err(NumberError::Invalid),
                "{bad}"
            );
        }
        assert!(normalise_employee_number(&"9".repeat(32)).is_ok());
        assert!(normalise_employee_number(&"9".repeat(33)).is_err());
    }
}
