//! The dashboard's filters: the query string as typed (`/dashboard?from=…&to=…&unit=…&category=…`,
//! plus `table` and `format` for `/dashboard/export`), its validation into [`Filters`] and the
//! query string of a scope for links. Used by `analytics::routes` and `analytics::view`.
//!
//! Invariant: missing filters mean the last 12 months of the whole group; a bad one is shown
//! back with its message and never widens what is read.

use chrono::NaiveDate;

use super::metrics::Month;
use super::service::{self, Filters, Reference, MAX_MONTHS};
use super::tree::OrgTree;

/// The filter form as typed (text, so a bad value can be shown back), plus what an export
/// asks for. Rocket ignores fields it does not know (`lang`).
#[derive(Debug, Clone, Default, rocket::FromForm)]
pub struct DashboardQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub table: Option<String>,
    pub format: Option<String>,
}

/// A filter field that failed: its name and the message key.
pub type FieldError = (&'static str, &'static str);

/// The trimmed text of a filter field, `None` when blank.
pub fn typed(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Validates the filters; missing ones default to the last 12 months of the whole group.
pub fn parse_filters(
    query: &DashboardQuery,
    today: NaiveDate,
    tree: &OrgTree,
    reference: &Reference,
) -> Result<Filters, Vec<FieldError>> {
    let mut errors = Vec::new();
    let to = match typed(&query.to) {
        Some(text) => Month::parse(text).unwrap_or_else(|| {
            errors.push(("to", "error-analytics-month"));
            Month::of_date(today)
        }),
        None => Month::of_date(today),
    };
    let from = match typed(&query.from) {
        Some(text) => Month::parse(text).unwrap_or_else(|| {
            errors.push(("from", "error-analytics-month"));
            to
        }),
        None => to.plus(-11),
    };
    if errors.is_empty() {
        if from > to {
            errors.push(("to", "error-analytics-range"));
        } else if from.through(to).len() > MAX_MONTHS {
            errors.push(("from", "error-analytics-range-long"));
        }
    }
    let unit_id = match typed(&query.unit) {
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|id| tree.get(*id).is_some()),
        None => tree.root(),
    };
    if unit_id.is_none() {
        errors.push(("unit", "error-analytics-unit"));
    }
    let category_id = match typed(&query.category) {
        Some(text) => {
            let known = service::known_category(reference, text.parse::<i32>().ok());
            if known.is_none() {
                errors.push(("category", "error-analytics-category"));
            }
            known
        }
        None => None,
    };
    match unit_id {
        Some(unit_id) if errors.is_empty() => Ok(Filters {
            from,
            to,
            unit_id,
            category_id,
        }),
        _ => Err(errors),
    }
}

/// The query string of `filters` (scoped to `unit`), for links.
pub fn filter_query(filters: &Filters, unit: i32) -> String {
    let mut out = format!(
        "from={}&to={}&unit={unit}",
        filters.from.iso(),
        filters.to.iso()
    );
    if let Some(category) = filters.category_id {
        out.push_str(&format!("&category={category}"));
    }
    out
}
