//! `/admin/categories`: violation categories, the list a reporter picks from. Each has a stable
//! snake_case code (fixed once created), names and descriptions in both languages, a default
//! severity (severe categories route above the local unit), the Labour Code flag for violations
//! tied to finance, assets or secrets (12-month discipline limit instead of 6), a sort order and
//! the culture-code articles it cites, by stable article key (`category_article`, replaced as a
//! set on save). Categories are deactivated, never deleted, so old reports keep theirs; both
//! deactivation and reactivation go through a confirmation page. Every change is audited.

use std::collections::{BTreeMap, BTreeSet};

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
use crate::platform::persistence::entities::{
    category_article, culture_article, violation_category,
};
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_categories,
        new_category,
        create_category,
        edit_category,
        update_category,
        confirm_deactivate_category,
        deactivate_category,
        confirm_reactivate_category,
        reactivate_category,
    ]
}

/// Longest category code (the column's width).
pub const CODE_MAX: usize = 40;
/// Longest category name, in either language.
pub const NAME_MAX: usize = 200;
/// Longest description, in either language.
pub const DESCRIPTION_MAX: usize = 2000;
/// Sort orders stay within ± this.
pub const SORT_MAX: i32 = 100_000;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// A category's default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Minor,
    Normal,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Normal, Severity::Severe];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Normal => "normal",
            Severity::Severe => "severe",
        }
    }

    /// Parses a stored value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Minor => "admin-category-severity-minor",
            Severity::Normal => "admin-category-severity-normal",
            Severity::Severe => "admin-category-severity-severe",
        }
    }
}

/// Lower-cases and checks a category code: snake_case, starting with a letter, ≤ 40.
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err("error-admin-category-code-required");
    }
    let starts_with_letter = code.starts_with(|c: char| c.is_ascii_lowercase());
    let valid = starts_with_letter
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
        Err("error-admin-category-code-invalid")
    }
}

/// The category form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: String,
    pub finance_assets_secrets: bool,
    pub sort_order: String,
    pub articles: Vec<String>,
}

/// Everything but the code, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFields {
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: Severity,
    pub finance_assets_secrets: bool,
    pub sort_order: i32,
    /// Cited article keys, sorted, without duplicates.
    pub articles: BTreeSet<String>,
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

impl CategoryInput {
    fn fields_into(
        &self,
        errors: &mut FieldErrors,
        known_articles: &BTreeSet<String>,
    ) -> Option<CategoryFields> {
        let name_keys = (
            "error-admin-category-name-required",
            "error-admin-category-name-long",
        );
        let description_keys = (
            "error-admin-category-description-required",
            "error-admin-category-description-long",
        );
        let name_vi = text(errors, "name_vi", &self.name_vi, NAME_MAX, name_keys);
        let name_en = text(errors, "name_en", &self.name_en, NAME_MAX, name_keys);
        let description_vi = text(
            errors,
            "description_vi",
            &self.description_vi,
            DESCRIPTION_MAX,
            description_keys,
        );
        let description_en = text(
            errors,
            "description_en",
            &self.description_en,
            DESCRIPTION_MAX,
            description_keys,
        );
        let severity = Severity::parse(self.severity.trim());
        if severity.is_none() {
            errors.insert("severity", "error-admin-category-severity-invalid");
        }
        let sort_order = match self.sort_order.trim().parse::<i32>() {
            Ok(n) if n.abs() <= SORT_MAX => Some(n),
            _ => {
                errors.insert("sort_order", "error-admin-category-sort-invalid");
                None
            }
        };
        let articles: BTreeSet<String> = self
            .articles
            .iter()
            .map(|key| key.trim().to_string())
            .filter(|key| !key.is_empty())
            .collect();
        if articles.is_empty() {
            errors.insert("articles", "error-admin-category-articles-required");
        } else if !articles.is_subset(known_articles) {
            errors.insert("articles", "error-admin-category-article-unknown");
        }
        Some(CategoryFields {
            name_vi,
            name_en,
            description_vi,
            description_en,
            severity: severity?,
            finance_assets_secrets: self.finance_assets_secrets,
            sort_order: sort_order?,
            articles,
        })
    }

    /// Validates an edit: every field but the code. `known_articles` are the article keys
    /// that exist.
    pub fn validate_fields(
        &self,
        known_articles: &BTreeSet<String>,
    ) -> Result<CategoryFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors, known_articles) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Validates a new category; whether the code is free is checked against the database.
    pub fn validate_new(
        &self,
        known_articles: &BTreeSet<String>,
    ) -> Result<(String, CategoryFields), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let fields = self.fields_into(&mut errors, known_articles);
        match (code, fields) {
            (Some(code), Some(fields)) if errors.is_empty() => Ok((code, fields)),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Data access
// ---------------------------------------------------------------------------------------------

/// The latest title of every article key, in key order, for the checkboxes.
async fn article_choices<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> AppResult<BTreeMap<String, String>> {
    let mut latest: BTreeMap<String, culture_article::Model> = BTreeMap::new();
    for version in culture_article::Entity::find().all(conn).await? {
        let newer = latest
            .get(&version.article_key)
            .is_none_or(|seen| seen.version < version.version);
        if newer {
            latest.insert(version.article_key.clone(), version);
        }
    }
    Ok(latest
        .into_iter()
        .map(|(key, v)| {
            let title = lang.pick(&v.title_vi, &v.title_en);
            (key, title)
        })
        .collect())
}

async fn cited_articles<C: ConnectionTrait>(conn: &C, category: i32) -> AppResult<Vec<String>> {
    let mut keys: Vec<String> = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(category))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.article_key)
        .collect();
    keys.sort();
    Ok(keys)
}

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

async fn find_category(state: &AppState, id: i32) -> AppResult<violation_category::Model> {
    violation_category::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

/// Replaces the set of articles a category cites.
async fn replace_articles<C: ConnectionTrait>(
    conn: &C,
    category: i32,
    articles: &BTreeSet<String>,
) -> Result<(), sea_orm::DbErr> {
    category_article::Entity::delete_many()
        .filter(category_article::Column::CategoryId.eq(category))
        .exec(conn)
        .await?;
    for key in articles {
        category_article::ActiveModel {
            category_id: Set(category),
            article_key: Set(key.clone()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

fn severity_label(lang: Lang, value: &str) -> String {
    Severity::parse(value)
        .map(|s| lang.t(s.label_key()))
        .unwrap_or_else(|| value.to_string())
}

fn severities(lang: Lang) -> Vec<Value> {
    Severity::ALL
        .iter()
        .map(|s| json!({"value": s.as_str(), "label": lang.t(s.label_key())}))
        .collect()
}

fn category_view(lang: Lang, c: &violation_category::Model, articles: &[String]) -> Value {
    json!({
        "id": c.id,
        "code": c.code,
        "name": lang.pick(&c.name_vi, &c.name_en),
        "name_vi": c.name_vi,
        "name_en": c.name_en,
        "severity": severity_label(lang, &c.severity),
        "severe": c.severity == Severity::Severe.as_str(),
        "finance_assets_secrets": c.finance_assets_secrets,
        "sort_order": c.sort_order,
        "active": c.active,
        "articles": articles,
    })
}

fn input_of(c: &violation_category::Model, articles: Vec<String>) -> CategoryInput {
    CategoryInput {
        code: c.code.clone(),
        name_vi: c.name_vi.clone(),
        name_en: c.name_en.clone(),
        description_vi: c.description_vi.clone(),
        description_en: c.description_en.clone(),
        severity: c.severity.clone(),
        finance_assets_secrets: c.finance_assets_secrets,
        sort_order: c.sort_order.to_string(),
        articles,
    }
}

/// The create or edit form; `category` is the one being edited.
fn form_page(
    page: &PageCtx,
    category: Option<&violation_category::Model>,
    choices: &BTreeMap<String, String>,
    input: &CategoryInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let choices: Vec<Value> = choices
        .iter()
        .map(|(key, title)| json!({"key": key, "title": title}))
        .collect();
    page.render_status(
        status,
        "admin/categories/form",
        json!({
            "category": category.map(|c| category_view(page.lang, c, &[])),
            "form": input,
            "errors": translate(page.lang, errors),
            "severities": severities(page.lang),
            "article_choices": choices,
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/categories")]
async fn list_categories(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let categories = violation_category::Entity::find()
        .order_by_asc(violation_category::Column::SortOrder)
        .order_by_asc(violation_category::Column::Code)
        .all(conn)
        .await?;
    let mut cited: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for row in category_article::Entity::find()
        .order_by_asc(category_article::Column::ArticleKey)
        .all(conn)
        .await?
    {
        cited
            .entry(row.category_id)
            .or_default()
            .push(row.article_key);
    }
    let rows: Vec<Value> = categories
        .iter()
        .map(|c| {
            let articles = cited.get(&c.id).cloned().unwrap_or_default();
            category_view(page.lang, c, &articles)
        })
        .collect();
    Ok(page.render("admin/categories/list", json!({"categories": rows})))
}

#[derive(Debug, Default, FromForm)]
struct CategoryForm {
    code: Option<String>,
    name_vi: Option<String>,
    name_en: Option<String>,
    description_vi: Option<String>,
    description_en: Option<String>,
    severity: Option<String>,
    finance_assets_secrets: bool,
    sort_order: Option<String>,
    articles: Vec<String>,
}

impl CategoryForm {
    fn to_input(&self) -> CategoryInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        CategoryInput {
            code: text(&self.code),
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
            description_vi: text(&self.description_vi),
            description_en: text(&self.description_en),
            severity: text(&self.severity),
            finance_assets_secrets: self.finance_assets_secrets,
            sort_order: text(&self.sort_order),
            articles: self.articles.clone(),
        }
    }
}

#[get("/admin/categories/new")]
async fn new_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let choices = article_choices(conn, page.lang).await?;
    let next_sort = violation_category::Entity::find()
        .order_by_desc(violation_category::Column::SortOrder)
        .one(conn)
        .await?
        .map(|c| c.sort_order.saturating_add(10).min(SORT_MAX))
        .unwrap_or(10);
    let input = CategoryInput {
        severity: Severity::Normal.as_str().to_string(),
        sort_order: next_sort.to_string(),
        ..Default::default()
    };
    Ok(form_page(
        &page,
        None,
        &choices,
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/categories", data = "<form>")]
async fn create_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<CategoryForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    let choices = article_choices(state.db.conn(), page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let known: BTreeSet<String> = choices.keys().cloned().collect();
    let outcome = match input.validate_new(&known) {
        Ok((code, fields)) => insert_category(state, &user, code, fields)
            .await
            .map_err(AppResultPage::Error)?,
        Err(mut errors) => {
            // Report a taken code along with the other mistakes, not on the next attempt.
            if let Ok(code) = normalise_code(&input.code) {
                if code_taken(state.db.conn(), &code)
                    .await
                    .map_err(AppResultPage::Error)?
                {
                    errors.insert("code", "error-admin-category-code-taken");
                }
            }
            Err(errors)
        }
    };
    match outcome {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/categories"),
            "flash-admin-category-created",
        )),
        Err(errors) => Err(AppResultPage::Page(form_page(
            &page,
            None,
            &choices,
            &input,
            &errors,
            Status::UnprocessableEntity,
        ))),
    }
}

/// Adds a category with a free code and its cited articles.
async fn insert_category(
    state: &AppState,
    user: &StaffUser,
    code: String,
    fields: CategoryFields,
) -> AppResult<Result<i32, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let taken = FieldErrors::from([("code", "error-admin-category-code-taken")]);
    if code_taken(&*tx, &code).await? {
        return Ok(Err(taken));
    }
    let inserted = violation_category::ActiveModel {
        code: Set(code.clone()),
        name_vi: Set(fields.name_vi.clone()),
        name_en: Set(fields.name_en.clone()),
        description_vi: Set(fields.description_vi.clone()),
        description_en: Set(fields.description_en.clone()),
        severity: Set(fields.severity.as_str().to_string()),
        finance_assets_secrets: Set(fields.finance_assets_secrets),
        active: Set(true),
        sort_order: Set(fields.sort_order),
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
    replace_articles(&*tx, row.id, &fields.articles).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "category_created",
            object_type: "violation_category",
            object_id: Some(row.id.to_string()),
            details: json!({
                "code": code,
                "severity": row.severity,
                "finance_assets_secrets": row.finance_assets_secrets,
                "sort_order": row.sort_order,
                "articles": fields.articles,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(row.id))
}

#[get("/admin/categories/<id>/edit")]
async fn edit_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let category = find_category(state, id).await?;
    let conn = state.db.conn();
    let choices = article_choices(conn, page.lang).await?;
    let input = input_of(&category, cited_articles(conn, id).await?);
    Ok(form_page(
        &page,
        Some(&category),
        &choices,
        &input,
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[post("/admin/categories/<id>/edit", data = "<form>")]
async fn update_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
    form: Form<CategoryForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let category = find_category(state, id)
        .await
        .map_err(AppResultPage::Error)?;
    let mut input = form.to_input();
    input.code = category.code.clone();
    let choices = article_choices(state.db.conn(), page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let known: BTreeSet<String> = choices.keys().cloned().collect();
    match input.validate_fields(&known) {
        Ok(fields) => {
            let changed = save_category(state, &user, id, fields)
                .await
                .map_err(AppResultPage::Error)?;
            let key = if changed {
                "flash-admin-category-updated"
            } else {
                "flash-admin-nothing-changed"
            };
            Ok(Flash::success(Redirect::to("/admin/categories"), key))
        }
        Err(errors) => Err(AppResultPage::Page(form_page(
            &page,
            Some(&category),
            &choices,
            &input,
            &errors,
            Status::UnprocessableEntity,
        ))),
    }
}

/// Saves an edit and replaces the cited articles; returns false when nothing differed.
async fn save_category(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    fields: CategoryFields,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let category = violation_category::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let before: BTreeSet<String> = cited_articles(&*tx, id).await?.into_iter().collect();
    let mut changed: Vec<&str> = [
        ("name_vi", category.name_vi != fields.name_vi),
        ("name_en", category.name_en != fields.name_en),
        (
            "description_vi",
            category.description_vi != fields.description_vi,
        ),
        (
            "description_en",
            category.description_en != fields.description_en,
        ),
        ("severity", category.severity != fields.severity.as_str()),
        (
            "finance_assets_secrets",
            category.finance_assets_secrets != fields.finance_assets_secrets,
        ),
        ("sort_order", category.sort_order != fields.sort_order),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
    if before != fields.articles {
        changed.push("articles");
    }
    if changed.is_empty() {
        return Ok(false);
    }
    let details = json!({
        "code": category.code,
        "changed": changed,
        "severity": fields.severity.as_str(),
        "finance_assets_secrets": fields.finance_assets_secrets,
        "articles_added": fields.articles.difference(&before).collect::<Vec<_>>(),
        "articles_removed": before.difference(&fields.articles).collect::<Vec<_>>(),
    });
    let mut active = category.into_active_model();
    active.name_vi = Set(fields.name_vi);
    active.name_en = Set(fields.name_en);
    active.description_vi = Set(fields.description_vi);
    active.description_en = Set(fields.description_en);
    active.severity = Set(fields.severity.as_str().to_string());
    active.finance_assets_secrets = Set(fields.finance_assets_secrets);
    active.sort_order = Set(fields.sort_order);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    if before != fields.articles {
        replace_articles(&*tx, id, &fields.articles).await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "category_updated",
            object_type: "violation_category",
            object_id: Some(id.to_string()),
            details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn confirm_page(
    page: &PageCtx,
    category: &violation_category::Model,
    activate: bool,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/categories/confirm",
        json!({
            "category": category_view(page.lang, category, &[]),
            "activate": activate,
            "already": category.active == activate,
        }),
    )
}

#[get("/admin/categories/<id>/deactivate")]
async fn confirm_deactivate_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let category = find_category(state, id).await?;
    Ok(confirm_page(&page, &category, false, Status::Ok).1)
}

#[post("/admin/categories/<id>/deactivate")]
async fn deactivate_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<violation_category::Model>(
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

#[get("/admin/categories/<id>/reactivate")]
async fn confirm_reactivate_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let category = find_category(state, id).await?;
    Ok(confirm_page(&page, &category, true, Status::Ok).1)
}

#[post("/admin/categories/<id>/reactivate")]
async fn reactivate_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    crate::web::switch::switch_then_redirect::<violation_category::Model>(
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
    list: "/admin/categories",
    deactivated: "flash-admin-category-deactivated",
    reactivated: "flash-admin-category-reactivated",
};

crate::switchable!(
    violation_category,
    "violation_category",
    "category_deactivated",
    "category_reactivated",
    |category| json!({"code": category.code})
);

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["UXKH-01", "UXKH-02"].map(String::from).into()
    }

    fn input() -> CategoryInput {
        CategoryInput {
            code: "Late_Reply".into(),
            name_vi: "Trả lời chậm".into(),
            name_en: "Late reply".into(),
            description_vi: "Mô tả".into(),
            description_en: "Description".into(),
            severity: "minor".into(),
            finance_assets_secrets: false,
            sort_order: "120".into(),
            articles: vec!["UXKH-02".into(), "UXKH-01".into(), "UXKH-02".into()],
        }
    }

    #[test]
    fn category_codes_are_lower_snake_case() {
        assert_eq!(normalise_code(" No_Badge "), Ok("no_badge".to_string()));
        assert_eq!(normalise_code("x2"), Ok("x2".to_string()));
        assert_eq!(
            normalise_code(""),
            Err("error-admin-category-code-required")
        );
        for bad in ["2x", "_x", "x_", "x__y", "x-y", "x y", "đ"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-category-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"a".repeat(41)).is_err());
    }

    #[test]
    fn a_valid_category_keeps_its_articles_once_each() {
        let (code, fields) = input().validate_new(&known()).unwrap();
        assert_eq!(code, "late_reply");
        assert_eq!(fields.severity, Severity::Minor);
        assert_eq!(fields.sort_order, 120);
        assert_eq!(
            fields.articles.into_iter().collect::<Vec<_>>(),
            vec!["UXKH-01", "UXKH-02"]
        );
    }

    #[test]
    fn a_category_must_cite_known_articles() {
        let mut none = input();
        none.articles.clear();
        assert_eq!(
            none.validate_fields(&known()).unwrap_err()["articles"],
            "error-admin-category-articles-required"
        );
        let mut unknown = input();
        unknown.articles.push("XYZ-9".into());
        assert_eq!(
            unknown.validate_fields(&known()).unwrap_err()["articles"],
            "error-admin-category-article-unknown"
        );
    }

    #[test]
    fn every_bad_category_field_is_reported() {
        let errors = CategoryInput {
            code: "-".into(),
            severity: "critical".into(),
            sort_order: "ten".into(),
            ..Default::default()
        }
        .validate_new(&known())
        .unwrap_err();
        for field in [
            "code",
            "name_vi",
            "name_en",
            "description_vi",
            "description_en",
            "severity",
            "sort_order",
            "articles",
        ] {
            assert!(errors.contains_key(field), "{field}");
        }
    }
}
