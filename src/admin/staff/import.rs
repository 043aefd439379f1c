//! The HR import of the staff directory (`/admin/staff/import` and `conduct-portal staff
//! import FILE`): the file is checked by [`crate::admin::staff_import`], then written all or
//! nothing in one transaction with one `staff_imported` audit entry carrying counts only.

use std::collections::HashMap;

use chrono::NaiveDate;
use rocket::fs::TempFile;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use serde::Serialize;
use serde_json::json;

use crate::admin::staff_import::{self, folded_name, BadLine, StaffRow, UnitRef};
use crate::domain::calendar::local_date;
use crate::domain::org::is_closed;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{org_unit, staff_member};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Rows per `INSERT` while importing: well under both databases' bound-parameter limits.
const INSERT_CHUNK: usize = 500;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Rows in the file.
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    /// Rows identical to what the directory already held.
    pub unchanged: usize,
}

/// Every unit by code, with whether it is still open today.
async fn units_by_code<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
) -> AppResult<HashMap<String, UnitRef>> {
    Ok(org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| {
            let unit = UnitRef {
                id: u.id,
                open: !is_closed(u.active_to, today),
            };
            (u.code.to_ascii_uppercase(), unit)
        })
        .collect())
}

/// Imports an HR export (see [`crate::admin::staff_import`] for the format), all or nothing: with a
/// single bad line nothing is written and every bad line comes back. Otherwise employees whose
/// number is known are updated (name, unit, position, active), the others inserted, and one
/// `staff_imported` entry with the counts is audited, all in one transaction. `source` says
/// where the file came from (`web`, `cli`) for the audit trail.
pub async fn import_staff(
    state: &AppState,
    actor: &Actor,
    source: &str,
    bytes: &[u8],
) -> AppResult<Result<ImportSummary, Vec<BadLine>>> {
    let now = state.clock.now();
    let units = units_by_code(state.db.conn(), local_date(now)).await?;
    let rows = match staff_import::parse(bytes, &units) {
        Ok(rows) => rows,
        Err(bad) => return Ok(Err(bad)),
    };
    let tx = state.db.begin_write().await?;
    let mut existing: HashMap<String, staff_member::Model> = staff_member::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|m| (m.employee_number.clone(), m))
        .collect();
    let mut summary = ImportSummary {
        rows: rows.len(),
        ..Default::default()
    };
    let mut new_rows = Vec::new();
    for row in rows {
        match existing.remove(&row.employee_number) {
            None => new_rows.push(row),
            Some(member) if same_as(&member, &row) => summary.unchanged += 1,
            Some(member) => {
                let mut active = member.into_active_model();
                active.full_name_folded = Set(folded_name(&row.full_name));
                active.full_name = Set(row.full_name);
                active.unit_id = Set(row.unit_id);
                active.position = Set(row.position);
                if let Some(holds_post) = row.holds_post {
                    active.holds_post = Set(holds_post);
                }
                active.active = Set(row.active);
                active.updated_at = Set(now);
                active.update(&*tx).await?;
                summary.updated += 1;
            }
        }
    }
    summary.inserted = new_rows.len();
    let mut new_rows = new_rows.into_iter().peekable();
    while new_rows.peek().is_some() {
        let chunk: Vec<staff_member::ActiveModel> = new_rows
            .by_ref()
            .take(INSERT_CHUNK)
            .map(|row| staff_member::ActiveModel {
                employee_number: Set(row.employee_number),
                full_name_folded: Set(folded_name(&row.full_name)),
                full_name: Set(row.full_name),
                unit_id: Set(row.unit_id),
                position: Set(row.position),
                holds_post: Set(row.holds_post.unwrap_or(false)),
                active: Set(row.active),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        staff_member::Entity::insert_many(chunk).exec(&*tx).await?;
    }
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor,
            action: "staff_imported",
            object_type: "staff_member",
            object_id: None,
            details: json!({
                "source": source,
                "rows": summary.rows,
                "inserted": summary.inserted,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }),
        },
    )
    .await?;
    Ok(Ok(summary))
}

fn same_as(member: &staff_member::Model, row: &StaffRow) -> bool {
    member.full_name == row.full_name
        && member.unit_id == row.unit_id
        && member.position == row.position
        && row.holds_post.is_none_or(|h| h == member.holds_post)
        && member.active == row.active
        && member.full_name_folded == folded_name(&row.full_name)
}

/// The upload's bytes.
async fn read_upload(file: &TempFile<'_>) -> std::io::Result<Vec<u8>> {
    use rocket::tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    let mut reader = file.open().await?;
    reader.read_to_end(&mut bytes).await?;
    Ok(bytes)
}

/// How an upload from the form went.
pub enum Outcome {
    Done(ImportSummary),
    /// Nothing was written: every bad line.
    BadLines(Vec<BadLine>),
    /// The upload itself is wrong (missing, too large): a catalogue key.
    File(&'static str),
}

/// Imports an uploaded file from the form (`source` `web`).
pub async fn from_upload(
    state: &AppState,
    actor: &Actor,
    file: Option<&rocket::data::Capped<TempFile<'_>>>,
) -> AppResult<Outcome> {
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return Ok(Outcome::File("error-import-file-required"));
    };
    if !file.is_complete() {
        return Ok(Outcome::File("error-import-file-too-large"));
    }
    let bytes = read_upload(file).await.map_err(AppError::internal)?;
    Ok(match import_staff(state, actor, "web", &bytes).await? {
        Ok(summary) => Outcome::Done(summary),
        Err(bad) => Outcome::BadLines(bad),
    })
}
