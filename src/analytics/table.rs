//! The tables the dashboard shows, exports and draws: labelled rows of typed cells, with the
//! small-count rule applied when the cells are made, so the page, the CSV, the XLSX and the
//! charts can only ever show what is allowed.

use serde::Serialize;

use super::metrics::{self, SMALL_COUNT};
use crate::domain::suppression::is_small;
use crate::web::i18n::Lang;

/// One value of a table, as it may be shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cell {
    Count(i64),
    /// A count under [`SMALL_COUNT`] on the public page ("<5").
    Small,
    /// A count withheld on the dashboard: under [`SMALL_COUNT`], or withheld so that such a
    /// count cannot be worked out from the others. Both read the same ("x").
    Withheld,
    /// A percentage, one decimal.
    Percent(f64),
    /// Days (a percentile of days to close).
    Days(i32),
    /// Days at or above the histogram cap.
    DaysOver(i32),
    /// A mean (satisfaction), two decimals.
    Mean(f64),
    /// No value: no data, or withheld because its base is a small count.
    Blank,
    Text(String),
}

impl Cell {
    /// The text on the page and in the CSV file. Numbers use a decimal point in both
    /// languages so the exported figures read back as numbers.
    pub fn text(&self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Small => format!("<{SMALL_COUNT}"),
            Cell::Withheld => "x".to_string(),
            Cell::Percent(p) => format!("{p:.1}"),
            Cell::Days(d) => d.to_string(),
            Cell::DaysOver(cap) => format!(">{}", cap - 1),
            Cell::Mean(m) => format!("{m:.2}"),
            Cell::Blank => String::new(),
            Cell::Text(t) => t.clone(),
        }
    }

    /// The number behind the cell, when it shows one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Percent(p) | Cell::Mean(p) => Some(*p),
            Cell::Days(d) => Some(f64::from(*d)),
            _ => None,
        }
    }
}

/// How cells of one row are made: exact, or with small counts withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub suppress: bool,
}

impl Rule {
    /// A count; 1–4 withheld (0 names nobody and is shown).
    pub fn count(self, n: i64) -> Cell {
        if self.suppress && is_small(n) {
            Cell::Small
        } else {
            Cell::Count(n)
        }
    }

    /// A share of `denominator`; withheld when the base is small, or when the numerator or
    /// its complement is a count of 1–4 (the share times the base would give it back).
    pub fn percent(self, numerator: i64, denominator: i64) -> Cell {
        let small =
            denominator < SMALL_COUNT || is_small(numerator) || is_small(denominator - numerator);
        if self.suppress && small {
            return Cell::Blank;
        }
        metrics::rate(numerator, denominator).map_or(Cell::Blank, Cell::Percent)
    }

    pub fn mean(self, sum: i64, count: i64) -> Cell {
        if self.suppress && count < SMALL_COUNT {
            return Cell::Blank;
        }
        metrics::mean(sum, count).map_or(Cell::Blank, Cell::Mean)
    }

    /// A percentile of days to close over `closed` cases.
    pub fn days(self, value: Option<i32>, closed: i64) -> Cell {
        if self.suppress && closed < SMALL_COUNT {
            return Cell::Blank;
        }
        match value {
            Some(d) if d >= metrics::DAYS_CAP => Cell::DaysOver(metrics::DAYS_CAP),
            Some(d) => Cell::Days(d),
            None => Cell::Blank,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    /// Where clicking the label goes (re-scoping the dashboard), if anywhere.
    pub link: Option<String>,
    pub cells: Vec<Cell>,
    /// Whether the small-count rule applies to this row.
    pub suppressed: bool,
}

/// A titled table with its column headings.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn new(id: &'static str, title: String, columns: Vec<String>) -> Self {
        Self {
            id,
            title,
            columns,
            rows: Vec::new(),
        }
    }

    /// The template's view: cells as text plus a CSS class for numbers.
    pub fn view(&self, lang: Lang) -> TableView {
        TableView {
            id: self.id,
            title: self.title.clone(),
            columns: self.columns.clone(),
            rows: self
                .rows
                .iter()
                .map(|row| RowView {
                    label: row.label.clone(),
                    link: row.link.clone(),
                    cells: row.cells.iter().map(|c| CellView::of(c, lang)).collect(),
                })
                .collect(),
        }
    }

    /// Every line of the table as text, heading first: what CSV and XLSX files hold.
    pub fn records(&self) -> Vec<Vec<String>> {
        let mut out = vec![self.columns.clone()];
        for row in &self.rows {
            let mut line = vec![row.label.clone()];
            line.extend(row.cells.iter().map(Cell::text));
            out.push(line);
        }
        out
    }
}

/// A table as `analytics/macros.html.tera` reads it (`data_table`).
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub id: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub label: String,
    pub link: Option<String>,
    pub cells: Vec<CellView>,
}

/// One cell as shown: its text, whether it is a number (right-aligned) or a withheld count,
/// and, in the unit × category table only, its shade (0–4).
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: String,
    pub numeric: bool,
    pub small: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
}

impl CellView {
    fn of(cell: &Cell, lang: Lang) -> Self {
        let text = match cell {
            Cell::Percent(p) => format!("{} %", localise_decimal(&format!("{p:.1}"), lang)),
            Cell::Mean(m) => localise_decimal(&format!("{m:.2}"), lang),
            Cell::Blank => "—".to_string(),
            other => other.text(),
        };
        Self {
            text,
            numeric: !matches!(cell, Cell::Text(_)),
            small: matches!(cell, Cell::Small | Cell::Withheld),
            level: None,
        }
    }
}

/// Vietnamese writes a decimal comma.
pub fn localise_decimal(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_withheld_only_where_the_rule_applies() {
        let fine = Rule { suppress: true };
        let coarse = Rule { suppress: false };
        assert_eq!(fine.count(4), Cell::Small);
        assert_eq!(fine.count(0), Cell::Count(0), "zero names nobody");
        assert_eq!(fine.count(5), Cell::Count(5));
        assert_eq!(coarse.count(1), Cell::Count(1));
        assert_eq!(fine.percent(3, 4), Cell::Blank);
        assert_eq!(fine.percent(5, 10), Cell::Percent(50.0));
        assert_eq!(
            fine.percent(3, 6),
            Cell::Blank,
            "3 on time would be 50 % of 6"
        );
        assert_eq!(fine.percent(6, 7), Cell::Blank, "1 late would be the rest");
        assert_eq!(fine.percent(7, 7), Cell::Percent(100.0));
        assert_eq!(Cell::Withheld.text(), "x");
        assert_eq!(coarse.percent(1, 3), Cell::Percent(33.3));
        assert_eq!(fine.days(Some(12), 4), Cell::Blank);
        assert_eq!(coarse.days(Some(200), 1), Cell::DaysOver(181));
        assert_eq!(Cell::DaysOver(181).text(), ">180");
        assert_eq!(Cell::Small.text(), "<5");
    }
}
