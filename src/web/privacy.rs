//! Personal-data settings as pages show them: the retention period of each class of closed
//! case, and the privacy notice's version with its date. Read by the public notice
//! (`/privacy`) and the admins' record of processing (`/admin/privacy`), so both always show
//! the periods in force, never a copy of them in a text.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::retention::{RetentionClass, RetentionSettings};
use crate::platform::privacy::NOTICE_VERSION;
use crate::web::format::show_date;
use crate::web::i18n::Lang;

/// One class of closed case and how long its personal data are kept.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionRow {
    /// `RetentionClass::as_str`, for anchors and tests.
    pub class: &'static str,
    /// The class's name in the reader's language.
    pub label: String,
    /// Years after closure.
    pub years: u32,
}

/// Every class, in `RetentionClass::ALL` order, with the configured period.
pub fn retention_rows(settings: &RetentionSettings, lang: Lang) -> Vec<RetentionRow> {
    RetentionClass::ALL
        .iter()
        .map(|class| RetentionRow {
            class: class.as_str(),
            label: lang.t(class.label_key()),
            years: settings.years(*class),
        })
        .collect()
}

/// The notice's version as it is shown: the version string and its date, dd/mm/yyyy.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeVersion {
    pub version: &'static str,
    pub date: String,
}

/// The day a notice version (`yyyy-mm-dd`) took effect.
pub fn notice_date(version: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(version, "%Y-%m-%d").ok()
}

impl NoticeVersion {
    /// The notice in force. A version that is not a date (a unit test keeps that from
    /// happening) is shown as it is.
    pub fn current() -> Self {
        Self {
            version: NOTICE_VERSION,
            date: notice_date(NOTICE_VERSION)
                .map(show_date)
                .unwrap_or_else(|| NOTICE_VERSION.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_version_is_a_date_shown_day_first() {
        assert!(notice_date(NOTICE_VERSION).is_some(), "{NOTICE_VERSION}");
        assert_eq!(
            notice_date("2026-12-07").map(show_date).as_deref(),
            Some("07/12/2026")
        );
        assert_eq!(notice_date("v2"), None);
    }

    #[test]
    fn every_class_is_listed_with_its_configured_years() {
        let settings = RetentionSettings {
            tip_no_substance_years: 7,
            ..RetentionSettings::default()
        };
        let rows = retention_rows(&settings, Lang::En);
        assert_eq!(rows.len(), RetentionClass::ALL.len());
        assert_eq!(rows[0].class, "tip_no_substance");
        assert_eq!(rows[0].years, 7);
        assert_eq!(rows[4].years, settings.disciplinary_years);
        assert!(rows.iter().all(|r| !r.label.contains("retention-class")));
    }
}
