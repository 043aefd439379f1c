//! `/admin/channels`: the intake channels an operator chooses from when entering a caller's
//! report (`public_reporting::intake`), and by which the dashboard counts reports. Each has a
//! stable lower-case snake_case code (fixed once created: reports name their channel by it),
//! a name in both languages and a sort order. `web` is the portal's own form: listed, but never
//! offered to operators. Channels are deactivated, never deleted, through the shared
//! confirmation pages (`admin::switches`, `activation`). Every change is audited.

mod activation;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};
use serde::Serialize;
use serde_json::{json, Value};

use super::unique::CodeField;
use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::report::{required_text, FieldErrors};
use crate::domain::text::{changed_fields, snake_code};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::intake_channel;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

const LIST: &str = "/admin/channels";
const NAME_MAX: usize = 200;
const CODE: CodeField = CodeField {
    field: "code",
    taken: "error-admin-channel-code-taken",
};

pub fn routes() -> Vec<Route> {
    routes![
        list_channels,
        new_channel,
        create_channel,
        edit_channel,
        update_channel
    ]
}

/// A channel as the list, the form heading and the confirmation page show it.
#[derive(Debug, Serialize)]
pub struct ChannelRow {
    id: i32,
    code: String,
    name: String,
    sort_order: i32,
    active: bool,
}

fn channel_view(lang: Lang, c: &intake_channel::Model) -> ChannelRow {
    ChannelRow {
        id: c.id,
        code: c.code.clone(),
        name: lang.pick(&c.name_vi, &c.name_en),
        sort_order: c.sort_order,
        active: c.active,
    }
}

/// The form's fields as typed.
#[derive(Debug, Default, FromForm, Serialize)]
struct ChannelForm {
    code: String,
    name_vi: String,
    name_en: String,
    sort_order: String,
}

/// Names and order, validated.
struct ChannelTexts {
    name_vi: String,
    name_en: String,
    sort_order: i32,
}

impl ChannelForm {
    fn of(c: &intake_channel::Model) -> Self {
        Self {
            code: c.code.clone(),
            name_vi: c.name_vi.clone(),
            name_en: c.name_en.clone(),
            sort_order: c.sort_order.to_string(),
        }
    }

    fn texts(&self, errors: &mut FieldErrors) -> ChannelTexts {
        let keys = ("error-admin-channel-name", "error-admin-channel-name");
        let sort_order = self.sort_order.trim().parse::<i32>().ok();
        let sort_order = sort_order.filter(|n| (0..=9999).contains(n));
        if sort_order.is_none() {
            errors.insert("sort_order", "error-admin-channel-sort");
        }
        ChannelTexts {
            name_vi: required_text(errors, "name_vi", &self.name_vi, NAME_MAX, keys),
            name_en: required_text(errors, "name_en", &self.name_en, NAME_MAX, keys),
            sort_order: sort_order.unwrap_or_default(),
        }
    }

    /// The code and texts of a new channel, or every mistake.
    fn validate_new(&self) -> Result<(String, ChannelTexts), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = snake_code(&self.code, 40)
            .ok()
            .filter(|c| c.len() >= 2)
            .ok_or("error-admin-channel-code");
        let texts = self.texts(&mut errors);
        match code {
            Ok(code) if errors.is_empty() => Ok((code, texts)),
            Ok(_) => Err(errors),
            Err(key) => {
                errors.insert("code", key);
                Err(errors)
            }
        }
    }
}

#[derive(Serialize)]
struct FormView<'a> {
    channel: Option<ChannelRow>,
    form: &'a ChannelForm,
    errors: Value,
}

fn form_page(
    page: &PageCtx,
    channel: Option<&intake_channel::Model>,
    form: &ChannelForm,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        channel: channel.map(|c| channel_view(page.lang, c)),
        form,
        errors: translate(page.lang, errors),
    };
    page.render_status(status, "admin/channels/form", view)
}

async fn find_channel(state: &AppState, id: i32) -> AppResult<intake_channel::Model> {
    intake_channel::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

#[get("/admin/channels")]
async fn list_channels(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let channels = list_view(state, page.lang).await?;
    Ok(page.render("admin/channels/list", channels))
}

/// The channel list page's view.
#[derive(Serialize)]
struct ListView {
    channels: Vec<ChannelRow>,
}

async fn list_view(state: &AppState, lang: Lang) -> AppResult<ListView> {
    let channels = intake_channel::Entity::find()
        .order_by_asc(intake_channel::Column::SortOrder)
        .order_by_asc(intake_channel::Column::Id)
        .all(state.db.conn())
        .await?;
    let channels = channels.iter().map(|c| channel_view(lang, c)).collect();
    Ok(ListView { channels })
}

#[get("/admin/channels/new")]
fn new_channel(_user: Authorized<Admins>, page: PageCtx) -> Template {
    let form = ChannelForm::default();
    form_page(&page, None, &form, &FieldErrors::new(), Status::Ok).1
}

#[post("/admin/channels", data = "<form>")]
async fn create_channel(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<ChannelForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let outcome = match form.validate_new() {
        Ok((code, texts)) => insert_channel(state, &user, code, texts).await,
        Err(errors) => Ok(Err(errors)),
    };
    match outcome.map_err(AppResultPage::Error)? {
        Ok(()) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-channel-created",
        )),
        Err(errors) => {
            let status = Status::UnprocessableEntity;
            Err(AppResultPage::Page(form_page(
                &page, None, &form, &errors, status,
            )))
        }
    }
}

/// Adds an active channel; a taken code is a form error.
async fn insert_channel(
    state: &AppState,
    user: &StaffUser,
    code: String,
    texts: ChannelTexts,
) -> AppResult<Result<(), FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let row = intake_channel::ActiveModel {
        code: Set(code.clone()),
        name_vi: Set(texts.name_vi),
        name_en: Set(texts.name_en),
        sort_order: Set(texts.sort_order),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match CODE.insert(&*tx, row, FieldErrors::new()).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    let entry = Entry {
        actor: &user.actor(),
        action: "intake_channel_created",
        object_type: "intake_channel",
        object_id: Some(row.id.to_string()),
        details: json!({ "code": code }),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(Ok(()))
}

#[get("/admin/channels/<id>/edit")]
async fn edit_channel(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let channel = find_channel(state, id).await?;
    let form = ChannelForm::of(&channel);
    Ok(form_page(
        &page,
        Some(&channel),
        &form,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/channels/<id>/edit", data = "<form>")]
async fn update_channel(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
    form: Form<ChannelForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let channel = find_channel(state, id)
        .await
        .map_err(AppResultPage::Error)?;
    // The code is fixed once created, whatever the form says.
    let form = ChannelForm {
        code: channel.code.clone(),
        ..form.into_inner()
    };
    let mut errors = FieldErrors::new();
    let texts = form.texts(&mut errors);
    if !errors.is_empty() {
        let status = Status::UnprocessableEntity;
        let shown = form_page(&page, Some(&channel), &form, &errors, status);
        return Err(AppResultPage::Page(shown));
    }
    let changed = save_channel(state, &user, channel, texts).await;
    let key = match changed.map_err(AppResultPage::Error)? {
        true => "flash-admin-channel-updated",
        false => "flash-admin-nothing-changed",
    };
    Ok(Flash::success(Redirect::to(LIST), key))
}

/// Saves new names and order; false when nothing differed.
async fn save_channel(
    state: &AppState,
    user: &StaffUser,
    channel: intake_channel::Model,
    texts: ChannelTexts,
) -> AppResult<bool> {
    let changed = changed_fields([
        ("name_vi", channel.name_vi != texts.name_vi),
        ("name_en", channel.name_en != texts.name_en),
        ("sort_order", channel.sort_order != texts.sort_order),
    ]);
    if changed.is_empty() {
        return Ok(false);
    }
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let (id, code) = (channel.id, channel.code.clone());
    let mut active = channel.into_active_model();
    active.name_vi = Set(texts.name_vi);
    active.name_en = Set(texts.name_en);
    active.sort_order = Set(texts.sort_order);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "intake_channel_updated",
        object_type: "intake_channel",
        object_id: Some(id.to_string()),
        details: json!({ "code": code, "changed": changed }),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(true)
}
