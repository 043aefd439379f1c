//! Reading and writing the internal labour regulations for `/admin/labour-rules`: the articles
//! in the regulations' order with the culture-code articles each sets out
//! (`culture_article_labour_rule`, replaced as a set on save), the culture-code articles no
//! active article sets out, and the create and edit services. Each change and its audit entry
//! commit in one transaction; a code is checked free (whatever its case or diacritics) inside
//! that transaction, and the unique index catches an exact race.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

pub(super) use crate::admin::articles::article_choices;
use crate::admin::unique::CodeField;
use crate::auth::StaffUser;
use crate::domain::labour_rule::{
    normalise_code, order_key, same_code, LabourRuleFields, LabourRuleInput,
};
use crate::domain::report::FieldErrors;
use crate::domain::text::changed_fields;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{culture_article_labour_rule, labour_rule};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

const CODE: CodeField = CodeField {
    field: "code",
    taken: "error-admin-labour-rule-code-taken",
};

/// An article of the regulations with the culture-code article keys it sets out (sorted).
pub(super) type Linked = (labour_rule::Model, Vec<String>);

/// Every article of the regulations, active or not, in the regulations' order, with what each
/// sets out.
pub(super) async fn all_linked<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<Linked>> {
    let mut rules = labour_rule::Entity::find().all(conn).await?;
    rules.sort_by_key(|rule| order_key(&rule.code));
    let mut links: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for link in culture_article_labour_rule::Entity::find()
        .all(conn)
        .await?
    {
        links
            .entry(link.labour_rule_id)
            .or_default()
            .push(link.article_key);
    }
    Ok(rules
        .into_iter()
        .map(|rule| {
            let mut keys = links.remove(&rule.id).unwrap_or_default();
            keys.sort();
            (rule, keys)
        })
        .collect())
}

/// The culture-code article keys among `choices` that no active article of the regulations
/// sets out: a Labour Code form is refused for violating only those (Art. 127(3)).
pub(super) fn uncovered_articles(
    rules: &[Linked],
    choices: &BTreeMap<String, String>,
) -> Vec<String> {
    let set_out: BTreeSet<&str> = rules
        .iter()
        .filter(|(rule, _)| rule.active)
        .flat_map(|(_, keys)| keys.iter().map(String::as_str))
        .collect();
    choices
        .keys()
        .filter(|key| !set_out.contains(key.as_str()))
        .cloned()
        .collect()
}

/// The article `id` with what it sets out, or 404.
pub(super) async fn find_linked(state: &AppState, id: i32) -> AppResult<Linked> {
    let conn = state.db.conn();
    let rule = labour_rule::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let keys = linked_keys(conn, id).await?.into_iter().collect();
    Ok((rule, keys))
}

/// The culture-code article keys article `id` sets out.
async fn linked_keys<C: ConnectionTrait>(conn: &C, id: i32) -> AppResult<BTreeSet<String>> {
    Ok(culture_article_labour_rule::Entity::find()
        .filter(culture_article_labour_rule::Column::LabourRuleId.eq(id))
        .all(conn)
        .await?
        .into_iter()
        .map(|link| link.article_key)
        .collect())
}

/// Whether an article other than `except` already has `code` (case and diacritics aside).
async fn code_taken<C: ConnectionTrait>(
    conn: &C,
    code: &str,
    except: Option<i32>,
) -> AppResult<bool> {
    Ok(labour_rule::Entity::find()
        .all(conn)
        .await?
        .iter()
        .any(|rule| Some(rule.id) != except && same_code(&rule.code, code)))
}

/// The form checked against the culture-code articles of `choices`, a code taken by another
/// article than `except` reported with the other mistakes.
async fn checked(
    state: &AppState,
    input: &LabourRuleInput,
    choices: &BTreeMap<String, String>,
    except: Option<i32>,
) -> AppResult<Result<LabourRuleFields, FieldErrors>> {
    let conn = state.db.conn();
    let known: BTreeSet<String> = choices.keys().cloned().collect();
    let code = normalise_code(&input.code).ok();
    CODE.with_taken(input.validate(&known), code, async |c| {
        code_taken(conn, c, except).await
    })
    .await
}

/// Replaces the set of culture-code articles article `id` sets out.
async fn replace_links<C: ConnectionTrait>(
    conn: &C,
    id: i32,
    articles: &BTreeSet<String>,
) -> Result<(), sea_orm::DbErr> {
    culture_article_labour_rule::Entity::delete_many()
        .filter(culture_article_labour_rule::Column::LabourRuleId.eq(id))
        .exec(conn)
        .await?;
    for key in articles {
        culture_article_labour_rule::ActiveModel {
            article_key: Set(key.clone()),
            labour_rule_id: Set(id),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Validates a new article and adds it, active; otherwise every mistake of the form.
pub(super) async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &LabourRuleInput,
    choices: &BTreeMap<String, String>,
) -> AppResult<Result<i32, FieldErrors>> {
    let fields = match checked(state, input, choices, None).await? {
        Ok(fields) => fields,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if code_taken(&*tx, &fields.code, None).await? {
        return Ok(Err(FieldErrors::from([(CODE.field, CODE.taken)])));
    }
    let row = labour_rule::ActiveModel {
        code: Set(fields.code.clone()),
        title_vi: Set(fields.title_vi.clone()),
        title_en: Set(fields.title_en.clone()),
        text_vi: Set(fields.text_vi.clone()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match CODE.insert(&*tx, row, FieldErrors::new()).await? {
        Ok(row) => row,
        Err(errors) => return Ok(Err(errors)),
    };
    replace_links(&*tx, row.id, &fields.articles).await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "labour_rule_created",
        object_type: "labour_rule",
        object_id: Some(row.id.to_string()),
        details: json!({"code": row.code, "articles": fields.articles}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(Ok(row.id))
}

/// Validates an edit of article `id` and saves it; `Ok(false)` when nothing differed,
/// otherwise the form's mistakes.
pub(super) async fn update(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    input: &LabourRuleInput,
    choices: &BTreeMap<String, String>,
) -> AppResult<Result<bool, FieldErrors>> {
    match checked(state, input, choices, Some(id)).await? {
        Ok(fields) => save(state, user, id, fields).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Saves an edit and replaces the links; false when nothing differed.
async fn save(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    fields: LabourRuleFields,
) -> AppResult<Result<bool, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let rule = labour_rule::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if code_taken(&*tx, &fields.code, Some(id)).await? {
        return Ok(Err(FieldErrors::from([(CODE.field, CODE.taken)])));
    }
    let before = linked_keys(&*tx, id).await?;
    let mut changed = edited_fields(&rule, &fields);
    if before != fields.articles {
        changed.push("articles");
    }
    if changed.is_empty() {
        return Ok(Ok(false));
    }
    let details = json!({
        "code_before": rule.code,
        "code": fields.code,
        "changed": changed,
        "articles_added": fields.articles.difference(&before).collect::<Vec<_>>(),
        "articles_removed": before.difference(&fields.articles).collect::<Vec<_>>(),
    });
    let relink = before != fields.articles;
    let articles = fields.articles.clone();
    if let Err(errors) = CODE.update(&*tx, updated(rule, fields, now)).await? {
        return Ok(Err(errors));
    }
    if relink {
        replace_links(&*tx, id, &articles).await?;
    }
    let entry = Entry {
        actor: &user.actor(),
        action: "labour_rule_updated",
        object_type: "labour_rule",
        object_id: Some(id.to_string()),
        details,
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(Ok(true))
}

/// The names of the stored fields an edit changes, in form order (links aside).
fn edited_fields(rule: &labour_rule::Model, fields: &LabourRuleFields) -> Vec<&'static str> {
    changed_fields([
        ("code", rule.code != fields.code),
        ("title_vi", rule.title_vi != fields.title_vi),
        ("title_en", rule.title_en != fields.title_en),
        ("text_vi", rule.text_vi != fields.text_vi),
    ])
}

/// The article with the edit's fields and `updated_at`, ready to be saved.
fn updated(
    rule: labour_rule::Model,
    fields: LabourRuleFields,
    now: chrono::DateTime<chrono::Utc>,
) -> labour_rule::ActiveModel {
    let mut row = rule.into_active_model();
    row.code = Set(fields.code);
    row.title_vi = Set(fields.title_vi);
    row.title_en = Set(fields.title_en);
    row.text_vi = Set(fields.text_vi);
    row.updated_at = Set(now);
    row
}
