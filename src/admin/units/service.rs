//! The writes of `/admin/units`: add, rename, move and close a unit, each in one transaction
//! with its audit entry. The tree's invariants (no cycle, open parent, free code, no open
//! children when closing) are checked inside the write transaction, so two admins cannot
//! break them together.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

use crate::admin::unique::CodeField;
use crate::auth::StaffUser;
use crate::domain::calendar::local_date;
use crate::domain::ids::UnitId;
use crate::domain::org::{creates_cycle, is_closed, normalise_code, parent_id, NewUnit, UnitInput};
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::org_unit;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

const CODE: CodeField = CodeField {
    field: "code",
    taken: "error-admin-unit-code-taken",
};

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

/// Every unit, in no order.
pub async fn all_units(state: &AppState) -> AppResult<Vec<org_unit::Model>> {
    Ok(org_unit::Entity::find().all(state.db.conn()).await?)
}

/// One unit, or not found.
pub async fn find_unit(state: &AppState, id: UnitId) -> AppResult<org_unit::Model> {
    org_unit::Entity::find_by_id(id.0)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

/// Validates and adds a unit; every mistake comes back at once, a taken code included.
pub async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &UnitInput,
) -> AppResult<Result<i32, FieldErrors>> {
    let conn = state.db.conn();
    let code = normalise_code(&input.code).ok();
    let checked = CODE
        .with_taken(input.validate_new(), code, async |c| {
            code_taken(conn, c).await
        })
        .await?;
    match checked {
        Ok(new) => insert_unit(state, user, new).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Adds a unit under an open parent with a free code.
async fn insert_unit(
    state: &AppState,
    user: &StaffUser,
    new: NewUnit,
) -> AppResult<Result<i32, FieldErrors>> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let mut errors = FieldErrors::new();
    match org_unit::Entity::find_by_id(new.parent_id)
        .one(&*tx)
        .await?
    {
        None => {
            errors.insert("parent_id", "error-admin-unit-parent-required");
        }
        Some(parent) if is_closed(parent.active_to, today) => {
            errors.insert("parent_id", "error-admin-unit-parent-closed");
        }
        Some(_) => {}
    }
    if code_taken(&*tx, &new.code).await? {
        errors.insert(CODE.field, CODE.taken);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let row = org_unit::ActiveModel {
        parent_id: Set(Some(new.parent_id)),
        kind: Set(new.names.kind.as_str().to_string()),
        code: Set(new.code.clone()),
        name_vi: Set(new.names.name_vi.clone()),
        name_en: Set(new.names.name_en.clone()),
        active_from: Set(Some(new.active_from)),
        active_to: Set(None),
        hotline: Set(new.names.hotline.clone().flatten()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match CODE.insert(&*tx, row, errors).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "unit_created",
            object_type: "org_unit",
            object_id: Some(row.id.to_string()),
            details: json!({
                "code": row.code,
                "kind": row.kind,
                "parent_id": row.parent_id,
                "name_vi": row.name_vi,
                "name_en": row.name_en,
                "active_from": new.active_from.to_string(),
            }),
        },
    )
    .await?;
    Ok(Ok(row.id))
}

/// Validates and saves a unit's kind, names and hotline; `Ok(false)` when nothing differed.
pub async fn rename(
    state: &AppState,
    user: &StaffUser,
    id: UnitId,
    input: &UnitInput,
) -> AppResult<Result<bool, FieldErrors>> {
    let names = match input.validate_names() {
        Ok(names) => names,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let unit = org_unit::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut changes = serde_json::Map::new();
    for (field, old, new) in [
        ("kind", &unit.kind, names.kind.as_str()),
        ("name_vi", &unit.name_vi, names.name_vi.as_str()),
        ("name_en", &unit.name_en, names.name_en.as_str()),
    ] {
        if old != new {
            changes.insert(field.to_string(), json!({"from": old, "to": new}));
        }
    }
    let hotline = names.hotline.unwrap_or_else(|| unit.hotline.clone());
    if hotline != unit.hotline {
        changes.insert(
            "hotline".to_string(),
            json!({"from": unit.hotline, "to": hotline}),
        );
    }
    if changes.is_empty() {
        return Ok(Ok(false));
    }
    let code = unit.code.clone();
    let mut active = unit.into_active_model();
    active.kind = Set(names.kind.as_str().to_string());
    active.name_vi = Set(names.name_vi);
    active.name_en = Set(names.name_en);
    active.hotline = Set(hotline);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "unit_updated",
            object_type: "org_unit",
            object_id: Some(id.to_string()),
            details: json!({"code": code, "changes": changes}),
        },
    )
    .await?;
    Ok(Ok(true))
}

/// Moves a unit under the typed parent: an open unit that is not inside it.
pub async fn reparent(
    state: &AppState,
    user: &StaffUser,
    id: UnitId,
    typed: &str,
) -> AppResult<Result<(), FieldErrors>> {
    let mut errors = FieldErrors::new();
    let new_parent = parent_id(&mut errors, typed);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let units = org_unit::Entity::find().all(&*tx).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id.0)
        .ok_or(AppError::NotFound)?
        .clone();
    let parent_of: HashMap<i32, Option<i32>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let refusal = match units.iter().find(|u| u.id == new_parent) {
        None => Some("error-admin-unit-parent-required"),
        Some(_) if unit.parent_id == Some(new_parent) => Some("error-admin-unit-move-same"),
        Some(_) if creates_cycle(&parent_of, id.0, new_parent) => {
            Some("error-admin-unit-move-cycle")
        }
        Some(parent) if is_closed(parent.active_to, today) => {
            Some("error-admin-unit-parent-closed")
        }
        Some(_) => None,
    };
    if let Some(key) = refusal {
        return Ok(Err(FieldErrors::from([("parent_id", key)])));
    }
    let from = unit.parent_id;
    let code = unit.code.clone();
    let mut active = unit.into_active_model();
    active.parent_id = Set(Some(new_parent));
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "unit_moved",
            object_type: "org_unit",
            object_id: Some(id.to_string()),
            details: json!({"code": code, "from_parent_id": from, "to_parent_id": new_parent}),
        },
    )
    .await?;
    Ok(Ok(()))
}

/// Why a unit cannot be deactivated.
pub enum Blocked {
    AlreadyClosed,
    OpenChildren(Vec<org_unit::Model>),
}

fn open_children(units: &[org_unit::Model], id: i32, today: NaiveDate) -> Vec<org_unit::Model> {
    let mut children: Vec<_> = units
        .iter()
        .filter(|u| u.parent_id == Some(id) && !is_closed(u.active_to, today))
        .cloned()
        .collect();
    children.sort_by(|a, b| a.code.cmp(&b.code));
    children
}

/// Why `unit` cannot be closed today, if it cannot.
pub fn blocker(
    units: &[org_unit::Model],
    unit: &org_unit::Model,
    today: NaiveDate,
) -> Option<Blocked> {
    if is_closed(unit.active_to, today) {
        return Some(Blocked::AlreadyClosed);
    }
    let children = open_children(units, unit.id, today);
    (!children.is_empty()).then_some(Blocked::OpenChildren(children))
}

/// Sets a unit's last active day to today, unless it is closed already or has open children;
/// then the unit and why come back.
pub async fn close(
    state: &AppState,
    user: &StaffUser,
    id: UnitId,
) -> AppResult<Result<(), (org_unit::Model, Blocked)>> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let units = org_unit::Entity::find().all(&*tx).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id.0)
        .ok_or(AppError::NotFound)?
        .clone();
    if let Some(blocked) = blocker(&units, &unit, today) {
        return Ok(Err((unit, blocked)));
    }
    let code = unit.code.clone();
    let mut active = unit.into_active_model();
    active.active_to = Set(Some(today));
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "unit_deactivated",
            object_type: "org_unit",
            object_id: Some(id.to_string()),
            details: json!({"code": code, "active_to": today.to_string()}),
        },
    )
    .await?;
    Ok(Ok(()))
}
