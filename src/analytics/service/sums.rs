//! Reading the rollups into sums for the dashboard and the public page. Every query is grouped
//! in the database over the rollup rows of the chosen months (a few thousand rows at most),
//! never over reports, so the cost does not grow with the number of reports. Decisions (few)
//! are the one exception, read for the measures table.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoTableRef, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter};

use crate::analytics::metrics::{Counters, Month};
use crate::analytics::tree::OrgTree;
use crate::platform::persistence::entities::{
    case_file, case_rollup, channel_rollup, close_histogram, commendation_rollup,
    discipline_decision, due_rollup,
};

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
    /// Intake channel code → reports received (scope, category).
    pub channels: HashMap<String, i64>,
    /// Month by month, for suppression on aligned blocks (`protect.rs`); read only when the
    /// scope is a corporation or below, where small counts are withheld.
    pub detail: Option<Detail>,
}

/// The figures suppression decides on (`protect.rs`): month by month, for every unit of the
/// scope's corporation and every category, whatever the filters, so that every view of that
/// corporation decides alike.
#[derive(Debug, Default)]
pub struct Detail {
    /// (month, unit, category) → counters.
    pub cells: Vec<(Month, i32, i32, Counters)>,
    /// (month, unit, category) → open cases past their due date.
    pub overdue: Vec<(Month, i32, i32, i64)>,
    /// (month, unit) → commendations.
    pub praise: Vec<(Month, i32, i64)>,
    /// (decision month, unit, category, measure kind) → decisions.
    pub measures: Vec<(Month, i32, i32, String, i64)>,
    /// (month, unit, category, channel code) → reports received.
    pub channels: Vec<(Month, i32, i32, String, i64)>,
}

/// What the shown sums keep of the detail: the scope's units, the chosen category.
struct Wanted<'a> {
    units: HashSet<i32>,
    filters: &'a Filters,
}

impl Wanted<'_> {
    fn unit(&self, unit: i32) -> bool {
        self.units.contains(&unit)
    }

    fn cell(&self, unit: i32, category: i32) -> bool {
        self.unit(unit) && self.filters.category_id.is_none_or(|c| c == category)
    }
}

#[derive(Debug, FromQueryResult)]
struct CounterRow {
    key_a: i32,
    key_b: i32,
    key_c: i32,
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

#[derive(Debug, FromQueryResult)]
struct ChannelRow {
    key_a: i32,
    key_b: i32,
    key_c: i32,
    channel: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct TripleRow {
    key_a: i32,
    key_b: i32,
    key_c: i32,
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
    [a, b, c]: [&str; 3],
) -> Result<Vec<CounterRow>, DbErr> {
    let mut select = scoped(case_rollup::Entity, filters, units, true);
    select
        .expr_as(col(a), Alias::new("key_a"))
        .expr_as(col(b), Alias::new("key_b"))
        .expr_as(col(c), Alias::new("key_c"))
        .group_by_col(Alias::new(a))
        .group_by_col(Alias::new(b))
        .group_by_col(Alias::new(c));
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
    let corporation = tree
        .get(filters.unit_id)
        .filter(|u| u.depth >= 1)
        .and_then(|_| tree.corporation_of(filters.unit_id));
    let mut sums = Sums::default();
    let Some(corporation) = corporation else {
        for (_, _, _, kind, n) in decisions(conn, filters, units).await? {
            *sums.measures.entry(kind).or_insert(0) += n;
        }
        let keys = ["unit_id", "category_id", "category_id"];
        for row in counters_by(conn, filters, units, keys).await? {
            sums.cells.insert((row.key_a, row.key_b), row.counters());
        }
        // `month` thrice: the month is every key.
        for row in counters_by(conn, filters, units, ["month"; 3]).await? {
            sums.months.insert(Month(row.key_a), row.counters());
        }
        load_overdue(conn, filters, units, today, &mut sums).await?;
        if filters.category_id.is_none() {
            load_histograms(conn, filters, units, &mut sums).await?;
        }
        let praise = scoped(commendation_rollup::Entity, filters, units, false);
        for r in pairs(conn, praise, "month", "unit_id").await? {
            sums.commendations.push((Month(r.key_a), r.key_b, r.n));
        }
        for r in channels_by(conn, filters, units, ["month"; 3]).await? {
            *sums.channels.entry(r.channel).or_default() += r.n;
        }
        return Ok(sums);
    };
    // One read month by month over the whole corporation and every category; the shown sums
    // keep the scope's part of it.
    let wanted = Wanted {
        units: subtree.iter().copied().collect(),
        filters,
    };
    let everywhere = tree.subtree_of(corporation);
    let every_category = Filters {
        category_id: None,
        ..filters.clone()
    };
    let mut detail = Detail {
        measures: decisions(conn, &every_category, Some(&everywhere)).await?,
        ..Detail::default()
    };
    for (_, unit, category, kind, n) in &detail.measures {
        if wanted.cell(*unit, *category) {
            *sums.measures.entry(kind.clone()).or_insert(0) += n;
        }
    }
    let keys = ["month", "unit_id", "category_id"];
    for row in counters_by(conn, &every_category, Some(&everywhere), keys).await? {
        let (month, c) = (Month(row.key_a), row.counters());
        if wanted.cell(row.key_b, row.key_c) {
            let cell = sums.cells.entry((row.key_b, row.key_c)).or_default();
            *cell = cell.plus(c);
            let by_month = sums.months.entry(month).or_default();
            *by_month = by_month.plus(c);
        }
        detail.cells.push((month, row.key_b, row.key_c, c));
    }
    let mut select = due(&every_category, Some(&everywhere), today);
    for r in triples(conn, &mut select, ["month", "unit_id", "category_id"]).await? {
        let month = Month(r.key_a);
        if wanted.cell(r.key_b, r.key_c) {
            sums.overdue.push((r.key_b, r.key_c, r.n));
            *sums.overdue_by_month.entry(month).or_default() += r.n;
        }
        detail.overdue.push((month, r.key_b, r.key_c, r.n));
    }
    // The histogram has no category: percentiles are shown for all categories only.
    if filters.category_id.is_none() {
        load_histograms(conn, filters, units, &mut sums).await?;
    }
    let praise = scoped(
        commendation_rollup::Entity,
        filters,
        Some(&everywhere),
        false,
    );
    for r in pairs(conn, praise, "month", "unit_id").await? {
        if wanted.unit(r.key_b) {
            sums.commendations.push((Month(r.key_a), r.key_b, r.n));
        }
        detail.praise.push((Month(r.key_a), r.key_b, r.n));
    }
    let keys = ["month", "unit_id", "category_id"];
    for r in channels_by(conn, &every_category, Some(&everywhere), keys).await? {
        if wanted.cell(r.key_b, r.key_c) {
            *sums.channels.entry(r.channel.clone()).or_default() += r.n;
        }
        detail
            .channels
            .push((Month(r.key_a), r.key_b, r.key_c, r.channel, r.n));
    }
    sums.detail = Some(detail);
    Ok(sums)
}

/// `select` grouped by the columns `a` and `b`, with the sum of its `n` column.
async fn pairs<C: ConnectionTrait>(
    conn: &C,
    mut select: SelectStatement,
    a: &str,
    b: &str,
) -> Result<Vec<PairRow>, DbErr> {
    select
        .expr_as(col(a), Alias::new("key_a"))
        .expr_as(col(b), Alias::new("key_b"))
        .expr_as(summed("n"), Alias::new("n"))
        .group_by_col(Alias::new(a))
        .group_by_col(Alias::new(b));
    let rows = conn.query_all(&select).await?;
    rows.iter()
        .map(|r| PairRow::from_query_result(r, ""))
        .collect()
}

/// Open cases whose running clock is due before `today`, in the filters' months and units.
fn due(filters: &Filters, units: Option<&[i32]>, today: NaiveDate) -> SelectStatement {
    let mut select = scoped(due_rollup::Entity, filters, units, true);
    select.and_where(col("due_on").lt(today));
    select
}

/// `select` grouped by three columns, with the sum of its `n` column.
async fn triples<C: ConnectionTrait>(
    conn: &C,
    select: &mut SelectStatement,
    keys: [&str; 3],
) -> Result<Vec<TripleRow>, DbErr> {
    for (key, name) in keys.iter().zip(["key_a", "key_b", "key_c"]) {
        select.expr_as(col(key), Alias::new(name));
    }
    select.expr_as(summed("n"), Alias::new("n"));
    for key in keys {
        select.group_by_col(Alias::new(key));
    }
    let rows = conn.query_all(&*select).await?;
    rows.iter()
        .map(|r| TripleRow::from_query_result(r, ""))
        .collect()
}

/// Reports received by channel, grouped by `keys` as well.
async fn channels_by<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
    keys: [&str; 3],
) -> Result<Vec<ChannelRow>, DbErr> {
    let mut select = scoped(channel_rollup::Entity, filters, units, true);
    for (key, name) in keys.iter().zip(["key_a", "key_b", "key_c"]) {
        select.expr_as(col(key), Alias::new(name));
    }
    select
        .expr_as(col("channel"), Alias::new("channel"))
        .expr_as(summed("n"), Alias::new("n"))
        .group_by_col(Alias::new("channel"));
    for key in keys {
        select.group_by_col(Alias::new(key));
    }
    let rows = conn.query_all(&select).await?;
    rows.iter()
        .map(|r| ChannelRow::from_query_result(r, ""))
        .collect()
}

/// Overdue by cell and by month (above corporation level, where nothing is withheld).
async fn load_overdue<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
    today: NaiveDate,
    sums: &mut Sums,
) -> Result<(), DbErr> {
    for r in pairs(conn, due(filters, units, today), "unit_id", "category_id").await? {
        sums.overdue.push((r.key_a, r.key_b, r.n));
    }
    for r in pairs(conn, due(filters, units, today), "month", "month").await? {
        sums.overdue_by_month.insert(Month(r.key_a), r.n);
    }
    Ok(())
}

/// Days-to-close histograms, by unit and by month.
async fn load_histograms<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
    sums: &mut Sums,
) -> Result<(), DbErr> {
    let histogram = || scoped(close_histogram::Entity, filters, units, false);
    for r in pairs(conn, histogram(), "unit_id", "days").await? {
        sums.histogram_by_unit.push((r.key_a, r.key_b, r.n));
    }
    for r in pairs(conn, histogram(), "month", "days").await? {
        sums.histogram_by_month.push((Month(r.key_a), r.key_b, r.n));
    }
    Ok(())
}

/// Disciplinary decisions dated in the filters' months about cases in `units` (and the
/// category), overturned ones left out: (month, unit, category, measure kind, count). Decisions
/// are few, so this reads them.
async fn decisions<C: ConnectionTrait>(
    conn: &C,
    filters: &Filters,
    units: Option<&[i32]>,
) -> Result<Vec<(Month, i32, i32, String, i64)>, DbErr> {
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
        return Ok(Vec::new());
    }
    let in_scope: HashMap<i32, (i32, i32)> = cases
        .filter(
            case_file::Column::ReportId
                .is_in(decisions.iter().map(|d| d.report_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.report_id, (c.unit_id, c.category_id)))
        .collect();
    let mut out: BTreeMap<(Month, i32, i32, String), i64> = BTreeMap::new();
    for decision in decisions {
        let month = Month::of_date(decision.decision_date);
        let Some((unit, category)) = in_scope.get(&decision.report_id) else {
            continue;
        };
        if month >= filters.from && month <= filters.to {
            *out.entry((month, *unit, *category, decision.measure))
                .or_insert(0) += 1;
        }
    }
    Ok(out
        .into_iter()
        .map(|((m, u, c, k), n)| (m, u, c, k, n))
        .collect())
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
    for row in counters_by(conn, &filters, None, ["unit_id"; 3]).await? {
        out.insert(row.key_a, row.counters());
    }
    let select = scoped(close_histogram::Entity, &filters, None, false);
    let histogram = pairs(conn, select, "unit_id", "days")
        .await?
        .into_iter()
        .map(|r| (r.key_a, r.key_b, r.n))
        .collect();
    Ok((out, histogram))
}
