//! `/admin/articles`: the versioned culture code (Bộ quy tắc ứng xử). Chapters hold articles;
//! an article has a stable key (`UXKH-03`, what categories cite) and versions. Admins read the
//! latest version of each article per chapter, an article's version history, add an article to
//! a chapter (version 1) and edit one, which adds the next version starting on a date later
//! than the current latest and closes the latest the day before. No version is ever rewritten
//! otherwise, so a report judged under an old wording keeps it. Rules live in
//! [`crate::domain::culture_code`]; every change is audited.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::culture_code::{
    close_previous, is_valid_key, suggested_key, version_in_force, ArticleInput, ArticleText,
    Versioned,
};
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    category_article, culture_article, culture_chapter, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_articles,
        show_article,
        edit_article,
        version_article,
        new_article,
        create_article,
    ]
}

impl Versioned for culture_article::Model {
    fn version(&self) -> i32 {
        self.version
    }
    fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }
    fn effective_to(&self) -> Option<NaiveDate> {
        self.effective_to
    }
}

/// The wording of a stored version, for comparison with an edit.
fn wording_of(v: &culture_article::Model) -> ArticleText {
    ArticleText {
        number: v.number,
        title_vi: v.title_vi.clone(),
        title_en: v.title_en.clone(),
        text_vi: v.text_vi.clone(),
        text_en: v.text_en.clone(),
        effective_from: v.effective_from,
    }
}

/// A stored version as the edit form's starting values, with a new start date.
fn input_of(v: &culture_article::Model, effective_from: NaiveDate) -> ArticleInput {
    ArticleInput {
        number: v.number.to_string(),
        title_vi: v.title_vi.clone(),
        title_en: v.title_en.clone(),
        text_vi: v.text_vi.clone(),
        text_en: v.text_en.clone(),
        effective_from: effective_from.format("%Y-%m-%d").to_string(),
    }
}

/// Every version of `key`, newest first.
async fn versions_of<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> AppResult<Vec<culture_article::Model>> {
    Ok(culture_article::Entity::find()
        .filter(culture_article::Column::ArticleKey.eq(key))
        .order_by_desc(culture_article::Column::Version)
        .all(conn)
        .await?)
}

async fn find_chapter(state: &AppState, id: i32) -> AppResult<culture_chapter::Model> {
    culture_chapter::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

fn chapter_view(lang: Lang, chapter: &culture_chapter::Model) -> Value {
    json!({
        "id": chapter.id,
        "code": chapter.code,
        "title": lang.pick(&chapter.title_vi, &chapter.title_en),
        "illustrative": chapter.illustrative,
    })
}

fn version_view(lang: Lang, v: &culture_article::Model) -> Value {
    json!({
        "key": v.article_key,
        "version": v.version,
        "number": v.number,
        "title": lang.pick(&v.title_vi, &v.title_en),
        "title_vi": v.title_vi,
        "title_en": v.title_en,
        "text": lang.pick(&v.text_vi, &v.text_en),
        "effective_from": show_date(v.effective_from),
        "effective_to": v.effective_to.map(show_date),
    })
}

/// The first day a new version may start: the day after the latest starts, or today if later.
fn earliest_next(latest: &culture_article::Model, today: NaiveDate) -> NaiveDate {
    latest
        .effective_from
        .succ_opt()
        .map_or(today, |next| next.max(today))
}

#[get("/admin/articles")]
async fn list_articles(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let chapters = culture_chapter::Entity::find()
        .order_by_asc(culture_chapter::Column::Code)
        .all(conn)
        .await?;
    let mut latest: BTreeMap<String, culture_article::Model> = BTreeMap::new();
    for version in culture_article::Entity::find().all(conn).await? {
        if latest
            .get(&version.article_key)
            .is_none_or(|seen| seen.version < version.version)
        {
            latest.insert(version.article_key.clone(), version);
        }
    }
    let chapters: Vec<Value> = chapters
        .iter()
        .map(|chapter| {
            let mut articles: Vec<&culture_article::Model> = latest
                .values()
                .filter(|a| a.chapter_id == chapter.id)
                .collect();
            articles.sort_by(|a, b| (a.number, &a.article_key).cmp(&(b.number, &b.article_key)));
            let mut view = chapter_view(page.lang, chapter);
            view["articles"] = articles
                .into_iter()
                .map(|a| version_view(page.lang, a))
                .collect();
            view
        })
        .collect();
    Ok(page.render("admin/articles/list", json!({"chapters": chapters})))
}

#[get("/admin/articles/<key>")]
async fn show_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    key: &str,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let versions = versions_of(conn, key).await?;
    let latest = versions.first().ok_or(AppError::NotFound)?;
    let chapter = find_chapter(state, latest.chapter_id).await?;
    let today = local_date(state.clock.now());
    let in_force = version_in_force(&versions, today).map(|v| v.version);
    let category_ids: Vec<i32> = category_article::Entity::find()
        .filter(category_article::Column::ArticleKey.eq(key))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.category_id)
        .collect();
    let cited_by: Vec<Value> = violation_category::Entity::find()
        .filter(violation_category::Column::Id.is_in(category_ids))
        .order_by_asc(violation_category::Column::SortOrder)
        .all(conn)
        .await?
        .iter()
        .map(|c| json!({"code": c.code, "name": page.lang.pick(&c.name_vi, &c.name_en)}))
        .collect();
    let history: Vec<Value> = versions
        .iter()
        .map(|v| {
            let mut view = version_view(page.lang, v);
            view["in_force"] = json!(Some(v.version) == in_force);
            view
        })
        .collect();
    Ok(page.render(
        "admin/articles/show",
        json!({
            "chapter": chapter_view(page.lang, &chapter),
            "article": version_view(page.lang, latest),
            "versions": history,
            "cited_by": cited_by,
            "today": show_date(today),
        }),
    ))
}

#[derive(Debug, Default, FromForm)]
struct ArticleForm {
    key: Option<String>,
    number: Option<String>,
    title_vi: Option<String>,
    title_en: Option<String>,
    text_vi: Option<String>,
    text_en: Option<String>,
    effective_from: Option<String>,
}

impl ArticleForm {
    fn to_input(&self) -> ArticleInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        ArticleInput {
            number: text(&self.number),
            title_vi: text(&self.title_vi),
            title_en: text(&self.title_en),
            text_vi: text(&self.text_vi),
            text_en: text(&self.text_en),
            effective_from: text(&self.effective_from),
        }
    }
}

fn form_value(input: &ArticleInput, key: &str) -> Value {
    let mut value = serde_json::to_value(input).unwrap_or_else(|_| json!({}));
    value["key"] = json!(key);
    value
}

fn edit_page(
    page: &PageCtx,
    chapter: &culture_chapter::Model,
    latest: &culture_article::Model,
    input: &ArticleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/articles/form",
        json!({
            "new": false,
            "action": format!("/admin/articles/{}/edit", latest.article_key),
            "chapter": chapter_view(page.lang, chapter),
            "latest": version_view(page.lang, latest),
            "form": form_value(input, &latest.article_key),
            "errors": translate(page.lang, errors),
        }),
    )
}

#[get("/admin/articles/<key>/edit")]
async fn edit_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    key: &str,
) -> AppResult<Template> {
    let versions = versions_of(state.db.conn(), key).await?;
    let latest = versions.first().ok_or(AppError::NotFound)?;
    let chapter = find_chapter(state, latest.chapter_id).await?;
    let today = local_date(state.clock.now());
    let input = input_of(latest, earliest_next(latest, today));
    Ok(edit_page(
        &page,
        &chapter,
        latest,
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/articles/<key>/edit", data = "<form>")]
async fn version_article(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    key: &str,
    form: Form<ArticleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    let outcome = match input.validate() {
        Ok(text) => add_version(state, &user, key, text)
            .await
            .map_err(AppResultPage::Error)?,
        Err(errors) => Err(errors),
    };
    let errors = match outcome {
        Ok(()) => {
            return Ok(Flash::success(
                Redirect::to(format!("/admin/articles/{key}")),
                "flash-admin-article-versioned",
            ))
        }
        Err(errors) => errors,
    };
    let versions = versions_of(state.db.conn(), key)
        .await
        .map_err(AppResultPage::Error)?;
    let latest = versions
        .first()
        .ok_or(AppResultPage::Error(AppError::NotFound))?;
    let chapter = find_chapter(state, latest.chapter_id)
        .await
        .map_err(AppResultPage::Error)?;
    Err(AppResultPage::Page(edit_page(
        &page,
        &chapter,
        latest,
        &input,
        &errors,
        Status::UnprocessableEntity,
    )))
}

/// Adds the next version of `key` and closes the current latest the day before it starts.
async fn add_version(
    state: &AppState,
    user: &StaffUser,
    key: &str,
    text: ArticleText,
) -> AppResult<Result<(), FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let versions = versions_of(&*tx, key).await?;
    let latest = versions.first().ok_or(AppError::NotFound)?.clone();
    let Ok(close) = close_previous(latest.effective_from, text.effective_from) else {
        return Ok(Err(FieldErrors::from([(
            "effective_from",
            "error-admin-article-not-later",
        )])));
    };
    if wording_of(&latest).same_wording(&text) {
        return Ok(Err(FieldErrors::from([(
            "form",
            "error-admin-article-unchanged",
        )])));
    }
    // A version that already ended earlier keeps its end; otherwise it ends the day before.
    let close = latest.effective_to.map_or(close, |to| to.min(close));
    let version = latest.version + 1;
    let previous_version = latest.version;
    let chapter_id = latest.chapter_id;
    if latest.effective_to != Some(close) {
        let mut previous = latest.into_active_model();
        previous.effective_to = Set(Some(close));
        previous.update(&*tx).await?;
    }
    let row = culture_article::ActiveModel {
        chapter_id: Set(chapter_id),
        article_key: Set(key.to_string()),
        version: Set(version),
        number: Set(text.number),
        title_vi: Set(text.title_vi),
        title_en: Set(text.title_en),
        text_vi: Set(text.text_vi),
        text_en: Set(text.text_en),
        effective_from: Set(text.effective_from),
        effective_to: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "article_versioned",
            object_type: "culture_article",
            object_id: Some(key.to_string()),
            details: json!({
                "article_key": key,
                "version": version,
                "row_id": row.id,
                "number": row.number,
                "effective_from": row.effective_from.to_string(),
                "previous_version": previous_version,
                "previous_effective_to": close.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

fn new_page(
    page: &PageCtx,
    chapter: &culture_chapter::Model,
    key: &str,
    input: &ArticleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/articles/form",
        json!({
            "new": true,
            "action": format!("/admin/articles/chapters/{}/new", chapter.id),
            "chapter": chapter_view(page.lang, chapter),
            "latest": null,
            "form": form_value(input, key),
            "errors": translate(page.lang, errors),
        }),
    )
}

#[get("/admin/articles/chapters/<chapter>/new")]
async fn new_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    chapter: i32,
) -> AppResult<Template> {
    let chapter = find_chapter(state, chapter).await?;
    let articles = culture_article::Entity::find().all(state.db.conn()).await?;
    let mut number = articles
        .iter()
        .filter(|a| a.chapter_id == chapter.id)
        .map(|a| a.number)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let taken = |key: &str| articles.iter().any(|a| a.article_key == key);
    while taken(&suggested_key(&chapter.code, number)) {
        number = number.saturating_add(1);
    }
    let today = local_date(state.clock.now());
    let input = ArticleInput {
        number: number.to_string(),
        effective_from: today.format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    let key = suggested_key(&chapter.code, number);
    Ok(new_page(
        &page,
        &chapter,
        &key,
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

/// Upper-cases and checks a new article key.
fn normalise_key(raw: &str) -> Result<String, &'static str> {
    let key = raw.trim().to_ascii_uppercase();
    if key.is_empty() {
        Err("error-admin-article-key-required")
    } else if is_valid_key(&key) {
        Ok(key)
    } else {
        Err("error-admin-article-key-invalid")
    }
}

#[post("/admin/articles/chapters/<chapter>/new", data = "<form>")]
async fn create_article(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    chapter: i32,
    form: Form<ArticleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let chapter = find_chapter(state, chapter)
        .await
        .map_err(AppResultPage::Error)?;
    let typed_key = form.key.clone().unwrap_or_default();
    let input = form.to_input();
    let key = normalise_key(&typed_key);
    let outcome = match (key, input.validate()) {
        (Ok(key), Ok(text)) => insert_article(state, &user, &chapter, &key, text)
            .await
            .map_err(AppResultPage::Error)?
            .map(|()| key),
        (key, text) => {
            let mut errors = text.err().unwrap_or_default();
            if let Err(problem) = key {
                errors.insert("key", problem);
            }
            Err(errors)
        }
    };
    match outcome {
        Ok(key) => Ok(Flash::success(
            Redirect::to(format!("/admin/articles/{key}")),
            "flash-admin-article-created",
        )),
        Err(errors) => Err(AppResultPage::Page(new_page(
            &page,
            &chapter,
            &typed_key,
            &input,
            &errors,
            Status::UnprocessableEntity,
        ))),
    }
}

/// Adds version 1 of a new article to `chapter`, under a key no article uses.
async fn insert_article(
    state: &AppState,
    user: &StaffUser,
    chapter: &culture_chapter::Model,
    key: &str,
    text: ArticleText,
) -> AppResult<Result<(), FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if !versions_of(&*tx, key).await?.is_empty() {
        return Ok(Err(FieldErrors::from([(
            "key",
            "error-admin-article-key-taken",
        )])));
    }
    let inserted = culture_article::ActiveModel {
        chapter_id: Set(chapter.id),
        article_key: Set(key.to_string()),
        version: Set(1),
        number: Set(text.number),
        title_vi: Set(text.title_vi),
        title_en: Set(text.title_en),
        text_vi: Set(text.text_vi),
        text_en: Set(text.text_en),
        effective_from: Set(text.effective_from),
        effective_to: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if crate::platform::persistence::is_duplicate(&e) => {
            return Ok(Err(FieldErrors::from([(
                "key",
                "error-admin-article-key-taken",
            )])))
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "article_created",
            object_type: "culture_article",
            object_id: Some(key.to_string()),
            details: json!({
                "article_key": key,
                "chapter": chapter.code,
                "version": 1,
                "row_id": row.id,
                "number": row.number,
                "effective_from": row.effective_from.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_article_keys_are_upper_cased_and_checked() {
        assert_eq!(normalise_key(" uxkh-11 "), Ok("UXKH-11".to_string()));
        assert_eq!(normalise_key(""), Err("error-admin-article-key-required"));
        assert_eq!(
            normalise_key("UX KH"),
            Err("error-admin-article-key-invalid")
        );
    }
}
