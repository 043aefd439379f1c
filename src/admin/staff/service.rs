//! The reads and writes of `/admin/staff` one employee at a time: the diacritics-insensitive
//! search, the units an employee may be placed in, and adding and editing an employee, each
//! write in one transaction with its audit entry (employee numbers, never names).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde_json::json;

use crate::admin::unique::CodeField;
use crate::auth::StaffUser;
use crate::domain::calendar::local_date;
use crate::domain::directory::{folded_name, normalise_employee_number, StaffFields, StaffInput};
use crate::domain::ids::StaffId;
use crate::domain::org::is_closed;
use crate::domain::report::FieldErrors;
use crate::domain::text::changed_fields;
use crate::domain::text::fold;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{org_unit, staff_member};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::units::{self as unit_tree, UnitGroup};

/// Escape character for `LIKE` patterns; not special in either database's string literals.
const LIKE_ESCAPE: char = '!';

/// `%text%` for a `LIKE`, with the pattern characters escaped.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            out.push(LIKE_ESCAPE);
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The search: every folded word of `query` in the folded name, or the whole query inside the
/// employee number. `None` for an empty query.
pub fn search_condition(query: &str) -> Option<Condition> {
    // In scope here only: its `min`/`max` would shadow the integers' elsewhere.
    use sea_orm::sea_query::ExprTrait;
    let words: Vec<String> = fold(query)
        .split_whitespace()
        .take(5)
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut by_name = Condition::all();
    for word in &words {
        by_name = by_name.add(
            Expr::col(staff_member::Column::FullNameFolded)
                .like(LikeExpr::new(like_pattern(word)).escape(LIKE_ESCAPE)),
        );
    }
    let number = query.trim().to_ascii_uppercase();
    let by_number = Expr::col(staff_member::Column::EmployeeNumber)
        .like(LikeExpr::new(like_pattern(&number)).escape(LIKE_ESCAPE));
    Some(Condition::any().add(by_name).add(by_number))
}

// ---------------------------------------------------------------------------------------------
// Units, shared with the routing screen
// ---------------------------------------------------------------------------------------------

/// Every unit's path from the top ("EVN › EVNNPC › PC Hải Phòng"), in `lang`.
pub fn unit_paths(units: &[org_unit::Model], lang: Lang) -> HashMap<i32, String> {
    let by_id: HashMap<i32, &org_unit::Model> = units.iter().map(|u| (u.id, u)).collect();
    units
        .iter()
        .map(|unit| {
            let mut names = Vec::new();
            let mut next = Some(unit);
            while let Some(current) = next {
                names.push(lang.pick(&current.name_vi, &current.name_en));
                if names.len() > 16 {
                    break;
                }
                next = current.parent_id.and_then(|p| by_id.get(&p).copied());
            }
            names.reverse();
            (unit.id, names.join(" › "))
        })
        .collect()
}

/// The grouped `<select>` options of the open units, plus `keep` (a current choice) even when
/// it has closed since.
pub fn unit_choices(
    units: &[org_unit::Model],
    lang: Lang,
    today: NaiveDate,
    keep: Option<i32>,
) -> Vec<UnitGroup> {
    let offered: Vec<org_unit::Model> = units
        .iter()
        .filter(|u| !is_closed(u.active_to, today) || Some(u.id) == keep)
        .cloned()
        .collect();
    unit_tree::grouped(&offered, lang, "")
}

/// Why `unit_id` cannot be chosen (missing, or closed unless it is `keep`), as a catalogue key.
async fn unit_refusal<C: ConnectionTrait>(
    conn: &C,
    unit_id: i32,
    today: NaiveDate,
    keep: Option<i32>,
) -> AppResult<Option<&'static str>> {
    Ok(
        match org_unit::Entity::find_by_id(unit_id).one(conn).await? {
            None => Some("error-admin-staff-unit-required"),
            Some(unit) if is_closed(unit.active_to, today) && Some(unit.id) != keep => {
                Some("error-admin-staff-unit-closed")
            }
            Some(_) => None,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Data access and writes
// ---------------------------------------------------------------------------------------------

/// Every unit, in no order.
pub async fn all_units(state: &AppState) -> AppResult<Vec<org_unit::Model>> {
    Ok(org_unit::Entity::find().all(state.db.conn()).await?)
}

/// One employee, or not found.
pub async fn find_staff(state: &AppState, id: i32) -> AppResult<staff_member::Model> {
    staff_member::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

const NUMBER: CodeField = CodeField {
    field: "employee_number",
    taken: "error-admin-staff-number-taken",
};

async fn number_taken<C: ConnectionTrait>(conn: &C, number: &str) -> AppResult<bool> {
    Ok(staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number))
        .one(conn)
        .await?
        .is_some())
}

/// Validates and adds an employee; every mistake comes back at once, a taken number included.
pub async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &StaffInput,
) -> AppResult<Result<i32, FieldErrors>> {
    let conn = state.db.conn();
    let number = normalise_employee_number(&input.employee_number).ok();
    let checked = NUMBER
        .with_taken(input.validate_new(), number, async |n| {
            number_taken(conn, n).await
        })
        .await?;
    match checked {
        Ok((number, fields)) => insert_staff(state, user, number, fields).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Adds an active employee with a free number in an open unit.
async fn insert_staff(
    state: &AppState,
    user: &StaffUser,
    number: String,
    fields: StaffFields,
) -> AppResult<Result<i32, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let mut errors = FieldErrors::new();
    if let Some(key) = unit_refusal(&*tx, fields.unit_id, local_date(now), None).await? {
        errors.insert("unit_id", key);
    }
    if number_taken(&*tx, &number).await? {
        errors.insert(NUMBER.field, NUMBER.taken);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let row = staff_member::ActiveModel {
        employee_number: Set(number.clone()),
        full_name_folded: Set(folded_name(&fields.full_name)),
        full_name: Set(fields.full_name),
        unit_id: Set(fields.unit_id),
        position: Set(fields.position),
        holds_post: Set(fields.holds_post),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match NUMBER.insert(&*tx, row, errors).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "staff_created",
            object_type: "staff_member",
            object_id: Some(row.id.to_string()),
            details: json!({
                "employee_number": number,
                "unit_id": row.unit_id,
                "holds_post": row.holds_post,
            }),
        },
    )
    .await?;
    Ok(Ok(row.id))
}

/// An edit that was refused: the employee, what was typed (with its fixed number) and why.
pub struct Refused {
    pub member: staff_member::Model,
    pub input: StaffInput,
    pub errors: FieldErrors,
}

/// Validates and saves an edit of employee `id` (the number stays); `Ok(false)` when nothing
/// differed.
pub async fn update(
    state: &AppState,
    user: &StaffUser,
    id: StaffId,
    mut input: StaffInput,
) -> AppResult<Result<bool, Box<Refused>>> {
    let member = find_staff(state, id.0).await?;
    input.employee_number = member.employee_number.clone();
    let outcome = match input.validate_fields() {
        Ok(fields) => save_staff(state, user, id.0, fields).await?,
        Err(errors) => Err(errors),
    };
    Ok(outcome.map_err(|errors| {
        Box::new(Refused {
            member,
            input,
            errors,
        })
    }))
}

/// Saves an edit; `Ok(false)` when nothing differed.
async fn save_staff(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    fields: StaffFields,
) -> AppResult<Result<bool, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let member = staff_member::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(key) =
        unit_refusal(&*tx, fields.unit_id, local_date(now), Some(member.unit_id)).await?
    {
        return Ok(Err(FieldErrors::from([("unit_id", key)])));
    }
    let changed = changed_fields([
        ("full_name", member.full_name != fields.full_name),
        ("unit_id", member.unit_id != fields.unit_id),
        ("position", member.position != fields.position),
        ("holds_post", member.holds_post != fields.holds_post),
    ]);
    if changed.is_empty() {
        return Ok(Ok(false));
    }
    // Names stay out of the trail: only which fields changed, and the unit move.
    let details = json!({
        "employee_number": member.employee_number,
        "changed": changed,
        "unit_id": {"from": member.unit_id, "to": fields.unit_id},
    });
    let mut active = member.into_active_model();
    active.full_name_folded = Set(folded_name(&fields.full_name));
    active.full_name = Set(fields.full_name);
    active.unit_id = Set(fields.unit_id);
    active.position = Set(fields.position);
    active.holds_post = Set(fields.holds_post);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "staff_updated",
            object_type: "staff_member",
            object_id: Some(id.to_string()),
            details,
        },
    )
    .await?;
    Ok(Ok(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_pattern("a%b_c!d"), "%a!%b!_c!!d%");
        assert!(search_condition("  ").is_none());
        assert!(search_condition("nguyễn văn").is_some());
    }
}
