//! `GET /cases`: the inbox of the viewer's teams' cases, with status counts, filters, sorting and
//! pages. Guarded by `Authorized<Investigators>`; the rows are what [`inbox::load`] lets the
//! viewer see (their teams, minus conflict-of-interest exclusions).

use rocket::{get, FromForm, State};
use rocket_dyn_templates::Template;
use sea_orm::EntityTrait;
use serde::Serialize;

use super::access::Viewer;
use super::inbox::{self, ClockMark, DeadlineFilter, InboxFilter, InboxPage, Sort};
use super::names::Names;
use crate::auth::{Authorized, Investigators};
use crate::case_management::reference_of;
use crate::domain::status::CaseStatus;
use crate::domain::track::{self, Track};
use crate::platform::persistence::entities::{case_file, org_unit};
use crate::web::error::AppResult;
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;
use crate::web::units::{grouped, UnitGroup};

/// The inbox's query string, as the filter form sends it. Every field is lenient: a value that
/// does not parse is as if absent.
#[derive(Debug, Default, FromForm)]
pub struct InboxQuery {
    status: Option<String>,
    category: Option<i32>,
    unit: Option<i32>,
    deadline: Option<String>,
    assignee: Option<i32>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
}

impl InboxQuery {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: self.status.as_deref().and_then(|s| s.parse().ok()),
            category_id: self.category,
            unit_id: self.unit,
            deadline: self.deadline.as_deref().and_then(DeadlineFilter::parse),
            assignee: self.assignee,
            query: self.q.clone().unwrap_or_default(),
            sort: Sort::parse(self.sort.as_deref().unwrap_or_default()),
            page: self.page.unwrap_or(1),
        }
    }

    /// The query string of `page` with the same filters (for the previous/next links).
    fn for_page(&self, page: u64, sort: Sort) -> String {
        let mut parts = vec![format!("page={page}")];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", urlencode(&v)));
            }
        };
        push("status", self.status.clone());
        push("category", self.category.map(|c| c.to_string()));
        push("unit", self.unit.map(|c| c.to_string()));
        push("deadline", self.deadline.clone());
        push("assignee", self.assignee.map(|c| c.to_string()));
        push("q", self.q.clone());
        push("sort", Some(sort.as_str().to_string()));
        parts.join("&")
    }
}

/// One inbox row.
#[derive(Serialize)]
struct InboxRow {
    id: i32,
    /// The track (`domain::track`): tip, candidate or denunciation.
    track: &'static str,
    track_label: String,
    reference: String,
    received: String,
    unit: Option<String>,
    category: Option<String>,
    status: Option<String>,
    status_code: String,
    assignee: Option<String>,
    clock: Option<ClockMark>,
    unread: bool,
    second_level: bool,
}

/// A status with the number of the viewer's cases in it.
#[derive(Serialize)]
struct StatusCount {
    code: &'static str,
    label: String,
    count: i64,
}

/// A status as a filter option.
#[derive(Serialize)]
struct StatusOption {
    code: &'static str,
    label: String,
}

/// A category as a filter option.
#[derive(Serialize)]
struct CategoryOption {
    id: i32,
    name: String,
}

/// The filter form's values, as typed (strings, so the template compares them as such).
#[derive(Serialize)]
struct FilterView {
    status: String,
    category: String,
    unit: String,
    deadline: String,
    assignee: String,
    q: String,
    sort: &'static str,
}

/// The page `cases/inbox`.
#[derive(Serialize)]
pub struct InboxView {
    cases: Vec<InboxRow>,
    counts: Vec<StatusCount>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    filter: FilterView,
    categories: Vec<CategoryOption>,
    unit_groups: Vec<UnitGroup>,
    statuses: Vec<StatusOption>,
    me: i32,
    has_teams: bool,
}

impl InboxView {
    /// The inbox of `viewer` for `query`.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        query: InboxQuery,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let filter = query.filter();
        let today = state.clock.today();
        let result = inbox::load(conn, viewer, &filter, today, &state.config.receipt_key).await?;
        let names = Names::load(conn, lang).await?;
        let cases = result
            .cases
            .iter()
            .map(|case| row(case, &names, lang, today))
            .collect();
        let mut categories: Vec<CategoryOption> = names
            .categories
            .iter()
            .map(|(id, name)| CategoryOption {
                id: *id,
                name: name.clone(),
            })
            .collect();
        categories.sort_by(|a, b| a.name.cmp(&b.name));
        let units = org_unit::Entity::find().all(conn).await?;
        Ok(Self {
            cases,
            counts: counts(&result, lang),
            total: result.total,
            page: result.page,
            pages: result.pages,
            prev: (result.page > 1).then(|| query.for_page(result.page - 1, filter.sort)),
            next: (result.page < result.pages)
                .then(|| query.for_page(result.page + 1, filter.sort)),
            filter: FilterView {
                status: query.status.unwrap_or_default(),
                category: query.category.map(|c| c.to_string()).unwrap_or_default(),
                unit: query.unit.map(|c| c.to_string()).unwrap_or_default(),
                deadline: query.deadline.unwrap_or_default(),
                assignee: query.assignee.map(|c| c.to_string()).unwrap_or_default(),
                q: query.q.unwrap_or_default(),
                sort: filter.sort.as_str(),
            },
            categories,
            unit_groups: grouped(&units, lang, ""),
            statuses: CaseStatus::ALL
                .iter()
                .map(|s| StatusOption {
                    code: s.as_str(),
                    label: lang.t(&s.label_key()),
                })
                .collect(),
            me: viewer.user.id,
            has_teams: !viewer.team_ids.is_empty(),
        })
    }
}

fn row(case: &case_file::Model, names: &Names, lang: Lang, today: chrono::NaiveDate) -> InboxRow {
    let status: Option<CaseStatus> = case.status.parse().ok();
    let track = Track::parse(&case.track);
    InboxRow {
        track: track.as_str(),
        track_label: lang.t(&track.label_key()),
        id: case.report_id,
        reference: reference_of(case),
        received: local_time(case.received_at),
        unit: names.units.get(&case.unit_id).cloned(),
        category: names.categories.get(&case.category_id).cloned(),
        status: status.map(|s| lang.t(&track::status_label_key(s, track))),
        status_code: case.status.clone(),
        assignee: names.user(case.assignee_user_id),
        clock: inbox::clock_mark(case, today),
        unread: case.staff_unread,
        second_level: case.second_level,
    }
}

fn counts(result: &InboxPage, lang: Lang) -> Vec<StatusCount> {
    CaseStatus::ALL
        .iter()
        .map(|s| StatusCount {
            code: s.as_str(),
            label: lang.t(&s.label_key()),
            count: result.counts.get(s.as_str()).copied().unwrap_or(0),
        })
        .collect()
}

/// Percent-encodes a query-string value (unreserved characters stay as they are).
fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[get("/cases?<query..>")]
pub async fn show_inbox(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    query: InboxQuery,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let view = InboxView::load(state, page.lang, &viewer, query).await?;
    Ok(page.render("cases/inbox", view))
}
