//! `/admin/measures`: the internal, non-disciplinary measures a decision may apply instead of
//! a Labour Code form (nhắc nhở, phê bình, đào tạo lại…; seeded by the
//! migration). An internal measure is never a fine, a pay cut or a disguised sanction (Labour
//! Code Art. 127(2)): the page says so, names with money or pay wording are refused, and the two
//! risky seeded measures were deactivated with the reason in their description. Admins add, rename and reorder them, and deactivate or reactivate them through
//! a confirmation page; a measure is never deleted, so old decisions keep its name. The code
//! is fixed once created. Every change is audited. The form's validation is in [`input`].

pub mod input;

pub use input::{normalise_code, MeasureFields, MeasureInput, CODE_MAX, NAME_MAX, SORT_MAX};

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    SqlErr,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::ids::MeasureId;
use crate::domain::report::FieldErrors;
use crate::domain::text::changed_fields;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::internal_measure;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;

/// The `/admin/measures` routes.
pub fn routes() -> Vec<Route> {
    routes![
        list_measures,
        new_measure,
        create_measure,
        edit_measure,
        update_measure,
    ]
}

#[derive(Debug, Default, FromForm)]
struct MeasureForm {
    code: Option<String>,
    name_vi: Option<String>,
    name_en: Option<String>,
    sort_order: Option<String>,
}

impl MeasureForm {
    fn to_input(&self) -> MeasureInput {
        let text = |f: &Option<String>| f.clone().unwrap_or_default();
        MeasureInput {
            code: text(&self.code),
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
            sort_order: text(&self.sort_order),
        }
    }
}

/// One internal measure as the admin pages show it.
#[derive(Debug, Serialize)]
pub struct MeasureView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_vi: String,
    pub name_en: String,
    pub sort_order: i32,
    pub active: bool,
    /// What it is, or why it was deactivated, in the reader's language.
    pub description: Option<String>,
}

fn measure_view(lang: Lang, m: &internal_measure::Model) -> MeasureView {
    MeasureView {
        id: m.id,
        code: m.code.clone(),
        name: lang.pick(&m.name_vi, &m.name_en),
        name_vi: m.name_vi.clone(),
        name_en: m.name_en.clone(),
        sort_order: m.sort_order,
        active: m.active,
        description: match (&m.description_vi, &m.description_en) {
            (None, None) => None,
            (vi, en) => Some(lang.pick(
                vi.as_deref().unwrap_or_default(),
                en.as_deref().unwrap_or_default(),
            ))
            .filter(|d| !d.is_empty()),
        },
    }
}

/// `admin/measures/list`.
#[derive(Debug, Serialize)]
pub struct MeasureListView {
    pub measures: Vec<MeasureView>,
}

impl MeasureListView {
    /// Every measure, active or not, by sort order then code.
    pub async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        let measures = internal_measure::Entity::find()
            .order_by_asc(internal_measure::Column::SortOrder)
            .order_by_asc(internal_measure::Column::Code)
            .all(state.db.conn())
            .await?
            .iter()
            .map(|m| measure_view(lang, m))
            .collect();
        Ok(Self { measures })
    }
}

/// `admin/measures/form`: a new measure (no `measure`) or an edit.
#[derive(Debug, Serialize)]
pub struct MeasureFormView {
    pub measure: Option<MeasureView>,
    pub form: MeasureInput,
    pub errors: Value,
}

impl MeasureFormView {
    fn build(
        lang: Lang,
        measure: Option<&internal_measure::Model>,
        input: MeasureInput,
        errors: &FieldErrors,
    ) -> Self {
        Self {
            measure: measure.map(|m| measure_view(lang, m)),
            form: input,
            errors: translate(lang, errors),
        }
    }

    /// A blank form, sorted after the last measure.
    async fn blank(state: &AppState, lang: Lang) -> AppResult<Self> {
        let next = internal_measure::Entity::find()
            .order_by_desc(internal_measure::Column::SortOrder)
            .one(state.db.conn())
            .await?
            .map(|m| m.sort_order.saturating_add(10).min(SORT_MAX))
            .unwrap_or(10);
        let input = MeasureInput {
            sort_order: next.to_string(),
            ..Default::default()
        };
        Ok(Self::build(lang, None, input, &FieldErrors::new()))
    }

    /// The form of an existing measure.
    async fn edit(state: &AppState, lang: Lang, id: MeasureId) -> AppResult<Self> {
        let m = find_measure(state, id.0).await?;
        let input = MeasureInput {
            code: m.code.clone(),
            name_vi: m.name_vi.clone(),
            name_en: m.name_en.clone(),
            sort_order: m.sort_order.to_string(),
        };
        Ok(Self::build(lang, Some(&m), input, &FieldErrors::new()))
    }
}

/// The form again (422) with what was typed and what is wrong.
fn form_refused(
    page: &PageCtx,
    measure: Option<&internal_measure::Model>,
    input: MeasureInput,
    errors: &FieldErrors,
) -> AppResultPage {
    let view = MeasureFormView::build(page.lang, measure, input, errors);
    AppResultPage::Page(page.render_status(
        Status::UnprocessableEntity,
        "admin/measures/form",
        view,
    ))
}

async fn find_measure(state: &AppState, id: i32) -> AppResult<internal_measure::Model> {
    internal_measure::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

#[get("/admin/measures")]
async fn list_measures(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = MeasureListView::load(state, page.lang).await?;
    Ok(page.render("admin/measures/list", view))
}

#[get("/admin/measures/new")]
async fn new_measure(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = MeasureFormView::blank(state, page.lang).await?;
    Ok(page.render("admin/measures/form", view))
}

#[post("/admin/measures", data = "<form>")]
async fn create_measure(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<MeasureForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match create(state, &user, &input).await {
        Ok(Ok(())) => Ok(Flash::success(
            Redirect::to("/admin/measures"),
            "flash-discipline-measure-created",
        )),
        Ok(Err(errors)) => Err(form_refused(&page, None, input, &errors)),
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

/// Validates and stores a new measure; the problems when the form must be corrected.
async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &MeasureInput,
) -> AppResult<Result<(), FieldErrors>> {
    match input.validate_new() {
        Ok((code, fields)) => insert_measure(state, user, code, fields).await,
        Err(errors) => Ok(Err(errors)),
    }
}

async fn insert_measure(
    state: &AppState,
    user: &StaffUser,
    code: String,
    fields: MeasureFields,
) -> AppResult<Result<(), FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let taken = FieldErrors::from([("code", "error-discipline-measure-code-taken")]);
    let exists = internal_measure::Entity::find()
        .filter(internal_measure::Column::Code.eq(code.as_str()))
        .one(&*tx)
        .await?
        .is_some();
    if exists {
        return Ok(Err(taken));
    }
    let inserted = internal_measure::ActiveModel {
        code: Set(code.clone()),
        name_vi: Set(fields.name_vi),
        name_en: Set(fields.name_en),
        sort_order: Set(fields.sort_order),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Err(taken))
        }
        Err(e) => return Err(e.into()),
    };
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "internal_measure_created",
            object_type: "internal_measure",
            object_id: Some(row.id.to_string()),
            details: json!({"code": code, "sort_order": row.sort_order}),
        },
    )
    .await?;
    Ok(Ok(()))
}

#[get("/admin/measures/<id>/edit")]
async fn edit_measure(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: MeasureId,
) -> AppResult<Template> {
    let view = MeasureFormView::edit(state, page.lang, id).await?;
    Ok(page.render("admin/measures/form", view))
}

#[post("/admin/measures/<id>/edit", data = "<form>")]
async fn update_measure(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: MeasureId,
    form: Form<MeasureForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let m = find_measure(state, id.0)
        .await
        .map_err(AppResultPage::Error)?;
    let mut input = form.to_input();
    input.code = m.code.clone();
    match update(state, &user, id, &input).await {
        Ok(Ok(changed)) => Ok(Flash::success(
            Redirect::to("/admin/measures"),
            if changed {
                "flash-discipline-measure-updated"
            } else {
                "flash-admin-nothing-changed"
            },
        )),
        Ok(Err(errors)) => Err(form_refused(&page, Some(&m), input, &errors)),
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

/// Validates and saves an edit: whether anything changed, or the problems to correct.
async fn update(
    state: &AppState,
    user: &StaffUser,
    id: MeasureId,
    input: &MeasureInput,
) -> AppResult<Result<bool, FieldErrors>> {
    match input.validate_fields() {
        Ok(fields) => Ok(Ok(save_measure(state, user, id.0, fields).await?)),
        Err(errors) => Ok(Err(errors)),
    }
}

/// Saves an edit; false when nothing differed.
async fn save_measure(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    fields: MeasureFields,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let m = internal_measure::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let changed = changed_fields([
        ("name_vi", m.name_vi != fields.name_vi),
        ("name_en", m.name_en != fields.name_en),
        ("sort_order", m.sort_order != fields.sort_order),
    ]);
    if changed.is_empty() {
        return Ok(false);
    }
    let details = json!({
        "code": m.code,
        "changed": changed,
        "name_vi_before": m.name_vi,
        "name_vi": fields.name_vi,
    });
    let mut active = m.into_active_model();
    active.name_vi = Set(fields.name_vi);
    active.name_en = Set(fields.name_en);
    active.sort_order = Set(fields.sort_order);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "internal_measure_updated",
            object_type: "internal_measure",
            object_id: Some(id.to_string()),
            details,
        },
    )
    .await?;
    Ok(true)
}

// Deactivate, reactivate: served by `admin::switches`.
impl SwitchPage for internal_measure::Model {
    const LIST: &'static str = "/admin/measures";
    const FLASH_DEACTIVATED: &'static str = "flash-discipline-measure-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-discipline-measure-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/measures/confirm";
    type Shown = MeasureView;

    async fn shown(&self, _state: &AppState, lang: Lang) -> AppResult<MeasureView> {
        Ok(measure_view(lang, self))
    }
}

crate::switchable!(
    internal_measure,
    "internal_measure",
    "internal_measure_deactivated",
    "internal_measure_reactivated",
    |measure| json!({"code": measure.code})
);
