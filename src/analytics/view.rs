//! The `/dashboard` page: what one request reads ([`Loaded`]) and the typed view the template
//! `analytics/dashboard.html.tera` renders ([`DashboardView`]), with each table's export links
//! and server-drawn chart. Used by `analytics::routes` for the page and for an export whose
//! filters are wrong (the page again, with the errors).

use serde::Serialize;
use serde_json::{Map, Value};

use super::charts::{self, Chart};
use super::filters::{filter_query, parse_filters, typed, DashboardQuery, FieldError};
use super::service::{self, Dashboard, Filters, Reference};
use super::table::{Table, TableView};
use super::tree::OrgTree;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// Everything one dashboard request read: the filters' choices, and the dashboard or why the
/// filters were refused.
pub struct Loaded {
    pub tree: OrgTree,
    pub reference: Reference,
    pub outcome: Result<(Filters, Dashboard), Vec<FieldError>>,
}

impl Loaded {
    /// Reads everything one dashboard request needs.
    pub async fn load(state: &AppState, lang: Lang, query: &DashboardQuery) -> AppResult<Self> {
        let conn = state.db.conn();
        let today = state.clock.today();
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
        Ok(Self {
            tree,
            reference,
            outcome,
        })
    }
}

/// The page's view.
#[derive(Debug, Serialize)]
pub struct DashboardView {
    /// The filters as shown back in the form.
    query: QueryView,
    units: Vec<UnitOption>,
    categories: Vec<CategoryOption>,
    /// Field name → message, for the error summary and `macros::field_error`.
    errors: Map<String, Value>,
    /// The figures, when the filters are valid.
    data: Option<DataView>,
}

#[derive(Debug, Serialize)]
struct QueryView {
    from: String,
    to: String,
    unit: String,
    category: String,
}

#[derive(Debug, Serialize)]
struct UnitOption {
    id: i32,
    /// The name indented by depth.
    label: String,
}

#[derive(Debug, Serialize)]
struct CategoryOption {
    id: i32,
    name: String,
}

#[derive(Debug, Serialize)]
struct DataView {
    scope: Option<String>,
    breadcrumbs: Vec<Breadcrumb>,
    period: String,
    /// The chosen category's name, if one is chosen.
    category: Option<String>,
    suppressed: bool,
    summary: Section,
    months: Section,
    units: Section,
    on_time_chart: Chart,
    categories: Section,
    articles: Section,
    heat: Section,
    measures: Section,
    channels: Section,
}

#[derive(Debug, Serialize)]
struct Breadcrumb {
    name: String,
    link: String,
    current: bool,
}

/// A table with its export links and, above it, its chart.
#[derive(Debug, Serialize)]
struct Section {
    #[serde(flatten)]
    table: TableView,
    csv: String,
    xlsx: String,
    chart: Option<Chart>,
}

impl DashboardView {
    pub fn build(lang: Lang, query: &DashboardQuery, loaded: &Loaded) -> Self {
        let mut view = Self {
            query: QueryView {
                from: typed(&query.from).unwrap_or_default().to_string(),
                to: typed(&query.to).unwrap_or_default().to_string(),
                unit: typed(&query.unit).unwrap_or_default().to_string(),
                category: typed(&query.category).unwrap_or_default().to_string(),
            },
            units: unit_options(lang, &loaded.tree),
            categories: (loaded.reference.categories.iter())
                .map(|(id, name)| CategoryOption {
                    id: *id,
                    name: name.clone(),
                })
                .collect(),
            errors: Map::new(),
            data: None,
        };
        match &loaded.outcome {
            Err(errors) => {
                view.errors = (errors.iter())
                    .map(|(field, key)| ((*field).to_string(), Value::String(lang.t(key))))
                    .collect();
            }
            Ok((filters, dashboard)) => {
                view.query = QueryView {
                    from: filters.from.iso(),
                    to: filters.to.iso(),
                    unit: filters.unit_id.to_string(),
                    category: (filters.category_id.map(|c| c.to_string())).unwrap_or_default(),
                };
                view.data = Some(DataView::build(lang, loaded, filters, dashboard));
            }
        }
        view
    }
}

fn unit_options(lang: Lang, tree: &OrgTree) -> Vec<UnitOption> {
    tree.in_order()
        .into_iter()
        .map(|u| UnitOption {
            id: u.id,
            label: format!("{}{}", "— ".repeat(u.depth), u.name(lang)),
        })
        .collect()
}

impl DataView {
    fn build(lang: Lang, loaded: &Loaded, filters: &Filters, dashboard: &Dashboard) -> Self {
        let charts = Charts::draw(lang, dashboard);
        let section =
            |table: &Table, chart: Option<Chart>| Section::build(lang, table, filters, chart);
        Self {
            scope: (loaded.tree.get(filters.unit_id)).map(|u| u.name(lang).to_string()),
            breadcrumbs: breadcrumbs(lang, &loaded.tree, filters),
            period: lang.t_args(
                "analytics-period",
                &[("from", filters.from.label()), ("to", filters.to.label())],
            ),
            category: (filters.category_id)
                .and_then(|c| loaded.reference.category_name(c))
                .map(str::to_string),
            suppressed: dashboard.scope_suppressed,
            summary: section(&dashboard.summary, None),
            months: section(&dashboard.months, Some(charts.months)),
            units: section(&dashboard.units, Some(charts.units)),
            on_time_chart: charts.on_time,
            categories: section(&dashboard.categories, Some(charts.categories)),
            articles: section(&dashboard.articles, None),
            heat: section(&dashboard.heat, None).shaded(&dashboard.heat),
            measures: section(&dashboard.measures, None),
            channels: section(&dashboard.channels, None),
        }
    }
}

/// The path from the group down to the scope, each step re-scoping the dashboard.
fn breadcrumbs(lang: Lang, tree: &OrgTree, filters: &Filters) -> Vec<Breadcrumb> {
    tree.path(filters.unit_id)
        .into_iter()
        .map(|u| Breadcrumb {
            name: u.name(lang).to_string(),
            link: format!("/dashboard?{}", filter_query(filters, u.id)),
            current: u.id == filters.unit_id,
        })
        .collect()
}

impl Section {
    fn build(lang: Lang, table: &Table, filters: &Filters, chart: Option<Chart>) -> Self {
        let query = filter_query(filters, filters.unit_id);
        let export = |format: &str| {
            format!(
                "/dashboard/export?table={}&format={format}&{query}",
                table.id
            )
        };
        Self {
            table: table.view(lang),
            csv: export("csv"),
            xlsx: export("xlsx"),
            chart,
        }
    }

    /// Five shades by share of the largest cell; withheld cells stay unshaded.
    fn shaded(mut self, table: &Table) -> Self {
        let max = (1..table.columns.len())
            .map(|c| service::column_max(table, c - 1))
            .fold(0.0, f64::max);
        for (row, source) in self.table.rows.iter_mut().zip(&table.rows) {
            for (cell, value) in row.cells.iter_mut().zip(&source.cells) {
                let level = match value.number() {
                    Some(n) if max > 0.0 && n > 0.0 => ((n / max) * 4.0).ceil() as u8,
                    _ => 0,
                };
                cell.level = Some(level);
            }
        }
        self
    }
}

/// The dashboard's four charts, each drawn from the table it sits above.
struct Charts {
    months: Chart,
    units: Chart,
    on_time: Chart,
    categories: Chart,
}

impl Charts {
    fn draw(lang: Lang, dashboard: &Dashboard) -> Self {
        let t = |key: &str| lang.t(key);
        let (received, on_time) = (t("analytics-col-received"), t("analytics-col-on-time"));
        let described = |table: &Table, column: usize, metric: &str| {
            chart_description(lang, table, column, metric)
        };
        Self {
            months: charts::columns(
                "chart-months",
                &t("analytics-chart-months"),
                &described(&dashboard.months, 0, &received),
                &dashboard.months,
                [(0, &received), (1, &t("analytics-col-closed"))],
            ),
            units: charts::bars(
                "chart-units",
                &t("analytics-chart-units"),
                &described(&dashboard.units, 0, &received),
                &dashboard.units,
                0,
            ),
            on_time: charts::bars(
                "chart-on-time",
                &t("analytics-chart-on-time"),
                &described(&dashboard.units, 4, &on_time),
                &dashboard.units,
                4,
            ),
            categories: charts::bars(
                "chart-categories",
                &t("analytics-chart-categories"),
                &described(&dashboard.categories, 0, &received),
                &dashboard.categories,
                0,
            ),
        }
    }
}

/// The chart's text description: how many rows, and which has the largest value.
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
