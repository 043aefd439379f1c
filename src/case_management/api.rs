//! The case-management endpoints of the JSON API, for integrations holding a `cases:read`
//! token of one team (`auth::api_token`): the team's case list with the inbox's filters and
//! cursor pagination, and one case's metadata and timeline. A case of another team answers 404,
//! as on the pages. Never the reporter's identity, never a message's text, never a timeline
//! event's free-text detail: kinds, dates and states only. The report's own text only at
//! `/api/v1/cases/{id}/text`, with `cases:text`, which a custodian approves
//! (`super::api_scopes`); every such read is audited under the integration's name.

use chrono::{DateTime, NaiveDate, Utc};
use rocket::serde::json::Json;
use rocket::{get, routes, FromForm, Route, State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::inbox::{deadline_condition, DeadlineFilter};
use crate::auth::api_token::{ApiClient, CasesRead, CasesText, Integration};
use crate::domain::case_ref::CaseRef;
use crate::domain::ids::CaseId;
use crate::domain::report::FieldErrors;
use crate::domain::status::CaseStatus;
use crate::platform::persistence::entities::{case_event, case_file, report};
use crate::web::api::{is_id, one_value, ApiError, ApiResult};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![list_cases, show_case, show_case_text]
}

#[derive(OpenApi)]
#[openapi(paths(list_cases, show_case, show_case_text))]
struct CasesApi;

/// This slice's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    CasesApi::openapi()
}

const LIMIT_DEFAULT: u64 = 25;
const LIMIT_MAX: u64 = 100;

/// The inbox's filters and the page to read, newest first.
#[derive(Debug, Default, FromForm, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// One status.
    #[param(schema_with = status_schema, required = false)]
    status: Vec<String>,
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    category_id: Vec<String>,
    /// The reported unit.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    unit_id: Vec<String>,
    /// `overdue` or `near` (due within days), on the acceptance or resolution clock.
    #[param(schema_with = deadline_schema, required = false)]
    deadline: Vec<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    cursor: Vec<String>,
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    limit: Vec<String>,
}

fn enum_of(values: impl IntoIterator<Item = &'static str>) -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values))
        .build()
}

fn status_schema() -> utoipa::openapi::schema::Object {
    enum_of(CaseStatus::ALL.iter().map(|s| s.as_str()))
}

fn deadline_schema() -> utoipa::openapi::schema::Object {
    enum_of(["overdue", "near"])
}

/// One page of the team's cases, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    pub cases: Vec<CaseItem>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

/// A case's metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseItem {
    /// The case's id (`/api/v1/cases/{id}`, `/cases/{id}` on the pages).
    pub id: i32,
    /// The reference staff quote (`PA-2026-000123`).
    pub reference: String,
    pub status: String,
    /// `tip`, `candidate` or `denunciation` (`domain::track`).
    pub track: String,
    pub unit_id: i32,
    pub category_id: i32,
    pub received_at: DateTime<Utc>,
    pub acceptance_due: NaiveDate,
    pub resolution_due: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub assigned: bool,
}

impl CaseItem {
    fn of(case: &case_file::Model) -> Self {
        Self {
            id: case.report_id,
            reference: CaseRef::of(case.report_id, case.received_at).to_string(),
            status: case.status.clone(),
            track: case.track.clone(),
            unit_id: case.unit_id,
            category_id: case.category_id,
            received_at: case.received_at,
            acceptance_due: case.acceptance_due,
            resolution_due: case.resolution_due,
            closed_at: case.closed_at,
            assigned: case.assignee_user_id.is_some(),
        }
    }
}

/// One case with its timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    pub case: CaseItem,
    /// The finding once concluded (`substantiated`, …).
    pub finding: Option<String>,
    /// The intake channel's code (`web`, `hotline`, …).
    pub channel: String,
    pub timeline: Vec<EventItem>,
}

/// A timeline event: its kind and time, never its free text.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventItem {
    pub at: DateTime<Utc>,
    pub kind: String,
    /// `reporter`, `staff` or `system`.
    pub actor_kind: String,
    pub visible_to_reporter: bool,
}

/// The token's team's cases, filtered like the inbox.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    security(("integration" = ["cases:read"])),
    responses((status = 200, description = "A page of cases", body = CaseList)))]
#[get("/api/v1/cases?<query..>")]
async fn list_cases(
    client: Integration<CasesRead>,
    state: &State<AppState>,
    query: CaseQuery,
) -> ApiResult<Json<CaseList>> {
    Ok(Json(list(state, client.team_id, &query).await?))
}

/// One case of the token's team: metadata and timeline.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "The case's id")),
    security(("integration" = ["cases:read"])),
    responses((status = 200, description = "The case", body = CaseDetail)))]
#[get("/api/v1/cases/<id>")]
async fn show_case(
    client: Integration<CasesRead>,
    state: &State<AppState>,
    id: CaseId,
) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(detail(state, client.team_id, id.0).await?))
}

/// The report's text as the reporter wrote it: what happened and how they described the
/// person. Never the reporter's identity.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseText {
    pub id: i32,
    pub description: String,
    pub staff_description: Option<String>,
}

/// The report's text, for a token holding `cases:text` (a custodian's approval); audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/text", tag = "cases",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "The case's id")),
    security(("integration" = ["cases:read", "cases:text"])),
    responses((status = 200, description = "The report's text", body = CaseText)))]
#[get("/api/v1/cases/<id>/text")]
async fn show_case_text(
    client: Integration<CasesText>,
    state: &State<AppState>,
    id: CaseId,
) -> ApiResult<Json<CaseText>> {
    Ok(Json(text(state, &client, id.0).await?))
}

/// Opens the report's text with its data key, as the case page does, and audits the read.
async fn text(state: &AppState, client: &ApiClient, id: i32) -> ApiResult<CaseText> {
    let conn = state.db.conn();
    case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(id))
        .filter(case_file::Column::TeamId.eq(client.team_id.unwrap_or(-1)))
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let row = report::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let key = super::evidence::data_key(conn, state, id).await?;
    let text = crate::platform::evidence::text::open(&key, &row)
        .map_err(|_| ApiError::Internal("a report's text could not be opened".into()))?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let entry = crate::platform::audit::Entry {
        actor: &client.actor(),
        action: "api_case_text_read",
        object_type: "case",
        object_id: Some(id.to_string()),
        details: serde_json::json!({"token_id": client.token_id}),
    };
    crate::platform::audit::record_and_commit(tx, now, entry).await?;
    Ok(CaseText {
        id,
        description: text.description,
        staff_description: text.staff_description,
    })
}

async fn list(state: &AppState, team: Option<i32>, query: &CaseQuery) -> ApiResult<CaseList> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let status = one_value(e, "status", &query.status, |s| {
        s.parse::<CaseStatus>().is_ok()
    })
    .and_then(|s| s.parse::<CaseStatus>().ok());
    let deadline = one_value(e, "deadline", &query.deadline, |d| {
        DeadlineFilter::parse(d).is_some()
    })
    .and_then(DeadlineFilter::parse);
    let id = |e: &mut FieldErrors, field, values: &[String]| {
        one_value(e, field, values, is_id).and_then(|v| v.parse::<i32>().ok())
    };
    let category = id(e, "category_id", &query.category_id);
    let unit = id(e, "unit_id", &query.unit_id);
    let cursor = id(e, "cursor", &query.cursor);
    let in_range = |l: &str| l.parse::<u64>().is_ok_and(|l| (1..=LIMIT_MAX).contains(&l));
    let limit = one_value(e, "limit", &query.limit, in_range)
        .and_then(|l| l.parse().ok())
        .unwrap_or(LIMIT_DEFAULT);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    // A token without a team reads nothing (an admin gives every cases:read token one).
    let mut select =
        case_file::Entity::find().filter(case_file::Column::TeamId.eq(team.unwrap_or(-1)));
    if let Some(status) = status {
        select = select.filter(case_file::Column::Status.eq(status.as_str()));
    }
    if let Some(category) = category {
        select = select.filter(case_file::Column::CategoryId.eq(category));
    }
    if let Some(unit) = unit {
        select = select.filter(case_file::Column::UnitId.eq(unit));
    }
    if let Some(deadline) = deadline {
        select = select.filter(deadline_condition(deadline, state.clock.today()));
    }
    if let Some(cursor) = cursor {
        select = select.filter(case_file::Column::ReportId.lt(cursor));
    }
    let rows = select
        .order_by_desc(case_file::Column::ReportId)
        .limit(limit + 1)
        .all(state.db.conn())
        .await?;
    let more = rows.len() as u64 > limit;
    let cases: Vec<CaseItem> = rows.iter().take(limit as usize).map(CaseItem::of).collect();
    let next_cursor = more
        .then(|| cases.last().map(|c| c.id.to_string()))
        .flatten();
    Ok(CaseList { cases, next_cursor })
}

async fn detail(state: &AppState, team: Option<i32>, id: i32) -> ApiResult<CaseDetail> {
    let conn = state.db.conn();
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(id))
        .filter(case_file::Column::TeamId.eq(team.unwrap_or(-1)))
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let channel = report::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|r| r.channel)
        .unwrap_or_default();
    let timeline = case_event::Entity::find()
        .filter(case_event::Column::ReportId.eq(id))
        .order_by_asc(case_event::Column::CreatedAt)
        .order_by_asc(case_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| EventItem {
            at: e.created_at,
            kind: e.kind,
            actor_kind: e.actor_kind,
            visible_to_reporter: e.visible_to_reporter,
        })
        .collect();
    Ok(CaseDetail {
        case: CaseItem::of(&case),
        finding: case.finding,
        channel,
        timeline,
    })
}
