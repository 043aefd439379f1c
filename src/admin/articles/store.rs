//! Reading and writing the culture code for `/admin/articles`: the versions of an article key,
//! the chapters, the categories that cite a key, the internal labour regulation articles that
//! set it out, and the two changes — a next version (which
//! closes the current latest the day before it starts) and version 1 of a new article. Each
//! change and its audit entry commit in one transaction; no version is otherwise rewritten.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use crate::auth::StaffUser;
use crate::domain::culture_code::{
    close_previous, suggested_key, ArticleInput, ArticleText, Versioned,
};
use crate::domain::labour_rule::order_key;
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    category_article, culture_article, culture_article_labour_rule, culture_chapter, labour_rule,
    violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::state::AppState;

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

/// Every version of `key`, newest first.
pub(super) async fn versions_of<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> AppResult<Vec<culture_article::Model>> {
    Ok(culture_article::Entity::find()
        .filter(culture_article::Column::ArticleKey.eq(key))
        .order_by_desc(culture_article::Column::Version)
        .all(conn)
        .await?)
}

/// The chapter `id`, or 404.
pub(super) async fn find_chapter(state: &AppState, id: i32) -> AppResult<culture_chapter::Model> {
    culture_chapter::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)
}

/// An article key with at least one version.
pub(super) struct Article {
    /// Newest first.
    pub versions: Vec<culture_article::Model>,
    pub latest: culture_article::Model,
    pub chapter: culture_chapter::Model,
}

/// The article `key`, or 404 when no version has it.
pub(super) async fn article(state: &AppState, key: &str) -> AppResult<Article> {
    let versions = versions_of(state.db.conn(), key).await?;
    let latest = versions.first().ok_or(AppError::NotFound)?.clone();
    let chapter = find_chapter(state, latest.chapter_id).await?;
    Ok(Article {
        versions,
        latest,
        chapter,
    })
}

/// Every chapter in code order, and the latest version of every article key.
pub(super) async fn chapters_and_latest<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<(
    Vec<culture_chapter::Model>,
    BTreeMap<String, culture_article::Model>,
)> {
    let chapters = culture_chapter::Entity::find()
        .order_by_asc(culture_chapter::Column::Code)
        .all(conn)
        .await?;
    Ok((chapters, latest_versions(conn).await?))
}

/// The latest version of every article key.
async fn latest_versions<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<BTreeMap<String, culture_article::Model>> {
    let mut latest: BTreeMap<String, culture_article::Model> = BTreeMap::new();
    for version in culture_article::Entity::find().all(conn).await? {
        if latest
            .get(&version.article_key)
            .is_none_or(|seen| seen.version < version.version)
        {
            latest.insert(version.article_key.clone(), version);
        }
    }
    Ok(latest)
}

/// The latest title of every article key, in key order: the checkboxes of the forms that cite
/// articles (violation categories, internal labour regulations).
pub(in crate::admin) async fn article_choices<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> AppResult<BTreeMap<String, String>> {
    Ok(latest_versions(conn)
        .await?
        .into_iter()
        .map(|(key, v)| {
            let title = lang.pick(&v.title_vi, &v.title_en);
            (key, title)
        })
        .collect())
}

/// The categories that cite `key`, in sort order.
pub(super) async fn citing_categories<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> AppResult<Vec<violation_category::Model>> {
    let category_ids: Vec<i32> = category_article::Entity::find()
        .filter(category_article::Column::ArticleKey.eq(key))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.category_id)
        .collect();
    Ok(violation_category::Entity::find()
        .filter(violation_category::Column::Id.is_in(category_ids))
        .order_by_asc(violation_category::Column::SortOrder)
        .all(conn)
        .await?)
}

/// The internal labour regulation articles, active or not, that set out `key`, in the
/// regulations' order.
pub(super) async fn setting_out<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> AppResult<Vec<labour_rule::Model>> {
    let ids: Vec<i32> = culture_article_labour_rule::Entity::find()
        .filter(culture_article_labour_rule::Column::ArticleKey.eq(key))
        .all(conn)
        .await?
        .into_iter()
        .map(|link| link.labour_rule_id)
        .collect();
    let mut rules = labour_rule::Entity::find()
        .filter(labour_rule::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    rules.sort_by_key(|rule| order_key(&rule.code));
    Ok(rules)
}

/// The first day a new version may start: the day after the latest starts, or today if later.
pub(super) fn earliest_next(latest: &culture_article::Model, today: NaiveDate) -> NaiveDate {
    latest
        .effective_from
        .succ_opt()
        .map_or(today, |next| next.max(today))
}

/// The number and key a new article of `chapter` is offered: one past the chapter's highest
/// number, skipping keys already used.
pub(super) async fn next_number<C: ConnectionTrait>(
    conn: &C,
    chapter: &culture_chapter::Model,
) -> AppResult<i32> {
    let articles = culture_article::Entity::find().all(conn).await?;
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
    Ok(number)
}

/// Validates an edit of `key` and adds it as the next version; otherwise the form's mistakes.
pub(super) async fn version(
    state: &AppState,
    user: &StaffUser,
    key: &str,
    input: &ArticleInput,
) -> AppResult<Result<(), FieldErrors>> {
    match input.validate() {
        Ok(text) => add_version(state, user, key, text).await,
        Err(errors) => Ok(Err(errors)),
    }
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
    let row = new_version(chapter_id, key, version, text, now)
        .insert(&*tx)
        .await?;
    audit::record_and_commit(
        tx,
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
    Ok(Ok(()))
}

/// A version row to insert, open-ended.
fn new_version(
    chapter_id: i32,
    key: &str,
    version: i32,
    text: ArticleText,
    now: chrono::DateTime<chrono::Utc>,
) -> culture_article::ActiveModel {
    culture_article::ActiveModel {
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
}

/// Validates a new article (its key as typed and its first version) and adds it to `chapter`;
/// the key it got, otherwise every mistake of the form.
pub(super) async fn create(
    state: &AppState,
    user: &StaffUser,
    chapter: &culture_chapter::Model,
    typed_key: &str,
    input: &ArticleInput,
) -> AppResult<Result<String, FieldErrors>> {
    match (super::normalise_key(typed_key), input.validate()) {
        (Ok(key), Ok(text)) => Ok(insert_article(state, user, chapter, &key, text)
            .await?
            .map(|()| key)),
        (key, text) => {
            let mut errors = text.err().unwrap_or_default();
            if let Err(problem) = key {
                errors.insert("key", problem);
            }
            Ok(Err(errors))
        }
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
    let taken = FieldErrors::from([("key", "error-admin-article-key-taken")]);
    if !versions_of(&*tx, key).await?.is_empty() {
        return Ok(Err(taken));
    }
    let inserted = new_version(chapter.id, key, 1, text, now)
        .insert(&*tx)
        .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if crate::platform::persistence::is_duplicate(&e) => return Ok(Err(taken)),
        Err(e) => return Err(e.into()),
    };
    audit::record_and_commit(
        tx,
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
    Ok(Ok(()))
}
