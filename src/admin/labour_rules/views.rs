//! What the `/admin/labour-rules` templates read (`templates/admin/labour_rules/`): an article of
//! the regulations as a row (list, form heading, confirmation page), one page of the list with
//! the culture-code articles no active article sets out, and the create/edit form.

use std::collections::BTreeMap;

use rocket::http::Status;
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::Value;

use super::store::{self, Linked};
use crate::domain::labour_rule::LabourRuleInput;
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::labour_rule;
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::pagination::Pages;
use crate::web::state::AppState;

/// Articles a page of the list shows.
pub const PAGE_SIZE: u64 = 25;

/// An article of the regulations as the list, the form and the confirmation page show it.
#[derive(Debug, Serialize)]
pub struct RuleRow {
    id: i32,
    code: String,
    title: String,
    text_vi: String,
    active: bool,
    /// The culture-code article keys it sets out (empty outside the list).
    articles: Vec<String>,
}

/// An article and the keys it sets out as a row.
pub(super) fn rule_row(lang: Lang, rule: &labour_rule::Model, articles: &[String]) -> RuleRow {
    RuleRow {
        id: rule.id,
        code: rule.code.clone(),
        title: lang.pick(&rule.title_vi, &rule.title_en),
        text_vi: rule.text_vi.clone(),
        active: rule.active,
        articles: articles.to_vec(),
    }
}

/// A culture-code article key with its latest title (a checkbox, a warning line).
#[derive(Debug, Serialize)]
struct ArticleChoice<'a> {
    key: &'a str,
    title: &'a str,
}

fn article_list(choices: &BTreeMap<String, String>) -> Vec<ArticleChoice<'_>> {
    choices
        .iter()
        .map(|(key, title)| ArticleChoice { key, title })
        .collect()
}

/// `admin/labour_rules/list`.
#[derive(Debug, Serialize)]
pub(super) struct ListView {
    rules: Vec<RuleRow>,
    #[serde(flatten)]
    pages: Pages,
    /// Culture-code articles (key → title) that no active article sets out.
    not_set_out: BTreeMap<String, String>,
}

impl ListView {
    /// Page `page` (clamped) of the regulations in their order.
    pub(super) async fn load(state: &AppState, lang: Lang, page: Option<u64>) -> AppResult<Self> {
        let conn = state.db.conn();
        let rules = store::all_linked(conn).await?;
        let mut choices = store::article_choices(conn, lang).await?;
        let uncovered = store::uncovered_articles(&rules, &choices);
        choices.retain(|key, _| uncovered.contains(key));
        let pages = Pages::of(rules.len() as u64, PAGE_SIZE, page);
        Ok(Self {
            rules: (pages.slice(&rules, PAGE_SIZE).iter())
                .map(|(rule, keys)| rule_row(lang, rule, keys))
                .collect(),
            pages,
            not_set_out: choices,
        })
    }
}

/// `admin/labour_rules/form`: create (no `rule`) or edit.
#[derive(Debug, Serialize)]
struct FormView<'a> {
    rule: Option<RuleRow>,
    form: &'a LabourRuleInput,
    /// Field → message in the page's language.
    errors: Value,
    article_choices: Vec<ArticleChoice<'a>>,
}

/// The stored article as the edit form's starting values.
pub(super) fn input_of((rule, articles): &Linked) -> LabourRuleInput {
    LabourRuleInput {
        code: rule.code.clone(),
        title_vi: rule.title_vi.clone(),
        title_en: rule.title_en.clone(),
        text_vi: rule.text_vi.clone(),
        articles: articles.clone(),
    }
}

/// The create or edit form; `rule` is the one being edited.
pub(super) fn form_page(
    page: &PageCtx,
    rule: Option<&labour_rule::Model>,
    choices: &BTreeMap<String, String>,
    input: &LabourRuleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        rule: rule.map(|r| rule_row(page.lang, r, &[])),
        form: input,
        errors: translate(page.lang, errors),
        article_choices: article_list(choices),
    };
    page.render_status(status, "admin/labour_rules/form", view)
}

/// The form again with the mistakes to correct (422).
pub(super) fn form_again(
    page: &PageCtx,
    rule: Option<&labour_rule::Model>,
    choices: &BTreeMap<String, String>,
    input: &LabourRuleInput,
    errors: &FieldErrors,
) -> AppResultPage {
    let status = Status::UnprocessableEntity;
    AppResultPage::Page(form_page(page, rule, choices, input, errors, status))
}
