//! `/admin/canned-replies`: reply templates inspectors insert into a message to the reporter on
//! the case page (which offers the active ones, by code). Each has a stable lower-case
//! snake_case code (fixed once created), a title and a body in both languages. Replies are
//! deactivated, never deleted; deactivation and reactivation each go through a confirmation
//! page. Every change is audited.

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

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::report::{clean_text, FieldErrors};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::canned_reply;
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_replies,
        new_reply,
        create_reply,
        edit_reply,
        update_reply,
        confirm_deactivate_reply,
        deactivate_reply,
        confirm_reactivate_reply,
        reactivate_reply,
    ]
}

/// Longest code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest title, in either language.
pub const TITLE_MAX: usize = 200;
/// Longest body, in either language: what a message to the reporter may hold.
pub const BODY_MAX: usize = 5000;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// Lower-cases and checks a code: snake_case, starting with a letter, ≤ 40.
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err("error-admin-canned-code-required");
    }
    let valid = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.len() <= CODE_MAX
        && code.split('_').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if valid {
        Ok(code)
    } else {
        Err("error-admin-canned-code-invalid")
    }
}

/// The reply form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReplyInput {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
}

/// Titles and bodies, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTexts {
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
}

fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    max: usize,
    keys: (&'static str, &'static str),
) -> String {
    let text = clean_text(raw);
    if text.is_empty() {
        errors.insert(field, keys.0);
    } else if text.chars().count() > max {
        errors.insert(field, keys.1);
    }
    text
}

impl ReplyInput {
    fn texts_into(&self, errors: &mut FieldErrors) -> ReplyTexts {
        let title = (
            "error-admin-canned-title-required",
            "error-admin-canned-title-long",
        );
        let body = (
            "error-admin-canned-body-required",
            "error-admin-canned-body-long",
        );
        ReplyTexts {
            title_vi: text(errors, "title_vi", &self.title_vi, TITLE_MAX, title),
            title_en: text(errors, "title_en", &self.title_en, TITLE_MAX, title),
            body_vi: text(errors, "body_vi", &self.body_vi, BODY_MAX, body),
            body_en: text(errors, "body_en", &self.body_en, BODY_MAX, body),
        }
    }

    /// Validates an edit: every field but the code.
    pub fn validate_texts(&self) -> Result<ReplyTexts, FieldErrors> {
        let mut errors = FieldErrors::new();
        let texts = self.texts_into(&mut errors);
        if errors.is_empty() {
            Ok(texts)
        } else {
            Err(errors)
        }
    }

    /// Validates a new reply; whether the code is free is checked against the database.
    pub fn validate_new(&self) -> Result<(String, ReplyTexts), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let texts = self.texts_into(&mut errors);
        match code {
            Some(code) if errors.is_empty() => Ok((code, texts)),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Views and data access
// ---------------------------------------------------------------------------------------------

fn reply_view(lang: Lang, reply: &canned_reply::Model) -> Value {
    json!({
        "id": reply.id,
        "code": reply.code,
        "title": lang.pick(&reply.title_vi, &reply.title_en),
        "active": reply.active,
    })
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

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(canned_reply::Entity::find()
        .filter(canned_reply::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

async fn find_reply(state: &AppState, id: i32) -> AppResult<canned_reply::Model> {
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
    page.render_status(
        status,
        "admin/canned_replies/form",
        json!({
            "reply": reply.map(|r| reply_view(page.lang, r)),
            "form": input,
            "errors": translate(page.lang, errors),
        }),
    )
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
    let rows: Vec<Value> = replies.iter().map(|r| reply_view(page.lang, r)).collect();
    Ok(page.render("admin/canned_replies/list", json!({"replies": rows})))
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
    let outcome = match input.validate_new() {
        Ok((code, texts)) => insert_reply(state, &user, code, texts)
            .await
            .map_err(AppResultPage::Error)?,
        Err(mut errors) => {
            // Report a taken code along with the other mistakes, not on the next attempt.
            if let Ok(code) = normalise_code(&input.code) {
                if code_taken(state.db.conn(), &code)
                    .await
                    .map_err(AppResultPage::Error)?
                {
                    errors.insert("code", "error-admin-canned-code-taken");
                }
            }
            Err(errors)
        }
    };
    match outcome {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/canned-replies"),
            "flash-admin-canned-created",
        )),
        Err(errors) => Err(AppResultPage::Page(form_page(
            &page,
            None,
            &input,
            &errors,
            Status::UnprocessableEntity,
        ))),
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
    let taken = FieldErrors::from([("code", "error-admin-canned-code-taken")]);
    if code_taken(&*tx, &code).await? {
        return Ok(Err(taken));
    }
    let inserted = canned_reply::ActiveModel {
        code: Set(code.clone()),
        title_vi: Set(texts.title_vi),
        title_en: Set(texts.title_en),
        body_vi: Set(texts.body_vi),
        body_en: Set(texts.body_en),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => return Ok(Err(taken)),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Ok(row.id))
}

#[get("/admin/canned-replies/<id>/edit")]
async fn edit_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let reply = find_reply(state, id).await?;
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
    id: i32,
    form: Form<ReplyForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let reply = find_reply(state, id).await.map_err(AppResultPage::Error)?;
    let mut input = form.to_input();
    input.code = reply.code.clone();
    match input.validate_texts() {
        Ok(texts) => {
            let changed = save_reply(state, &user, id, texts)
                .await
                .map_err(AppResultPage::Error)?;
            let key = if changed {
                "flash-admin-canned-updated"
            } else {
                "flash-admin-nothing-changed"
            };
            Ok(Flash::success(Redirect::to("/admin/canned-replies"), key))
        }
        Err(errors) => Err(AppResultPage::Page(form_page(
            &page,
            Some(&reply),
            &input,
            &errors,
            Status::UnprocessableEntity,
        ))),
    }
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
    let changed: Vec<&str> = [
        ("title_vi", reply.title_vi != texts.title_vi),
        ("title_en", reply.title_en != texts.title_en),
        ("body_vi", reply.body_vi != texts.body_vi),
        ("body_en", reply.body_en != texts.body_en),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
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
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(true)
}

fn confirm_page(
    page: &PageCtx,
    reply: &canned_reply::Model,
    activate: bool,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/canned_replies/confirm",
        json!({
            "reply": reply_view(page.lang, reply),
            "activate": activate,
            "already": reply.active == activate,
        }),
    )
}

#[get("/admin/canned-replies/<id>/deactivate")]
async fn confirm_deactivate_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let reply = find_reply(state, id).await?;
    Ok(confirm_page(&page, &reply, false, Status::Ok).1)
}

#[post("/admin/canned-replies/<id>/deactivate")]
async fn deactivate_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<canned_reply::Model>(
        state,
        &page,
        &user.actor(),
        id,
        false,
        &SWITCHED,
        confirm_page,
    )
    .await
}

#[get("/admin/canned-replies/<id>/reactivate")]
async fn confirm_reactivate_reply(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let reply = find_reply(state, id).await?;
    Ok(confirm_page(&page, &reply, true, Status::Ok).1)
}

#[post("/admin/canned-replies/<id>/reactivate")]
async fn reactivate_reply(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<canned_reply::Model>(
        state,
        &page,
        &user.actor(),
        id,
        true,
        &SWITCHED,
        confirm_page,
    )
    .await
}

const SWITCHED: crate::web::switch::Outcome = crate::web::switch::Outcome {
    list: "/admin/canned-replies",
    deactivated: "flash-admin-canned-deactivated",
    reactivated: "flash-admin-canned-reactivated",
};

crate::switchable!(
    canned_reply,
    "canned_reply",
    "canned_reply_deactivated",
    "canned_reply_reactivated",
    |reply| json!({"code": reply.code})
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_are_lower_snake_case() {
        assert_eq!(
            normalise_code(" Ask_More_Details "),
            Ok("ask_more_details".to_string())
        );
        assert_eq!(normalise_code(""), Err("error-admin-canned-code-required"));
        for bad in ["2x", "_x", "x_", "x__y", "x-y", "x y", "đ"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-canned-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"a".repeat(40)).is_ok());
        assert!(normalise_code(&"a".repeat(41)).is_err());
    }

    #[test]
    fn every_bad_reply_field_is_reported() {
        let errors = ReplyInput {
            code: "x-y".into(),
            title_vi: "".into(),
            title_en: "t".repeat(201),
            body_vi: " ".into(),
            body_en: "b".repeat(5001),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(errors["code"], "error-admin-canned-code-invalid");
        assert_eq!(errors["title_vi"], "error-admin-canned-title-required");
        assert_eq!(errors["title_en"], "error-admin-canned-title-long");
        assert_eq!(errors["body_vi"], "error-admin-canned-body-required");
        assert_eq!(errors["body_en"], "error-admin-canned-body-long");
    }
}
