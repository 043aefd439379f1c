//! `/admin/staff`: the staff directory — the employees reports can name. Conflict-of-interest
//! exclusions read it (an inspector never sees a case naming a colleague of their own unit), so
//! it must follow HR: admins add, edit, deactivate and reactivate employees one by one, or import
//! an HR export (CSV, see [`crate::admin::staff_import`]) all-or-nothing.
//!
//! Invariants: employee numbers are unique, stored upper-case (A–Z, 0–9, `-`, `/`, `.`, ≤ 32) and
//! fixed once created, because reports and imports match on them; `full_name_folded` is always
//! `fold(full_name)`, which the diacritics-insensitive search reads; employees are deactivated,
//! never deleted. Every change is audited in its transaction; audit entries carry employee
//! numbers and counts, never names.

use std::collections::HashMap;

use chrono::NaiveDate;
use rocket::form::Form;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::{json, Value};

use super::units::is_closed;
use crate::admin::staff_import::{
    self, folded_name, normalise_employee_number, BadLine, NumberError, StaffRow, UnitRef,
};
use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::report::{clean_text, FieldErrors};
use crate::domain::text::fold;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{org_unit, staff_member};
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::units as unit_tree;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_staff,
        new_staff,
        create_staff,
        edit_staff,
        update_staff,
        confirm_deactivate_staff,
        deactivate_staff,
        confirm_reactivate_staff,
        reactivate_staff,
        show_import,
        import_file,
    ]
}

/// Employees per page of the list.
pub const PAGE_SIZE: u64 = 50;
/// Escape character for `LIKE` patterns; not special in either database's string literals.
const LIKE_ESCAPE: char = '!';
/// Rows per `INSERT` while importing: well under both databases' bound-parameter limits.
const INSERT_CHUNK: usize = 500;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The employee form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StaffInput {
    pub employee_number: String,
    pub full_name: String,
    pub unit_id: String,
    pub position: String,
}

/// Everything but the employee number, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFields {
    pub full_name: String,
    pub unit_id: i32,
    pub position: Option<String>,
}

impl StaffInput {
    fn fields_into(&self, errors: &mut FieldErrors) -> Option<StaffFields> {
        let full_name = clean_text(&self.full_name);
        if full_name.is_empty() {
            errors.insert("full_name", "error-admin-staff-name-required");
        } else if full_name.chars().count() > staff_import::NAME_MAX {
            errors.insert("full_name", "error-admin-staff-name-long");
        }
        let unit_id = match self.unit_id.trim().parse::<i32>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.insert("unit_id", "error-admin-staff-unit-required");
                None
            }
        };
        let position = clean_text(&self.position);
        if position.chars().count() > staff_import::POSITION_MAX {
            errors.insert("position", "error-admin-staff-position-long");
        }
        Some(StaffFields {
            full_name,
            unit_id: unit_id?,
            position: (!position.is_empty()).then_some(position),
        })
    }

    /// Validates an edit: every field but the employee number. Whether the unit exists and is
    /// open is checked against the database.
    pub fn validate_fields(&self) -> Result<StaffFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Validates a new employee; whether the number is free is checked against the database.
    pub fn validate_new(&self) -> Result<(String, StaffFields), FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = match normalise_employee_number(&self.employee_number) {
            Ok(number) => Some(number),
            Err(NumberError::Missing) => {
                errors.insert("employee_number", "error-admin-staff-number-required");
                None
            }
            Err(NumberError::Invalid) => {
                errors.insert("employee_number", "error-admin-staff-number-invalid");
                None
            }
        };
        let fields = self.fields_into(&mut errors);
        match (number, fields) {
            (Some(number), Some(fields)) if errors.is_empty() => Ok((number, fields)),
            _ => Err(errors),
        }
    }
}

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
pub(super) fn unit_paths(units: &[org_unit::Model], lang: Lang) -> HashMap<i32, String> {
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
pub(super) fn unit_choices(
    units: &[org_unit::Model],
    lang: Lang,
    today: NaiveDate,
    keep: Option<i32>,
) -> Value {
    let offered: Vec<org_unit::Model> = units
        .iter()
        .filter(|u| !is_closed(u.active_to, today) || Some(u.id) == keep)
        .cloned()
        .collect();
    json!(unit_tree::grouped(&offered, lang, ""))
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
// Views and data access
// ---------------------------------------------------------------------------------------------

fn staff_view(member: &staff_member::Model, paths: &HashMap<i32, String>) -> Value {
    json!({
        "id": member.id,
        "employee_number": member.employee_number,
        "full_name": member.full_name,
        "unit": paths.get(&member.unit_id).cloned().unwrap_or_default(),
        "position": member.position,
        "active": member.active,
    })
}

fn input_of(member: &staff_member::Model) -> StaffInput {
    StaffInput {
        employee_number: member.employee_number.clone(),
        full_name: member.full_name.clone(),
        unit_id: member.unit_id.to_string(),
        position: member.position.clone().unwrap_or_default(),
    }
}

async fn all_units(state: &AppState) -> AppResult<Vec<org_unit::Model>> {
    Ok(org_unit::Entity::find().all(state.db.conn()).await?)
}

async fn find_staff(state: &AppState, id: i32) -> AppResult<staff_member::Model> {
    staff_member::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

async fn number_taken<C: ConnectionTrait>(conn: &C, number: &str) -> AppResult<bool> {
    Ok(staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number))
        .one(conn)
        .await?
        .is_some())
}

/// The create or edit form; `member` is the employee being edited.
async fn form_page(
    state: &AppState,
    page: &PageCtx,
    member: Option<&staff_member::Model>,
    input: &StaffInput,
    errors: &FieldErrors,
    status: Status,
) -> AppResult<(Status, Template)> {
    let units = all_units(state).await?;
    let today = local_date(state.clock.now());
    let paths = unit_paths(&units, page.lang);
    Ok(page.render_status(
        status,
        "admin/staff/form",
        json!({
            "member": member.map(|m| staff_view(m, &paths)),
            "form": input,
            "errors": translate(page.lang, errors),
            "unit_groups": unit_choices(&units, page.lang, today, member.map(|m| m.unit_id)),
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// Handlers: list, add, edit
// ---------------------------------------------------------------------------------------------

#[get("/admin/staff?<q>&<page>")]
async fn list_staff(
    _user: Authorized<Admins>,
    page_ctx: PageCtx,
    state: &State<AppState>,
    q: Option<String>,
    page: Option<u64>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let q = q.unwrap_or_default();
    let mut query = staff_member::Entity::find()
        .order_by_asc(staff_member::Column::FullNameFolded)
        .order_by_asc(staff_member::Column::EmployeeNumber);
    if let Some(condition) = search_condition(&q) {
        query = query.filter(condition);
    }
    let paginator = query.paginate(conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let current = page.unwrap_or(1).clamp(1, pages);
    let members = paginator.fetch_page(current - 1).await?;
    let units = all_units(state).await?;
    let paths = unit_paths(&units, page_ctx.lang);
    let rows: Vec<Value> = members.iter().map(|m| staff_view(m, &paths)).collect();
    Ok(page_ctx.render(
        "admin/staff/list",
        json!({
            "staff": rows,
            "q": q.trim(),
            "total": total,
            "page": current,
            "pages": pages,
            "prev": (current > 1).then(|| current - 1),
            "next": (current < pages).then(|| current + 1),
        }),
    ))
}

#[derive(Debug, Default, FromForm)]
struct StaffForm {
    employee_number: Option<String>,
    full_name: Option<String>,
    unit_id: Option<String>,
    position: Option<String>,
}

impl StaffForm {
    fn to_input(&self) -> StaffInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        StaffInput {
            employee_number: text(&self.employee_number),
            full_name: text(&self.full_name),
            unit_id: text(&self.unit_id),
            position: text(&self.position),
        }
    }
}

#[get("/admin/staff/new")]
async fn new_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let input = StaffInput::default();
    Ok(
        form_page(state, &page, None, &input, &FieldErrors::new(), Status::Ok)
            .await?
            .1,
    )
}

#[post("/admin/staff", data = "<form>")]
async fn create_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<StaffForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    let outcome = match input.validate_new() {
        Ok((number, fields)) => insert_staff(state, &user, number, fields)
            .await
            .map_err(AppResultPage::Error)?,
        Err(mut errors) => {
            // Report a taken number along with the other mistakes, not on the next attempt.
            if let Ok(number) = normalise_employee_number(&input.employee_number) {
                if number_taken(state.db.conn(), &number)
                    .await
                    .map_err(AppResultPage::Error)?
                {
                    errors.insert("employee_number", "error-admin-staff-number-taken");
                }
            }
            Err(errors)
        }
    };
    match outcome {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/staff"),
            "flash-admin-staff-created",
        )),
        Err(errors) => Err(AppResultPage::Page(
            form_page(
                state,
                &page,
                None,
                &input,
                &errors,
                Status::UnprocessableEntity,
            )
            .await
            .map_err(AppResultPage::Error)?,
        )),
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
        errors.insert("employee_number", "error-admin-staff-number-taken");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let inserted = staff_member::ActiveModel {
        employee_number: Set(number.clone()),
        full_name_folded: Set(folded_name(&fields.full_name)),
        full_name: Set(fields.full_name),
        unit_id: Set(fields.unit_id),
        position: Set(fields.position),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => {
            errors.insert("employee_number", "error-admin-staff-number-taken");
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "staff_created",
            object_type: "staff_member",
            object_id: Some(row.id.to_string()),
            details: json!({"employee_number": number, "unit_id": row.unit_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(row.id))
}

#[get("/admin/staff/<id>/edit")]
async fn edit_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let member = find_staff(state, id).await?;
    let input = input_of(&member);
    Ok(form_page(
        state,
        &page,
        Some(&member),
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .await?
    .1)
}

#[post("/admin/staff/<id>/edit", data = "<form>")]
async fn update_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
    form: Form<StaffForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let member = find_staff(state, id).await.map_err(AppResultPage::Error)?;
    let mut input = form.to_input();
    input.employee_number = member.employee_number.clone();
    let errors = match input.validate_fields() {
        Ok(fields) => match save_staff(state, &user, id, fields)
            .await
            .map_err(AppResultPage::Error)?
        {
            Ok(changed) => {
                let key = if changed {
                    "flash-admin-staff-updated"
                } else {
                    "flash-admin-nothing-changed"
                };
                return Ok(Flash::success(Redirect::to("/admin/staff"), key));
            }
            Err(errors) => errors,
        },
        Err(errors) => errors,
    };
    Err(AppResultPage::Page(
        form_page(
            state,
            &page,
            Some(&member),
            &input,
            &errors,
            Status::UnprocessableEntity,
        )
        .await
        .map_err(AppResultPage::Error)?,
    ))
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
    let changed: Vec<&str> = [
        ("full_name", member.full_name != fields.full_name),
        ("unit_id", member.unit_id != fields.unit_id),
        ("position", member.position != fields.position),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
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
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(true))
}

// ---------------------------------------------------------------------------------------------
// Handlers: deactivate, reactivate
// ---------------------------------------------------------------------------------------------

async fn confirm_page(
    state: &AppState,
    page: &PageCtx,
    member: &staff_member::Model,
    activate: bool,
    status: Status,
) -> AppResult<(Status, Template)> {
    let paths = unit_paths(&all_units(state).await?, page.lang);
    Ok(page.render_status(
        status,
        "admin/staff/confirm",
        json!({
            "member": staff_view(member, &paths),
            "activate": activate,
            "already": member.active == activate,
        }),
    ))
}

#[get("/admin/staff/<id>/deactivate")]
async fn confirm_deactivate_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let member = find_staff(state, id).await?;
    Ok(confirm_page(state, &page, &member, false, Status::Ok)
        .await?
        .1)
}

#[post("/admin/staff/<id>/deactivate")]
async fn deactivate_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    set_active(state, &page, &user, id, false).await
}

#[get("/admin/staff/<id>/reactivate")]
async fn confirm_reactivate_staff(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let member = find_staff(state, id).await?;
    Ok(confirm_page(state, &page, &member, true, Status::Ok)
        .await?
        .1)
}

#[post("/admin/staff/<id>/reactivate")]
async fn reactivate_staff(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    set_active(state, &page, &user, id, true).await
}

/// Deactivates or reactivates; an employee already in that state gets the page again (409).
async fn set_active(
    state: &AppState,
    page: &PageCtx,
    user: &StaffUser,
    id: i32,
    active: bool,
) -> Result<Flash<Redirect>, AppResultPage> {
    match crate::web::switch::switch_active::<staff_member::Model>(state, &user.actor(), id, active)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(()) => {
            let key = if active {
                "flash-admin-staff-reactivated"
            } else {
                "flash-admin-staff-deactivated"
            };
            Ok(Flash::success(Redirect::to("/admin/staff"), key))
        }
        Err(member) => Err(AppResultPage::Page(
            confirm_page(state, page, &member, active, Status::Conflict)
                .await
                .map_err(AppResultPage::Error)?,
        )),
    }
}

crate::switchable!(
    staff_member,
    "staff_member",
    "staff_deactivated",
    "staff_reactivated",
    |member| json!({"employee_number": member.employee_number})
);

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

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
                active: Set(row.active),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        staff_member::Entity::insert_many(chunk).exec(&*tx).await?;
    }
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(summary))
}

fn same_as(member: &staff_member::Model, row: &StaffRow) -> bool {
    member.full_name == row.full_name
        && member.unit_id == row.unit_id
        && member.position == row.position
        && member.active == row.active
        && member.full_name_folded == folded_name(&row.full_name)
}

/// The largest file the import form takes: Rocket's `file` limit (`file/csv` when set).
fn upload_limit(config: &rocket::Config) -> rocket::data::ByteUnit {
    config
        .limits
        .find(["file", "csv"])
        .unwrap_or(rocket::data::Limits::FILE)
}

/// The import form, with the outcome of an attempt: the counts, the bad lines, or what is wrong
/// with the upload itself (`file_error`, a catalogue key that may name the size limit).
fn import_page(
    page: &PageCtx,
    config: &rocket::Config,
    summary: Option<ImportSummary>,
    bad_lines: &[BadLine],
    file_error: Option<&'static str>,
    status: Status,
) -> (Status, Template) {
    let limit = upload_limit(config).to_string();
    let bad: Vec<Value> = bad_lines
        .iter()
        .map(|b| json!({"line": b.line, "reason": b.message(page.lang)}))
        .collect();
    let errors = match file_error {
        Some(key) => json!({"file": page.lang.t_args(key, &[("limit", limit.clone())])}),
        None => json!({}),
    };
    page.render_status(
        status,
        "admin/staff/import",
        json!({
            "limit": limit,
            "columns": staff_import::COLUMNS,
            "summary": summary,
            "bad_count": bad.len(),
            "bad_lines": bad,
            "errors": errors,
        }),
    )
}

#[get("/admin/staff/import")]
async fn show_import(
    _user: Authorized<Admins>,
    page: PageCtx,
    config: &rocket::Config,
) -> Template {
    import_page(&page, config, None, &[], None, Status::Ok).1
}

#[derive(FromForm)]
struct ImportForm<'r> {
    file: Option<rocket::data::Capped<TempFile<'r>>>,
}

/// The upload's bytes.
async fn read_upload(file: &TempFile<'_>) -> std::io::Result<Vec<u8>> {
    use rocket::tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    let mut reader = file.open().await?;
    reader.read_to_end(&mut bytes).await?;
    Ok(bytes)
}

#[post("/admin/staff/import", data = "<form>")]
async fn import_file(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    config: &rocket::Config,
    form: Form<ImportForm<'_>>,
) -> Result<Template, AppResultPage> {
    let refuse = |key: &'static str| {
        AppResultPage::Page(import_page(
            &page,
            config,
            None,
            &[],
            Some(key),
            Status::UnprocessableEntity,
        ))
    };
    let Some(file) = form.file.as_ref().filter(|f| !f.is_empty()) else {
        return Err(refuse("error-import-file-required"));
    };
    if !file.is_complete() {
        return Err(refuse("error-import-file-too-large"));
    }
    let bytes = read_upload(file)
        .await
        .map_err(|e| AppResultPage::Error(AppError::internal(e)))?;
    match import_staff(state, &user.actor(), "web", &bytes)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(summary) => Ok(import_page(&page, config, Some(summary), &[], None, Status::Ok).1),
        Err(bad) => Err(AppResultPage::Page(import_page(
            &page,
            config,
            None,
            &bad,
            None,
            Status::UnprocessableEntity,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_employee_reports_every_bad_field() {
        let errors = StaffInput {
            employee_number: "NV 1".into(),
            full_name: " ".into(),
            unit_id: "x".into(),
            position: "p".repeat(201),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(
            errors["employee_number"],
            "error-admin-staff-number-invalid"
        );
        assert_eq!(errors["full_name"], "error-admin-staff-name-required");
        assert_eq!(errors["unit_id"], "error-admin-staff-unit-required");
        assert_eq!(errors["position"], "error-admin-staff-position-long");
    }

    #[test]
    fn a_valid_employee_is_normalised() {
        let (number, fields) = StaffInput {
            employee_number: " hn-0042 ".into(),
            full_name: "  Nguyễn Văn An ".into(),
            unit_id: "7".into(),
            position: "".into(),
        }
        .validate_new()
        .unwrap();
        assert_eq!(number, "HN-0042");
        assert_eq!(fields.full_name, "Nguyễn Văn An");
        assert_eq!(fields.unit_id, 7);
        assert_eq!(fields.position, None);
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_pattern("a%b_c!d"), "%a!%b!_c!!d%");
        assert!(search_condition("  ").is_none());
        assert!(search_condition("nguyễn văn").is_some());
    }
}
