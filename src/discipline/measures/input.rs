//! The internal measure form as typed and its validation (pure rules, no database): the code
//! is lower snake_case and fixed once created, the names are required in both languages, the
//! sort order stays within bounds, and neither name reads as a fine or a pay cut (Labour Code
//! Art. 127(2), [`sanction_wording`]). Used by the `/admin/measures` handlers of [`super`].

use serde::Serialize;

use crate::domain::discipline::sanction_wording;
use crate::domain::report::{clean_text, FieldErrors};
use crate::domain::text::{snake_code, CodeProblem};

/// Longest code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest name in either language.
pub const NAME_MAX: usize = 200;
/// Sort orders stay within ± this.
pub const SORT_MAX: i32 = 100_000;

/// The form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MeasureInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub sort_order: String,
}

/// A validated measure (the code is checked only when creating).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureFields {
    pub name_vi: String,
    pub name_en: String,
    pub sort_order: i32,
}

/// Lower-cases and checks a code: snake_case, starting with a letter, ≤ [`CODE_MAX`].
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    snake_code(raw, CODE_MAX).map_err(|problem| match problem {
        CodeProblem::Missing => "error-discipline-measure-code-required",
        CodeProblem::Invalid => "error-discipline-measure-code-invalid",
    })
}

impl MeasureInput {
    fn fields_into(&self, errors: &mut FieldErrors) -> Option<MeasureFields> {
        let mut name = |field: &'static str, raw: &str| {
            let text = clean_text(raw);
            if text.is_empty() {
                errors.insert(field, "error-discipline-measure-name-required");
            } else if text.chars().count() > NAME_MAX {
                errors.insert(field, "error-discipline-measure-name-long");
            } else if sanction_wording(&text).is_some() {
                errors.insert(field, "error-discipline-measure-sanction");
            }
            text
        };
        let name_vi = name("name_vi", &self.name_vi);
        let name_en = name("name_en", &self.name_en);
        let sort_order = match self.sort_order.trim().parse::<i32>() {
            Ok(n) if n.abs() <= SORT_MAX => Some(n),
            _ => {
                errors.insert("sort_order", "error-discipline-measure-sort-invalid");
                None
            }
        };
        Some(MeasureFields {
            name_vi,
            name_en,
            sort_order: sort_order?,
        })
    }

    /// Validates an edit.
    pub fn validate_fields(&self) -> Result<MeasureFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Validates a new measure; whether the code is free is the database's to say.
    pub fn validate_new(&self) -> Result<(String, MeasureFields), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let fields = self.fields_into(&mut errors);
        match (code, fields) {
            (Some(code), Some(fields)) if errors.is_empty() => Ok((code, fields)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_codes_are_lower_snake_case() {
        assert_eq!(normalise_code(" Re_Training "), Ok("re_training".into()));
        assert_eq!(
            normalise_code(""),
            Err("error-discipline-measure-code-required")
        );
        for bad in ["1x", "_x", "x_", "x__y", "x-y", "nhắc"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-discipline-measure-code-invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_bad_measure_field_is_reported_at_once() {
        let errors = MeasureInput {
            code: "-".into(),
            name_vi: " ".into(),
            name_en: "x".repeat(201),
            sort_order: "ten".into(),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(errors["code"], "error-discipline-measure-code-invalid");
        assert_eq!(errors["name_vi"], "error-discipline-measure-name-required");
        assert_eq!(errors["name_en"], "error-discipline-measure-name-long");
        assert_eq!(
            errors["sort_order"],
            "error-discipline-measure-sort-invalid"
        );
        let ok = MeasureInput {
            code: "coaching".into(),
            name_vi: "Kèm cặp".into(),
            name_en: "Coaching".into(),
            sort_order: "60".into(),
        }
        .validate_new()
        .unwrap();
        assert_eq!(ok.0, "coaching");
        assert_eq!(ok.1.sort_order, 60);
    }

    #[test]
    fn a_name_that_reads_as_a_fine_or_a_pay_cut_is_refused_in_either_language() {
        let refused = MeasureInput {
            code: "khau_tru".into(),
            name_vi: "Trừ lương 5%".into(),
            name_en: "Salary deduction".into(),
            sort_order: "60".into(),
        };
        let errors = refused.validate_new().unwrap_err();
        assert_eq!(errors["name_vi"], "error-discipline-measure-sanction");
        assert_eq!(errors["name_en"], "error-discipline-measure-sanction");
        let edit = MeasureInput {
            name_vi: "Nhắc nhở".into(),
            name_en: "Fine".into(),
            ..refused
        };
        let errors = edit.validate_fields().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors["name_en"], "error-discipline-measure-sanction");
    }
}
