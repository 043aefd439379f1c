//! Keeping the rollups equal to the sum of every report's [`contribution`], inside the
//! transaction that changes the report.
//!
//! A change is bracketed by a [`Tracker`]: `Tracker::before` reads the report's contribution
//! (locking the report row on PostgreSQL, so concurrent changes to one report are applied one
//! after the other; SQLite's writer lock already serialises them), the caller writes, and
//! `Tracker::after` reads the new contribution and adds the difference with upserts. Because
//! only differences are written, one mechanism covers every action — acceptance, closure,
//! reopening, extensions, a reporter's first visit, a rating — and the rollups never depend on
//! which action ran. [`rebuild`] recomputes everything from the reports (for data loaded
//! without the hooks, e.g. a bulk import); launch runs it when the rollups do not add up to
//! the number of reports.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::channels::{self, ChannelDelta, ChannelKey};
use super::metrics::{contribution, CaseFacts, CellKey, Contribution, Counters, Month};
use crate::domain::status::CaseStatus;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    case_file, case_rollup, close_histogram, commendation, commendation_rollup, due_rollup, report,
    satisfaction_rating,
};
use crate::platform::persistence::Db;

/// Brackets one change to a report; see the module documentation.
#[must_use = "call `after` once the change is written"]
pub struct Tracker {
    report_id: i32,
    /// The contribution and the report's channel.
    before: Option<(Contribution, String)>,
}

impl Tracker {
    /// Reads the report's current contribution before it changes.
    pub async fn before<C: ConnectionTrait>(conn: &C, report_id: i32) -> Result<Self, DbErr> {
        let before = load_facts(conn, report_id, true)
            .await?
            .map(|(f, channel)| (contribution(&f), channel));
        Ok(Self { report_id, before })
    }

    /// For a report inserted (with its case file) in this transaction.
    pub fn new_report(report_id: i32) -> Self {
        Self {
            report_id,
            before: None,
        }
    }

    /// Adds the difference between the report's contribution now and before.
    pub async fn after<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        let after = load_facts(conn, self.report_id, false)
            .await?
            .map(|(f, channel)| (contribution(&f), channel));
        if after == self.before {
            return Ok(());
        }
        let mut delta = Delta::default();
        if let Some((before, channel)) = &self.before {
            delta.add(before, channel, -1);
        }
        if let Some((after, channel)) = &after {
            delta.add(after, channel, 1);
        }
        delta.write(conn).await
    }
}

/// Reads what the rollups need about one report, and its channel.
async fn load_facts<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    lock: bool,
) -> Result<Option<(CaseFacts, String)>, DbErr> {
    let mut query = report::Entity::find_by_id(report_id);
    if lock && conn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    let Some(row) = query.one(conn).await? else {
        return Ok(None);
    };
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let rating = satisfaction_rating::Entity::find()
        .filter(satisfaction_rating::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .map(|r| r.score);
    let channel = row.channel;
    Ok(facts(
        ReportPart {
            unit_id: row.unit_id,
            category_id: row.category_id,
            submission_kind: row.submission_kind,
            received_at: row.received_at,
            reporter_last_seen_at: row.reporter_last_seen_at,
        },
        CasePart {
            status: case.status,
            accepted_on: case.accepted_on,
            acceptance_due: case.acceptance_due,
            resolution_due: case.resolution_due,
            finding: case.finding,
            closed_at: case.closed_at,
        },
        rating,
    )
    .map(|f| (f, channel)))
}

struct ReportPart {
    unit_id: i32,
    category_id: i32,
    submission_kind: String,
    received_at: DateTime<Utc>,
    reporter_last_seen_at: Option<DateTime<Utc>>,
}

struct CasePart {
    status: String,
    accepted_on: Option<NaiveDate>,
    acceptance_due: NaiveDate,
    resolution_due: Option<NaiveDate>,
    finding: Option<String>,
    closed_at: Option<DateTime<Utc>>,
}

fn facts(report: ReportPart, case: CasePart, rating: Option<i32>) -> Option<CaseFacts> {
    let status: CaseStatus = case.status.parse().ok()?;
    Some(CaseFacts {
        received_at: report.received_at,
        unit_id: report.unit_id,
        category_id: report.category_id,
        anonymous: report.submission_kind == "anonymous",
        reporter_returned: report.reporter_last_seen_at.is_some(),
        status,
        accepted: case.accepted_on.is_some(),
        acceptance_due: case.acceptance_due,
        resolution_due: case.resolution_due,
        finding: case.finding.as_deref().and_then(Finding::parse),
        closed_at: case.closed_at,
        rating,
    })
}

/// Changes to apply to the three case rollups.
#[derive(Default)]
struct Delta {
    cells: BTreeMap<CellKey, Counters>,
    histogram: BTreeMap<(Month, i32, i32), i64>,
    due: BTreeMap<(CellKey, NaiveDate), i64>,
    channels: ChannelDelta,
}

impl Delta {
    fn add(&mut self, c: &Contribution, channel: &str, sign: i64) {
        let place: ChannelKey = (c.key, channel.to_string());
        self.channels.add(&place, sign);
        let cell = self.cells.entry(c.key).or_default();
        *cell = if sign > 0 {
            cell.plus(c.counters)
        } else {
            cell.minus(c.counters)
        };
        if let Some(bucket) = c.close_bucket {
            *self
                .histogram
                .entry((c.key.month, c.key.unit_id, bucket))
                .or_default() += sign;
        }
        if let Some(due) = c.due_on {
            *self.due.entry((c.key, due)).or_default() += sign;
        }
    }

    async fn write<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        self.channels.write(conn, 1).await?;
        for (key, counters) in self.cells.iter().filter(|(_, c)| !c.is_zero()) {
            upsert_cells(conn, &[(*key, *counters)]).await?;
        }
        for ((month, unit_id, days), n) in self.histogram.into_iter().filter(|(_, n)| *n != 0) {
            upsert_histogram(conn, &[((month, unit_id, days), n)]).await?;
        }
        for ((key, due_on), n) in self.due.into_iter().filter(|(_, n)| *n != 0) {
            upsert_due(conn, &[((key, due_on), n)]).await?;
            if n < 0 {
                // Open cases move between due dates; keep the table as small as the open set.
                due_rollup::Entity::delete_many()
                    .filter(due_rollup::Column::Month.eq(key.month.0))
                    .filter(due_rollup::Column::UnitId.eq(key.unit_id))
                    .filter(due_rollup::Column::CategoryId.eq(key.category_id))
                    .filter(due_rollup::Column::DueOn.eq(due_on))
                    .filter(due_rollup::Column::N.eq(0))
                    .exec(conn)
                    .await?;
            }
        }
        Ok(())
    }
}

/// `column = table.column + excluded.column`, the additive upsert.
fn add_excluded(table: &str, column: &str) -> (Alias, SimpleExpr) {
    (
        Alias::new(column),
        Expr::col((Alias::new(table), Alias::new(column)))
            .add(Expr::col((Alias::new("excluded"), Alias::new(column)))),
    )
}

const COUNTER_COLUMNS: [&str; 14] = [
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

fn counter_values(c: &Counters) -> [i64; 14] {
    [
        c.received,
        c.anonymous,
        c.anonymous_returned,
        c.accepted,
        c.open,
        c.declined,
        c.concluded,
        c.closed,
        c.closed_on_time,
        c.with_finding,
        c.substantiated,
        c.days_to_close_sum,
        c.rating_count,
        c.rating_sum,
    ]
}

async fn upsert_cells<C: ConnectionTrait>(
    conn: &C,
    rows: &[(CellKey, Counters)],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(case_rollup::Entity).columns(
        ["month", "unit_id", "category_id"]
            .into_iter()
            .chain(COUNTER_COLUMNS)
            .map(Alias::new),
    );
    for (key, counters) in rows {
        let mut values: Vec<SimpleExpr> = vec![
            key.month.0.into(),
            key.unit_id.into(),
            key.category_id.into(),
        ];
        values.extend(counter_values(counters).into_iter().map(SimpleExpr::from));
        insert
            .values(values)
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    insert.on_conflict(
        OnConflict::columns(["month", "unit_id", "category_id"].map(Alias::new))
            .values(COUNTER_COLUMNS.map(|c| add_excluded("case_rollup", c)))
            .to_owned(),
    );
    conn.execute(&insert).await?;
    Ok(())
}

async fn upsert_histogram<C: ConnectionTrait>(
    conn: &C,
    rows: &[((Month, i32, i32), i64)],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table(close_histogram::Entity)
        .columns(["month", "unit_id", "days", "n"].map(Alias::new));
    for ((month, unit_id, days), n) in rows {
        insert
            .values([
                month.0.into(),
                (*unit_id).into(),
                (*days).into(),
                (*n).into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    insert.on_conflict(
        OnConflict::columns(["month", "unit_id", "days"].map(Alias::new))
            .values([add_excluded("close_histogram", "n")])
            .to_owned(),
    );
    conn.execute(&insert).await?;
    Ok(())
}

async fn upsert_due<C: ConnectionTrait>(
    conn: &C,
    rows: &[((CellKey, NaiveDate), i64)],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table(due_rollup::Entity)
        .columns(["month", "unit_id", "category_id", "due_on", "n"].map(Alias::new));
    for ((key, due_on), n) in rows {
        insert
            .values([
                key.month.0.into(),
                key.unit_id.into(),
                key.category_id.into(),
                (*due_on).into(),
                (*n).into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    insert.on_conflict(
        OnConflict::columns(["month", "unit_id", "category_id", "due_on"].map(Alias::new))
            .values([add_excluded("due_rollup", "n")])
            .to_owned(),
    );
    conn.execute(&insert).await?;
    Ok(())
}

/// Counts a commendation for its unit and month, in the caller's transaction.
pub async fn commendation_added<C: ConnectionTrait>(
    conn: &C,
    unit_id: i32,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    upsert_commendations(conn, &[((Month::of(at), unit_id), 1)]).await
}

async fn upsert_commendations<C: ConnectionTrait>(
    conn: &C,
    rows: &[((Month, i32), i64)],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table(commendation_rollup::Entity)
        .columns(["month", "unit_id", "n"].map(Alias::new));
    for ((month, unit_id), n) in rows {
        insert
            .values([month.0.into(), (*unit_id).into(), (*n).into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    insert.on_conflict(
        OnConflict::columns(["month", "unit_id"].map(Alias::new))
            .values([add_excluded("commendation_rollup", "n")])
            .to_owned(),
    );
    conn.execute(&insert).await?;
    Ok(())
}

/// What a rebuild found.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rebuilt {
    pub reports: u64,
    pub cells: usize,
}

/// Reports read per query while rebuilding.
const REBUILD_PAGE: u64 = 20_000;
/// Rows per multi-row insert (well under both databases' parameter limits).
const INSERT_BATCH: usize = 400;

/// Recomputes every rollup from the reports, case files, ratings and commendations, in one
/// write transaction.
pub async fn rebuild(db: &Db) -> Result<Rebuilt, DbErr> {
    let tx = db.begin_write().await?;
    let conn = &*tx;
    case_rollup::Entity::delete_many().exec(conn).await?;
    close_histogram::Entity::delete_many().exec(conn).await?;
    due_rollup::Entity::delete_many().exec(conn).await?;
    commendation_rollup::Entity::delete_many()
        .exec(conn)
        .await?;
    channels::clear(conn).await?;

    let ratings: HashMap<i32, i32> = satisfaction_rating::Entity::find()
        .select_only()
        .column(satisfaction_rating::Column::ReportId)
        .column(satisfaction_rating::Column::Score)
        .into_tuple::<(i32, i32)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut delta = Delta::default();
    let mut reports = 0u64;
    let mut last_id = 0;
    loop {
        let page: Vec<ReportRow> = report::Entity::find()
            .select_only()
            .columns([
                report::Column::Id,
                report::Column::UnitId,
                report::Column::CategoryId,
                report::Column::SubmissionKind,
                report::Column::ReceivedAt,
                report::Column::ReporterLastSeenAt,
                report::Column::Channel,
            ])
            .filter(report::Column::Id.gt(last_id))
            .order_by_asc(report::Column::Id)
            .limit(REBUILD_PAGE)
            .into_model::<ReportRow>()
            .all(conn)
            .await?;
        let Some(last) = page.last().map(|r| r.id) else {
            break;
        };
        let cases: HashMap<i32, CaseRow> = case_file::Entity::find()
            .select_only()
            .columns([
                case_file::Column::ReportId,
                case_file::Column::Status,
                case_file::Column::AcceptedOn,
                case_file::Column::AcceptanceDue,
                case_file::Column::ResolutionDue,
                case_file::Column::Finding,
                case_file::Column::ClosedAt,
            ])
            .filter(case_file::Column::ReportId.gt(last_id))
            .filter(case_file::Column::ReportId.lte(last))
            .into_model::<CaseRow>()
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.report_id, c))
            .collect();
        for row in page {
            let Some(case) = cases.get(&row.id) else {
                continue;
            };
            let rating = ratings.get(&row.id).copied();
            if let Some(f) = facts(
                ReportPart {
                    unit_id: row.unit_id,
                    category_id: row.category_id,
                    submission_kind: row.submission_kind,
                    received_at: row.received_at,
                    reporter_last_seen_at: row.reporter_last_seen_at,
                },
                CasePart {
                    status: case.status.clone(),
                    accepted_on: case.accepted_on,
                    acceptance_due: case.acceptance_due,
                    resolution_due: case.resolution_due,
                    finding: case.finding.clone(),
                    closed_at: case.closed_at,
                },
                rating,
            ) {
                delta.add(&contribution(&f), &row.channel, 1);
                reports += 1;
            }
        }
        last_id = last;
    }

    delta.channels.write(conn, INSERT_BATCH / 2).await?;
    let cells: Vec<_> = delta.cells.into_iter().collect();
    for chunk in cells.chunks(INSERT_BATCH / 8) {
        upsert_cells(conn, chunk).await?;
    }
    let histogram: Vec<_> = delta.histogram.into_iter().collect();
    for chunk in histogram.chunks(INSERT_BATCH) {
        upsert_histogram(conn, chunk).await?;
    }
    let due: Vec<_> = delta.due.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in due.chunks(INSERT_BATCH) {
        upsert_due(conn, chunk).await?;
    }
    let mut praise: BTreeMap<(Month, i32), i64> = BTreeMap::new();
    for (unit_id, at) in commendation::Entity::find()
        .select_only()
        .column(commendation::Column::UnitId)
        .column(commendation::Column::CreatedAt)
        .into_tuple::<(i32, DateTime<Utc>)>()
        .all(conn)
        .await?
    {
        *praise.entry((Month::of(at), unit_id)).or_default() += 1;
    }
    let praise: Vec<_> = praise.into_iter().collect();
    for chunk in praise.chunks(INSERT_BATCH) {
        upsert_commendations(conn, chunk).await?;
    }
    tx.commit().await?;
    Ok(Rebuilt {
        reports,
        cells: cells.len(),
    })
}

#[derive(Debug, FromQueryResult)]
struct ReportRow {
    id: i32,
    unit_id: i32,
    category_id: i32,
    submission_kind: String,
    received_at: DateTime<Utc>,
    reporter_last_seen_at: Option<DateTime<Utc>>,
    channel: String,
}

#[derive(Debug, FromQueryResult)]
struct CaseRow {
    report_id: i32,
    status: String,
    accepted_on: Option<NaiveDate>,
    acceptance_due: NaiveDate,
    resolution_due: Option<NaiveDate>,
    finding: Option<String>,
    closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, FromQueryResult)]
struct Total {
    n: Option<i64>,
}

/// Rebuilds the rollups when they do not account for exactly the reports stored (reports
/// loaded without the hooks, or a database that predates the rollups). Returns whether it did.
pub async fn ensure_built(db: &Db) -> Result<bool, DbErr> {
    let conn = db.conn();
    let counted = case_rollup::Entity::find()
        .select_only()
        .column_as(
            Expr::col(case_rollup::Column::Received)
                .sum()
                .cast_as("BIGINT"),
            "n",
        )
        .into_model::<Total>()
        .one(conn)
        .await?
        .and_then(|t| t.n)
        .unwrap_or(0);
    let stored = report::Entity::find()
        .select_only()
        .column_as(Expr::col(report::Column::Id).count(), "n")
        .into_model::<Total>()
        .one(conn)
        .await?
        .and_then(|t| t.n)
        .unwrap_or(0);
    if counted == stored && channels::counted(conn).await? == stored {
        return Ok(false);
    }
    tracing::warn!(counted, stored, "analytics rollups out of step; rebuilding");
    rebuild(db).await?;
    Ok(true)
}
