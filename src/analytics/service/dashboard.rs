//! The dashboard's tables, built from the sums (`sums.rs`) and the names (`reference.rs`): the
//! summary figures, the months, the units one level down, the categories, the culture-code
//! articles, the unit × category table and the disciplinary measures. Pure: no I/O.
//!
//! Invariant: every cell is made through a `table::Rule`, so a breakdown below corporation
//! level withholds small counts in the page, the files and the charts alike.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use super::reference::Reference;
use super::sums::{Filters, Sums};
use crate::analytics::metrics::{percentile, Counters, Month};
use crate::analytics::table::{Cell, Row, Rule, Table};
use crate::analytics::tree::OrgTree;
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
        ]
        .into_iter()
        .find(|t| t.id == id)
    }
}

/// The table ids, in page order.
pub const TABLES: [&str; 7] = [
    "summary",
    "months",
    "units",
    "categories",
    "articles",
    "heat",
    "measures",
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
    let scope = Scope::new(lang, tree, filters, sums, link);
    let groups = UnitGroups::collect(tree, filters, sums);
    let categories = CategoryTotals::collect(sums);
    let shown: Vec<&(i32, String)> = reference
        .categories
        .iter()
        .filter(|(id, _)| filters.category_id.is_none_or(|c| c == *id))
        .collect();
    Dashboard {
        summary: scope.summary(),
        months: scope.months(),
        units: scope.units(&groups),
        categories: scope.categories(&categories, &shown),
        articles: scope.articles(&categories, reference),
        heat: scope.heat(&groups, &shown),
        measures: scope.measures(),
        scope_suppressed: scope.rule.suppress,
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
    /// The rule of the scope unit itself (summary, months, categories, articles, measures).
    rule: Rule,
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
    ) -> Self {
        let rule = Rule {
            suppress: tree.get(filters.unit_id).is_some_and(|u| u.fine_grained()),
        };
        Self {
            lang,
            tree,
            filters,
            sums,
            link,
            rule,
            with_percentiles: filters.category_id.is_none(),
        }
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

    /// A row of the scope unit's rule, without a link.
    fn row(&self, label: String, cells: Vec<Cell>) -> Row {
        Row {
            label,
            link: None,
            cells,
            suppressed: self.rule.suppress,
        }
    }

    /// A percentile of `histogram` under `rule`, blank when a category is chosen.
    fn days(&self, rule: Rule, histogram: &BTreeMap<i32, i64>, percent: u32, closed: i64) -> Cell {
        if self.with_percentiles {
            rule.days(percentile(histogram, percent), closed)
        } else {
            Cell::Blank
        }
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
        let (rule, sums) = (self.rule, self.sums);
        let total = sums
            .cells
            .values()
            .fold(Counters::default(), |acc, c| acc.plus(*c));
        let overdue: i64 = sums.overdue.iter().map(|(_, _, n)| n).sum();
        let histogram = histogram_of(sums.histogram_by_unit.iter().map(|(_, b, n)| (*b, *n)));
        let praise: i64 = sums.commendations.iter().map(|(_, _, n)| n).sum();
        vec![
            ("analytics-kpi-received", rule.count(total.received)),
            ("analytics-kpi-accepted", rule.count(total.accepted)),
            ("analytics-kpi-open", rule.count(total.open)),
            ("analytics-kpi-overdue", rule.count(overdue)),
            ("analytics-kpi-declined", rule.count(total.declined)),
            ("analytics-kpi-concluded", rule.count(total.concluded)),
            ("analytics-kpi-closed", rule.count(total.closed)),
            (
                "analytics-kpi-median-days",
                self.days(rule, &histogram, 50, total.closed),
            ),
            (
                "analytics-kpi-p90-days",
                self.days(rule, &histogram, 90, total.closed),
            ),
            (
                "analytics-kpi-on-time",
                rule.percent(total.closed_on_time, total.closed),
            ),
            (
                "analytics-kpi-substantiation",
                rule.percent(total.substantiated, total.with_finding),
            ),
            (
                "analytics-kpi-anonymous-follow-up",
                rule.percent(total.anonymous_returned, total.anonymous),
            ),
            (
                "analytics-kpi-satisfaction",
                rule.mean(total.rating_sum, total.rating_count),
            ),
            ("analytics-kpi-ratings", rule.count(total.rating_count)),
            ("analytics-kpi-commendations", rule.count(praise)),
            (
                "analytics-kpi-measures",
                rule.count(sums.measures.values().sum()),
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
        let (rule, sums) = (self.rule, self.sums);
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
            rule.count(c.received),
            rule.count(c.closed),
            rule.percent(c.closed_on_time, c.closed),
            rule.count(overdue),
            self.days(rule, &histogram, 50, c.closed),
            rule.count(praise),
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
        let rule = Rule {
            suppress: unit.fine_grained(),
        };
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
            rule.count(c.received),
            rule.count(c.open),
            rule.count(groups.overdue.get(&group).copied().unwrap_or(0)),
            rule.count(c.closed),
            rule.percent(c.closed_on_time, c.closed),
            self.days(rule, histogram, 50, c.closed),
            rule.percent(c.substantiated, c.with_finding),
            rule.mean(c.rating_sum, c.rating_count),
            rule.count(groups.praise.get(&group).copied().unwrap_or(0)),
        ];
        Some(Row {
            label,
            link: (!own).then(|| (self.link)(group)),
            cells,
            suppressed: rule.suppress,
        })
    }

    // --- By category and by culture-code article -------------------------------------------

    fn categories(&self, totals: &CategoryTotals, shown: &[&(i32, String)]) -> Table {
        let rule = self.rule;
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
            let cells = vec![
                rule.count(c.received),
                rule.count(c.open),
                rule.count(overdue),
                rule.count(c.closed),
                rule.percent(c.closed_on_time, c.closed),
                rule.percent(c.substantiated, c.with_finding),
            ];
            categories.rows.push(self.row(name.clone(), cells));
        }
        categories
    }

    /// Through the categories citing each article.
    fn articles(&self, totals: &CategoryTotals, reference: &Reference) -> Table {
        let rule = self.rule;
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
        for (_, label, cited_by) in &reference.articles {
            let c = cited_by
                .iter()
                .filter_map(|id| totals.cells.get(id))
                .fold(Counters::default(), |acc, c| acc.plus(*c));
            let cells = vec![
                rule.count(c.received),
                rule.count(c.closed),
                rule.percent(c.closed_on_time, c.closed),
                rule.percent(c.substantiated, c.with_finding),
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
            let rule = Rule {
                suppress: unit.fine_grained(),
            };
            let received = |id: i32| groups.heat.get(&(*group, id)).copied().unwrap_or(0);
            heat.rows.push(Row {
                label: unit.name(self.lang).to_string(),
                link: (*group != self.filters.unit_id).then(|| (self.link)(*group)),
                cells: shown
                    .iter()
                    .map(|(id, _)| rule.count(received(*id)))
                    .collect(),
                suppressed: rule.suppress,
            });
        }
        heat
    }

    /// Disciplinary measures by form (the discipline slice's decisions, not overturned).
    fn measures(&self) -> Table {
        let mut measures = self.table(
            "measures",
            "analytics-table-measures",
            &["analytics-col-measure-form", "analytics-col-count"],
        );
        for kind in crate::domain::discipline::KINDS {
            let label = self.t(&format!("measure-{}", kind.replace('_', "-")));
            let n = self.sums.measures.get(kind).copied().unwrap_or(0);
            measures
                .rows
                .push(self.row(label, vec![self.rule.count(n)]));
        }
        measures
    }
}

/// The sums regrouped by the unit one level below the scope (or the scope unit itself, for
/// reports about it), ranked most reports first.
#[derive(Default)]
struct UnitGroups {
    /// (group, counters), most reports first: "which units had the most … ?"
    ranked: Vec<(i32, Counters)>,
    /// (group, category) → reports received.
    heat: HashMap<(i32, i32), i64>,
    overdue: HashMap<i32, i64>,
    histograms: HashMap<i32, BTreeMap<i32, i64>>,
    praise: HashMap<i32, i64>,
}

impl UnitGroups {
    fn collect(tree: &OrgTree, filters: &Filters, sums: &Sums) -> Self {
        let group_of = |unit: i32| -> Option<i32> {
            if unit == filters.unit_id {
                Some(unit)
            } else {
                tree.child_towards(filters.unit_id, unit)
            }
        };
        let mut out = Self::default();
        let mut cells: HashMap<i32, Counters> = HashMap::new();
        for ((unit, category), c) in &sums.cells {
            if let Some(group) = group_of(*unit) {
                let entry = cells.entry(group).or_default();
                *entry = entry.plus(*c);
                *out.heat.entry((group, *category)).or_default() += c.received;
            }
        }
        for (unit, _, n) in &sums.overdue {
            if let Some(group) = group_of(*unit) {
                *out.overdue.entry(group).or_default() += n;
            }
        }
        for (unit, bucket, n) in &sums.histogram_by_unit {
            if let Some(group) = group_of(*unit) {
                let histogram = out.histograms.entry(group).or_default();
                *histogram.entry(*bucket).or_default() += n;
            }
        }
        for (_, unit, n) in &sums.commendations {
            if let Some(group) = group_of(*unit) {
                *out.praise.entry(group).or_default() += n;
            }
        }
        out.ranked = out.rank(tree, filters, &cells);
        out
    }

    /// The children of the scope, plus the scope itself when reports or praise are about it.
    fn rank(
        &self,
        tree: &OrgTree,
        filters: &Filters,
        cells: &HashMap<i32, Counters>,
    ) -> Vec<(i32, Counters)> {
        let mut groups: Vec<i32> = tree.children(filters.unit_id).to_vec();
        if cells.contains_key(&filters.unit_id) || self.praise.contains_key(&filters.unit_id) {
            groups.insert(0, filters.unit_id);
        }
        let mut ranked: Vec<(i32, Counters)> = groups
            .iter()
            .map(|g| (*g, cells.get(g).copied().unwrap_or_default()))
            .collect();
        ranked.sort_by_key(|(g, c)| (Reverse(c.received), tree.get(*g).map(|u| u.code.clone())));
        ranked
    }
}

/// The sums regrouped by category (all units of the scope).
struct CategoryTotals {
    cells: HashMap<i32, Counters>,
    overdue: HashMap<i32, i64>,
}

impl CategoryTotals {
    fn collect(sums: &Sums) -> Self {
        let mut cells: HashMap<i32, Counters> = HashMap::new();
        for ((_, category), c) in &sums.cells {
            let entry = cells.entry(*category).or_default();
            *entry = entry.plus(*c);
        }
        let mut overdue: HashMap<i32, i64> = HashMap::new();
        for (_, category, n) in &sums.overdue {
            *overdue.entry(*category).or_default() += n;
        }
        Self { cells, overdue }
    }
}
