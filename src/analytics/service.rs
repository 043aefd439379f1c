//! Reading the rollups into the dashboard's figures and tables. Every query is grouped in the
//! database over the rollup rows of the chosen months (a few thousand rows at most), never over
//! reports, so the cost does not grow with the number of reports.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoTableRef, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult};

use super::metrics::{percentile, Counters, Month};
use super::table::{Cell, Row, Rule, Table};
use super::tree::OrgTree;
use crate::platform::persistence::entities::{
    case_rollup, category_article, close_histogram, commendation_rollup, culture_article,
    due_rollup, violation_category,
};
use crate::web::i18n::Lang;

/// What the dashboard shows: months, org subtree, optionally one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub from: Month,
    pub to: Month,
    pub unit_id: i32,
    pub category_id: Option<i32>,
}

/// The longest period one request may ask for.
pub const MAX_MONTHS: usize = 120;

/// Sums of the rollups in the filters' months and subtree.
#[derive(Debug, Default)]
pub struct Sums {
    /// Measure kind (`domain::discipline::KINDS`) → decisions dated in the period, not overturned.
    pub measures: BTreeMap<String, i64>,
    /// (unit, category) → counters.
    pub cells: HashMap<(i32, i32), Counters>,
    pub months: BTreeMap<Month, Counters>,
    /// (unit, category) → open cases past their due date.
    pub overdue: Vec<(i32, i32, i64)>,
    /// month → open cases past their due date.
    pub overdue_by_month: BTreeMap<Month, i64>,
    /// (unit, days bucket) → closed cases.
    pub histogram_by_unit: Vec<(i32, i32, i64)>,
    /// (month, days bucket) → closed cases.
    pub histogram_by_month: Vec<(Month, i32, i64)>,
    /// (month, unit) → commendations.
    pub commendations: Vec<(Month, i32, i64)>,
}

#[derive(Debug, FromQueryResult)]
struct CounterRow {
    key_a: i32,
    key_b: i32,
    received: i64,
    anonymous: i64,
    anonymous_returned: i64,
    accepted: i64,
    open_cases: i64,
    declined: i64,
    concluded: i64,
    closed: i64,
    closed_on_time: i64,
    with_finding: i64,
    substantiated: i64,
    days_to_close_sum: i64,
    rating_count: i64,
    rating_sum: i64,
}

impl CounterRow {
    fn counters(&self) -> Counters {
        Counters {
            received: self.received,
            anonymous: self.anonymous,
            anonymous_returned: self.anonymous_returned,
            accepted: self.accepted,
            open: self.open_cases,
            declined: self.declined,
            concluded: self.concluded,
            closed: self.closed,
            closed_on_time: self.closed_on_time,
            with_finding: self.with_finding,
            substantiated: self.substantiated,
            days_to_close_sum: self.days_to_close_sum,
            rating_count: self.rating_count,
            rating_sum: self.rating_sum,
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct PairRow {
    key_a: i32,
    key_b: i32,
    n: i64,
}

const COUNTERS: [&str; 14] = [
    "received",
    "anonymous",
    "anonymous_returned",
    "accepted",
    "open_cases",
    "declined",
    "concluded",
    "closed",
    "closed_on_time",
    "with_finding",
    "substantiated",
    "days_to_close_sum",
    "rating_count",
    "rating_sum",
];

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

fn summed(name: &str) -> Expr {
    col(name).sum().cast_as("BIGINT")
}

/// `month BETWEEN from AND to`, `unit_id IN subtree` (unless everything), `category_id = c`.
fn scoped(
    table: impl IntoTableRef,
    filters: &Filters,
    units: Option<&[i32]>,
    with_category: bool,
) -> SelectStatement {
    let mut select = Query::select();
    select
        .from(table)
        .and_where(col("month").gte(filters.from.0))
        .and_where(col("month").lte(filters.to.0));
    if let Some(units) = units {
        select.and_where(col("unit_id").is_in(units.iter().copied()));
    }
    if let (true, Some(category)) = (with_category, filters.category_id) {
        select.and_where(col("category_id").eq(category));
    }
    select
}

async fn counters_by<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
    a: &str,
    b: &str,
) -> Result<Vec<CounterRow>, DbErr> {
    let mut select = scoped(case_rollup::Entity, filters, units, true);
    select
        .expr_as(col(a), Alias::new("key_a"))
        .expr_as(col(b), Alias::new("key_b"))
        .group_by_col(Alias::new(a))
        .group_by_col(Alias::new(b));
    for name in COUNTERS {
        select.expr_as(summed(name), Alias::new(name));
    }
    let rows = conn.query_all(&select).await?;
    rows.iter()
        .map(|r| CounterRow::from_query_result(r, ""))
        .collect()
}

/// Reads every sum the dashboard needs. `today` decides what is overdue.
pub async fn load_sums<C: ConnectionTrait>(
    conn: &C,
    tree: &OrgTree,
    filters: &Filters,
    today: NaiveDate,
) -> Result<Sums, DbErr> {
    let subtree = tree.subtree_of(filters.unit_id);
    let units = (Some(filters.unit_id) != tree.root()).then_some(subtree.as_slice());
    let mut sums = Sums {
        measures: measures_by_form(conn, filters, units).await?,
        ..Sums::default()
    };
    for row in counters_by(conn, filters, units, "unit_id", "category_id").await? {
        sums.cells.insert((row.key_a, row.key_b), row.counters());
    }
    // `month` twice: the month is both keys.
    for row in counters_by(conn, filters, units, "month", "month").await? {
        sums.months.insert(Month(row.key_a), row.counters());
    }

    // Overdue: open cases whose running clock is due before today.
    for (a, b) in [("unit_id", "category_id"), ("month", "month")] {
        let mut due = scoped(due_rollup::Entity, filters, units, true);
        due.expr_as(col(a), Alias::new("key_a"))
            .expr_as(col(b), Alias::new("key_b"))
            .expr_as(summed("n"), Alias::new("n"))
            .and_where(col("due_on").lt(today))
            .group_by_col(Alias::new(a))
            .group_by_col(Alias::new(b));
        for row in conn.query_all(&due).await? {
            let r = PairRow::from_query_result(&row, "")?;
            if a == "month" {
                sums.overdue_by_month.insert(Month(r.key_a), r.n);
            } else {
                sums.overdue.push((r.key_a, r.key_b, r.n));
            }
        }
    }

    // The histogram has no category: percentiles are shown for all categories only.
    if filters.category_id.is_none() {
        for (a, target) in [("unit_id", 0), ("month", 1)] {
            let mut select = scoped(close_histogram::Entity, filters, units, false);
            select
                .expr_as(col(a), Alias::new("key_a"))
                .expr_as(col("days"), Alias::new("key_b"))
                .expr_as(summed("n"), Alias::new("n"))
                .group_by_col(Alias::new(a))
                .group_by_col(Alias::new("days"));
            for row in conn.query_all(&select).await? {
                let r = PairRow::from_query_result(&row, "")?;
                if target == 0 {
                    sums.histogram_by_unit.push((r.key_a, r.key_b, r.n));
                } else {
                    sums.histogram_by_month.push((Month(r.key_a), r.key_b, r.n));
                }
            }
        }
    }

    let mut praise = scoped(commendation_rollup::Entity, filters, units, false);
    praise
        .expr_as(col("month"), Alias::new("key_a"))
        .expr_as(col("unit_id"), Alias::new("key_b"))
        .expr_as(summed("n"), Alias::new("n"))
        .group_by_col(Alias::new("month"))
        .group_by_col(Alias::new("unit_id"));
    for row in conn.query_all(&praise).await? {
        let r = PairRow::from_query_result(&row, "")?;
        sums.commendations.push((Month(r.key_a), r.key_b, r.n));
    }
    Ok(sums)
}

/// Category names and the culture-code articles each cites (current version titles).
#[derive(Debug, Default)]
pub struct Reference {
    /// (id, name), in the order the report form shows them.
    pub categories: Vec<(i32, String)>,
    /// (article key, label, categories citing it), by article number.
    pub articles: Vec<(String, String, Vec<i32>)>,
}

impl Reference {
    pub async fn load<C: ConnectionTrait>(conn: &C, lang: Lang) -> Result<Self, DbErr> {
        let mut categories = violation_category::Entity::find().all(conn).await?;
        categories.sort_by_key(|c| (c.sort_order, c.id));
        let links = category_article::Entity::find().all(conn).await?;
        let mut latest: HashMap<String, culture_article::Model> = HashMap::new();
        for v in culture_article::Entity::find().all(conn).await? {
            if latest
                .get(&v.article_key)
                .is_none_or(|known| v.version > known.version)
            {
                latest.insert(v.article_key.clone(), v);
            }
        }
        let mut by_article: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for link in links {
            by_article
                .entry(link.article_key)
                .or_default()
                .push(link.category_id);
        }
        let mut articles: Vec<(i32, String, String, Vec<i32>)> = by_article
            .into_iter()
            .map(|(key, cats)| {
                let (number, label) = match latest.get(&key) {
                    Some(a) => (
                        a.number,
                        lang.t_args(
                            "analytics-article-label",
                            &[
                                ("number", a.number.to_string()),
                                (
                                    "title",
                                    match lang {
                                        Lang::Vi => a.title_vi.clone(),
                                        Lang::En => a.title_en.clone(),
                                    },
                                ),
                            ],
                        ),
                    ),
                    None => (i32::MAX, key.clone()),
                };
                (number, key, label, cats)
            })
            .collect();
        articles.sort();
        Ok(Self {
            categories: categories
                .into_iter()
                .map(|c| {
                    let name = match lang {
                        Lang::Vi => c.name_vi,
                        Lang::En => c.name_en,
                    };
                    (c.id, name)
                })
                .collect(),
            articles: articles
                .into_iter()
                .map(|(_, key, label, cats)| (key, label, cats))
                .collect(),
        })
    }

    pub fn category_name(&self, id: i32) -> Option<&str> {
        self.categories
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, n)| n.as_str())
    }
}

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

fn histogram_of(entries: impl Iterator<Item = (i32, i64)>) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for (bucket, n) in entries {
        *out.entry(bucket).or_insert(0) += n;
    }
    out
}

/// Disciplinary decisions by form: decisions dated in the period's months about cases in the
/// scope (and category), overturned ones left out. Decisions are few, so this reads them.
async fn measures_by_form<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
) -> Result<BTreeMap<String, i64>, DbErr> {
    use crate::platform::persistence::entities::{case_file, discipline_decision};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut cases = case_file::Entity::find();
    if let Some(units) = units {
        cases = cases.filter(case_file::Column::UnitId.is_in(units.to_vec()));
    }
    if let Some(category) = filters.category_id {
        cases = cases.filter(case_file::Column::CategoryId.eq(category));
    }
    let decisions = discipline_decision::Entity::find()
        .filter(discipline_decision::Column::AppealStatus.ne("overturned"))
        .all(conn)
        .await?;
    if decisions.is_empty() {
        return Ok(BTreeMap::new());
    }
    let in_scope: std::collections::HashSet<i32> = cases
        .filter(
            case_file::Column::ReportId
                .is_in(decisions.iter().map(|d| d.report_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.report_id)
        .collect();
    let mut out = BTreeMap::new();
    for decision in decisions {
        let month = Month::of_date(decision.decision_date);
        if in_scope.contains(&decision.report_id) && month >= filters.from && month <= filters.to {
            *out.entry(decision.measure).or_insert(0) += 1;
        }
    }
    Ok(out)
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
    let t = |key: &str| lang.t(key);
    let scope = tree.get(filters.unit_id);
    let scope_rule = Rule {
        suppress: scope.is_some_and(|u| u.fine_grained()),
    };
    let with_percentiles = filters.category_id.is_none();

    // Totals of the scope.
    let total = sums
        .cells
        .values()
        .fold(Counters::default(), |acc, c| acc.plus(*c));
    let overdue_total: i64 = sums.overdue.iter().map(|(_, _, n)| n).sum();
    let whole_histogram = histogram_of(sums.histogram_by_unit.iter().map(|(_, b, n)| (*b, *n)));
    let praise_total: i64 = sums.commendations.iter().map(|(_, _, n)| n).sum();

    let mut summary = Table::new(
        "summary",
        t("analytics-table-summary"),
        vec![t("analytics-col-measure"), t("analytics-col-value")],
    );
    let mut kpi = |key: &str, cell: Cell| {
        summary.rows.push(Row {
            label: t(key),
            link: None,
            cells: vec![cell],
            suppressed: scope_rule.suppress,
        })
    };
    kpi("analytics-kpi-received", scope_rule.count(total.received));
    kpi("analytics-kpi-accepted", scope_rule.count(total.accepted));
    kpi("analytics-kpi-open", scope_rule.count(total.open));
    kpi("analytics-kpi-overdue", scope_rule.count(overdue_total));
    kpi("analytics-kpi-declined", scope_rule.count(total.declined));
    kpi("analytics-kpi-concluded", scope_rule.count(total.concluded));
    kpi("analytics-kpi-closed", scope_rule.count(total.closed));
    let percentile_cell = |percent: u32| {
        if with_percentiles {
            scope_rule.days(percentile(&whole_histogram, percent), total.closed)
        } else {
            Cell::Blank
        }
    };
    kpi("analytics-kpi-median-days", percentile_cell(50));
    kpi("analytics-kpi-p90-days", percentile_cell(90));
    kpi(
        "analytics-kpi-on-time",
        scope_rule.percent(total.closed_on_time, total.closed),
    );
    kpi(
        "analytics-kpi-substantiation",
        scope_rule.percent(total.substantiated, total.with_finding),
    );
    kpi(
        "analytics-kpi-anonymous-follow-up",
        scope_rule.percent(total.anonymous_returned, total.anonymous),
    );
    kpi(
        "analytics-kpi-satisfaction",
        scope_rule.mean(total.rating_sum, total.rating_count),
    );
    kpi(
        "analytics-kpi-ratings",
        scope_rule.count(total.rating_count),
    );
    kpi(
        "analytics-kpi-commendations",
        scope_rule.count(praise_total),
    );
    kpi(
        "analytics-kpi-measures",
        scope_rule.count(sums.measures.values().sum()),
    );

    // By month.
    let mut months = Table::new(
        "months",
        t("analytics-table-months"),
        vec![
            t("analytics-col-month"),
            t("analytics-col-received"),
            t("analytics-col-closed"),
            t("analytics-col-on-time"),
            t("analytics-col-overdue"),
            t("analytics-col-median-days"),
            t("analytics-col-commendations"),
        ],
    );
    for month in filters.from.through(filters.to) {
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
        months.rows.push(Row {
            label: month.label(),
            link: None,
            cells: vec![
                scope_rule.count(c.received),
                scope_rule.count(c.closed),
                scope_rule.percent(c.closed_on_time, c.closed),
                scope_rule.count(overdue),
                if with_percentiles {
                    scope_rule.days(percentile(&histogram, 50), c.closed)
                } else {
                    Cell::Blank
                },
                scope_rule.count(praise),
            ],
            suppressed: scope_rule.suppress,
        });
    }

    // By unit one level down (plus reports about the scope unit itself).
    let group_of = |unit: i32| -> Option<i32> {
        if unit == filters.unit_id {
            Some(unit)
        } else {
            tree.child_towards(filters.unit_id, unit)
        }
    };
    let mut unit_cells: HashMap<i32, Counters> = HashMap::new();
    let mut heat_cells: HashMap<(i32, i32), i64> = HashMap::new();
    for ((unit, category), c) in &sums.cells {
        if let Some(group) = group_of(*unit) {
            let entry = unit_cells.entry(group).or_default();
            *entry = entry.plus(*c);
            *heat_cells.entry((group, *category)).or_default() += c.received;
        }
    }
    let mut unit_overdue: HashMap<i32, i64> = HashMap::new();
    for (unit, _, n) in &sums.overdue {
        if let Some(group) = group_of(*unit) {
            *unit_overdue.entry(group).or_default() += n;
        }
    }
    let mut unit_histograms: HashMap<i32, BTreeMap<i32, i64>> = HashMap::new();
    for (unit, bucket, n) in &sums.histogram_by_unit {
        if let Some(group) = group_of(*unit) {
            *unit_histograms
                .entry(group)
                .or_default()
                .entry(*bucket)
                .or_default() += n;
        }
    }
    let mut unit_praise: HashMap<i32, i64> = HashMap::new();
    for (_, unit, n) in &sums.commendations {
        if let Some(group) = group_of(*unit) {
            *unit_praise.entry(group).or_default() += n;
        }
    }
    let mut groups: Vec<i32> = tree.children(filters.unit_id).to_vec();
    if unit_cells.contains_key(&filters.unit_id) || unit_praise.contains_key(&filters.unit_id) {
        groups.insert(0, filters.unit_id);
    }
    let mut units = Table::new(
        "units",
        t("analytics-table-units"),
        vec![
            t("analytics-col-unit"),
            t("analytics-col-received"),
            t("analytics-col-open"),
            t("analytics-col-overdue"),
            t("analytics-col-closed"),
            t("analytics-col-on-time"),
            t("analytics-col-median-days"),
            t("analytics-col-substantiation"),
            t("analytics-col-satisfaction"),
            t("analytics-col-commendations"),
        ],
    );
    let mut ranked: Vec<(i32, Counters)> = groups
        .iter()
        .map(|g| (*g, unit_cells.get(g).copied().unwrap_or_default()))
        .collect();
    // Most reports first: "which units had the most … ?"
    ranked.sort_by_key(|(g, c)| {
        (
            std::cmp::Reverse(c.received),
            tree.get(*g).map(|u| u.code.clone()),
        )
    });
    for (group, c) in &ranked {
        let Some(unit) = tree.get(*group) else {
            continue;
        };
        let rule = Rule {
            suppress: unit.fine_grained(),
        };
        let own = *group == filters.unit_id;
        let label = if own {
            lang.t_args(
                "analytics-unit-itself",
                &[("unit", unit.name(lang).to_string())],
            )
        } else {
            unit.name(lang).to_string()
        };
        let empty = BTreeMap::new();
        let histogram = unit_histograms.get(group).unwrap_or(&empty);
        units.rows.push(Row {
            label,
            link: (!own).then(|| link(*group)),
            cells: vec![
                rule.count(c.received),
                rule.count(c.open),
                rule.count(unit_overdue.get(group).copied().unwrap_or(0)),
                rule.count(c.closed),
                rule.percent(c.closed_on_time, c.closed),
                if with_percentiles {
                    rule.days(percentile(histogram, 50), c.closed)
                } else {
                    Cell::Blank
                },
                rule.percent(c.substantiated, c.with_finding),
                rule.mean(c.rating_sum, c.rating_count),
                rule.count(unit_praise.get(group).copied().unwrap_or(0)),
            ],
            suppressed: rule.suppress,
        });
    }

    // By category.
    let mut category_cells: HashMap<i32, Counters> = HashMap::new();
    for ((_, category), c) in &sums.cells {
        let entry = category_cells.entry(*category).or_default();
        *entry = entry.plus(*c);
    }
    let mut category_overdue: HashMap<i32, i64> = HashMap::new();
    for (_, category, n) in &sums.overdue {
        *category_overdue.entry(*category).or_default() += n;
    }
    let mut categories = Table::new(
        "categories",
        t("analytics-table-categories"),
        vec![
            t("analytics-col-category"),
            t("analytics-col-received"),
            t("analytics-col-open"),
            t("analytics-col-overdue"),
            t("analytics-col-closed"),
            t("analytics-col-on-time"),
            t("analytics-col-substantiation"),
        ],
    );
    let shown_categories: Vec<&(i32, String)> = reference
        .categories
        .iter()
        .filter(|(id, _)| filters.category_id.is_none_or(|c| c == *id))
        .collect();
    for (id, name) in &shown_categories {
        let c = category_cells.get(id).copied().unwrap_or_default();
        categories.rows.push(Row {
            label: name.clone(),
            link: None,
            cells: vec![
                scope_rule.count(c.received),
                scope_rule.count(c.open),
                scope_rule.count(category_overdue.get(id).copied().unwrap_or(0)),
                scope_rule.count(c.closed),
                scope_rule.percent(c.closed_on_time, c.closed),
                scope_rule.percent(c.substantiated, c.with_finding),
            ],
            suppressed: scope_rule.suppress,
        });
    }

    // By culture-code article, through the categories citing it.
    let mut articles = Table::new(
        "articles",
        t("analytics-table-articles"),
        vec![
            t("analytics-col-article"),
            t("analytics-col-received"),
            t("analytics-col-closed"),
            t("analytics-col-on-time"),
            t("analytics-col-substantiation"),
        ],
    );
    for (_, label, cited_by) in &reference.articles {
        let c = cited_by
            .iter()
            .filter_map(|id| category_cells.get(id))
            .fold(Counters::default(), |acc, c| acc.plus(*c));
        articles.rows.push(Row {
            label: label.clone(),
            link: None,
            cells: vec![
                scope_rule.count(c.received),
                scope_rule.count(c.closed),
                scope_rule.percent(c.closed_on_time, c.closed),
                scope_rule.percent(c.substantiated, c.with_finding),
            ],
            suppressed: scope_rule.suppress,
        });
    }

    // Unit × category: reports received.
    let mut heat = Table::new(
        "heat",
        t("analytics-table-heat"),
        std::iter::once(t("analytics-col-unit"))
            .chain(shown_categories.iter().map(|(_, name)| name.clone()))
            .collect(),
    );
    for (group, _) in &ranked {
        let Some(unit) = tree.get(*group) else {
            continue;
        };
        let rule = Rule {
            suppress: unit.fine_grained(),
        };
        let own = *group == filters.unit_id;
        heat.rows.push(Row {
            label: unit.name(lang).to_string(),
            link: (!own).then(|| link(*group)),
            cells: shown_categories
                .iter()
                .map(|(id, _)| rule.count(heat_cells.get(&(*group, *id)).copied().unwrap_or(0)))
                .collect(),
            suppressed: rule.suppress,
        });
    }

    // Disciplinary measures by form (the discipline slice's decisions, not overturned).
    let mut measures = Table::new(
        "measures",
        t("analytics-table-measures"),
        vec![t("analytics-col-measure-form"), t("analytics-col-count")],
    );
    for kind in crate::domain::discipline::KINDS {
        measures.rows.push(Row {
            label: t(&format!("measure-{}", kind.replace('_', "-"))),
            link: None,
            cells: vec![scope_rule.count(sums.measures.get(kind).copied().unwrap_or(0))],
            suppressed: scope_rule.suppress,
        });
    }

    Dashboard {
        summary,
        months,
        units,
        categories,
        articles,
        heat,
        measures,
        scope_suppressed: scope_rule.suppress,
    }
}

/// The overall maximum of a table column, for scaling charts and heat cells.
pub fn column_max(table: &Table, column: usize) -> f64 {
    table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(column).and_then(Cell::number))
        .fold(0.0, f64::max)
}

/// Reads `id` into a category filter only when such a category exists.
pub fn known_category(reference: &Reference, id: Option<i32>) -> Option<i32> {
    id.filter(|id| reference.category_name(*id).is_some())
}

/// Used by the transparency page and the tests: counters per unit (all categories).
pub async fn counters_by_unit<C: ConnectionTrait>(
    conn: &C,
    from: Month,
    to: Month,
) -> Result<(HashMap<i32, Counters>, Vec<(i32, i32, i64)>), DbErr> {
    let filters = Filters {
        from,
        to,
        unit_id: 0,
        category_id: None,
    };
    let mut out: HashMap<i32, Counters> = HashMap::new();
    for row in counters_by(conn, &filters, None, "unit_id", "unit_id").await? {
        out.insert(row.key_a, row.counters());
    }
    let mut select = scoped(close_histogram::Entity, &filters, None, false);
    select
        .expr_as(col("unit_id"), Alias::new("key_a"))
        .expr_as(col("days"), Alias::new("key_b"))
        .expr_as(summed("n"), Alias::new("n"))
        .group_by_col(Alias::new("unit_id"))
        .group_by_col(Alias::new("days"));
    let mut histogram = Vec::new();
    for row in conn.query_all(&select).await? {
        let r = PairRow::from_query_result(&row, "")?;
        histogram.push((r.key_a, r.key_b, r.n));
    }
    Ok((out, histogram))
}
