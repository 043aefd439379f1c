//! `/admin/categories`: violation categories, the list a reporter picks from. Each has a stable
//! snake_case code (fixed once created), names and descriptions in both languages, a default
//! severity (severe categories route above the local unit), the Labour Code flag for violations
//! tied to finance, assets or secrets (12-month discipline limit instead of 6), a sort order and
//! the culture-code articles it cites, by stable article key (`category_article`, replaced as a
//! set on save). Categories are deactivated, never deleted, so old reports keep theirs; both
//! deactivation and reactivation go through a confirmation page (`activation`). Every change is
//! audited. The rules of the form live in [`crate::domain::category`]; `store` reads and
//! writes, `views` shapes the pages.

mod activation;
mod store;
mod views;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::domain::ids::CategoryId;
use crate::domain::report::FieldErrors;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use views::{form_again, form_page, input_of, ListView};

pub use crate::domain::category::{
    normalise_code, CategoryFields, CategoryInput, Severity, CODE_MAX, DESCRIPTION_MAX, NAME_MAX,
    SORT_MAX,
};

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_categories,
        new_category,
        create_category,
        edit_category,
        update_category,
    ]
}

#[get("/admin/categories")]
async fn list_categories(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let rows = store::all_with_articles(state.db.conn()).await?;
    Ok(page.render("admin/categories/list", ListView::build(page.lang, &rows)))
}

/// The category form as posted; a field left out counts as empty.
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
    let choices = store::article_choices(conn, page.lang).await?;
    let input = CategoryInput {
        severity: Severity::Normal.as_str().to_string(),
        sort_order: store::next_sort_order(conn).await?.to_string(),
        ..Default::default()
    };
    let errors = FieldErrors::new();
    Ok(form_page(&page, None, &choices, &input, &errors, Status::Ok).1)
}

#[post("/admin/categories", data = "<form>")]
async fn create_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<CategoryForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    let choices = store::article_choices(state.db.conn(), page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    match store::create(state, &user, &input, &choices)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/categories"),
            "flash-admin-category-created",
        )),
        Err(errors) => Err(form_again(&page, None, &choices, &input, &errors)),
    }
}

#[get("/admin/categories/<id>/edit")]
async fn edit_category(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: CategoryId,
) -> AppResult<Template> {
    let category = store::find_category(state, id.0).await?;
    let conn = state.db.conn();
    let choices = store::article_choices(conn, page.lang).await?;
    let input = input_of(&category, store::cited_articles(conn, id.0).await?);
    let errors = FieldErrors::new();
    Ok(form_page(
        &page,
        Some(&category),
        &choices,
        &input,
        &errors,
        Status::Ok,
    )
    .1)
}

#[post("/admin/categories/<id>/edit", data = "<form>")]
async fn update_category(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: CategoryId,
    form: Form<CategoryForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let (category, choices) = store::edited(state, id.0, page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    // The code is fixed once created, whatever the form says.
    let input = CategoryInput {
        code: category.code.clone(),
        ..form.to_input()
    };
    match store::update(state, &user, id.0, &input, &choices)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(changed) => Ok(after_update(changed)),
        Err(errors) => Err(form_again(
            &page,
            Some(&category),
            &choices,
            &input,
            &errors,
        )),
    }
}

/// Back to the list after an edit, saying whether anything was saved.
fn after_update(changed: bool) -> Flash<Redirect> {
    let key = if changed {
        "flash-admin-category-updated"
    } else {
        "flash-admin-nothing-changed"
    };
    Flash::success(Redirect::to("/admin/categories"), key)
}
