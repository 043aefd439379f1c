//! `/dashboard/export`: which table in which format ([`ExportRequest`]), and the file itself
//! ([`Download`]), written by `export` and recorded in the audit log before it is sent.
//!
//! Invariant: no file leaves without its `analytics_exported` audit entry (table, format,
//! period, scope and category) committed first.

use rocket::http::{ContentType, Header};
use rocket::Responder;
use serde_json::json;

use super::export::{self, ExportFormat};
use super::filters::{typed, DashboardQuery};
use super::service::{Dashboard, Filters, TABLES};
use crate::platform::audit::{self, Actor, Entry};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// The table and format an export asks for; anything else is a 404.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest {
    pub table_id: &'static str,
    pub format: ExportFormat,
}

impl ExportRequest {
    pub fn parse(query: &DashboardQuery) -> AppResult<Self> {
        let format = typed(&query.format)
            .and_then(ExportFormat::parse)
            .ok_or(AppError::NotFound)?;
        let table_id = typed(&query.table)
            .and_then(|t| TABLES.iter().find(|id| **id == t))
            .copied()
            .ok_or(AppError::NotFound)?;
        Ok(Self { table_id, format })
    }
}

/// The downloaded file.
#[derive(Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl Download {
    /// Writes the table as a file and records the export in the audit log.
    pub async fn prepare(
        state: &AppState,
        actor: &Actor,
        request: ExportRequest,
        filters: &Filters,
        dashboard: &Dashboard,
    ) -> AppResult<Self> {
        let ExportRequest { table_id, format } = request;
        let table = dashboard.table(table_id).ok_or(AppError::NotFound)?;
        let body = match format {
            ExportFormat::Csv => export::csv(table)?,
            ExportFormat::Xlsx => export::xlsx(table)?,
        };
        record(state, actor, request, filters).await?;
        let filename = format!(
            "evn-{table_id}-{}-{}.{}",
            filters.from.iso(),
            filters.to.iso(),
            format.as_str()
        );
        Ok(Self {
            body,
            content_type: content_type(format),
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{filename}\""),
            ),
        })
    }
}

fn content_type(format: ExportFormat) -> ContentType {
    match format {
        ExportFormat::Csv => ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        ExportFormat::Xlsx => ContentType::new(
            "application",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
}

/// The audit entry of one export, in its own transaction.
async fn record(
    state: &AppState,
    actor: &Actor,
    request: ExportRequest,
    filters: &Filters,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor,
            action: "analytics_exported",
            object_type: "dashboard_table",
            object_id: Some(request.table_id.to_string()),
            details: json!({
                "format": request.format.as_str(),
                "from": filters.from.iso(),
                "to": filters.to.iso(),
                "unit_id": filters.unit_id,
                "category_id": filters.category_id,
            }),
        },
    )
    .await?;
    Ok(())
}
