//! `/admin/labour-rules`: the internal labour regulations (nội quy lao động, Labour Code 2019
//! Art. 118), the basis every disciplinary decision must rest on (Art. 127(3)). Each article
//! has a code ("Điều 12", corrected when the regulations are renumbered), titles in both
//! languages, a short Vietnamese text, and the culture-code articles it sets out, by stable
//! article key (`culture_article_labour_rule`, replaced as a set on save; the links are edited
//! here, and each culture-code article's page lists them). The list, in the regulations' own
//! order, is paginated and names the culture-code articles no active article sets out.
//! Articles are deactivated, never deleted, through a confirmation page (`activation`):
//! decisions keep a copy of what they cited. Every change is audited. The rules of the form
//! live in [`crate::domain::labour_rule`]; `store` reads and writes, `views` shapes the pages.

mod activation;
mod store;
mod views;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::domain::ids::LabourRuleId;
use crate::domain::labour_rule::LabourRuleInput;
use crate::domain::report::FieldErrors;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use views::{form_again, form_page, input_of, ListView};

pub use views::PAGE_SIZE;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_labour_rules,
        new_labour_rule,
        create_labour_rule,
        edit_labour_rule,
        update_labour_rule,
    ]
}

#[get("/admin/labour-rules?<page>")]
async fn list_labour_rules(
    _user: Authorized<Admins>,
    page_ctx: PageCtx,
    state: &State<AppState>,
    page: Option<u64>,
) -> AppResult<Template> {
    let view = ListView::load(state, page_ctx.lang, page).await?;
    Ok(page_ctx.render("admin/labour_rules/list", view))
}

/// The form as posted; a field left out counts as empty.
#[derive(Debug, Default, FromForm)]
struct LabourRuleForm {
    code: Option<String>,
    title_vi: Option<String>,
    title_en: Option<String>,
    text_vi: Option<String>,
    articles: Vec<String>,
}

impl LabourRuleForm {
    fn to_input(&self) -> LabourRuleInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        LabourRuleInput {
            code: text(&self.code),
            title_vi: text(&self.title_vi),
            title_en: text(&self.title_en),
            text_vi: text(&self.text_vi),
            articles: self.articles.clone(),
        }
    }
}

#[get("/admin/labour-rules/new")]
async fn new_labour_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let choices = store::article_choices(state.db.conn(), page.lang).await?;
    let (input, errors) = (LabourRuleInput::default(), FieldErrors::new());
    Ok(form_page(&page, None, &choices, &input, &errors, Status::Ok).1)
}

#[post("/admin/labour-rules", data = "<form>")]
async fn create_labour_rule(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<LabourRuleForm>,
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
            Redirect::to("/admin/labour-rules"),
            "flash-admin-labour-rule-created",
        )),
        Err(errors) => Err(form_again(&page, None, &choices, &input, &errors)),
    }
}

#[get("/admin/labour-rules/<id>/edit")]
async fn edit_labour_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: LabourRuleId,
) -> AppResult<Template> {
    let linked = store::find_linked(state, id.0).await?;
    let choices = store::article_choices(state.db.conn(), page.lang).await?;
    let (input, errors) = (input_of(&linked), FieldErrors::new());
    Ok(form_page(
        &page,
        Some(&linked.0),
        &choices,
        &input,
        &errors,
        Status::Ok,
    )
    .1)
}

#[post("/admin/labour-rules/<id>/edit", data = "<form>")]
async fn update_labour_rule(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: LabourRuleId,
    form: Form<LabourRuleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let (rule, _) = store::find_linked(state, id.0)
        .await
        .map_err(AppResultPage::Error)?;
    let choices = store::article_choices(state.db.conn(), page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match store::update(state, &user, id.0, &input, &choices)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(changed) => Ok(after_update(changed)),
        Err(errors) => Err(form_again(&page, Some(&rule), &choices, &input, &errors)),
    }
}

/// Back to the list after an edit, saying whether anything was saved.
fn after_update(changed: bool) -> Flash<Redirect> {
    let key = if changed {
        "flash-admin-labour-rule-updated"
    } else {
        "flash-admin-nothing-changed"
    };
    Flash::success(Redirect::to("/admin/labour-rules"), key)
}
