//! `/cases/retention`: the periods in force, the cases near their purge (or kept), and the
//! legal-hold forms. Team leads see their teams' cases, admins every case; both see only
//! references, dates and the hold's reason, never a case's contents.

use rocket::form::{Form, FromForm};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::hold::{self, HoldRefusal};
use super::run::{candidates, Candidate, StepName};
use crate::auth::guards::Authorized;
use crate::auth::roles::RetentionKeepers;
use crate::domain::ids::CaseId;
use crate::domain::retention::RetentionClass;
use crate::domain::roles::Role;
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::pagination::Pages;
use crate::web::state::AppState;

const PAGE_SIZE: u64 = 25;

#[derive(Serialize)]
pub struct PeriodRow {
    pub class: String,
    pub years: u32,
}

#[derive(Serialize)]
pub struct CaseRow {
    pub report_id: i32,
    pub reference: String,
    pub class: String,
    pub closed_on: String,
    pub due: String,
    pub warned_on: Option<String>,
    pub state: String,
    pub held: bool,
    /// This row's form error and typed reason, after a refused hold.
    pub error: Option<String>,
    pub reason: String,
}

/// `cases/retention`.
#[derive(Serialize)]
pub struct RetentionView {
    pub warn_days: u32,
    pub periods: Vec<PeriodRow>,
    pub cases: Vec<CaseRow>,
    #[serde(flatten)]
    pub pages: Pages,
}

impl RetentionView {
    async fn load(
        state: &AppState,
        lang: Lang,
        user: &Authorized<RetentionKeepers>,
        page: Option<u64>,
    ) -> AppResult<Self> {
        let settings = &state.config.retention;
        let teams = crate::case_management::access::Viewer::of(state.db.conn(), user.user.clone())
            .await?
            .team_ids;
        let mine: Vec<Candidate> = candidates(state, state.clock.today())
            .await?
            .into_iter()
            .filter(|c| user.has(Role::Admin) || c.team_id.is_some_and(|t| teams.contains(&t)))
            .collect();
        let pages = Pages::of(mine.len() as u64, PAGE_SIZE, page);
        Ok(Self {
            warn_days: settings.warn_days,
            periods: RetentionClass::ALL
                .into_iter()
                .map(|c| PeriodRow {
                    class: lang.t(c.label_key()),
                    years: settings.years(c),
                })
                .collect(),
            cases: pages
                .slice(&mine, PAGE_SIZE)
                .iter()
                .map(|c| row(lang, c))
                .collect(),
            pages,
        })
    }
}

fn row(lang: Lang, c: &Candidate) -> CaseRow {
    let state = match (c.step, &c.hold) {
        (_, Some(reason)) => lang.t_args("retention-step-held", &[("reason", reason.clone())]),
        (StepName::Wait | StepName::Held, None) => lang.t("retention-step-wait"),
        (StepName::Warn, None) => lang.t("retention-step-warn"),
        (StepName::Purge, None) => lang.t("retention-step-purge"),
    };
    CaseRow {
        report_id: c.report_id,
        reference: c.reference.clone(),
        class: lang.t(c.class.label_key()),
        closed_on: show_date(c.closed_on),
        due: show_date(c.due),
        warned_on: c.warned_on.map(show_date),
        state,
        held: c.hold.is_some(),
        error: None,
        reason: String::new(),
    }
}

#[derive(Debug, FromForm)]
pub struct HoldForm {
    pub reason: Option<String>,
    pub confirm: bool,
}

#[get("/cases/retention?<page>")]
pub async fn show_retention(
    page_ctx: PageCtx,
    state: &State<AppState>,
    user: Authorized<RetentionKeepers>,
    page: Option<u64>,
) -> AppResult<Template> {
    let view = RetentionView::load(state, page_ctx.lang, &user, page).await?;
    Ok(page_ctx.render("cases/retention", view))
}

#[post("/cases/<id>/legal-hold", data = "<form>")]
pub async fn set_hold(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<RetentionKeepers>,
    id: CaseId,
    form: Form<HoldForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let reason = form.reason.clone().unwrap_or_default();
    let outcome = changed(state, &user, id, Some(&reason)).await?;
    done(&page, state, &user, id, outcome, reason, "flash-hold-set").await
}

#[post("/cases/<id>/legal-hold/lift", data = "<form>")]
pub async fn lift_hold(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<RetentionKeepers>,
    id: CaseId,
    form: Form<HoldForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let outcome = if form.confirm {
        changed(state, &user, id, None).await?
    } else {
        Err(HoldRefusal::Reason("error-lift-confirm"))
    };
    done(
        &page,
        state,
        &user,
        id,
        outcome,
        String::new(),
        "flash-hold-lifted",
    )
    .await
}

/// The hold changed, after checking that this user may change it: a team lead only on their
/// teams' cases (404 otherwise, as everywhere a case is out of reach).
async fn changed(
    state: &AppState,
    user: &Authorized<RetentionKeepers>,
    id: CaseId,
    reason: Option<&str>,
) -> Result<Result<(), HoldRefusal>, AppResultPage> {
    let reachable = async {
        if user.has(Role::Admin) {
            return Ok::<_, AppError>(());
        }
        let viewer =
            crate::case_management::access::Viewer::of(state.db.conn(), user.user.clone()).await?;
        crate::case_management::access::load_case(state.db.conn(), &viewer, id.0).await?;
        Ok(())
    };
    reachable.await.map_err(AppResultPage::Error)?;
    hold::change(state, user, id.0, reason)
        .await
        .map_err(AppResultPage::Error)
}

/// Back to the list with a message, or the list again with the row's error and what was typed.
async fn done(
    page: &PageCtx,
    state: &AppState,
    user: &Authorized<RetentionKeepers>,
    id: CaseId,
    outcome: Result<(), HoldRefusal>,
    reason: String,
    flash: &'static str,
) -> Result<Flash<Redirect>, AppResultPage> {
    let key = match outcome {
        Ok(()) => return Ok(Flash::success(Redirect::to("/cases/retention"), flash)),
        Err(HoldRefusal::Reason(key)) => key,
        Err(HoldRefusal::Purged) => "error-hold-purged",
    };
    let mut view = RetentionView::load(state, page.lang, user, None)
        .await
        .map_err(AppResultPage::Error)?;
    for row in view.cases.iter_mut().filter(|r| r.report_id == id.0) {
        row.error = Some(page.lang.t(key));
        row.reason = reason.clone();
    }
    Err(AppResultPage::Page(page.render_status(
        rocket::http::Status::UnprocessableEntity,
        "cases/retention",
        view,
    )))
}
