//! `/admin/units`: the org-unit tree (EVN → corporations → companies → district units and
//! offices), kept as data so a merger or a renaming is an admin's edit, never a code change.
//!
//! Admins add a unit under an open parent, rename it, move it under another parent and
//! deactivate it (its `active_to` becomes today, its last active day). Units are never deleted:
//! reports and teams keep pointing at them. Invariants: the tree has no cycle
//! ([`creates_cycle`] is checked inside the write transaction), a unit with open children cannot
//! be deactivated, a closed unit takes no new children. Every change is audited in the same
//! transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::culture_code::parse_date;
use crate::domain::report::{clean_text, FieldErrors};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::org_unit;
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_units,
        new_unit,
        create_unit,
        edit_unit,
        update_unit,
        show_move_unit,
        move_unit,
        confirm_deactivate_unit,
        deactivate_unit,
    ]
}

/// Longest unit code.
pub const CODE_MAX: usize = 32;
/// Longest unit name, in either language.
pub const NAME_MAX: usize = 200;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// What level of the organisation a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Group,
    Corporation,
    Company,
    District,
    Office,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Group,
        UnitKind::Corporation,
        UnitKind::Company,
        UnitKind::District,
        UnitKind::Office,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Group => "group",
            UnitKind::Corporation => "corporation",
            UnitKind::Company => "company",
            UnitKind::District => "district",
            UnitKind::Office => "office",
        }
    }

    /// Parses a stored value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            UnitKind::Group => "admin-unit-kind-group",
            UnitKind::Corporation => "admin-unit-kind-corporation",
            UnitKind::Company => "admin-unit-kind-company",
            UnitKind::District => "admin-unit-kind-district",
            UnitKind::Office => "admin-unit-kind-office",
        }
    }
}

/// True when hanging `unit` under `new_parent` would make `unit` its own ancestor, i.e. when
/// `new_parent` is `unit` or one of its descendants. `parent_of` maps every unit to its parent.
/// A tree that already holds a cycle refuses every move into it.
pub fn creates_cycle(parent_of: &HashMap<i32, Option<i32>>, unit: i32, new_parent: i32) -> bool {
    let mut current = Some(new_parent);
    let mut steps = 0;
    while let Some(id) = current {
        if id == unit || steps > parent_of.len() {
            return true;
        }
        steps += 1;
        current = parent_of.get(&id).copied().flatten();
    }
    false
}

/// A unit is closed from its last active day (`active_to`) on; until then it is open.
pub fn is_closed(active_to: Option<NaiveDate>, today: NaiveDate) -> bool {
    active_to.is_some_and(|last| last <= today)
}

/// Upper-cases and checks a unit code: letters A–Z, digits and single inner hyphens, ≤ 32.
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("error-admin-unit-code-required");
    }
    let valid = code.len() <= CODE_MAX
        && code.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        });
    if valid {
        Ok(code)
    } else {
        Err("error-admin-unit-code-invalid")
    }
}

/// The unit form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitInput {
    pub parent_id: String,
    pub kind: String,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub active_from: String,
}

/// Kind and names: what an edit may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitNames {
    pub kind: UnitKind,
    pub name_vi: String,
    pub name_en: String,
}

/// A unit to add, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub parent_id: i32,
    pub code: String,
    pub names: UnitNames,
    pub active_from: NaiveDate,
}

fn name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let text = clean_text(raw);
    if text.is_empty() {
        errors.insert(field, "error-admin-unit-name-required");
    } else if text.chars().count() > NAME_MAX {
        errors.insert(field, "error-admin-unit-name-long");
    }
    text
}

/// Parses a parent id from a `<select>`.
fn parent_id(errors: &mut FieldErrors, raw: &str) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(id) if id > 0 => id,
        _ => {
            errors.insert("parent_id", "error-admin-unit-parent-required");
            0
        }
    }
}

impl UnitInput {
    fn names_into(&self, errors: &mut FieldErrors) -> Option<UnitNames> {
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.insert("kind", "error-admin-unit-kind-invalid");
        }
        let name_vi = name(errors, "name_vi", &self.name_vi);
        let name_en = name(errors, "name_en", &self.name_en);
        kind.map(|kind| UnitNames {
            kind,
            name_vi,
            name_en,
        })
    }

    /// Validates what an edit may change.
    pub fn validate_names(&self) -> Result<UnitNames, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.names_into(&mut errors) {
            Some(names) if errors.is_empty() => Ok(names),
            _ => Err(errors),
        }
    }

    /// Validates a new unit; whether the parent exists and the code is free is checked later,
    /// against the database.
    pub fn validate_new(&self) -> Result<NewUnit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let parent_id = parent_id(&mut errors, &self.parent_id);
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let names = self.names_into(&mut errors);
        let active_from = parse_date(&mut errors, "active_from", &self.active_from);
        match (code, names, active_from) {
            (Some(code), Some(names), Some(active_from)) if errors.is_empty() => Ok(NewUnit {
                parent_id,
                code,
                names,
                active_from,
            }),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// Units in tree order with their depth: roots first, children by code under their parent.
/// Units under a missing parent count as roots; a cycle is never followed twice.
pub fn tree_order(units: &[org_unit::Model]) -> Vec<(&org_unit::Model, usize)> {
    let ids: HashSet<i32> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i32>, Vec<&org_unit::Model>> = HashMap::new();
    for unit in units {
        let parent = unit.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| b.code.cmp(&a.code));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(&org_unit::Model, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        if !seen.insert(unit.id) {
            continue;
        }
        out.push((unit, depth));
        if let Some(kids) = children.get(&Some(unit.id)) {
            stack.extend(kids.iter().map(|kid| (*kid, depth + 1)));
        }
    }
    out
}

fn kind_label(lang: Lang, kind: &str) -> String {
    UnitKind::parse(kind)
        .map(|k| lang.t(k.label_key()))
        .unwrap_or_else(|| kind.to_string())
}

fn status_label(lang: Lang, unit: &org_unit::Model, today: NaiveDate) -> String {
    match (unit.active_from, unit.active_to) {
        (_, Some(last)) if is_closed(Some(last), today) => {
            lang.t_args("admin-unit-status-closed", &[("date", show_date(last))])
        }
        (_, Some(last)) => lang.t_args("admin-unit-status-closing", &[("date", show_date(last))]),
        (Some(from), None) if from > today => {
            lang.t_args("admin-unit-status-upcoming", &[("date", show_date(from))])
        }
        _ => lang.t("admin-unit-status-open"),
    }
}

fn kinds(lang: Lang) -> Vec<Value> {
    UnitKind::ALL
        .iter()
        .map(|k| json!({"value": k.as_str(), "label": lang.t(k.label_key())}))
        .collect()
}

fn unit_name(lang: Lang, unit: &org_unit::Model) -> String {
    lang.pick(&unit.name_vi, &unit.name_en)
}

/// Open units a unit may be placed under, in tree order, minus `exclude` (a unit and its
/// descendants, for a move).
fn parent_options(
    lang: Lang,
    units: &[org_unit::Model],
    today: NaiveDate,
    exclude: &HashSet<i32>,
) -> Vec<Value> {
    tree_order(units)
        .into_iter()
        .filter(|(u, _)| !is_closed(u.active_to, today) && !exclude.contains(&u.id))
        .map(|(u, depth)| {
            json!({
                "id": u.id.to_string(),
                "label": format!("{}{} ({})", "— ".repeat(depth), unit_name(lang, u), u.code),
            })
        })
        .collect()
}

/// `unit` and everything below it.
fn subtree(units: &[org_unit::Model], unit: i32) -> HashSet<i32> {
    let parent_of: HashMap<i32, Option<i32>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    units
        .iter()
        .filter(|u| creates_cycle(&parent_of, unit, u.id))
        .map(|u| u.id)
        .collect()
}

fn unit_view(lang: Lang, unit: &org_unit::Model, today: NaiveDate) -> Value {
    json!({
        "id": unit.id,
        "code": unit.code,
        "kind": kind_label(lang, &unit.kind),
        "name_vi": unit.name_vi,
        "name_en": unit.name_en,
        "name": unit_name(lang, unit),
        "active_from": unit.active_from.map(show_date),
        "status": status_label(lang, unit, today),
        "closed": is_closed(unit.active_to, today),
        "has_parent": unit.parent_id.is_some(),
    })
}

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

async fn all_units(state: &AppState) -> AppResult<Vec<org_unit::Model>> {
    Ok(org_unit::Entity::find().all(state.db.conn()).await?)
}

async fn find_unit(state: &AppState, id: i32) -> AppResult<org_unit::Model> {
    org_unit::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/units")]
async fn list_units(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let today = local_date(state.clock.now());
    let units = all_units(state).await?;
    let rows: Vec<Value> = tree_order(&units)
        .into_iter()
        .map(|(unit, depth)| {
            let mut view = unit_view(page.lang, unit, today);
            view["depth"] = json!(depth.min(8));
            view["level"] = json!(depth + 1);
            view
        })
        .collect();
    Ok(page.render(
        "admin/units/list",
        json!({"units": rows, "count": units.len()}),
    ))
}

#[derive(Debug, Default, FromForm)]
struct UnitForm {
    parent_id: Option<String>,
    kind: Option<String>,
    code: Option<String>,
    name_vi: Option<String>,
    name_en: Option<String>,
    active_from: Option<String>,
}

impl UnitForm {
    fn to_input(&self) -> UnitInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        UnitInput {
            parent_id: text(&self.parent_id),
            kind: text(&self.kind),
            code: text(&self.code),
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
            active_from: text(&self.active_from),
        }
    }
}

fn new_unit_page(
    page: &PageCtx,
    units: &[org_unit::Model],
    today: NaiveDate,
    input: &UnitInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/units/new",
        json!({
            "form": input,
            "errors": translate(page.lang, errors),
            "kinds": kinds(page.lang),
            "parents": parent_options(page.lang, units, today, &HashSet::new()),
        }),
    )
}

#[get("/admin/units/new?<parent>")]
async fn new_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    parent: Option<i32>,
) -> AppResult<Template> {
    let today = local_date(state.clock.now());
    let units = all_units(state).await?;
    let input = UnitInput {
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        active_from: today.format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    Ok(new_unit_page(
        &page,
        &units,
        today,
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/units", data = "<form>")]
async fn create_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<UnitForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    let outcome = match input.validate_new() {
        Ok(new) => insert_unit(state, &user, new)
            .await
            .map_err(AppResultPage::Error)?,
        Err(mut errors) => {
            // Report a taken code along with the other mistakes, not on the next attempt.
            if let Ok(code) = normalise_code(&input.code) {
                if code_taken(state.db.conn(), &code)
                    .await
                    .map_err(AppResultPage::Error)?
                {
                    errors.insert("code", "error-admin-unit-code-taken");
                }
            }
            Err(errors)
        }
    };
    match outcome {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/units"),
            "flash-admin-unit-created",
        )),
        Err(errors) => {
            let units = all_units(state).await.map_err(AppResultPage::Error)?;
            let today = local_date(state.clock.now());
            Err(AppResultPage::Page(new_unit_page(
                &page,
                &units,
                today,
                &input,
                &errors,
                Status::UnprocessableEntity,
            )))
        }
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
        errors.insert("code", "error-admin-unit-code-taken");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let inserted = org_unit::ActiveModel {
        parent_id: Set(Some(new.parent_id)),
        kind: Set(new.names.kind.as_str().to_string()),
        code: Set(new.code.clone()),
        name_vi: Set(new.names.name_vi.clone()),
        name_en: Set(new.names.name_en.clone()),
        active_from: Set(Some(new.active_from)),
        active_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => {
            errors.insert("code", "error-admin-unit-code-taken");
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(row.id))
}

fn edit_unit_page(
    page: &PageCtx,
    unit: &org_unit::Model,
    today: NaiveDate,
    input: &UnitInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/units/edit",
        json!({
            "unit": unit_view(page.lang, unit, today),
            "form": input,
            "errors": translate(page.lang, errors),
            "kinds": kinds(page.lang),
        }),
    )
}

#[get("/admin/units/<id>/edit")]
async fn edit_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let unit = find_unit(state, id).await?;
    let input = UnitInput {
        kind: unit.kind.clone(),
        name_vi: unit.name_vi.clone(),
        name_en: unit.name_en.clone(),
        ..Default::default()
    };
    let today = local_date(state.clock.now());
    Ok(edit_unit_page(&page, &unit, today, &input, &FieldErrors::new(), Status::Ok).1)
}

#[post("/admin/units/<id>/edit", data = "<form>")]
async fn update_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
    form: Form<UnitForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let unit = find_unit(state, id).await.map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match input.validate_names() {
        Ok(names) => {
            let changed = rename_unit(state, &user, id, names)
                .await
                .map_err(AppResultPage::Error)?;
            let key = if changed {
                "flash-admin-unit-updated"
            } else {
                "flash-admin-nothing-changed"
            };
            Ok(Flash::success(Redirect::to("/admin/units"), key))
        }
        Err(errors) => {
            let today = local_date(state.clock.now());
            Err(AppResultPage::Page(edit_unit_page(
                &page,
                &unit,
                today,
                &input,
                &errors,
                Status::UnprocessableEntity,
            )))
        }
    }
}

/// Changes a unit's kind and names; returns false when nothing differed.
async fn rename_unit(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    names: UnitNames,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let unit = org_unit::Entity::find_by_id(id)
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
    if changes.is_empty() {
        return Ok(false);
    }
    let code = unit.code.clone();
    let mut active = unit.into_active_model();
    active.kind = Set(names.kind.as_str().to_string());
    active.name_vi = Set(names.name_vi);
    active.name_en = Set(names.name_en);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(true)
}

fn move_page(
    page: &PageCtx,
    unit: &org_unit::Model,
    units: &[org_unit::Model],
    today: NaiveDate,
    parent_id: &str,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let current_parent = unit
        .parent_id
        .and_then(|p| units.iter().find(|u| u.id == p))
        .map(|p| format!("{} ({})", unit_name(page.lang, p), p.code));
    page.render_status(
        status,
        "admin/units/move",
        json!({
            "unit": unit_view(page.lang, unit, today),
            "current_parent": current_parent,
            "parents": parent_options(page.lang, units, today, &subtree(units, unit.id)),
            "form": {"parent_id": parent_id},
            "errors": translate(page.lang, errors),
        }),
    )
}

#[get("/admin/units/<id>/move")]
async fn show_move_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let units = all_units(state).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)?;
    let today = local_date(state.clock.now());
    let parent = unit.parent_id.map(|p| p.to_string()).unwrap_or_default();
    Ok(move_page(
        &page,
        unit,
        &units,
        today,
        &parent,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[derive(Debug, FromForm)]
struct MoveForm {
    parent_id: Option<String>,
}

#[post("/admin/units/<id>/move", data = "<form>")]
async fn move_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
    form: Form<MoveForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let typed = form.parent_id.clone().unwrap_or_default();
    let mut errors = FieldErrors::new();
    let new_parent = parent_id(&mut errors, &typed);
    if errors.is_empty() {
        errors = match reparent_unit(state, &user, id, new_parent)
            .await
            .map_err(AppResultPage::Error)?
        {
            Ok(()) => {
                return Ok(Flash::success(
                    Redirect::to("/admin/units"),
                    "flash-admin-unit-moved",
                ))
            }
            Err(errors) => errors,
        };
    }
    let units = all_units(state).await.map_err(AppResultPage::Error)?;
    let unit = units
        .iter()
        .find(|u| u.id == id)
        .ok_or(AppResultPage::Error(AppError::NotFound))?;
    let today = local_date(state.clock.now());
    Err(AppResultPage::Page(move_page(
        &page,
        unit,
        &units,
        today,
        &typed,
        &errors,
        Status::UnprocessableEntity,
    )))
}

/// Moves a unit under another open unit that is not inside it.
async fn reparent_unit(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    new_parent: i32,
) -> AppResult<Result<(), FieldErrors>> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let units = org_unit::Entity::find().all(&*tx).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)?
        .clone();
    let parent_of: HashMap<i32, Option<i32>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let refusal = match units.iter().find(|u| u.id == new_parent) {
        None => Some("error-admin-unit-parent-required"),
        Some(_) if unit.parent_id == Some(new_parent) => Some("error-admin-unit-move-same"),
        Some(_) if creates_cycle(&parent_of, id, new_parent) => Some("error-admin-unit-move-cycle"),
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
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(()))
}

/// Why a unit cannot be deactivated.
enum Blocked {
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

fn deactivate_page(
    page: &PageCtx,
    unit: &org_unit::Model,
    today: NaiveDate,
    blocked: Option<&Blocked>,
    status: Status,
) -> (Status, Template) {
    let (already_closed, children) = match blocked {
        Some(Blocked::AlreadyClosed) => (true, Vec::new()),
        Some(Blocked::OpenChildren(children)) => (
            false,
            children
                .iter()
                .map(|c| unit_view(page.lang, c, today))
                .collect(),
        ),
        None => (false, Vec::new()),
    };
    page.render_status(
        status,
        "admin/units/deactivate",
        json!({
            "unit": unit_view(page.lang, unit, today),
            "today": show_date(today),
            "already_closed": already_closed,
            "open_children": children,
            "can_deactivate": blocked.is_none(),
        }),
    )
}

fn blocker(units: &[org_unit::Model], unit: &org_unit::Model, today: NaiveDate) -> Option<Blocked> {
    if is_closed(unit.active_to, today) {
        return Some(Blocked::AlreadyClosed);
    }
    let children = open_children(units, unit.id, today);
    (!children.is_empty()).then_some(Blocked::OpenChildren(children))
}

#[get("/admin/units/<id>/deactivate")]
async fn confirm_deactivate_unit(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let units = all_units(state).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)?;
    let today = local_date(state.clock.now());
    let blocked = blocker(&units, unit, today);
    Ok(deactivate_page(&page, unit, today, blocked.as_ref(), Status::Ok).1)
}

#[post("/admin/units/<id>/deactivate")]
async fn deactivate_unit(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    match close_unit(state, &user, id)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/admin/units"),
            "flash-admin-unit-deactivated",
        )),
        Err((unit, blocked)) => {
            let today = local_date(state.clock.now());
            Err(AppResultPage::Page(deactivate_page(
                &page,
                &unit,
                today,
                Some(&blocked),
                Status::Conflict,
            )))
        }
    }
}

/// Sets a unit's last active day to today, unless it is closed already or has open children.
async fn close_unit(
    state: &AppState,
    user: &StaffUser,
    id: i32,
) -> AppResult<Result<(), (org_unit::Model, Blocked)>> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let units = org_unit::Entity::find().all(&*tx).await?;
    let unit = units
        .iter()
        .find(|u| u.id == id)
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
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> HashMap<i32, Option<i32>> {
        // 1 ─┬─ 2 ── 4 ── 5
        //    └─ 3
        HashMap::from([
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(2)),
            (5, Some(4)),
        ])
    }

    #[test]
    fn a_unit_cannot_move_under_itself() {
        assert!(creates_cycle(&tree(), 2, 2));
    }

    #[test]
    fn a_unit_cannot_move_under_a_descendant() {
        assert!(creates_cycle(&tree(), 2, 4));
        assert!(creates_cycle(&tree(), 2, 5));
        assert!(creates_cycle(&tree(), 1, 3));
    }

    #[test]
    fn a_unit_may_move_under_a_sibling_or_an_ancestor() {
        assert!(!creates_cycle(&tree(), 4, 3));
        assert!(!creates_cycle(&tree(), 5, 1));
        assert!(!creates_cycle(&tree(), 3, 5));
    }

    #[test]
    fn a_tree_that_already_loops_refuses_moves_into_the_loop() {
        let looped = HashMap::from([(1, Some(2)), (2, Some(1)), (3, None)]);
        assert!(creates_cycle(&looped, 3, 1));
    }

    #[test]
    fn unit_codes_are_upper_cased_and_checked() {
        assert_eq!(normalise_code(" pc-hn01 "), Ok("PC-HN01".to_string()));
        assert_eq!(normalise_code(""), Err("error-admin-unit-code-required"));
        for bad in ["PC HN", "PC--HN", "-PC", "PC-", "ĐLHN", "PC_HN"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-unit-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"A".repeat(32)).is_ok());
        assert!(normalise_code(&"A".repeat(33)).is_err());
    }

    #[test]
    fn a_unit_is_closed_from_its_last_active_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(!is_closed(None, today));
        assert!(is_closed(Some(today), today));
        assert!(is_closed(today.pred_opt(), today));
        assert!(!is_closed(today.succ_opt(), today));
    }

    #[test]
    fn a_new_unit_reports_every_bad_field() {
        let errors = UnitInput {
            parent_id: "x".into(),
            kind: "province".into(),
            code: "a b".into(),
            name_vi: " ".into(),
            name_en: "n".repeat(201),
            active_from: "".into(),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(errors["parent_id"], "error-admin-unit-parent-required");
        assert_eq!(errors["kind"], "error-admin-unit-kind-invalid");
        assert_eq!(errors["code"], "error-admin-unit-code-invalid");
        assert_eq!(errors["name_vi"], "error-admin-unit-name-required");
        assert_eq!(errors["name_en"], "error-admin-unit-name-long");
        assert_eq!(errors["active_from"], "error-admin-date-required");
    }

    #[test]
    fn a_valid_new_unit_is_accepted() {
        let unit = UnitInput {
            parent_id: "7".into(),
            kind: "office".into(),
            code: "pchp-pgdtest".into(),
            name_vi: "Phòng giao dịch Thử".into(),
            name_en: "Test office".into(),
            active_from: "2026-12-01".into(),
        }
        .validate_new()
        .unwrap();
        assert_eq!(unit.parent_id, 7);
        assert_eq!(unit.code, "PCHP-PGDTEST");
        assert_eq!(unit.names.kind, UnitKind::Office);
    }

    fn model(id: i32, parent: Option<i32>, code: &str) -> org_unit::Model {
        let at = chrono::DateTime::<chrono::Utc>::default();
        org_unit::Model {
            id,
            parent_id: parent,
            kind: "company".into(),
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            active_from: None,
            active_to: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_tree_lists_children_under_their_parent_by_code() {
        let units = vec![
            model(3, Some(1), "B"),
            model(1, None, "ROOT"),
            model(2, Some(1), "A"),
            model(4, Some(2), "A1"),
        ];
        let order: Vec<(i32, usize)> = tree_order(&units)
            .into_iter()
            .map(|(u, d)| (u.id, d))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (4, 2), (3, 1)]);
    }
}
