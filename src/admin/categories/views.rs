//! What the `/admin/categories` templates read: a category as a row (list, form heading,
//! confirmation page), the list page and the create/edit form. Field names are exactly the
//! templates' (`templates/admin/categories/`).

use std::collections::BTreeMap;

use rocket::http::Status;
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::Value;

use crate::domain::category::{CategoryInput, Severity};
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::violation_category;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};

/// A category as the list, the form and the confirmation page show it.
#[derive(Debug, Serialize)]
pub struct CategoryRow {
    id: i32,
    code: String,
    name: String,
    name_vi: String,
    name_en: String,
    /// The severity's name in the page's language.
    severity: String,
    severe: bool,
    finance_assets_secrets: bool,
    sort_order: i32,
    active: bool,
    /// Cited article keys (empty outside the list).
    articles: Vec<String>,
}

fn severity_label(lang: Lang, value: &str) -> String {
    Severity::parse(value)
        .map(|s| lang.t(s.label_key()))
        .unwrap_or_else(|| value.to_string())
}

/// A category and the article keys it cites as a row.
pub(super) fn category_view(
    lang: Lang,
    c: &violation_category::Model,
    articles: &[String],
) -> CategoryRow {
    CategoryRow {
        id: c.id,
        code: c.code.clone(),
        name: lang.pick(&c.name_vi, &c.name_en),
        name_vi: c.name_vi.clone(),
        name_en: c.name_en.clone(),
        severity: severity_label(lang, &c.severity),
        severe: c.severity == Severity::Severe.as_str(),
        finance_assets_secrets: c.finance_assets_secrets,
        sort_order: c.sort_order,
        active: c.active,
        articles: articles.to_vec(),
    }
}

/// `admin/categories/list`.
#[derive(Debug, Serialize)]
pub(super) struct ListView {
    categories: Vec<CategoryRow>,
}

impl ListView {
    /// Every category with the articles it cites.
    pub(super) fn build(lang: Lang, rows: &[(violation_category::Model, Vec<String>)]) -> Self {
        Self {
            categories: rows
                .iter()
                .map(|(c, articles)| category_view(lang, c, articles))
                .collect(),
        }
    }
}

/// One option of the severity select.
#[derive(Debug, Serialize)]
struct SeverityOption {
    value: &'static str,
    label: String,
}

/// One article checkbox.
#[derive(Debug, Serialize)]
struct ArticleChoice<'a> {
    key: &'a str,
    title: &'a str,
}

/// `admin/categories/form`: create (no `category`) or edit.
#[derive(Debug, Serialize)]
struct FormView<'a> {
    category: Option<CategoryRow>,
    form: &'a CategoryInput,
    /// Field → message in the page's language.
    errors: Value,
    severities: Vec<SeverityOption>,
    article_choices: Vec<ArticleChoice<'a>>,
}

/// The stored category as the edit form's starting values.
pub(super) fn input_of(c: &violation_category::Model, articles: Vec<String>) -> CategoryInput {
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
pub(super) fn form_page(
    page: &PageCtx,
    category: Option<&violation_category::Model>,
    choices: &BTreeMap<String, String>,
    input: &CategoryInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        category: category.map(|c| category_view(page.lang, c, &[])),
        form: input,
        errors: translate(page.lang, errors),
        severities: Severity::ALL
            .iter()
            .map(|s| SeverityOption {
                value: s.as_str(),
                label: page.lang.t(s.label_key()),
            })
            .collect(),
        article_choices: choices
            .iter()
            .map(|(key, title)| ArticleChoice { key, title })
            .collect(),
    };
    page.render_status(status, "admin/categories/form", view)
}

/// The form again with the mistakes to correct (422).
pub(super) fn form_again(
    page: &PageCtx,
    category: Option<&violation_category::Model>,
    choices: &BTreeMap<String, String>,
    input: &CategoryInput,
    errors: &FieldErrors,
) -> AppResultPage {
    let status = Status::UnprocessableEntity;
    AppResultPage::Page(form_page(page, category, choices, input, errors, status))
}
