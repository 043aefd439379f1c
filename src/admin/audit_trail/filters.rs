//! The filters of the audit trail (`/audit` and `/audit/export.csv` share them): the query as
//! typed, normalised (trimmed, empty fields and page 1 dropped, so links carry only what
//! filters), then validated into [`Filters`] and a portable `WHERE` clause. Date filters are Hà
//! Nội days: `from` is inclusive from that day's midnight, `to` includes the whole day. The
//! actor filter is a case-insensitive substring of the actor label (SQLite's `LOWER` folds
//! ASCII only, which covers e-mail addresses), with `LIKE`'s wildcards made literal.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition};
use serde_json::{json, Value};

use crate::platform::persistence::entities::audit_log::Column;

/// Escape character for `LIKE` patterns; not special in either database's string literals.
const LIKE_ESCAPE: char = '!';

pub use query::AuditQuery;

#[expect(
    clippy::needless_borrows_for_generic_args,
    reason = "in the code Rocket's UriDisplayQuery derive generates for `page`"
)]
mod query {
    use rocket::{FromForm, UriDisplayQuery};

    /// The filter form as typed. Every filter is text so that a bad value can be shown back;
    /// Rocket ignores query fields it does not know (`lang`) and a page that is not a number.
    #[derive(Debug, Clone, Default, PartialEq, FromForm, UriDisplayQuery)]
    pub struct AuditQuery {
        pub actor: Option<String>,
        pub action: Option<String>,
        pub object_type: Option<String>,
        pub object_id: Option<String>,
        pub from: Option<String>,
        pub to: Option<String>,
        pub page: Option<u64>,
    }
}

impl AuditQuery {
    /// Trimmed, with empty fields and page 1 dropped, so links carry only what filters.
    pub fn normalised(self) -> Self {
        let clean = |field: Option<String>| {
            field
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        };
        Self {
            actor: clean(self.actor),
            action: clean(self.action),
            object_type: clean(self.object_type),
            object_id: clean(self.object_id),
            from: clean(self.from),
            to: clean(self.to),
            page: self.page.filter(|page| *page > 1),
        }
    }

    /// The same filters at another page.
    pub(super) fn at_page(&self, page: u64) -> Self {
        Self {
            page: Some(page).filter(|page| *page > 1),
            ..self.clone()
        }
    }

    /// The filters as recorded in the export's audit entry.
    pub fn details(&self) -> Value {
        json!({
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from": self.from,
            "to": self.to,
        })
    }
}

/// A filter field that failed: its name and the message key.
pub type FieldError = (&'static str, &'static str);

/// Filters that passed validation; each `None` matches everything.
#[derive(Debug, Default, PartialEq)]
pub struct Filters {
    /// Lower-cased substring of the actor label.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Inclusive lower bound.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound.
    pub before: Option<DateTime<Utc>>,
}

impl Filters {
    /// Validates a normalised query: dates must be `yyyy-mm-dd` and in order.
    pub fn parse(query: &AuditQuery) -> Result<Self, Vec<FieldError>> {
        let from = day_bound(query.from.as_deref(), "from", Some);
        let to = day_bound(query.to.as_deref(), "to", |day| day.succ_opt());
        let mut errors: Vec<FieldError> = Vec::new();
        if let (Ok(Some((from, _))), Ok(Some((to, _)))) = (&from, &to) {
            if from > to {
                errors.push(("to", "error-audit-range"));
            }
        }
        let (from, to) = match (from, to) {
            (Ok(from), Ok(to)) if errors.is_empty() => (from, to),
            (from, to) => {
                let mut all: Vec<FieldError> = from.err().into_iter().chain(to.err()).collect();
                all.extend(errors);
                return Err(all);
            }
        };
        Ok(Self {
            actor: query.actor.as_deref().map(str::to_lowercase),
            action: query.action.clone(),
            object_type: query.object_type.clone(),
            object_id: query.object_id.clone(),
            since: from.map(|(_, at)| at),
            before: to.map(|(_, at)| at),
        })
    }

    /// The `WHERE` clause, portable across SQLite and PostgreSQL.
    pub fn condition(&self) -> Condition {
        // In scope here only: its `min`/`max` would shadow the integers' elsewhere.
        use sea_orm::sea_query::ExprTrait;
        let mut condition = Condition::all();
        if let Some(actor) = &self.actor {
            let pattern = format!("%{}%", escape_like(actor));
            condition = condition.add(
                Func::lower(Expr::col(Column::ActorLabel))
                    .like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)),
            );
        }
        if let Some(action) = &self.action {
            condition = condition.add(Column::Action.eq(action.as_str()));
        }
        if let Some(object_type) = &self.object_type {
            condition = condition.add(Column::ObjectType.eq(object_type.as_str()));
        }
        if let Some(object_id) = &self.object_id {
            condition = condition.add(Column::ObjectId.eq(object_id.as_str()));
        }
        if let Some(since) = self.since {
            condition = condition.add(Column::At.gte(since));
        }
        if let Some(before) = self.before {
            condition = condition.add(Column::At.lt(before));
        }
        condition
    }
}

/// A date as the HTML date input sends it.
fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date field: the day typed and the instant it bounds — midnight in Hà Nội at the start of
/// `boundary(day)` (the day itself for `from`, the next day for `to`).
fn day_bound(
    text: Option<&str>,
    field: &'static str,
    boundary: impl Fn(NaiveDate) -> Option<NaiveDate>,
) -> Result<Option<(NaiveDate, DateTime<Utc>)>, FieldError> {
    let Some(text) = text else {
        return Ok(None);
    };
    parse_day(text)
        .and_then(|day| Some((day, day_start(boundary(day)?)?)))
        .map(Some)
        .ok_or((field, "error-audit-date"))
}

/// Midnight at the start of `day` in Hà Nội.
fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    Ho_Chi_Minh
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// `text` with `LIKE`'s wildcards made literal.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '%' || c == '_' || c == LIKE_ESCAPE {
            out.push(LIKE_ESCAPE);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>) -> AuditQuery {
        AuditQuery {
            from: from.map(String::from),
            to: to.map(String::from),
            ..AuditQuery::default()
        }
        .normalised()
    }

    #[test]
    fn a_date_range_covers_whole_days_in_hanoi() {
        let filters = Filters::parse(&query(Some("2026-11-27"), Some("2026-11-28"))).unwrap();
        // Midnight in Hà Nội is 17:00 UTC the day before.
        assert_eq!(
            filters.since,
            Some(Utc.with_ymd_and_hms(2026, 11, 26, 17, 0, 0).unwrap())
        );
        assert_eq!(
            filters.before,
            Some(Utc.with_ymd_and_hms(2026, 11, 28, 17, 0, 0).unwrap())
        );
        let one_day = Filters::parse(&query(Some("2026-11-27"), Some("2026-11-27"))).unwrap();
        assert_eq!(
            one_day.before.zip(one_day.since).map(|(b, s)| b - s),
            Some(chrono::Duration::days(1))
        );
    }

    #[test]
    fn a_date_not_in_the_date_input_format_is_refused_for_its_field() {
        assert_eq!(
            Filters::parse(&query(Some("27/11/2026"), Some("2026-11-28"))),
            Err(vec![("from", "error-audit-date")])
        );
        assert_eq!(
            Filters::parse(&query(None, Some("2026-02-30"))),
            Err(vec![("to", "error-audit-date")])
        );
        assert_eq!(
            Filters::parse(&query(Some("hôm qua"), Some("mai"))),
            Err(vec![
                ("from", "error-audit-date"),
                ("to", "error-audit-date")
            ])
        );
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_refused() {
        assert_eq!(
            Filters::parse(&query(Some("2026-11-28"), Some("2026-11-27"))),
            Err(vec![("to", "error-audit-range")])
        );
    }

    #[test]
    fn blank_filters_are_dropped_and_the_actor_is_lowered() {
        let typed = AuditQuery {
            actor: Some("  KiemToan@EVN.vn ".into()),
            action: Some("".into()),
            object_type: Some("   ".into()),
            object_id: None,
            from: Some("".into()),
            to: None,
            page: Some(1),
        }
        .normalised();
        assert_eq!(
            typed,
            AuditQuery {
                actor: Some("KiemToan@EVN.vn".into()),
                ..AuditQuery::default()
            }
        );
        let filters = Filters::parse(&typed).unwrap();
        assert_eq!(filters.actor.as_deref(), Some("kiemtoan@evn.vn"));
        assert_eq!(filters.action, None);
        assert_eq!(filters.since, None);
    }

    #[test]
    fn like_wildcards_in_the_actor_filter_are_literal() {
        assert_eq!(escape_like("a%b_c!d"), "a!%b!_c!!d");
        assert_eq!(escape_like("nguyễn.văn"), "nguyễn.văn");
    }
}
