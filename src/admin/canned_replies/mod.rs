//! `/admin/canned-replies`: reply templates inspectors insert into a message to the reporter on
//! the case page (which offers the active ones, by code). Each has a stable lower-case
//! snake_case code (fixed once created), a title and a body in both languages. Replies are
//! deactivated, never deleted; deactivation and reactivation each go through a confirmation
//! page (`activation`). Every change is audited. The form's rules are in `rules`.

mod activation;
mod rules;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use serde_json::{json, Value};

use super::unique::CodeField;
use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::ids::ReplyId;
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::canned_reply;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

use crate::domain::text::changed_fields;
pub use rules::{normalise_code, ReplyInput, ReplyTexts, BODY_MAX, CODE_MAX, TITLE_MAX};

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_replies,
        new_reply,
        create_reply,
        edit_reply,
        update_reply
    ]
}

// ---------------------------------------------------------------------------------------------
// Views and data access
// ---------------------------------------------------------------------------------------------

/// A reply as the list, the form heading and the confirmation page show it.
#[derive(Debug, Serialize)]
pub struct ReplyRow {
    id: i32,
    code: String,
    /// The title in the page's language.
    title: String,
    active: bool,
}

pub(super) fn reply_view(lang: Lang, reply: &canned_reply::Model) -> ReplyRow {
    ReplyRow {
        id: reply.id,
        code: reply.code.clone(),
        title: lang.pick(&reply.title_vi, &reply.title_en),
        active: reply.active,
    }
}

/// `admin/canned_replies/list`.
#[derive(Debug, Serialize)]
struct ListView {
    replies: Vec<ReplyRow>,
}

/// `admin/canned_replies/form`: create (no `reply`) or edit.
#[derive(Debug, Serialize)]
struct FormView<'a> {
    reply: Option<ReplyRow>,
    form: &'a ReplyInput,
    /// Field → message in the page's language.
    errors: Value,
}

fn input_of(reply: &canned_reply::Model) -> ReplyInput {
    ReplyInput {
        code: reply.code.clone(),
        title_vi: reply.title_vi.clone(),
        title_en: reply.title_en.clone(),
        body_vi: reply.body_vi.clone(),
        body_en: reply.body_en.clone(),
    }
}

const CODE: CodeField = CodeField {
    field: "code",
    taken: "error-admin-canned-code-taken",
};

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(canned_reply::Entity::find()
        .filter(canned_reply::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

pub(super) async fn find_reply(state: &AppState, id: i32) -> AppResult<canned_reply::Model> {
    canned_reply::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

/// The create or edit form; `reply` is the one being edited.
fn form_page(
    page: &PageCtx,
    reply: Option<&canned_reply::Model>,
    input: &ReplyInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        reply: reply.map(|r| reply_view(page.lang, r)),
        form: input,
        errors: translate(page.lang, errors),
    };
    page.render_status(status, "admin/canned_replies/form", view)
}

/// The form again with the mistakes to correct (422).
fn form_again(
    page: &PageCtx,
    reply: Option<&canned_reply::Model>,
    input: &ReplyInput,
    errors: &FieldErrors,
) -> AppResultPage {
    let status = Status::UnprocessableEntity;
    AppResultPage::Page(form_page(page, reply, input, errors, status))
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/canned-replies")]
async fn list_replies(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let replies = canned_reply::Entity::find()
        .order_by_asc(canned_reply::Column::Code)
        .all(state.db.conn())
        .await?;
    let view = ListView {
        replies: replies.iter().map(|r| reply_view(page.lang, r)).collect(),
    };
    Ok(page.render("admin/canned_replies/list", view))
}

#[derive(Debug, Default, FromForm)]
struct ReplyForm {
    code: Option<String>,
    title_vi: Option<String>,
    title_en: Option<String>,
    body_vi: Option<String>,
    body_en: Option<String>,
}

impl ReplyForm {
    fn to_input(&self) -> ReplyInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        ReplyInput {
            code: text(&self.code),
            title_vi: text(&self.title_vi),
            title_en: text(&self.title_en),
            body_vi: text(&self.body_vi),
            body_en: text(&self.body_en),
        }
    }
}

#[get("/admin/canned-replies/new")]
async fn new_reply(_user: Authorized<Admins>, page: PageCtx) -> Template {
    form_page(
        &page,
        None,
        &ReplyInput::default(),
        &FieldErrors::new(),
        Status::Ok,
    )
    .1
}

#[post("/admin/canned-replies", data = "<form>")]
async fn create_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<ReplyForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match create(state, &user, &input)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/canned-replies"),
            "flash-admin-canned-created",
        )),
        Err(errors) => Err(form_again(&page, None, &input, &errors)),
    }
}

/// Validates a new reply and adds it; otherwise every mistake of the form, a taken code among
/// them.
async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &ReplyInput,
) -> AppResult<Result<i32, FieldErrors>> {
    let conn = state.db.conn();
    let code = normalise_code(&input.code).ok();
    let checked = CODE
        .with_taken(input.validate_new(), code, async |c| {
            code_taken(conn, c).await
        })
        .await?;
    match checked {
        Ok((code, texts)) => insert_reply(state, user, code, texts).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Adds an active reply with a free code.
async fn insert_reply(
    state: &AppState,
    user: &StaffUser,
    code: String,
    texts: ReplyTexts,
) -> AppResult<Result<i32, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if code_taken(&*tx, &code).await? {
        return Ok(Err(FieldErrors::from([(CODE.field, CODE.taken)])));
    }
    let row = canned_reply::ActiveModel {
        code: Set(code.clone()),
        title_vi: Set(texts.title_vi),
        title_en: Set(texts.title_en),
        body_vi: Set(texts.body_vi),
        body_en: Set(texts.body_en),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match CODE.insert(&*tx, row, FieldErrors::new()).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "canned_reply_created",
            object_type: "canned_reply",
            object_id: Some(row.id.to_string()),
            details: json!({"code": code}),
        },
    )
    .await?;
    Ok(Ok(row.id))
}

#[get("/admin/canned-replies/<id>/edit")]
async fn edit_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: ReplyId,
) -> AppResult<Template> {
    let reply = find_reply(state, id.0).await?;
    Ok(form_page(
        &page,
        Some(&reply),
        &input_of(&reply),
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/canned-replies/<id>/edit", data = "<form>")]
async fn update_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: ReplyId,
    form: Form<ReplyForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let reply = find_reply(state, id.0)
        .await
        .map_err(AppResultPage::Error)?;
    // The code is fixed once created, whatever the form says.
    let input = ReplyInput {
        code: reply.code.clone(),
        ..form.to_input()
    };
    match input.validate_texts() {
        Ok(texts) => save_reply(state, &user, id.0, texts)
            .await
            .map(after_update)
            .map_err(AppResultPage::Error),
        Err(errors) => Err(form_again(&page, Some(&reply), &input, &errors)),
    }
}

/// Back to the list after an edit, saying whether anything was saved.
fn after_update(changed: bool) -> Flash<Redirect> {
    let key = if changed {
        "flash-admin-canned-updated"
    } else {
        "flash-admin-nothing-changed"
    };
    Flash::success(Redirect::to("/admin/canned-replies"), key)
}

/// Saves new titles and bodies; returns false when nothing differed.
async fn save_reply(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    texts: ReplyTexts,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let reply = canned_reply::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let changed = changed_fields([
        ("title_vi", reply.title_vi != texts.title_vi),
        ("title_en", reply.title_en != texts.title_en),
        ("body_vi", reply.body_vi != texts.body_vi),
        ("body_en", reply.body_en != texts.body_en),
    ]);
    if changed.is_empty() {
        return Ok(false);
    }
    let code = reply.code.clone();
    let mut active = reply.into_active_model();
    active.title_vi = Set(texts.title_vi);
    active.title_en = Set(texts.title_en);
    active.body_vi = Set(texts.body_vi);
    active.body_en = Set(texts.body_en);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "canned_reply_updated",
            object_type: "canned_reply",
            object_id: Some(id.to_string()),
            details: json!({"code": code, "changed": changed}),
        },
    )
    .await?;
    Ok(true)
}
