//! The inbox: a team-scoped, filtered, sorted, paginated list of cases with counts per status
//! and deadline markers. Search folds Vietnamese diacritics on both sides.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use serde::Serialize;

use super::access::Viewer;
use super::search::Search;
use crate::domain::calendar::{alert, Alert};
use crate::domain::status::CaseStatus;
use crate::platform::persistence::entities::{case_file, case_status_count};
use crate::web::error::AppResult;

pub const PAGE_SIZE: u64 = 25;

/// Which clock situation to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineFilter {
    /// Past due on the acceptance or resolution clock.
    Overdue,
    /// Due within the next few days (acceptance: 2, resolution: 7).
    Near,
}

impl DeadlineFilter {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "overdue" => Some(DeadlineFilter::Overdue),
            "near" => Some(DeadlineFilter::Near),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    Oldest,
    Due,
}

impl Sort {
    pub fn parse(text: &str) -> Self {
        match text {
            "oldest" => Sort::Oldest,
            "due" => Sort::Due,
            _ => Sort::Newest,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Due => "due",
        }
    }
}

#[derive(Debug, Clone)]
pub struct InboxFilter {
    pub status: Option<CaseStatus>,
    pub category_id: Option<i32>,
    pub unit_id: Option<i32>,
    pub deadline: Option<DeadlineFilter>,
    pub assignee: Option<i32>,
    pub query: String,
    pub sort: Sort,
    pub page: u64,
}

impl Default for InboxFilter {
    fn default() -> Self {
        Self {
            status: None,
            category_id: None,
            unit_id: None,
            deadline: None,
            assignee: None,
            query: String::new(),
            sort: Sort::Newest,
            page: 1,
        }
    }
}

const OPEN_RUNNING: [CaseStatus; 3] = [
    CaseStatus::Accepted,
    CaseStatus::Investigating,
    CaseStatus::AwaitingReporter,
];

fn texts(statuses: &[CaseStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
}

/// Cases the viewer may see (the one access filter, [`Viewer::visible`]).
fn scoped(viewer: &Viewer) -> Select<case_file::Entity> {
    case_file::Entity::find().filter(viewer.visible())
}

/// The days a case's running clock (acceptance while received, resolution after) may fall due
/// on for [`deadline_condition`] to select it: a superset, the acceptance and resolution
/// windows taken together.
pub fn deadline_days(filter: DeadlineFilter, today: NaiveDate) -> RangeInclusive<NaiveDate> {
    match filter {
        DeadlineFilter::Overdue => NaiveDate::MIN..=today - Days::new(1),
        DeadlineFilter::Near => today..=today + Days::new(7),
    }
}

pub(crate) fn deadline_condition(filter: DeadlineFilter, today: NaiveDate) -> Condition {
    let (accept_limit, resolve_limit) = match filter {
        DeadlineFilter::Overdue => (today - Days::new(1), today - Days::new(1)),
        DeadlineFilter::Near => (today + Days::new(2), today + Days::new(7)),
    };
    let mut received = Condition::all()
        .add(case_file::Column::Status.eq(CaseStatus::Received.as_str()))
        .add(case_file::Column::AcceptanceDue.lte(accept_limit));
    let mut running = Condition::all()
        .add(case_file::Column::Status.is_in(texts(&OPEN_RUNNING)))
        .add(case_file::Column::ResolutionDue.lte(resolve_limit));
    if filter == DeadlineFilter::Near {
        received = received.add(case_file::Column::AcceptanceDue.gte(today));
        running = running.add(case_file::Column::ResolutionDue.gte(today));
    }
    // The first term is implied by the two branches; stated on its own it lets both databases
    // read only the team's open cases through the (team, status, due dates) index.
    let mut open = vec![CaseStatus::Received.as_str()];
    open.extend(texts(&OPEN_RUNNING));
    Condition::all()
        .add(case_file::Column::Status.is_in(open))
        .add(Condition::any().add(received).add(running))
}

/// The filtered query (without paging or sorting); `search` is `filter.query` planned
/// ([`Search::plan`]).
pub fn filtered(
    viewer: &Viewer,
    filter: &InboxFilter,
    today: NaiveDate,
    search: &Search,
) -> Select<case_file::Entity> {
    let mut query = scoped(viewer);
    if let Some(status) = filter.status {
        query = query.filter(case_file::Column::Status.eq(status.as_str()));
    }
    if let Some(category) = filter.category_id {
        query = query.filter(case_file::Column::CategoryId.eq(category));
    }
    if let Some(unit) = filter.unit_id {
        query = query.filter(case_file::Column::UnitId.eq(unit));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(case_file::Column::AssigneeUserId.eq(assignee));
    }
    if let Some(deadline) = filter.deadline {
        query = query.filter(deadline_condition(deadline, today));
    }
    if !search.is_empty() {
        // Each word: a substring of the reference or the named staff member, or a whole word
        // of the reporter's sealed text (by its keyed hash).
        query = query.filter(search.condition());
    }
    query
}

/// One page of the inbox.
pub struct InboxPage {
    pub cases: Vec<case_file::Model>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub counts: HashMap<String, i64>,
}

pub async fn load<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    filter: &InboxFilter,
    today: NaiveDate,
    search_key: &crate::platform::crypto::SecretKey32,
) -> AppResult<InboxPage> {
    // A text search with a deadline filter reads only open cases (`open_cases`).
    let search = if let Some(deadline) = filter.deadline {
        let due = deadline_days(deadline, today);
        Search::plan_open(conn, &filter.query, search_key, &viewer.team_ids, due).await?
    } else {
        Search::plan(conn, &filter.query, search_key).await?
    };
    let unordered = filtered(viewer, filter, today, &search);
    let query = match filter.sort {
        Sort::Newest => unordered
            .clone()
            .order_by_desc(case_file::Column::ReceivedAt)
            .order_by_desc(case_file::Column::Id),
        Sort::Oldest => unordered
            .clone()
            .order_by_asc(case_file::Column::ReceivedAt)
            .order_by_asc(case_file::Column::Id),
        Sort::Due => unordered
            .clone()
            .order_by_asc(case_file::Column::ResolutionDue)
            .order_by_asc(case_file::Column::AcceptanceDue)
            .order_by_asc(case_file::Column::Id),
    };
    let backend = conn.get_database_backend();
    let (cases, total, page, pages) = if !search.is_empty() && filter.deadline.is_some() {
        // Only open cases (on SQLite read side by side from `case_open`): the database
        // sorts them itself and counts them in the same pass (`COUNT(*) OVER ()`), so a
        // page of ids crosses to the driver, not the thousands of matches. SQLite has no
        // index to walk instead of sorting here; PostgreSQL reads every match anyway.
        let query = open_cases(backend, query);
        let page_of = |page: u64| {
            query
                .clone()
                .select_only()
                .column(case_file::Column::Id)
                .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
                .offset((page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .into_tuple::<(i32, i64)>()
                .all(conn)
        };
        let mut page = filter.page.max(1);
        let mut rows = page_of(page).await?;
        if rows.is_empty() && page > 1 {
            // Past the last page: counted on the first, then the last one read.
            let total = page_of(1).await?.first().map_or(0, |r| r.1);
            page = Ord::max((total as u64).div_ceil(PAGE_SIZE), 1);
            rows = page_of(page).await?;
        }
        let total = rows.first().map_or(0, |r| r.1) as u64;
        let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
        let wanted: Vec<i32> = rows.into_iter().map(|(id, _)| id).collect();
        (cases_by_id(conn, &wanted).await?, total, page, pages)
    } else if !search.is_empty() {
        // A text search reads every candidate row's text; counting and then fetching a page
        // would read them twice, so the matching ids are listed once instead. By date they are
        // sorted here: asked to sort, SQLite walks the team's whole (team, received) index to
        // avoid a sort, instead of reading only the rows the other filters' indexes select.
        let ids: Vec<i32> = match filter.sort {
            Sort::Newest | Sort::Oldest => {
                let mut rows = unordered
                    .select_only()
                    .column(case_file::Column::Id)
                    .column(case_file::Column::ReceivedAt)
                    .into_tuple::<(i32, DateTime<Utc>)>()
                    .all(conn)
                    .await?;
                rows.sort_by_key(|(id, at)| (*at, *id));
                if filter.sort == Sort::Newest {
                    rows.reverse();
                }
                rows.into_iter().map(|(id, _)| id).collect()
            }
            Sort::Due => {
                query
                    .select_only()
                    .column(case_file::Column::Id)
                    .into_tuple::<i32>()
                    .all(conn)
                    .await?
            }
        };
        let total = ids.len() as u64;
        let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
        let page = filter.page.clamp(1, pages);
        let start = ((page - 1) * PAGE_SIZE) as usize;
        let wanted: Vec<i32> = ids
            .iter()
            .skip(start)
            .take(PAGE_SIZE as usize)
            .copied()
            .collect();
        (cases_by_id(conn, &wanted).await?, total, page, pages)
    } else {
        let paginator = query.paginate(conn, PAGE_SIZE);
        let total = paginator.num_items().await?;
        let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
        let page = filter.page.clamp(1, pages);
        (paginator.fetch_page(page - 1).await?, total, page, pages)
    };
    let counts = status_counts(conn, viewer).await?;
    Ok(InboxPage {
        cases,
        total,
        page,
        pages,
        counts,
    })
}

/// The cases of `ids`, in that order.
async fn cases_by_id<C: ConnectionTrait>(
    conn: &C,
    ids: &[i32],
) -> AppResult<Vec<case_file::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: HashMap<i32, case_file::Model> = case_file::Entity::find()
        .filter(case_file::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

/// SQLite: `query` reading `case_open` (migration `m20261223_000002_open_cases`) under the
/// name `case_file`. That table holds the columns the inbox filters, sorts and searches on for
/// every open case with a team, a team's cases on consecutive pages; a deadline filter selects
/// only such cases, whose text then takes a fraction of the reads it takes in `case_file`. Only
/// ids and dates may be selected from it. On PostgreSQL, `query` as it is.
fn open_cases(
    backend: DbBackend,
    mut query: Select<case_file::Entity>,
) -> Select<case_file::Entity> {
    if backend == DbBackend::Sqlite {
        QueryTrait::query(&mut query)
            .from_clear()
            .from_as(Alias::new("case_open"), case_file::Entity);
    }
    query
}

/// Cases per status in the viewer's scope: the teams' counts (`case_status_count`, kept by
/// triggers) minus those of the cases the viewer may not open ([`Viewer::hidden_ids`]). The
/// same numbers as counting with the exclusion filter, without reading the teams' cases.
async fn status_counts<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
) -> AppResult<HashMap<String, i64>> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    for row in case_status_count::Entity::find()
        .filter(case_status_count::Column::TeamId.is_in(viewer.team_ids.clone()))
        .all(conn)
        .await?
    {
        *counts.entry(row.status).or_default() += row.n;
    }
    // The hidden cases by id (the unique index) and their team checked here: counted with the
    // team filter, PostgreSQL reads the team's whole index a second time (20 ms at a million).
    let hidden: Vec<i32> = viewer.hidden_ids(conn).await?.into_iter().collect();
    for chunk in hidden.chunks(super::name_keys::CHUNK) {
        let rows = case_file::Entity::find()
            .select_only()
            .column(case_file::Column::TeamId)
            .column(case_file::Column::Status)
            .filter(case_file::Column::ReportId.is_in(chunk.iter().copied()))
            .into_tuple::<(Option<i32>, String)>()
            .all(conn)
            .await?;
        for (team, status) in rows {
            let ours = team.is_some_and(|t| viewer.team_ids.contains(&t));
            if let (true, Some(n)) = (ours, counts.get_mut(&status)) {
                *n -= 1;
            }
        }
    }
    counts.retain(|_, n| *n > 0);
    Ok(counts)
}

/// The clock that matters now and its alert level, for marking rows.
#[derive(Debug, Clone, Serialize)]
pub struct ClockMark {
    pub due: String,
    pub alert: Alert,
    pub which: &'static str,
}

pub fn clock_mark(case: &case_file::Model, today: NaiveDate) -> Option<ClockMark> {
    let status: CaseStatus = case.status.parse().ok()?;
    let received = crate::domain::calendar::local_date(case.received_at);
    let (start, due, which) = match status {
        CaseStatus::Received => (received, case.acceptance_due, "acceptance"),
        CaseStatus::Accepted | CaseStatus::Investigating | CaseStatus::AwaitingReporter => {
            (case.accepted_on?, case.resolution_due?, "resolution")
        }
        _ => return None,
    };
    Some(ClockMark {
        due: due.format("%d/%m/%Y").to_string(),
        alert: alert(start, due, today),
        which,
    })
}
