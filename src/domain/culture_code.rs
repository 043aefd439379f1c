//! The culture code (Bộ quy tắc ứng xử) as versioned data. An article has a stable key
//! (`UXKH-03`) and numbered versions; each version is in force from `effective_from` to
//! `effective_to` (both inclusive, open-ended when `effective_to` is empty). An edit never
//! rewrites a version: it adds the next one, which must start strictly later than the current
//! latest, and closes the latest the day before. A violation is judged against the version in
//! force on the day it happened ([`version_in_force`]).

use chrono::NaiveDate;

use super::report::{required_text, FieldErrors};

/// Limits on article fields (characters).
pub mod limits {
    pub const KEY_MAX: usize = 32;
    pub const TITLE_MAX: usize = 300;
    pub const TEXT_MAX: usize = 10_000;
    pub const NUMBER_MAX: i32 = 999;
}

/// Anything dated like an article version.
pub trait Versioned {
    fn version(&self) -> i32;
    fn effective_from(&self) -> NaiveDate;
    fn effective_to(&self) -> Option<NaiveDate>;
}

/// One version's validity period, free of any storage type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionPeriod {
    pub version: i32,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

impl Versioned for VersionPeriod {
    fn version(&self) -> i32 {
        self.version
    }
    fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }
    fn effective_to(&self) -> Option<NaiveDate> {
        self.effective_to
    }
}

/// The version of one article in force `on` a day: the highest version whose period covers it.
pub fn version_in_force<V: Versioned>(versions: &[V], on: NaiveDate) -> Option<&V> {
    versions
        .iter()
        .filter(|v| v.effective_from() <= on && v.effective_to().is_none_or(|to| on <= to))
        .max_by_key(|v| v.version())
}

/// A new version must start strictly after the current latest one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLater;

/// The `effective_to` the current latest version gets when a version starting `new_from` is
/// added: the day before.
pub fn close_previous(latest_from: NaiveDate, new_from: NaiveDate) -> Result<NaiveDate, NotLater> {
    if new_from <= latest_from {
        return Err(NotLater);
    }
    new_from.pred_opt().ok_or(NotLater)
}

/// Stable article keys: upper-case letters and digits in groups joined by single hyphens.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= limits::KEY_MAX
        && key.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// The key to suggest for a new article of a chapter: `<CHAPTER>-<nn>`.
pub fn suggested_key(chapter_code: &str, number: i32) -> String {
    format!("{chapter_code}-{number:02}")
}

/// An article version's fields as typed (serialisable so the form can be re-rendered).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ArticleInput {
    pub number: String,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    pub text_en: String,
    pub effective_from: String,
}

/// The content of a version that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub number: i32,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    pub text_en: String,
    pub effective_from: NaiveDate,
}

impl ArticleInput {
    /// Checks every field; the date rule against the latest version is the caller's.
    pub fn validate(&self) -> Result<ArticleText, FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = match self.number.trim().parse::<i32>() {
            Ok(n) if (1..=limits::NUMBER_MAX).contains(&n) => n,
            _ => {
                errors.insert("number", "error-admin-article-number-invalid");
                0
            }
        };
        let title = (
            "error-admin-article-title-required",
            "error-admin-article-title-long",
        );
        let text = (
            "error-admin-article-text-required",
            "error-admin-article-text-long",
        );
        let title_vi = required_text(
            &mut errors,
            "title_vi",
            &self.title_vi,
            limits::TITLE_MAX,
            title,
        );
        let title_en = required_text(
            &mut errors,
            "title_en",
            &self.title_en,
            limits::TITLE_MAX,
            title,
        );
        let text_vi = required_text(
            &mut errors,
            "text_vi",
            &self.text_vi,
            limits::TEXT_MAX,
            text,
        );
        let text_en = required_text(
            &mut errors,
            "text_en",
            &self.text_en,
            limits::TEXT_MAX,
            text,
        );
        let effective_from = parse_date(&mut errors, "effective_from", &self.effective_from);
        match effective_from {
            Some(effective_from) if errors.is_empty() => Ok(ArticleText {
                number,
                title_vi,
                title_en,
                text_vi,
                text_en,
                effective_from,
            }),
            _ => Err(errors),
        }
    }
}

impl ArticleText {
    /// True when the wording (number, titles, texts) equals `other`'s, whatever the dates.
    pub fn same_wording(&self, other: &ArticleText) -> bool {
        self.number == other.number
            && self.title_vi == other.title_vi
            && self.title_en == other.title_en
            && self.text_vi == other.text_vi
            && self.text_en == other.text_en
    }
}

/// Parses an ISO date (what `<input type="date">` sends), recording an error under `field`.
pub fn parse_date(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.insert(field, "error-admin-date-required");
        return None;
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.insert(field, "error-admin-date-invalid");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn history() -> Vec<VersionPeriod> {
        vec![
            VersionPeriod {
                version: 1,
                effective_from: day(2025, 1, 1),
                effective_to: Some(day(2026, 6, 30)),
            },
            VersionPeriod {
                version: 2,
                effective_from: day(2026, 7, 1),
                effective_to: None,
            },
        ]
    }

    #[test]
    fn nothing_is_in_force_before_the_first_version_starts() {
        assert_eq!(version_in_force(&history(), day(2024, 12, 31)), None);
    }

    #[test]
    fn the_first_day_of_a_version_belongs_to_it() {
        let versions = history();
        assert_eq!(
            version_in_force(&versions, day(2025, 1, 1)).map(|v| v.version),
            Some(1)
        );
        assert_eq!(
            version_in_force(&versions, day(2026, 7, 1)).map(|v| v.version),
            Some(2)
        );
    }

    #[test]
    fn the_last_day_of_a_closed_version_still_belongs_to_it() {
        assert_eq!(
            version_in_force(&history(), day(2026, 6, 30)).map(|v| v.version),
            Some(1)
        );
    }

    #[test]
    fn an_open_ended_version_stays_in_force() {
        assert_eq!(
            version_in_force(&history(), day(2040, 1, 1)).map(|v| v.version),
            Some(2)
        );
    }

    #[test]
    fn order_of_the_slice_does_not_matter() {
        let mut versions = history();
        versions.reverse();
        assert_eq!(
            version_in_force(&versions, day(2026, 1, 15)).map(|v| v.version),
            Some(1)
        );
    }

    #[test]
    fn a_repealed_article_is_in_force_on_no_later_day() {
        let versions = [VersionPeriod {
            version: 1,
            effective_from: day(2025, 1, 1),
            effective_to: Some(day(2025, 12, 31)),
        }];
        assert_eq!(version_in_force(&versions, day(2026, 1, 1)), None);
    }

    #[test]
    fn a_new_version_closes_the_previous_one_the_day_before() {
        assert_eq!(
            close_previous(day(2025, 1, 1), day(2026, 3, 1)),
            Ok(day(2026, 2, 28))
        );
        assert_eq!(
            close_previous(day(2025, 1, 1), day(2025, 1, 2)),
            Ok(day(2025, 1, 1))
        );
    }

    #[test]
    fn a_new_version_cannot_start_on_or_before_the_latest() {
        assert_eq!(
            close_previous(day(2025, 1, 1), day(2025, 1, 1)),
            Err(NotLater)
        );
        assert_eq!(
            close_previous(day(2025, 1, 1), day(2024, 12, 31)),
            Err(NotLater)
        );
    }

    #[test]
    fn article_keys_are_upper_case_groups_joined_by_hyphens() {
        for good in ["UXKH-11", "A", "KT2-03-B"] {
            assert!(is_valid_key(good), "{good}");
        }
        for bad in ["", "uxkh-11", "UXKH--1", "-UXKH", "UXKH-", "UX KH", "ĐK-1"] {
            assert!(!is_valid_key(bad), "{bad}");
        }
        assert!(!is_valid_key(&"A".repeat(33)));
    }

    #[test]
    fn suggested_keys_pad_the_number() {
        assert_eq!(suggested_key("UXKH", 11), "UXKH-11");
        assert_eq!(suggested_key("UXKH", 3), "UXKH-03");
    }

    fn input() -> ArticleInput {
        ArticleInput {
            number: "11".into(),
            title_vi: " Giữ gìn tài sản ".into(),
            title_en: "Care of property".into(),
            text_vi: "Nội dung".into(),
            text_en: "Text".into(),
            effective_from: "2026-12-01".into(),
        }
    }

    #[test]
    fn a_complete_article_validates_and_is_trimmed() {
        let text = input().validate().unwrap();
        assert_eq!(text.number, 11);
        assert_eq!(text.title_vi, "Giữ gìn tài sản");
        assert_eq!(text.effective_from, day(2026, 12, 1));
    }

    #[test]
    fn every_bad_article_field_is_reported_at_once() {
        let errors = ArticleInput {
            number: "0".into(),
            title_vi: "".into(),
            title_en: "x".repeat(301),
            text_vi: "  ".into(),
            text_en: "ok".into(),
            effective_from: "01/12/2026".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors["number"], "error-admin-article-number-invalid");
        assert_eq!(errors["title_vi"], "error-admin-article-title-required");
        assert_eq!(errors["title_en"], "error-admin-article-title-long");
        assert_eq!(errors["text_vi"], "error-admin-article-text-required");
        assert_eq!(errors["effective_from"], "error-admin-date-invalid");
        assert!(!errors.contains_key("text_en"));
    }

    #[test]
    fn wording_comparison_ignores_the_date() {
        let a = input().validate().unwrap();
        let mut b = a.clone();
        b.effective_from = day(2027, 1, 1);
        assert!(a.same_wording(&b));
        b.text_en = "Other".into();
        assert!(!a.same_wording(&b));
    }
}
