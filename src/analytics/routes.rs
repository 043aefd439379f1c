//! Handlers of `/dashboard` (leadership) and `/transparency` (everyone). Thin: parse the
//! filters, read the rollups, render or send the file.

use chrono::NaiveDate;
use rocket::http::{ContentType, Header, Status};
use rocket::{get, routes, Responder, Route, State};
use rocket_dyn_templates::Template;
use serde_json::{json, Value};

use super::charts::{self, Chart};
use super::export::{self, ExportFormat};
use super::metrics::Month;
use super::service::{self, Dashboard, Filters, Reference, MAX_MONTHS, TABLES};
use super::table::Table;
use super::transparency::{self, TransparencyCache};
use super::tree::OrgTree;
use crate::auth::Authorized;
use crate::auth::Leaders;
use crate::domain::calendar::local_date;
use crate::platform::audit::{self, Entry};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![show_dashboard, export_table, show_transparency]
}

/// The filter form as typed (text, so a bad value can be shown back), plus what an export
/// asks for. Rocket ignores fields it does not know (`lang`).
#[derive(Debug, Clone, Default, rocket::FromForm)]
pub struct DashboardQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub table: Option<String>,
    pub format: Option<String>,
}

/// A filter field that failed: its name and the message key.
type FieldError = (&'static str, &'static str);

fn typed(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Validates the filters; missing ones default to the last 12 months of the whole group.
pub fn parse_filters(
    query: &DashboardQuery,
    today: NaiveDate,
    tree: &OrgTree,
    reference: &Reference,
) -> Result<Filters, Vec<FieldError>> {
    let mut errors = Vec::new();
    let to = match typed(&query.to) {
        Some(text) => Month::parse(text).unwrap_or_else(|| {
            errors.push(("to", "error-analytics-month"));
            Month::of_date(today)
        }),
        None => Month::of_date(today),
    };
    let from = match typed(&query.from) {
        Some(text) => Month::parse(text).unwrap_or_else(|| {
            errors.push(("from", "error-analytics-month"));
            to
        }),
        None => to.plus(-11),
    };
    if errors.is_empty() {
        if from > to {
            errors.push(("to", "error-analytics-range"));
        } else if from.through(to).len() > MAX_MONTHS {
            errors.push(("from", "error-analytics-range-long"));
        }
    }
    let unit_id = match typed(&query.unit) {
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|id| tree.get(*id).is_some()),
        None => tree.root(),
    };
    if unit_id.is_none() {
        errors.push(("unit", "error-analytics-unit"));
    }
    let category_id = match typed(&query.category) {
        Some(text) => {
            let known = service::known_category(reference, text.parse::<i32>().ok());
            if known.is_none() {
                errors.push(("category", "error-analytics-category"));
            }
            known
        }
        None => None,
    };
    match unit_id {
        Some(unit_id) if errors.is_empty() => Ok(Filters {
            from,
            to,
            unit_id,
            category_id,
        }),
        _ => Err(errors),
    }
}

/// The query string of `filters` (scoped to `unit`), for links.
fn filter_query(filters: &Filters, unit: i32) -> String {
    let mut out = format!(
        "from={}&to={}&unit={unit}",
        filters.from.iso(),
        filters.to.iso()
    );
    if let Some(category) = filters.category_id {
        out.push_str(&format!("&category={category}"));
    }
    out
}

struct Loaded {
    tree: OrgTree,
    reference: Reference,
    outcome: Result<(Filters, Dashboard), Vec<FieldError>>,
}

/// Reads everything one dashboard request needs.
async fn load(state: &AppState, lang: Lang, query: &DashboardQuery) -> AppResult<Loaded> {
    let conn = state.db.conn();
    let today = local_date(state.clock.now());
    let tree = OrgTree::load(conn).await?;
    let reference = Reference::load(conn, lang).await?;
    let outcome = match parse_filters(query, today, &tree, &reference) {
        Ok(filters) => {
            let sums = service::load_sums(conn, &tree, &filters, today).await?;
            let link = |unit: i32| format!("/dashboard?{}", filter_query(&filters, unit));
            let dashboard = service::build(lang, &tree, &reference, &filters, &sums, &link);
            Ok((filters, dashboard))
        }
        Err(errors) => Err(errors),
    };
    Ok(Loaded {
        tree,
        reference,
        outcome,
    })
}

#[get("/dashboard?<query..>")]
async fn show_dashboard(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Leaders>,
    query: DashboardQuery,
) -> AppResult<(Status, Template)> {
    let loaded = load(state, page.lang, &query).await?;
    let status = if loaded.outcome.is_ok() {
        Status::Ok
    } else {
        Status::UnprocessableEntity
    };
    Ok(page.render_status(
        status,
        "analytics/dashboard",
        dashboard_context(page.lang, &query, &loaded),
    ))
}

/// The downloaded file.
#[derive(Responder)]
struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

#[get("/dashboard/export?<query..>")]
async fn export_table(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Leaders>,
    query: DashboardQuery,
) -> AppResult<Result<Download, (Status, Template)>> {
    let format = typed(&query.format)
        .and_then(ExportFormat::parse)
        .ok_or(AppError::NotFound)?;
    let table_id = typed(&query.table)
        .and_then(|t| TABLES.iter().find(|id| **id == t))
        .copied()
        .ok_or(AppError::NotFound)?;
    let loaded = load(state, page.lang, &query).await?;
    let (filters, dashboard) = match &loaded.outcome {
        Ok(done) => done,
        Err(_) => {
            return Ok(Err(page.render_status(
                Status::UnprocessableEntity,
                "analytics/dashboard",
                dashboard_context(page.lang, &query, &loaded),
            )))
        }
    };
    let table = dashboard.table(table_id).ok_or(AppError::NotFound)?;
    let body = match format {
        ExportFormat::Csv => export::csv(table)?,
        ExportFormat::Xlsx => export::xlsx(table)?,
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "analytics_exported",
            object_type: "dashboard_table",
            object_id: Some(table_id.to_string()),
            details: json!({
                "format": format.as_str(),
                "from": filters.from.iso(),
                "to": filters.to.iso(),
                "unit_id": filters.unit_id,
                "category_id": filters.category_id,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    let content_type = match format {
        ExportFormat::Csv => ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        ExportFormat::Xlsx => ContentType::new(
            "application",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let filename = format!(
        "evn-{table_id}-{}-{}.{}",
        filters.from.iso(),
        filters.to.iso(),
        format.as_str()
    );
    Ok(Ok(Download {
        body,
        content_type,
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ),
    }))
}

#[get("/transparency")]
async fn show_transparency(
    page: PageCtx,
    state: &State<AppState>,
    cache: &State<TransparencyCache>,
) -> AppResult<Template> {
    let stats = cache.get(state).await?;
    Ok(page.render(
        "analytics/transparency",
        transparency::view(&stats, page.lang),
    ))
}

// ---------------------------------------------------------------------------------------------
// Views.

fn chart_description(lang: Lang, table: &Table, column: usize, metric: &str) -> String {
    let top = table
        .rows
        .iter()
        .filter_map(|r| Some((r, r.cells.get(column)?.number()?)))
        .filter(|(_, n)| *n > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match top {
        Some((row, value)) => lang.t_args(
            "analytics-chart-desc",
            &[
                ("metric", metric.to_string()),
                ("rows", table.rows.len().to_string()),
                ("top", row.label.clone()),
                ("value", format!("{value}")),
            ],
        ),
        None => lang.t("analytics-chart-empty"),
    }
}

fn section(
    lang: Lang,
    table: &Table,
    filters: &Filters,
    chart: Option<Chart>,
    heat: bool,
) -> Value {
    let mut view = table.view(lang);
    let query = filter_query(filters, filters.unit_id);
    view["csv"] = json!(format!(
        "/dashboard/export?table={}&format=csv&{query}",
        table.id
    ));
    view["xlsx"] = json!(format!(
        "/dashboard/export?table={}&format=xlsx&{query}",
        table.id
    ));
    view["chart"] = json!(chart);
    if heat {
        // Five shades by share of the largest cell; withheld cells stay unshaded.
        let max = (1..table.columns.len())
            .map(|c| service::column_max(table, c - 1))
            .fold(0.0, f64::max);
        if let Some(rows) = view["rows"].as_array_mut() {
            for (row, source) in rows.iter_mut().zip(&table.rows) {
                if let Some(cells) = row["cells"].as_array_mut() {
                    for (cell, value) in cells.iter_mut().zip(&source.cells) {
                        let level = match value.number() {
                            Some(n) if max > 0.0 && n > 0.0 => ((n / max) * 4.0).ceil() as u8,
                            _ => 0,
                        };
                        cell["level"] = json!(level);
                    }
                }
            }
        }
    }
    view
}

fn dashboard_context(lang: Lang, query: &DashboardQuery, loaded: &Loaded) -> Value {
    let t = |key: &str| lang.t(key);
    let units: Vec<Value> = loaded
        .tree
        .in_order()
        .into_iter()
        .map(|u| json!({"id": u.id, "label": format!("{}{}", "— ".repeat(u.depth), u.name(lang))}))
        .collect();
    let categories: Vec<Value> = loaded
        .reference
        .categories
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let mut context = json!({
        "query": {
            "from": typed(&query.from).unwrap_or_default(),
            "to": typed(&query.to).unwrap_or_default(),
            "unit": typed(&query.unit).unwrap_or_default(),
            "category": typed(&query.category).unwrap_or_default(),
        },
        "units": units,
        "categories": categories,
        "errors": {},
        "data": null,
    });
    match &loaded.outcome {
        Err(errors) => {
            let errors: serde_json::Map<String, Value> = errors
                .iter()
                .map(|(field, key)| ((*field).to_string(), json!(t(key))))
                .collect();
            context["errors"] = Value::Object(errors);
        }
        Ok((filters, dashboard)) => {
            context["query"] = json!({
                "from": filters.from.iso(),
                "to": filters.to.iso(),
                "unit": filters.unit_id.to_string(),
                "category": filters.category_id.map(|c| c.to_string()).unwrap_or_default(),
            });
            let breadcrumbs: Vec<Value> = loaded
                .tree
                .path(filters.unit_id)
                .into_iter()
                .map(|u| {
                    json!({
                        "name": u.name(lang),
                        "link": format!("/dashboard?{}", filter_query(filters, u.id)),
                        "current": u.id == filters.unit_id,
                    })
                })
                .collect();
            let months_chart = charts::columns(
                "chart-months",
                &t("analytics-chart-months"),
                &chart_description(lang, &dashboard.months, 0, &t("analytics-col-received")),
                &dashboard.months,
                [
                    (0, &t("analytics-col-received")),
                    (1, &t("analytics-col-closed")),
                ],
            );
            let units_chart = charts::bars(
                "chart-units",
                &t("analytics-chart-units"),
                &chart_description(lang, &dashboard.units, 0, &t("analytics-col-received")),
                &dashboard.units,
                0,
            );
            let on_time_chart = charts::bars(
                "chart-on-time",
                &t("analytics-chart-on-time"),
                &chart_description(lang, &dashboard.units, 4, &t("analytics-col-on-time")),
                &dashboard.units,
                4,
            );
            let categories_chart = charts::bars(
                "chart-categories",
                &t("analytics-chart-categories"),
                &chart_description(lang, &dashboard.categories, 0, &t("analytics-col-received")),
                &dashboard.categories,
                0,
            );
            let category_name = filters
                .category_id
                .and_then(|c| loaded.reference.category_name(c))
                .map(str::to_string);
            context["data"] = json!({
                "scope": loaded.tree.get(filters.unit_id).map(|u| u.name(lang)),
                "breadcrumbs": breadcrumbs,
                "period": lang.t_args("analytics-period", &[("from", filters.from.label()), ("to", filters.to.label())]),
                "category": category_name,
                "suppressed": dashboard.scope_suppressed,
                "summary": section(lang, &dashboard.summary, filters, None, false),
                "months": section(lang, &dashboard.months, filters, Some(months_chart), false),
                "units": section(lang, &dashboard.units, filters, Some(units_chart), false),
                "on_time_chart": on_time_chart,
                "categories": section(lang, &dashboard.categories, filters, Some(categories_chart), false),
                "articles": section(lang, &dashboard.articles, filters, None, false),
                "heat": section(lang, &dashboard.heat, filters, None, true),
                "measures": section(lang, &dashboard.measures, filters, None, false),
            });
        }
    }
    context
}
