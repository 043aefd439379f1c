//! The dashboard's tables, built from the sums (`sums.rs`) and the names (`reference.rs`): the
//! summary figures, the months, the units one level down, the categories, the culture-code
//! articles, the unit × category table and the disciplinary measures. Pure: no I/O.
//!
//! Invariant: every cell is made through the request's [`Protection`] (`protect.rs`), so a
//! breakdown below corporation level withholds small counts — and whatever would let them be
//! worked out — in the page, the files and the charts alike.

use std::collections::BTreeMap;

use super::groups::{CategoryTotals, UnitGroups};
use super::protect::{protect, Fig, Pos, Protection};
use super::reference::Reference;
use super::sums::{Filters, Sums};
use crate::analytics::metrics::{percentile, rate, Counters, Month};
use crate::analytics::table::{Cell, Row, Rule, Table};
use crate::analytics::tree::OrgTree;
use crate::domain::suppression::is_small;
use crate::web::i18n::Lang;

/// Every table of the dashboard, built from the sums.
#[derive(Debug)]
pub struct Dashboard {
    pub summary: Table,
    pub months: Table,
    pub units: Table,
    pub categories: Table,
    pub articles: Table,
    pub heat: Table,
    pub measures: Table,
    pub channels: Table,
    /// Whether the scope itself is below corporation level (small counts withheld).
    pub scope_suppressed: bool,
}

impl Dashboard {
    /// The table with this id (one of [`TABLES`]).
    pub fn table(&self, id: &str) -> Option<&Table> {
        [
            &self.summary,
            &self.months,
            &self.units,
            &self.categories,
            &self.articles,
            &self.heat,
            &self.measures,
            &self.channels,
        ]
        .into_iter()
        .find(|t| t.id == id)
    }
}

/// The table ids, in page order.
pub const TABLES: [&str; 8] = [
    "summary",
    "months",
    "units",
    "categories",
    "articles",
    "heat",
    "measures",
    "channels",
];

/// The overall maximum of a table column, for scaling charts and heat cells.
pub fn column_max(table: &Table, column: usize) -> f64 {
    table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(column).and_then(Cell::number))
        .fold(0.0, f64::max)
}

/// Builds the dashboard's tables. `link` makes the URL that re-scopes to a unit.
pub fn build(
    lang: Lang,
    tree: &OrgTree,
    reference: &Reference,
    filters: &Filters,
    sums: &Sums,
    link: &dyn Fn(i32) -> String,
) -> Dashboard {
    let mut groups = UnitGroups::collect(tree, filters, sums);
    let categories = CategoryTotals::collect(sums);
    let shown: Vec<&(i32, String)> = reference
        .categories
        .iter()
        .filter(|(id, _)| filters.category_id.is_none_or(|c| c == *id))
        .collect();
    let group_ids: Vec<i32> = groups.ranked.iter().map(|(g, _)| *g).collect();
    let protection = protect(tree, filters, sums, &group_ids);
    groups.order(tree, lang, &protection);
    let scope = Scope::new(lang, tree, filters, sums, link, protection);
    Dashboard {
        summary: scope.summary(),
        months: scope.months(),
        units: scope.units(&groups),
        categories: scope.categories(&categories, &shown),
        articles: scope.articles(&categories, reference),
        heat: scope.heat(&groups, &shown),
        measures: scope.measures(),
        channels: scope.channels(reference),
        scope_suppressed: scope.protection.protects(Pos::Total),
    }
}

fn histogram_of(entries: impl Iterator<Item = (i32, i64)>) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for (bucket, n) in entries {
        *out.entry(bucket).or_insert(0) += n;
    }
    out
}

/// What every table of one request shares.
struct Scope<'a> {
    lang: Lang,
    tree: &'a OrgTree,
    filters: &'a Filters,
    sums: &'a Sums,
    link: &'a dyn Fn(i32) -> String,
    /// What may be shown, for every position of every table.
    protection: Protection,
    /// Percentiles need the histogram, which has no category.
    with_percentiles: bool,
}

impl<'a> Scope<'a> {
    fn new(
        lang: Lang,
        tree: &'a OrgTree,
        filters: &'a Filters,
        sums: &'a Sums,
        link: &'a dyn Fn(i32) -> String,
        protection: Protection,
    ) -> Self {
        Self {
            lang,
            tree,
            filters,
            sums,
            link,
            protection,
            with_percentiles: filters.category_id.is_none(),
        }
    }

    /// A count, or withheld.
    fn count(&self, fig: Fig, pos: Pos, n: i64) -> Cell {
        if self.protection.hides(fig, pos) {
            Cell::Withheld
        } else {
            Cell::Count(n)
        }
    }

    /// The share closed within the deadline: shown only with both of its counts.
    fn on_time(&self, pos: Pos, c: &Counters) -> Cell {
        let p = &self.protection;
        if p.hides(Fig::OnTime, pos) || p.hides(Fig::Closed, pos) {
            return Cell::Blank;
        }
        self.share(pos, c.closed_on_time, c.closed)
    }

    /// A share whose counts are not shown: where protected, withheld unless its base is 5 or
    /// more and neither it nor its complement is a count of 1–4.
    fn share(&self, pos: Pos, numerator: i64, denominator: i64) -> Cell {
        let small = denominator < 5 || is_small(numerator) || is_small(denominator - numerator);
        if self.protection.protects(pos) && small {
            return Cell::Blank;
        }
        rate(numerator, denominator).map_or(Cell::Blank, Cell::Percent)
    }

    fn mean(&self, pos: Pos, sum: i64, count: i64) -> Cell {
        Rule {
            suppress: self.protection.protects(pos),
        }
        .mean(sum, count)
    }

    fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// An empty table titled by `title` with the headings of `columns` (message keys).
    fn table(&self, id: &'static str, title: &str, columns: &[&str]) -> Table {
        Table::new(
            id,
            self.t(title),
            columns.iter().map(|c| self.t(c)).collect(),
        )
    }

    /// A row about the scope unit itself, without a link.
    fn row(&self, label: String, cells: Vec<Cell>) -> Row {
        Row {
            label,
            link: None,
            cells,
            suppressed: self.protection.protects(Pos::Total),
        }
    }

    /// A percentile of `histogram`, blank when a category is chosen or the closed count is
    /// withheld.
    fn days(&self, pos: Pos, histogram: &BTreeMap<i32, i64>, percent: u32, closed: i64) -> Cell {
        if !self.with_percentiles || self.protection.hides(Fig::Closed, pos) {
            return Cell::Blank;
        }
        let rule = Rule {
            suppress: self.protection.protects(pos),
        };
        rule.days(percentile(histogram, percent), closed)
    }

    // --- Summary ---------------------------------------------------------------------------

    fn summary(&self) -> Table {
        let mut summary = self.table(
            "summary",
            "analytics-table-summary",
            &["analytics-col-measure", "analytics-col-value"],
        );
        summary.rows = self
            .kpis()
            .into_iter()
            .map(|(key, cell)| self.row(self.t(key), vec![cell]))
            .collect();
        summary
    }

    /// The headline figures of the scope, in page order.
    fn kpis(&self) -> Vec<(&'static str, Cell)> {
        let (sums, at) = (self.sums, Pos::Total);
        let total = sums
            .cells
            .values()
            .fold(Counters::default(), |acc, c| acc.plus(*c));
        let overdue: i64 = sums.overdue.iter().map(|(_, _, n)| n).sum();
        let histogram = histogram_of(sums.histogram_by_unit.iter().map(|(_, b, n)| (*b, *n)));
        let praise: i64 = sums.commendations.iter().map(|(_, _, n)| n).sum();
        vec![
            (
                "analytics-kpi-received",
                self.count(Fig::Received, at, total.received),
            ),
            (
                "analytics-kpi-accepted",
                self.count(Fig::Accepted, at, total.accepted),
            ),
            ("analytics-kpi-open", self.count(Fig::Open, at, total.open)),
            (
                "analytics-kpi-overdue",
                self.count(Fig::Overdue, at, overdue),
            ),
            (
                "analytics-kpi-declined",
                self.count(Fig::Declined, at, total.declined),
            ),
            (
                "analytics-kpi-concluded",
                self.count(Fig::Concluded, at, total.concluded),
            ),
            (
                "analytics-kpi-closed",
                self.count(Fig::Closed, at, total.closed),
            ),
            (
                "analytics-kpi-median-days",
                self.days(at, &histogram, 50, total.closed),
            ),
            (
                "analytics-kpi-p90-days",
                self.days(at, &histogram, 90, total.closed),
            ),
            ("analytics-kpi-on-time", self.on_time(at, &total)),
            (
                "analytics-kpi-substantiation",
                self.share(at, total.substantiated, total.with_finding),
            ),
            (
                "analytics-kpi-anonymous-follow-up",
                self.share(at, total.anonymous_returned, total.anonymous),
            ),
            (
                "analytics-kpi-satisfaction",
                self.mean(at, total.rating_sum, total.rating_count),
            ),
            (
                "analytics-kpi-ratings",
                self.count(Fig::Ratings, at, total.rating_count),
            ),
            (
                "analytics-kpi-commendations",
                self.count(Fig::Praise, at, praise),
            ),
            (
                "analytics-kpi-measures",
                self.count(Fig::Decisions, at, sums.measures.values().sum()),
            ),
        ]
    }

    // --- By month --------------------------------------------------------------------------

    fn months(&self) -> Table {
        let mut months = self.table(
            "months",
            "analytics-table-months",
            &[
                "analytics-col-month",
                "analytics-col-received",
                "analytics-col-closed",
                "analytics-col-on-time",
                "analytics-col-overdue",
                "analytics-col-median-days",
                "analytics-col-commendations",
            ],
        );
        let range = self.filters.from.through(self.filters.to);
        months.rows = range.into_iter().map(|m| self.month_row(m)).collect();
        months
    }

    fn month_row(&self, month: Month) -> Row {
        let (sums, at) = (self.sums, Pos::Month(month));
        let c = sums.months.get(&month).copied().unwrap_or_default();
        let overdue = sums.overdue_by_month.get(&month).copied().unwrap_or(0);
        let histogram = histogram_of(
            sums.histogram_by_month
                .iter()
                .filter(|(m, _, _)| *m == month)
                .map(|(_, b, n)| (*b, *n)),
        );
        let praise: i64 = sums
            .commendations
            .iter()
            .filter(|(m, _, _)| *m == month)
            .map(|(_, _, n)| n)
            .sum();
        let cells = vec![
            self.count(Fig::Received, at, c.received),
            self.count(Fig::Closed, at, c.closed),
            self.on_time(at, &c),
            self.count(Fig::Overdue, at, overdue),
            self.days(at, &histogram, 50, c.closed),
            self.count(Fig::Praise, at, praise),
        ];
        self.row(month.label(), cells)
    }

    // --- By unit one level down ------------------------------------------------------------

    fn units(&self, groups: &UnitGroups) -> Table {
        let mut units = self.table(
            "units",
            "analytics-table-units",
            &[
                "analytics-col-unit",
                "analytics-col-received",
                "analytics-col-open",
                "analytics-col-overdue",
                "analytics-col-closed",
                "analytics-col-on-time",
                "analytics-col-median-days",
                "analytics-col-substantiation",
                "analytics-col-satisfaction",
                "analytics-col-commendations",
            ],
        );
        units.rows = groups
            .ranked
            .iter()
            .filter_map(|(group, c)| self.unit_row(groups, *group, c))
            .collect();
        units
    }

    fn unit_row(&self, groups: &UnitGroups, group: i32, c: &Counters) -> Option<Row> {
        let unit = self.tree.get(group)?;
        let at = Pos::Group(group);
        let own = group == self.filters.unit_id;
        let label = if own {
            let name = unit.name(self.lang).to_string();
            self.lang.t_args("analytics-unit-itself", &[("unit", name)])
        } else {
            unit.name(self.lang).to_string()
        };
        let empty = BTreeMap::new();
        let histogram = groups.histograms.get(&group).unwrap_or(&empty);
        let cells = vec![
            self.count(Fig::Received, at, c.received),
            self.count(Fig::Open, at, c.open),
            self.count(
                Fig::Overdue,
                at,
                groups.overdue.get(&group).copied().unwrap_or(0),
            ),
            self.count(Fig::Closed, at, c.closed),
            self.on_time(at, c),
            self.days(at, histogram, 50, c.closed),
            self.share(at, c.substantiated, c.with_finding),
            self.mean(at, c.rating_sum, c.rating_count),
            self.count(
                Fig::Praise,
                at,
                groups.praise.get(&group).copied().unwrap_or(0),
            ),
        ];
        Some(Row {
            label,
            link: (!own).then(|| (self.link)(group)),
            cells,
            suppressed: self.protection.protects(at),
        })
    }

    // --- By category and by culture-code article -------------------------------------------

    fn categories(&self, totals: &CategoryTotals, shown: &[&(i32, String)]) -> Table {
        let mut categories = self.table(
            "categories",
            "analytics-table-categories",
            &[
                "analytics-col-category",
                "analytics-col-received",
                "analytics-col-open",
                "analytics-col-overdue",
                "analytics-col-closed",
                "analytics-col-on-time",
                "analytics-col-substantiation",
            ],
        );
        for (id, name) in shown {
            let c = totals.cells.get(id).copied().unwrap_or_default();
            let overdue = totals.overdue.get(id).copied().unwrap_or(0);
            let at = Pos::Category(*id);
            let cells = vec![
                self.count(Fig::Received, at, c.received),
                self.count(Fig::Open, at, c.open),
                self.count(Fig::Overdue, at, overdue),
                self.count(Fig::Closed, at, c.closed),
                self.on_time(at, &c),
                self.share(at, c.substantiated, c.with_finding),
            ];
            categories.rows.push(self.row(name.clone(), cells));
        }
        categories
    }

    /// Through the categories citing each article.
    fn articles(&self, totals: &CategoryTotals, reference: &Reference) -> Table {
        let mut articles = self.table(
            "articles",
            "analytics-table-articles",
            &[
                "analytics-col-article",
                "analytics-col-received",
                "analytics-col-closed",
                "analytics-col-on-time",
                "analytics-col-substantiation",
            ],
        );
        for (i, (_, label, cited_by)) in reference.articles.iter().enumerate() {
            let at = Pos::Article(i);
            let c = cited_by
                .iter()
                .filter_map(|id| totals.cells.get(id))
                .fold(Counters::default(), |acc, c| acc.plus(*c));
            let cells = vec![
                self.count(Fig::Received, at, c.received),
                self.count(Fig::Closed, at, c.closed),
                self.on_time(at, &c),
                self.share(at, c.substantiated, c.with_finding),
            ];
            articles.rows.push(self.row(label.clone(), cells));
        }
        articles
    }

    // --- Unit × category, and measures -----------------------------------------------------

    /// Reports received, per unit group (ranked as in the units table) and shown category.
    fn heat(&self, groups: &UnitGroups, shown: &[&(i32, String)]) -> Table {
        let columns = std::iter::once(self.t("analytics-col-unit"))
            .chain(shown.iter().map(|(_, name)| name.clone()))
            .collect();
        let mut heat = Table::new("heat", self.t("analytics-table-heat"), columns);
        for (group, _) in &groups.ranked {
            let Some(unit) = self.tree.get(*group) else {
                continue;
            };
            let received = |id: i32| groups.heat.get(&(*group, id)).copied().unwrap_or(0);
            heat.rows.push(Row {
                label: unit.name(self.lang).to_string(),
                link: (*group != self.filters.unit_id).then(|| (self.link)(*group)),
                cells: shown
                    .iter()
                    .map(|(id, _)| self.count(Fig::Received, Pos::Cell(*group, *id), received(*id)))
                    .collect(),
                suppressed: self.protection.protects(Pos::Group(*group)),
            });
        }
        heat
    }

    /// Reports received by intake channel: every active channel, and an inactive one that
    /// still counts reports of the period.
    fn channels(&self, reference: &Reference) -> Table {
        let mut channels = self.table(
            "channels",
            "analytics-table-channels",
            &["analytics-col-channel", "analytics-col-received"],
        );
        let counted = |code: &str| self.sums.channels.get(code).copied().unwrap_or(0);
        let shown =
            (reference.channels.iter()).filter(|(code, _, active)| *active || counted(code) != 0);
        for (i, (code, name, _)) in shown.enumerate() {
            let cell = self.count(Fig::Received, Pos::Channel(i), counted(code));
            channels.rows.push(self.row(name.clone(), vec![cell]));
        }
        channels
    }

    /// Disciplinary measures by form (the discipline slice's decisions, not overturned).
    fn measures(&self) -> Table {
        let mut measures = self.table(
            "measures",
            "analytics-table-measures",
            &["analytics-col-measure-form", "analytics-col-count"],
        );
        for (k, kind) in crate::domain::discipline::KINDS.iter().enumerate() {
            let label = self.t(&format!("measure-{}", kind.replace('_', "-")));
            let n = self.sums.measures.get(*kind).copied().unwrap_or(0);
            measures
                .rows
                .push(self.row(label, vec![self.count(Fig::Decisions, Pos::Kind(k), n)]));
        }
        measures
    }
}
