//! Reading and writing violation categories for `/admin/categories`: the article choices, the
//! articles a category cites (`category_article`, replaced as a set), and the create and edit
//! services. Each change and its audit entry commit in one transaction; a code is checked free
//! inside that transaction and the unique index catches a race.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

pub(super) use crate::admin::articles::article_choices;
use crate::admin::unique::CodeField;
use crate::auth::StaffUser;
use crate::domain::category::{normalise_code, CategoryFields, CategoryInput, SORT_MAX};
use crate::domain::report::FieldErrors;
use crate::domain::text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{category_article, violation_category};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// The article keys `category` cites, sorted.
pub(super) async fn cited_articles<C: ConnectionTrait>(
    conn: &C,
    category: i32,
) -> AppResult<Vec<String>> {
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

/// Every category in list order, with the article keys each cites (sorted).
pub(super) async fn all_with_articles<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<Vec<(violation_category::Model, Vec<String>)>> {
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
    Ok(categories
        .into_iter()
        .map(|c| {
            let articles = cited.get(&c.id).cloned().unwrap_or_default();
            (c, articles)
        })
        .collect())
}

/// The sort order a new category starts with: 10 after the last one.
pub(super) async fn next_sort_order<C: ConnectionTrait>(conn: &C) -> AppResult<i32> {
    Ok(violation_category::Entity::find()
        .order_by_desc(violation_category::Column::SortOrder)
        .one(conn)
        .await?
        .map(|c| c.sort_order.saturating_add(10).min(SORT_MAX))
        .unwrap_or(10))
}

const CODE: CodeField = CodeField {
    field: "code",
    taken: "error-admin-category-code-taken",
};

async fn code_taken<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<bool> {
    Ok(violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

/// The category `id`, or 404.
pub(super) async fn find_category(
    state: &AppState,
    id: i32,
) -> AppResult<violation_category::Model> {
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

fn known_keys(choices: &BTreeMap<String, String>) -> BTreeSet<String> {
    choices.keys().cloned().collect()
}

/// Validates a new category against the article `choices` and adds it; otherwise every mistake
/// of the form, a taken code among them.
pub(super) async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &CategoryInput,
    choices: &BTreeMap<String, String>,
) -> AppResult<Result<i32, FieldErrors>> {
    let conn = state.db.conn();
    let validated = input.validate_new(&known_keys(choices));
    let code = normalise_code(&input.code).ok();
    let checked = CODE
        .with_taken(validated, code, async |c| code_taken(conn, c).await)
        .await?;
    match checked {
        Ok((code, fields)) => insert_category(state, user, code, fields).await,
        Err(errors) => Ok(Err(errors)),
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
    if code_taken(&*tx, &code).await? {
        return Ok(Err(FieldErrors::from([(CODE.field, CODE.taken)])));
    }
    let row = violation_category::ActiveModel {
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
    };
    let row = match CODE.insert(&*tx, row, FieldErrors::new()).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    replace_articles(&*tx, row.id, &fields.articles).await?;
    audit::record_and_commit(
        tx,
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
    Ok(Ok(row.id))
}

/// Validates an edit of category `id` (every field but the code) and saves it; `Ok(false)` when
/// nothing differed, otherwise the form's mistakes.
pub(super) async fn update(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    input: &CategoryInput,
    choices: &BTreeMap<String, String>,
) -> AppResult<Result<bool, FieldErrors>> {
    match input.validate_fields(&known_keys(choices)) {
        Ok(fields) => save_category(state, user, id, fields).await.map(Ok),
        Err(errors) => Ok(Err(errors)),
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
    let mut changed = edited_fields(&category, &fields);
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
    let articles_changed = before != fields.articles;
    let articles = fields.articles.clone();
    updated(category, fields, now).update(&*tx).await?;
    if articles_changed {
        replace_articles(&*tx, id, &articles).await?;
    }
    audit::record_and_commit(
        tx,
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
    Ok(true)
}

/// The names of the stored fields an edit changes, in form order (articles aside).
fn edited_fields(
    category: &violation_category::Model,
    fields: &CategoryFields,
) -> Vec<&'static str> {
    text::changed_fields([
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
    ])
}

/// The category with the edit's fields and `updated_at`, ready to be saved.
fn updated(
    category: violation_category::Model,
    fields: CategoryFields,
    now: chrono::DateTime<chrono::Utc>,
) -> violation_category::ActiveModel {
    let mut active = category.into_active_model();
    active.name_vi = Set(fields.name_vi);
    active.name_en = Set(fields.name_en);
    active.description_vi = Set(fields.description_vi);
    active.description_en = Set(fields.description_en);
    active.severity = Set(fields.severity.as_str().to_string());
    active.finance_assets_secrets = Set(fields.finance_assets_secrets);
    active.sort_order = Set(fields.sort_order);
    active.updated_at = Set(now);
    active
}

/// The category `id` being edited (404 when absent) and the article choices of its form.
pub(super) async fn edited(
    state: &AppState,
    id: i32,
    lang: Lang,
) -> AppResult<(violation_category::Model, BTreeMap<String, String>)> {
    let category = find_category(state, id).await?;
    let choices = article_choices(state.db.conn(), lang).await?;
    Ok((category, choices))
}
