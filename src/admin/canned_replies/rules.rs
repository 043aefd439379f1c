//! The rules of a canned reply's form (`/admin/canned-replies`): a stable lower-case
//! snake_case code of at most 40 characters, fixed once created, and a title and a body in both
//! languages within their lengths. Whether a code is still free is a question for the database.
//! Pure: no Rocket, no sea-orm.

use serde::Serialize;

use crate::domain::report::{required_text, FieldErrors};
use crate::domain::text::{snake_code, CodeProblem};

/// Longest code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest title, in either language.
pub const TITLE_MAX: usize = 200;
/// Longest body, in either language: what a message to the reporter may hold.
pub const BODY_MAX: usize = 5000;

/// Lower-cases and checks a code: snake_case, starting with a letter, ≤ [`CODE_MAX`].
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    snake_code(raw, CODE_MAX).map_err(|problem| match problem {
        CodeProblem::Missing => "error-admin-canned-code-required",
        CodeProblem::Invalid => "error-admin-canned-code-invalid",
    })
}

/// The reply form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReplyInput {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
}

/// Titles and bodies, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTexts {
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
}

impl ReplyInput {
    fn texts_into(&self, errors: &mut FieldErrors) -> ReplyTexts {
        let title = (
            "error-admin-canned-title-required",
            "error-admin-canned-title-long",
        );
        let body = (
            "error-admin-canned-body-required",
            "error-admin-canned-body-long",
        );
        ReplyTexts {
            title_vi: required_text(errors, "title_vi", &self.title_vi, TITLE_MAX, title),
            title_en: required_text(errors, "title_en", &self.title_en, TITLE_MAX, title),
            body_vi: required_text(errors, "body_vi", &self.body_vi, BODY_MAX, body),
            body_en: required_text(errors, "body_en", &self.body_en, BODY_MAX, body),
        }
    }

    /// Validates an edit: every field but the code.
    pub fn validate_texts(&self) -> Result<ReplyTexts, FieldErrors> {
        let mut errors = FieldErrors::new();
        let texts = self.texts_into(&mut errors);
        if errors.is_empty() {
            Ok(texts)
        } else {
            Err(errors)
        }
    }

    /// Validates a new reply; whether the code is free is checked against the database.
    pub fn validate_new(&self) -> Result<(String, ReplyTexts), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let texts = self.texts_into(&mut errors);
        match code {
            Some(code) if errors.is_empty() => Ok((code, texts)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_are_lower_snake_case() {
        assert_eq!(
            normalise_code(" Ask_More_Details "),
            Ok("ask_more_details".to_string())
        );
        assert_eq!(normalise_code(""), Err("error-admin-canned-code-required"));
        for bad in ["2x", "_x", "x_", "x__y", "x-y", "x y", "đ"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-canned-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"a".repeat(40)).is_ok());
        assert!(normalise_code(&"a".repeat(41)).is_err());
    }

    #[test]
    fn every_bad_reply_field_is_reported() {
        let errors = ReplyInput {
            code: "x-y".into(),
            title_vi: "".into(),
            title_en: "t".repeat(201),
            body_vi: " ".into(),
            body_en: "b".repeat(5001),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(errors["code"], "error-admin-canned-code-invalid");
        assert_eq!(errors["title_vi"], "error-admin-canned-title-required");
        assert_eq!(errors["title_en"], "error-admin-canned-title-long");
        assert_eq!(errors["body_vi"], "error-admin-canned-body-required");
        assert_eq!(errors["body_en"], "error-admin-canned-body-long");
    }
}
