//! The rules of an internal labour regulation article (nội quy lao động, Labour Code 2019
//! Art. 118), as `/admin/labour-rules` edits them: a code such as "Điều 12" (one line, at most
//! 40 characters, no two alike whatever their case or diacritics), titles in both languages,
//! a short Vietnamese text, and the culture-code articles it sets out, every one of them known
//! (none is allowed: the regulations also cover working hours, safety and the like). The code
//! may be corrected when the regulations are renumbered: decisions keep a copy of what they
//! cited. Articles are listed in the regulations' own order ([`order_key`]). Pure: no Rocket,
//! no sea-orm.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::report::{clean_text, required_text, FieldErrors};
use crate::domain::text::fold;

/// Longest code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest title, in either language (the column's width).
pub const TITLE_MAX: usize = 300;
/// Longest text: a short wording, not the whole regulations.
pub const TEXT_MAX: usize = 2000;

/// The form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LabourRuleInput {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    /// Culture-code article keys it sets out.
    pub articles: Vec<String>,
}

/// A validated article of the regulations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourRuleFields {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    /// Sorted, without duplicates.
    pub articles: BTreeSet<String>,
}

/// Cleans a code: one line, inner spaces collapsed ("Điều  12" is "Điều 12").
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    let code = clean_text(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if code.is_empty() {
        Err("error-admin-labour-rule-code-required")
    } else if code.chars().count() > CODE_MAX {
        Err("error-admin-labour-rule-code-long")
    } else {
        Ok(code)
    }
}

/// Two codes name the same article when they differ only in case or diacritics ("điều 12",
/// "Dieu 12"): what the taken check compares.
pub fn same_code(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// Sorts codes as the regulations number them: "Điều 9" before "Điều 10", then by the folded
/// code.
pub fn order_key(code: &str) -> (Vec<u64>, String) {
    let numbers = code
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| run.parse::<u64>().unwrap_or(u64::MAX))
        .collect();
    (numbers, fold(code))
}

impl LabourRuleInput {
    /// Validates the form; `known_articles` are the culture-code article keys that exist.
    /// Whether the code is free is the database's question.
    pub fn validate(
        &self,
        known_articles: &BTreeSet<String>,
    ) -> Result<LabourRuleFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .unwrap_or_default();
        let title_keys = (
            "error-admin-labour-rule-title-required",
            "error-admin-labour-rule-title-long",
        );
        let title_vi = required_text(
            &mut errors,
            "title_vi",
            &self.title_vi,
            TITLE_MAX,
            title_keys,
        );
        let title_en = required_text(
            &mut errors,
            "title_en",
            &self.title_en,
            TITLE_MAX,
            title_keys,
        );
        let text_keys = (
            "error-admin-labour-rule-text-required",
            "error-admin-labour-rule-text-long",
        );
        let text_vi = required_text(&mut errors, "text_vi", &self.text_vi, TEXT_MAX, text_keys);
        let articles: BTreeSet<String> = self
            .articles
            .iter()
            .map(|key| key.trim().to_string())
            .filter(|key| !key.is_empty())
            .collect();
        if !articles.is_subset(known_articles) {
            errors.insert("articles", "error-admin-labour-rule-article-unknown");
        }
        if errors.is_empty() {
            Ok(LabourRuleFields {
                code,
                title_vi,
                title_en,
                text_vi,
                articles,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["UXKH-01", "UXKH-02"].map(String::from).into()
    }

    fn input() -> LabourRuleInput {
        LabourRuleInput {
            code: "  Điều   12 ".into(),
            title_vi: "Trung thực khi ghi chỉ số công tơ".into(),
            title_en: "Honest meter reading".into(),
            text_vi: "Ghi chỉ số đúng thực tế.".into(),
            articles: vec!["UXKH-02".into(), "UXKH-01".into(), "UXKH-02".into()],
        }
    }

    #[test]
    fn a_valid_article_is_cleaned_and_its_links_deduplicated() {
        let fields = input().validate(&known()).unwrap();
        assert_eq!(fields.code, "Điều 12");
        assert_eq!(
            fields.articles.into_iter().collect::<Vec<_>>(),
            ["UXKH-01", "UXKH-02"]
        );
    }

    #[test]
    fn an_article_may_set_out_no_culture_code_article() {
        let fields = LabourRuleInput {
            articles: Vec::new(),
            ..input()
        }
        .validate(&known())
        .unwrap();
        assert!(fields.articles.is_empty());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = LabourRuleInput {
            code: " ".into(),
            title_vi: String::new(),
            title_en: "x".repeat(TITLE_MAX + 1),
            text_vi: "x".repeat(TEXT_MAX + 1),
            articles: vec!["UXKH-99".into()],
        }
        .validate(&known())
        .unwrap_err();
        assert_eq!(errors["code"], "error-admin-labour-rule-code-required");
        assert_eq!(errors["title_vi"], "error-admin-labour-rule-title-required");
        assert_eq!(errors["title_en"], "error-admin-labour-rule-title-long");
        assert_eq!(errors["text_vi"], "error-admin-labour-rule-text-long");
        assert_eq!(
            errors["articles"],
            "error-admin-labour-rule-article-unknown"
        );
        assert_eq!(
            normalise_code(&"9".repeat(CODE_MAX + 1)),
            Err("error-admin-labour-rule-code-long")
        );
    }

    #[test]
    fn codes_differing_in_case_or_diacritics_are_the_same_article() {
        assert!(same_code("Điều 12", "điều 12"));
        assert!(same_code("Điều 12", "DIEU 12"));
        assert!(!same_code("Điều 12", "Điều 13"));
    }

    #[test]
    fn articles_are_listed_in_the_regulations_order() {
        let mut codes = vec!["Điều 10", "Điều 9", "Điều 9a", "Khoản 2", "Điều 100"];
        codes.sort_by_key(|c| order_key(c));
        assert_eq!(
            codes,
            ["Khoản 2", "Điều 9", "Điều 9a", "Điều 10", "Điều 100"]
        );
    }
}
