//! `/cases/<id>/discipline…`: the findings and decisions of a concluded case and the appeal
//! (the printable record is in [`super::print`]). Guarded by `Authorized<Investigators>` plus
//! [`load_case`](crate::case_management::access::load_case), so other teams get 404. Handlers
//! are thin: forms in, [`super::service`] does the work, [`super::views`] and
//! [`super::decision_form`] build what the pages show.

use std::collections::HashMap;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;

use super::decision_form::{DecisionFormRequest, DecisionFormView};
use super::service::{self, DecisionInput, DisciplineError, FindingInput, Recorded};
use super::views::{visible_case, FindingDeleteView, FindingFormView, OverviewView};
use crate::auth::{Authorized, Investigators};
use crate::case_management::access::Viewer;
use crate::domain::ids::{CaseId, DecisionId, FindingId};
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of the case's discipline pages.
pub fn routes() -> Vec<Route> {
    routes![
        show_discipline,
        new_finding,
        create_finding,
        confirm_delete_finding,
        delete_finding,
        new_decision,
        create_decision,
        change_appeal,
    ]
}

async fn viewer(state: &AppState, user: &Authorized<Investigators>) -> AppResult<Viewer> {
    Viewer::of(state.db.conn(), user.user.clone()).await
}

/// Back to the case's discipline page with a flash message.
fn back_to_case(id: CaseId, flash: &'static str) -> Flash<Redirect> {
    Flash::success(Redirect::to(format!("/cases/{id}/discipline")), flash)
}

/// The discipline page with `key`'s message at the top and `status`.
async fn overview_with_error(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: CaseId,
    status: Status,
    key: &str,
) -> AppResultPage {
    match OverviewView::with_error(state, page.lang, viewer, id, key).await {
        Ok(view) => AppResultPage::Page(page.render_status(status, "discipline/show", view)),
        Err(e) => AppResultPage::Error(e),
    }
}

/// Maps the errors that are not a form to correct.
async fn refused(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: CaseId,
    error: DisciplineError,
) -> AppResultPage {
    let (status, key) = match error {
        DisciplineError::NotEligible => (Status::Conflict, "error-discipline-not-eligible"),
        DisciplineError::Conflict(key) => (Status::Conflict, key),
        DisciplineError::Other(e) => return AppResultPage::Error(e),
        DisciplineError::Invalid(problems) => (
            Status::UnprocessableEntity,
            problems
                .values()
                .next()
                .map(|p| p.key)
                .unwrap_or("error-discipline-not-eligible"),
        ),
    };
    overview_with_error(state, page, viewer, id, status, key).await
}

// ---------------------------------------------------------------------------------------------
// The case's discipline page
// ---------------------------------------------------------------------------------------------

#[get("/cases/<id>/discipline")]
async fn show_discipline(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let (case, _) = visible_case(state, &viewer, id).await?;
    let view = OverviewView::load(state, page.lang, &viewer, &case).await?;
    Ok(page.render("discipline/show", view))
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, FromForm)]
struct FindingForm {
    employee_number: Option<String>,
    violation_date: Option<String>,
    articles: Vec<String>,
    finance_assets_secrets: bool,
    finance_assets_reason: Option<String>,
}

impl FindingForm {
    fn to_input(&self) -> FindingInput {
        FindingInput {
            employee_number: self.employee_number.clone().unwrap_or_default(),
            violation_date: self.violation_date.clone().unwrap_or_default(),
            articles: self.articles.clone(),
            finance_assets_secrets: self.finance_assets_secrets,
            finance_assets_reason: self.finance_assets_reason.clone().unwrap_or_default(),
        }
    }
}

#[get("/cases/<id>/discipline/findings/new")]
async fn new_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
) -> AppResult<(Status, Template)> {
    let viewer = viewer(state, &user).await?;
    let view = FindingFormView::start(state, page.lang, &viewer, id).await?;
    Ok(view.render(&page, "discipline/finding_form"))
}

#[post("/cases/<id>/discipline/findings", data = "<form>")]
async fn create_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    form: Form<FindingForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match service::record_finding(state, &viewer, id, &input).await {
        Ok(_) => Ok(back_to_case(id, "flash-discipline-finding-recorded")),
        Err(e) => Err(finding_refused(state, &page, &viewer, id, input, e).await),
    }
}

/// The finding form again (422) with its problems, or the other refusals.
async fn finding_refused(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: CaseId,
    input: FindingInput,
    error: DisciplineError,
) -> AppResultPage {
    let DisciplineError::Invalid(problems) = error else {
        return refused(state, page, viewer, id, error).await;
    };
    let view = match visible_case(state, viewer, id).await {
        Ok((case, _)) => FindingFormView::build(state, page.lang, &case, input, &problems).await,
        Err(e) => Err(e),
    };
    match view {
        Ok(view) => AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "discipline/finding_form",
            view,
        )),
        Err(e) => AppResultPage::Error(e),
    }
}

#[get("/cases/<id>/discipline/findings/<finding>/delete")]
async fn confirm_delete_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    finding: FindingId,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let view = FindingDeleteView::load(state, page.lang, &viewer, id, finding).await?;
    Ok(page.render("discipline/finding_delete", view))
}

#[post("/cases/<id>/discipline/findings/<finding>/delete")]
async fn delete_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    finding: FindingId,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    match service::delete_finding(state, &viewer, id, finding).await {
        Ok(()) => Ok(back_to_case(id, "flash-discipline-finding-deleted")),
        Err(e) => Err(refused(state, &page, &viewer, id, e).await),
    }
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, FromForm)]
struct DecisionForm {
    measure: Option<String>,
    others: HashMap<i32, String>,
    deferral_months: Option<String>,
    decision_number: Option<String>,
    decision_date: Option<String>,
    signer_name: Option<String>,
    signer_title: Option<String>,
    representative_took_part: bool,
    employee_heard: bool,
    representative_absence: Option<String>,
    employee_absence: Option<String>,
    minutes_reference: Option<String>,
    protected_state_checked: bool,
    protected_state_found: Option<String>,
    extension_reason: Option<String>,
    extension_legal_basis: Option<String>,
    extension_period_ended: Option<String>,
    dismissal_ground: Option<String>,
}

impl DecisionForm {
    fn to_input(&self) -> DecisionInput {
        let text = |f: &Option<String>| f.clone().unwrap_or_default();
        DecisionInput {
            measure: text(&self.measure),
            others: self.others.iter().map(|(k, v)| (*k, v.clone())).collect(),
            deferral_months: text(&self.deferral_months),
            decision_number: text(&self.decision_number),
            decision_date: text(&self.decision_date),
            signer_name: text(&self.signer_name),
            signer_title: text(&self.signer_title),
            representative_took_part: self.representative_took_part,
            employee_heard: self.employee_heard,
            representative_absence: text(&self.representative_absence),
            employee_absence: text(&self.employee_absence),
            minutes_reference: text(&self.minutes_reference),
            protected_state_checked: self.protected_state_checked,
            protected_state_found: text(&self.protected_state_found),
            extension_reason: text(&self.extension_reason),
            extension_legal_basis: text(&self.extension_legal_basis),
            extension_period_ended: text(&self.extension_period_ended),
            dismissal_ground: text(&self.dismissal_ground),
        }
    }
}

#[get("/cases/<id>/discipline/findings/<finding>/decision")]
async fn new_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    finding: FindingId,
) -> AppResult<(Status, Template)> {
    let viewer = viewer(state, &user).await?;
    let view = DecisionFormView::start(state, page.lang, &viewer, id, finding).await?;
    Ok(view.render(&page, "discipline/decision_form"))
}

#[post("/cases/<id>/discipline/findings/<finding>/decision", data = "<form>")]
async fn create_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    finding: FindingId,
    form: Form<DecisionForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match service::record_decision(state, &viewer, id, finding, &input).await {
        Ok(recorded) => Ok(back_to_case(id, decided_flash(&recorded))),
        Err(e) => Err(decision_refused(state, &page, &viewer, id, finding, input, e).await),
    }
}

/// The flash after a decision: combined when it handled several violations.
fn decided_flash(recorded: &Recorded) -> &'static str {
    if recorded.findings.len() > 1 {
        "flash-discipline-decision-combined"
    } else {
        "flash-discipline-decision-recorded"
    }
}

/// The decision form again (422) with its problems, or the other refusals.
async fn decision_refused(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: CaseId,
    finding: FindingId,
    input: DecisionInput,
    error: DisciplineError,
) -> AppResultPage {
    let DisciplineError::Invalid(problems) = error else {
        return refused(state, page, viewer, id, error).await;
    };
    let request = DecisionFormRequest {
        viewer,
        id,
        finding,
        input,
        problems,
    };
    let view = match visible_case(state, viewer, id).await {
        Ok((case, _)) => DecisionFormView::build(state, page.lang, &case, request).await,
        Err(e) => Err(e),
    };
    match view {
        Ok(view) => AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "discipline/decision_form",
            view,
        )),
        Err(e) => AppResultPage::Error(e),
    }
}

#[derive(Debug, FromForm)]
struct AppealForm {
    status: Option<String>,
}

#[post("/cases/<id>/discipline/decisions/<decision>/appeal", data = "<form>")]
async fn change_appeal(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    decision: DecisionId,
    form: Form<AppealForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let to = form.status.clone().unwrap_or_default();
    match service::change_appeal(state, &viewer, id, decision, &to).await {
        Ok(()) => Ok(back_to_case(id, "flash-discipline-appeal-updated")),
        Err(e) => Err(refused(state, &page, &viewer, id, e).await),
    }
}
