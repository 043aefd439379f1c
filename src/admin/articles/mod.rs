//! `/admin/articles`: the versioned culture code (Bộ quy tắc ứng xử). Chapters hold articles;
//! an article has a stable key (`UXKH-03`, what categories cite) and versions. Admins read the
//! latest version of each article per chapter, an article's version history, add an article to
//! a chapter (version 1) and edit one, which adds the next version starting on a date later
//! than the current latest and closes the latest the day before. No version is ever rewritten
//! otherwise, so a report judged under an old wording keeps it. Rules live in
//! [`crate::domain::culture_code`]; `store` reads and writes (every change audited), `views`
//! shapes the pages. Chapters have no typed id (`domain::ids` has none), so their path
//! parameter stays an `i32`.

mod store;
mod views;

pub(in crate::admin) use store::article_choices;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::domain::calendar::local_date;
use crate::domain::culture_code::{is_valid_key, suggested_key, ArticleInput};
use crate::domain::ids::ChapterId;
use crate::domain::report::FieldErrors;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use views::{edit_again, edit_page, input_of, new_page, ListView, ShowView};

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

#[get("/admin/articles")]
async fn list_articles(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = ListView::load(state, page.lang).await?;
    Ok(page.render("admin/articles/list", view))
}

#[get("/admin/articles/<key>")]
async fn show_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    key: &str,
) -> AppResult<Template> {
    let view = ShowView::load(state, page.lang, key).await?;
    Ok(page.render("admin/articles/show", view))
}

/// The article form as posted; a field left out counts as empty. `key` only for a new article.
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

#[get("/admin/articles/<key>/edit")]
async fn edit_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    key: &str,
) -> AppResult<Template> {
    let article = store::article(state, key).await?;
    let today = local_date(state.clock.now());
    let input = input_of(
        &article.latest,
        store::earliest_next(&article.latest, today),
    );
    let (chapter, latest) = (&article.chapter, &article.latest);
    let errors = FieldErrors::new();
    Ok(edit_page(&page, chapter, latest, &input, &errors, Status::Ok).1)
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
    match store::version(state, &user, key, &input)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/admin/articles/{key}")),
            "flash-admin-article-versioned",
        )),
        Err(errors) => Err(edit_again(state, &page, key, &input, &errors).await),
    }
}

#[get("/admin/articles/chapters/<chapter>/new")]
async fn new_article(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    chapter: ChapterId,
) -> AppResult<Template> {
    let chapter = store::find_chapter(state, chapter.0).await?;
    let number = store::next_number(state.db.conn(), &chapter).await?;
    let today = local_date(state.clock.now());
    let input = ArticleInput {
        number: number.to_string(),
        effective_from: today.format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    let key = suggested_key(&chapter.code, number);
    let errors = FieldErrors::new();
    Ok(new_page(&page, &chapter, &key, &input, &errors, Status::Ok).1)
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
    chapter: ChapterId,
    form: Form<ArticleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let chapter = store::find_chapter(state, chapter.0)
        .await
        .map_err(AppResultPage::Error)?;
    let typed_key = form.key.clone().unwrap_or_default();
    let input = form.to_input();
    match store::create(state, &user, &chapter, &typed_key, &input)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(key) => Ok(Flash::success(
            Redirect::to(format!("/admin/articles/{key}")),
            "flash-admin-article-created",
        )),
        Err(errors) => {
            let status = Status::UnprocessableEntity;
            let again = new_page(&page, &chapter, &typed_key, &input, &errors, status);
            Err(AppResultPage::Page(again))
        }
    }
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
