//! The analytics endpoints of the JSON API, for integrations holding an `analytics:read`
//! token: the dashboard's tables for a unit, a category and a month range — the very tables the
//! page, its CSV and its charts show, built by `analytics::view::Loaded`, so the small-count
//! rule withholds the same cells ("x") — and the public transparency figures ("<5").

use rocket::serde::json::Json;
use rocket::{get, routes, FromForm, Route, State};
use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::filters::DashboardQuery;
use super::table::{Cell, Table};
use super::transparency::TransparencyCache;
use super::view::Loaded;
use crate::auth::api_token::{AnalyticsRead, Integration};
use crate::domain::report::FieldErrors;
use crate::web::api::{is_id, one_value, ApiError, ApiLang, ApiResult};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![show_dashboard, show_transparency]
}

#[derive(OpenApi)]
#[openapi(paths(show_dashboard, show_transparency))]
struct AnalyticsApi;

/// This slice's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    AnalyticsApi::openapi()
}

/// The dashboard's filters: by default the last 12 months of the whole group.
#[derive(Debug, Default, FromForm, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// First month, `YYYY-MM`.
    #[param(value_type = Option<String>, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    from: Vec<String>,
    /// Last month, `YYYY-MM` (at most 36 months after `from`).
    #[param(value_type = Option<String>, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    to: Vec<String>,
    /// The unit whose subtree is counted (`GET /api/v1/units`).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    unit: Vec<String>,
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    category: Vec<String>,
}

/// The dashboard's tables.
#[derive(Debug, Serialize, ToSchema)]
pub struct Figures {
    /// Whether the scope is below corporation level (small counts withheld as "x").
    pub scope_suppressed: bool,
    pub tables: Vec<FigureTable>,
}

/// One table: cells as the page and the CSV show them ("x" withheld, "" blank).
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureTable {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<FigureRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FigureRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Whether the small-count rule applies to this row.
    pub suppressed: bool,
}

impl From<&Table> for FigureTable {
    fn from(table: &Table) -> Self {
        Self {
            id: table.id.to_string(),
            title: table.title.clone(),
            columns: table.columns.clone(),
            rows: table
                .rows
                .iter()
                .map(|row| FigureRow {
                    label: row.label.clone(),
                    cells: row.cells.iter().map(Cell::text).collect(),
                    suppressed: row.suppressed,
                })
                .collect(),
        }
    }
}

/// The public figures per corporation over the last 12 months (refreshed every 15 minutes).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicFigures {
    /// `YYYY-MM`.
    pub from: String,
    pub to: String,
    pub corporations: Vec<CorporationItem>,
}

/// Counts of 1–4 read "<5"; a share or a median on too small a base is "".
#[derive(Debug, Serialize, ToSchema)]
pub struct CorporationItem {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub received: String,
    pub closed: String,
    pub on_time_percent: String,
    pub median_days: String,
}

/// The dashboard's figures for a unit, a category and a month range.
#[utoipa::path(get, path = "/api/v1/analytics/dashboard", tag = "analytics",
    params(FiguresQuery), security(("integration" = ["analytics:read"])),
    responses((status = 200, description = "The tables", body = Figures)))]
#[get("/api/v1/analytics/dashboard?<query..>")]
async fn show_dashboard(
    _client: Integration<AnalyticsRead>,
    state: &State<AppState>,
    lang: ApiLang,
    query: FiguresQuery,
) -> ApiResult<Json<Figures>> {
    Ok(Json(figures(state, lang, query).await?))
}

/// The public transparency figures.
#[utoipa::path(get, path = "/api/v1/analytics/transparency", tag = "analytics",
    security(("integration" = ["analytics:read"])),
    responses((status = 200, description = "The figures", body = PublicFigures)))]
#[get("/api/v1/analytics/transparency")]
async fn show_transparency(
    _client: Integration<AnalyticsRead>,
    state: &State<AppState>,
    cache: &State<TransparencyCache>,
) -> ApiResult<Json<PublicFigures>> {
    let stats = cache.get(state).await?;
    let corporations = stats
        .corporations
        .iter()
        .map(|c| CorporationItem {
            code: c.code.clone(),
            name_vi: c.name_vi.clone(),
            name_en: c.name_en.clone(),
            received: c.received.text(),
            closed: c.closed.text(),
            on_time_percent: c.on_time.text(),
            median_days: c.median_days.text(),
        })
        .collect();
    let (from, to) = (stats.from.iso(), stats.to.iso());
    Ok(Json(PublicFigures {
        from,
        to,
        corporations,
    }))
}

async fn figures(state: &AppState, lang: ApiLang, query: FiguresQuery) -> ApiResult<Figures> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let month = |m: &str| {
        let digits = m.bytes().filter(u8::is_ascii_digit).count() == 6;
        let month = m.get(5..).and_then(|mm| mm.parse::<u32>().ok());
        m.len() == 7
            && m.as_bytes()[4] == b'-'
            && digits
            && month.is_some_and(|mm| (1..=12).contains(&mm))
    };
    let query = DashboardQuery {
        from: one_value(e, "from", &query.from, month).map(str::to_string),
        to: one_value(e, "to", &query.to, month).map(str::to_string),
        unit: one_value(e, "unit", &query.unit, is_id).map(str::to_string),
        category: one_value(e, "category", &query.category, is_id).map(str::to_string),
        table: None,
        format: None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let loaded = Loaded::load(state, lang.0, &query).await?;
    match loaded.outcome {
        Ok((_, dashboard)) => Ok(Figures {
            scope_suppressed: dashboard.scope_suppressed,
            tables: super::service::TABLES
                .iter()
                .filter_map(|id| dashboard.table(id))
                .map(FigureTable::from)
                .collect(),
        }),
        Err(refused) => Err(ApiError::Invalid(FieldErrors::from_iter(refused))),
    }
}
