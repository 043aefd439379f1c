//! What the `/admin/articles` templates read (`templates/admin/articles/`): the chapters with
//! the latest version of each article (`list`), one article with its history, the categories
//! citing it and the internal labour regulation articles setting it out (`show`), and the
//! form of a next version or a new article (`form`).

use chrono::NaiveDate;
use rocket::http::Status;
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::Value;

use super::store;
use crate::domain::calendar::local_date;
use crate::domain::culture_code::{version_in_force, ArticleInput};
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::{culture_article, culture_chapter};
use crate::web::error::AppResult;
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// A chapter's heading.
#[derive(Debug, Serialize)]
struct ChapterView {
    id: i32,
    code: String,
    title: String,
    illustrative: bool,
}

fn chapter_view(lang: Lang, chapter: &culture_chapter::Model) -> ChapterView {
    ChapterView {
        id: chapter.id,
        code: chapter.code.clone(),
        title: lang.pick(&chapter.title_vi, &chapter.title_en),
        illustrative: chapter.illustrative,
    }
}

/// One version of an article, dates as shown.
#[derive(Debug, Serialize)]
struct VersionView {
    key: String,
    version: i32,
    number: i32,
    title: String,
    title_vi: String,
    title_en: String,
    text: String,
    effective_from: String,
    effective_to: Option<String>,
}

fn version_view(lang: Lang, v: &culture_article::Model) -> VersionView {
    VersionView {
        key: v.article_key.clone(),
        version: v.version,
        number: v.number,
        title: lang.pick(&v.title_vi, &v.title_en),
        title_vi: v.title_vi.clone(),
        title_en: v.title_en.clone(),
        text: lang.pick(&v.text_vi, &v.text_en),
        effective_from: show_date(v.effective_from),
        effective_to: v.effective_to.map(show_date),
    }
}

/// A chapter and the latest version of each of its articles, by number.
#[derive(Debug, Serialize)]
struct ChapterArticles {
    #[serde(flatten)]
    chapter: ChapterView,
    articles: Vec<VersionView>,
}

/// `admin/articles/list`.
#[derive(Debug, Serialize)]
pub(super) struct ListView {
    chapters: Vec<ChapterArticles>,
}

impl ListView {
    /// Every chapter with the latest version of each of its articles.
    pub(super) async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        let (chapters, latest) = store::chapters_and_latest(state.db.conn()).await?;
        let chapters = chapters
            .iter()
            .map(|chapter| {
                let mut articles: Vec<&culture_article::Model> = latest
                    .values()
                    .filter(|a| a.chapter_id == chapter.id)
                    .collect();
                articles
                    .sort_by(|a, b| (a.number, &a.article_key).cmp(&(b.number, &b.article_key)));
                ChapterArticles {
                    chapter: chapter_view(lang, chapter),
                    articles: articles
                        .into_iter()
                        .map(|a| version_view(lang, a))
                        .collect(),
                }
            })
            .collect();
        Ok(Self { chapters })
    }
}

/// A row of the history: a version, and whether it is the one in force today.
#[derive(Debug, Serialize)]
struct HistoryRow {
    #[serde(flatten)]
    version: VersionView,
    in_force: bool,
}

/// A category citing the article.
#[derive(Debug, Serialize)]
struct CitedBy {
    code: String,
    name: String,
}

/// An internal labour regulation article setting the article out.
#[derive(Debug, Serialize)]
struct SetOutBy {
    id: i32,
    code: String,
    title: String,
    active: bool,
}

/// `admin/articles/show`.
#[derive(Debug, Serialize)]
pub(super) struct ShowView {
    chapter: ChapterView,
    /// The latest version.
    article: VersionView,
    /// Newest first.
    versions: Vec<HistoryRow>,
    cited_by: Vec<CitedBy>,
    /// The regulation articles linked to it, active or not.
    labour_rules: Vec<SetOutBy>,
    /// An active one sets it out, so a violation of it may be disciplined (Labour Code Art.
    /// 127(3)).
    set_out: bool,
    today: String,
}

impl ShowView {
    /// The article `key` (404 when no version has it) on today's date in Hà Nội.
    pub(super) async fn load(state: &AppState, lang: Lang, key: &str) -> AppResult<Self> {
        let store::Article {
            versions,
            latest,
            chapter,
        } = store::article(state, key).await?;
        let citing = store::citing_categories(state.db.conn(), key).await?;
        let labour_rules: Vec<SetOutBy> = (store::setting_out(state.db.conn(), key).await?)
            .iter()
            .map(|rule| SetOutBy {
                id: rule.id,
                code: rule.code.clone(),
                title: lang.pick(&rule.title_vi, &rule.title_en),
                active: rule.active,
            })
            .collect();
        let today = local_date(state.clock.now());
        let in_force = version_in_force(&versions, today).map(|v| v.version);
        let history = versions
            .iter()
            .map(|v| HistoryRow {
                version: version_view(lang, v),
                in_force: Some(v.version) == in_force,
            })
            .collect();
        let cited_by = citing
            .iter()
            .map(|c| CitedBy {
                code: c.code.clone(),
                name: lang.pick(&c.name_vi, &c.name_en),
            })
            .collect();
        Ok(Self {
            chapter: chapter_view(lang, &chapter),
            article: version_view(lang, &latest),
            versions: history,
            cited_by,
            set_out: labour_rules.iter().any(|rule| rule.active),
            labour_rules,
            today: show_date(today),
        })
    }
}

/// The form's values: the article key and the version's fields.
#[derive(Debug, Serialize)]
struct FormFields<'a> {
    key: &'a str,
    #[serde(flatten)]
    input: &'a ArticleInput,
}

/// `admin/articles/form`: a next version (`latest` set) or a new article (`new`).
#[derive(Debug, Serialize)]
struct FormView<'a> {
    new: bool,
    action: String,
    chapter: ChapterView,
    latest: Option<VersionView>,
    form: FormFields<'a>,
    /// Field → message in the page's language.
    errors: Value,
}

/// A stored version as the edit form's starting values, with a new start date.
pub(super) fn input_of(v: &culture_article::Model, effective_from: NaiveDate) -> ArticleInput {
    ArticleInput {
        number: v.number.to_string(),
        title_vi: v.title_vi.clone(),
        title_en: v.title_en.clone(),
        text_vi: v.text_vi.clone(),
        text_en: v.text_en.clone(),
        effective_from: effective_from.format("%Y-%m-%d").to_string(),
    }
}

/// The form of the next version of `latest`'s article.
pub(super) fn edit_page(
    page: &PageCtx,
    chapter: &culture_chapter::Model,
    latest: &culture_article::Model,
    input: &ArticleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        new: false,
        action: format!("/admin/articles/{}/edit", latest.article_key),
        chapter: chapter_view(page.lang, chapter),
        latest: Some(version_view(page.lang, latest)),
        form: FormFields {
            key: &latest.article_key,
            input,
        },
        errors: translate(page.lang, errors),
    };
    page.render_status(status, "admin/articles/form", view)
}

/// The next-version form of `key` again with its mistakes (422), or the error that prevents it.
pub(super) async fn edit_again(
    state: &AppState,
    page: &PageCtx,
    key: &str,
    input: &ArticleInput,
    errors: &FieldErrors,
) -> AppResultPage {
    match store::article(state, key).await {
        Ok(article) => AppResultPage::Page(edit_page(
            page,
            &article.chapter,
            &article.latest,
            input,
            errors,
            Status::UnprocessableEntity,
        )),
        Err(error) => AppResultPage::Error(error),
    }
}

/// The form of a new article of `chapter`, `key` as typed or suggested.
pub(super) fn new_page(
    page: &PageCtx,
    chapter: &culture_chapter::Model,
    key: &str,
    input: &ArticleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    let view = FormView {
        new: true,
        action: format!("/admin/articles/chapters/{}/new", chapter.id),
        chapter: chapter_view(page.lang, chapter),
        latest: None,
        form: FormFields { key, input },
        errors: translate(page.lang, errors),
    };
    page.render_status(status, "admin/articles/form", view)
}
