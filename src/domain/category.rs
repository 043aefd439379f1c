//! The rules of a violation category, the list a reporter picks from (`/admin/categories`
//! edits them): a stable lower-case snake_case code fixed once created, names and descriptions
//! in both languages within their lengths, a default severity, a sort order within ±100 000 and
//! at least one cited culture-code article, every one of them known. Whether a code is still
//! free is a question for the database, not for these rules. Pure: no Rocket, no sea-orm.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::report::{required_text, FieldErrors};
use crate::domain::text::{snake_code, CodeProblem};

/// Longest category code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest category name, in either language.
pub const NAME_MAX: usize = 200;
/// Longest description, in either language.
pub const DESCRIPTION_MAX: usize = 2000;
/// Sort orders stay within ± this.
pub const SORT_MAX: i32 = 100_000;

/// A category's default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Minor,
    Normal,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Normal, Severity::Severe];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Normal => "normal",
            Severity::Severe => "severe",
        }
    }

    /// Parses a stored value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Minor => "admin-category-severity-minor",
            Severity::Normal => "admin-category-severity-normal",
            Severity::Severe => "admin-category-severity-severe",
        }
    }
}

/// Lower-cases and checks a code: snake_case, starting with a letter, ≤ [`CODE_MAX`].
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    snake_code(raw, CODE_MAX).map_err(|problem| match problem {
        CodeProblem::Missing => "error-admin-category-code-required",
        CodeProblem::Invalid => "error-admin-category-code-invalid",
    })
}

/// The category form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: String,
    pub finance_assets_secrets: bool,
    pub sort_order: String,
    pub articles: Vec<String>,
}

/// Everything but the code, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFields {
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: Severity,
    pub finance_assets_secrets: bool,
    pub sort_order: i32,
    /// Cited article keys, sorted, without duplicates.
    pub articles: BTreeSet<String>,
}

impl CategoryInput {
    fn fields_into(
        &self,
        errors: &mut FieldErrors,
        known_articles: &BTreeSet<String>,
    ) -> Option<CategoryFields> {
        let name_keys = (
            "error-admin-category-name-required",
            "error-admin-category-name-long",
        );
        let description_keys = (
            "error-admin-category-description-required",
            "error-admin-category-description-long",
        );
        let name_vi = required_text(errors, "name_vi", &self.name_vi, NAME_MAX, name_keys);
        let name_en = required_text(errors, "name_en", &self.name_en, NAME_MAX, name_keys);
        let description_vi = required_text(
            errors,
            "description_vi",
            &self.description_vi,
            DESCRIPTION_MAX,
            description_keys,
        );
        let description_en = required_text(
            errors,
            "description_en",
            &self.description_en,
            DESCRIPTION_MAX,
            description_keys,
        );
        let severity = Severity::parse(self.severity.trim());
        if severity.is_none() {
            errors.insert("severity", "error-admin-category-severity-invalid");
        }
        let sort_order = match self.sort_order.trim().parse::<i32>() {
            Ok(n) if n.abs() <= SORT_MAX => Some(n),
            _ => {
                errors.insert("sort_order", "error-admin-category-sort-invalid");
                None
            }
        };
        let articles: BTreeSet<String> = self
            .articles
            .iter()
            .map(|key| key.trim().to_string())
            .filter(|key| !key.is_empty())
            .collect();
        if articles.is_empty() {
            errors.insert("articles", "error-admin-category-articles-required");
        } else if !articles.is_subset(known_articles) {
            errors.insert("articles", "error-admin-category-article-unknown");
        }
        Some(CategoryFields {
            name_vi,
            name_en,
            description_vi,
            description_en,
            severity: severity?,
            finance_assets_secrets: self.finance_assets_secrets,
            sort_order: sort_order?,
            articles,
        })
    }

    /// Validates an edit: every field but the code. `known_articles` are the article keys
    /// that exist.
    pub fn validate_fields(
        &self,
        known_articles: &BTreeSet<String>,
    ) -> Result<CategoryFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors, known_articles) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Validates a new category; whether the code is free is checked against the database.
    pub fn validate_new(
        &self,
        known_articles: &BTreeSet<String>,
    ) -> Result<(String, CategoryFields), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let fields = self.fields_into(&mut errors, known_articles);
        match (code, fields) {
            (Some(code), Some(fields)) if errors.is_empty() => Ok((code, fields)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["UXKH-01", "UXKH-02"].map(String::from).into()
    }

    fn input() -> CategoryInput {
        CategoryInput {
            code: "Late_Reply".into(),
            name_vi: "Trả lời chậm".into(),
            name_en: "Late reply".into(),
            description_vi: "Mô tả".into(),
            description_en: "Description".into(),
            severity: "minor".into(),
            finance_assets_secrets: false,
            sort_order: "120".into(),
            articles: vec!["UXKH-02".into(), "UXKH-01".into(), "UXKH-02".into()],
        }
    }

    #[test]
    fn category_codes_are_lower_snake_case() {
        assert_eq!(normalise_code(" No_Badge "), Ok("no_badge".to_string()));
        assert_eq!(normalise_code("x2"), Ok("x2".to_string()));
        assert_eq!(
            normalise_code(""),
            Err("error-admin-category-code-required")
        );
        for bad in ["2x", "_x", "x_", "x__y", "x-y", "x y", "đ"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-category-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"a".repeat(41)).is_err());
    }

    #[test]
    fn a_valid_category_keeps_its_articles_once_each() {
        let (code, fields) = input().validate_new(&known()).unwrap();
        assert_eq!(code, "late_reply");
        assert_eq!(fields.severity, Severity::Minor);
        assert_eq!(fields.sort_order, 120);
        assert_eq!(
            fields.articles.into_iter().collect::<Vec<_>>(),
            vec!["UXKH-01", "UXKH-02"]
        );
    }

    #[test]
    fn a_category_must_cite_known_articles() {
        let mut none = input();
        none.articles.clear();
        assert_eq!(
            none.validate_fields(&known()).unwrap_err()["articles"],
            "error-admin-category-articles-required"
        );
        let mut unknown = input();
        unknown.articles.push("XYZ-9".into());
        assert_eq!(
            unknown.validate_fields(&known()).unwrap_err()["articles"],
            "error-admin-category-article-unknown"
        );
    }

    #[test]
    fn every_bad_category_field_is_reported() {
        let errors = CategoryInput {
            code: "-".into(),
            severity: "critical".into(),
            sort_order: "ten".into(),
            ..Default::default()
        }
        .validate_new(&known())
        .unwrap_err();
        for field in [
            "code",
            "name_vi",
            "name_en",
            "description_vi",
            "description_en",
            "severity",
            "sort_order",
            "articles",
        ] {
            assert!(errors.contains_key(field), "{field}");
        }
    }
}
