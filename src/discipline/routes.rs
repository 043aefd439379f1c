//! `/cases/<id>/discipline…`: the findings and decisions of a concluded case, the appeal, and
//! the printable decision record. Handlers are thin: forms in, [`super::service`] does the work.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use super::service::{
    self, internal_measures, measure_label, measure_of, DecisionInput, DisciplineError,
    FindingInput, FindingRow, Problems,
};
use crate::auth::Authorized;
use crate::auth::Investigators;
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::intake::load_calendar;
use crate::case_management::reference_of;
use crate::domain::calendar::local_date;
use crate::domain::discipline::{self, AppealStatus, Measure, ProtectedState};
use crate::domain::roles::Role;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    case_file, category_article, culture_article, discipline_decision, discipline_finding,
    internal_measure, org_unit, staff_member, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

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
        print_decision,
    ]
}

async fn viewer(state: &AppState, user: &Authorized<Investigators>) -> AppResult<Viewer> {
    Viewer::of(state.db.conn(), user.user.clone()).await
}

fn translate(lang: Lang, problems: &Problems) -> Value {
    Value::Object(
        problems
            .iter()
            .map(|(field, problem)| ((*field).to_string(), json!(problem.text(lang))))
            .collect(),
    )
}

fn case_view(lang: Lang, case: &case_file::Model) -> Value {
    json!({
        "id": case.report_id,
        "reference": reference_of(case),
        "finding": case.finding.as_deref().and_then(Finding::parse).map(|f| lang.t(&f.label_key())),
        "conclusion": case.conclusion_summary,
        "eligible": service::eligible(case),
    })
}

fn staff_view(staff: Option<&staff_member::Model>) -> Value {
    match staff {
        Some(s) => {
            json!({"id": s.id, "name": s.full_name, "number": s.employee_number, "position": s.position})
        }
        None => Value::Null,
    }
}

fn article_view(lang: Lang, v: &culture_article::Model) -> Value {
    json!({
        "key": v.article_key,
        "number": v.number,
        "version": v.version,
        "title": lang.pick(&v.title_vi, &v.title_en),
        "title_vi": v.title_vi,
    })
}

fn appeal_label(lang: Lang, status: &str) -> String {
    AppealStatus::parse(status)
        .map(|s| lang.t(&s.label_key()))
        .unwrap_or_else(|| status.to_string())
}

fn decision_view(
    lang: Lang,
    d: &discipline_decision::Model,
    internal: &BTreeMap<i32, internal_measure::Model>,
    staff: Option<&staff_member::Model>,
) -> Value {
    let measure = measure_of(d);
    let appeal = AppealStatus::parse(&d.appeal_status).unwrap_or(AppealStatus::None);
    json!({
        "id": d.id,
        "report_id": d.report_id,
        "number": d.decision_number,
        "date": show_date(d.decision_date),
        "measure": measure.map(|m| measure_label(m, lang, internal)),
        "disciplinary": measure.is_some_and(|m| m.is_disciplinary()),
        "clears_on": d.clears_on.map(show_date),
        "appeal": appeal_label(lang, &d.appeal_status),
        "appeal_next": appeal.next().iter().map(|s| json!({"code": s.as_str(), "label": lang.t(&s.label_key())})).collect::<Vec<_>>(),
        "extension": d.extension_reason.is_some(),
        "staff": staff_view(staff),
    })
}

// ---------------------------------------------------------------------------------------------
// The case's discipline page
// ---------------------------------------------------------------------------------------------

async fn overview_context(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    case: &case_file::Model,
) -> AppResult<Value> {
    let conn = state.db.conn();
    let rows = service::finding_rows(
        conn,
        sea_orm::Condition::all().add(discipline_finding::Column::ReportId.eq(case.report_id)),
    )
    .await?;
    let internal = internal_measures(conn).await?;
    let mut decisions_elsewhere: HashMap<i32, String> = HashMap::new();
    for row in &rows {
        if let Some(d) = row
            .decision
            .as_ref()
            .filter(|d| d.report_id != case.report_id)
        {
            if let Some(other) = case_file::Entity::find()
                .filter(case_file::Column::ReportId.eq(d.report_id))
                .one(conn)
                .await?
            {
                decisions_elsewhere.insert(d.id, reference_of(&other));
            }
        }
    }
    let findings: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "id": row.finding.id,
                "staff": staff_view(row.staff.as_ref()),
                "violation_date": show_date(row.finding.violation_date),
                "articles": row.articles.iter().map(|a| article_view(lang, a)).collect::<Vec<_>>(),
                "decision": row.decision.as_ref().map(|d| decision_view(lang, d, &internal, row.staff.as_ref())),
                "decided_in": row.decision.as_ref().and_then(|d| decisions_elsewhere.get(&d.id)),
            })
        })
        .collect();
    let decisions = discipline_decision::Entity::find()
        .filter(discipline_decision::Column::ReportId.eq(case.report_id))
        .all(conn)
        .await?;
    let staff: HashMap<i32, staff_member::Model> = staff_member::Entity::find()
        .filter(staff_member::Column::Id.is_in(decisions.iter().map(|d| d.staff_member_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let decisions: Vec<Value> = decisions
        .iter()
        .map(|d| decision_view(lang, d, &internal, staff.get(&d.staff_member_id)))
        .collect();
    Ok(json!({
        "case": case_view(lang, case),
        "findings": findings,
        "decisions": decisions,
        "can_see_history": viewer.user.has(Role::TeamLead) || viewer.user.has(Role::Leadership),
        "errors": {},
    }))
}

#[get("/cases/<id>/discipline")]
async fn show_discipline(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let (case, _) = load_case(state.db.conn(), &viewer, id).await?;
    let context = overview_context(state, page.lang, &viewer, &case).await?;
    Ok(page.render("discipline/show", context))
}

/// The discipline page again with a message at the top and `status`.
async fn overview_with_error(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: i32,
    status: Status,
    key: &str,
) -> AppResultPage {
    let case = match load_case(state.db.conn(), viewer, id).await {
        Ok((case, _)) => case,
        Err(e) => return AppResultPage::Error(e),
    };
    match overview_context(state, page.lang, viewer, &case).await {
        Ok(mut context) => {
            context["error_summary"] = json!(page.lang.t(key));
            AppResultPage::Page(page.render_status(status, "discipline/show", context))
        }
        Err(e) => AppResultPage::Error(e),
    }
}

/// The discipline page with the reason nothing can be recorded yet (409).
async fn not_eligible(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    case: &case_file::Model,
) -> AppResult<(Status, Template)> {
    let mut context = overview_context(state, page.lang, viewer, case).await?;
    context["error_summary"] = json!(page.lang.t("error-discipline-not-eligible"));
    Ok(page.render_status(Status::Conflict, "discipline/show", context))
}

/// Maps the errors that are not a form to correct.
async fn refused(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: i32,
    error: DisciplineError,
) -> AppResultPage {
    match error {
        DisciplineError::NotEligible => {
            overview_with_error(
                state,
                page,
                viewer,
                id,
                Status::Conflict,
                "error-discipline-not-eligible",
            )
            .await
        }
        DisciplineError::Conflict(key) => {
            overview_with_error(state, page, viewer, id, Status::Conflict, key).await
        }
        DisciplineError::Other(e) => AppResultPage::Error(e),
        DisciplineError::Invalid(problems) => {
            let key = problems
                .values()
                .next()
                .map(|p| p.key)
                .unwrap_or("error-discipline-not-eligible");
            overview_with_error(state, page, viewer, id, Status::UnprocessableEntity, key).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, FromForm)]
struct FindingForm {
    employee_number: Option<String>,
    violation_date: Option<String>,
    articles: Vec<String>,
}

impl FindingForm {
    fn to_input(&self) -> FindingInput {
        FindingInput {
            employee_number: self.employee_number.clone().unwrap_or_default(),
            violation_date: self.violation_date.clone().unwrap_or_default(),
            articles: self.articles.clone(),
        }
    }
}

/// Every article key with its latest number and title, for the checkboxes.
async fn article_choices<C: ConnectionTrait>(conn: &C, lang: Lang) -> AppResult<Vec<Value>> {
    let mut latest: BTreeMap<String, culture_article::Model> = BTreeMap::new();
    for version in culture_article::Entity::find().all(conn).await? {
        let newer = latest
            .get(&version.article_key)
            .is_none_or(|seen| seen.version < version.version);
        if newer {
            latest.insert(version.article_key.clone(), version);
        }
    }
    Ok(latest
        .values()
        .map(|v| json!({"key": v.article_key, "number": v.number, "title": lang.pick(&v.title_vi, &v.title_en)}))
        .collect())
}

async fn finding_form(
    state: &AppState,
    page: &PageCtx,
    case: &case_file::Model,
    input: &FindingInput,
    problems: &Problems,
    status: Status,
) -> AppResult<(Status, Template)> {
    let conn = state.db.conn();
    Ok(page.render_status(
        status,
        "discipline/finding_form",
        json!({
            "case": case_view(page.lang, case),
            "form": input,
            "errors": translate(page.lang, problems),
            "article_choices": article_choices(conn, page.lang).await?,
        }),
    ))
}

#[get("/cases/<id>/discipline/findings/new")]
async fn new_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
) -> AppResult<(Status, Template)> {
    let viewer = viewer(state, &user).await?;
    let conn = state.db.conn();
    let (case, report) = load_case(conn, &viewer, id).await?;
    if !service::eligible(&case) {
        return not_eligible(state, &page, &viewer, &case).await;
    }
    // Start from what the report says: the confirmed staff member, the day it happened, the
    // articles its category cites.
    let employee_number = match case.named_staff_member_id {
        Some(staff) => staff_member::Entity::find_by_id(staff)
            .one(conn)
            .await?
            .map(|s| s.employee_number),
        None => report.staff_number.clone(),
    };
    let articles = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(case.category_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.article_key)
        .collect();
    let input = FindingInput {
        employee_number: employee_number.unwrap_or_default(),
        violation_date: report.occurred_on.format("%Y-%m-%d").to_string(),
        articles,
    };
    finding_form(state, &page, &case, &input, &Problems::new(), Status::Ok).await
}

#[post("/cases/<id>/discipline/findings", data = "<form>")]
async fn create_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    form: Form<FindingForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match service::record_finding(state, &viewer, id, &input).await {
        Ok(_) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}/discipline")),
            "flash-discipline-finding-recorded",
        )),
        Err(DisciplineError::Invalid(problems)) => {
            let case = load_case(state.db.conn(), &viewer, id)
                .await
                .map_err(AppResultPage::Error)?
                .0;
            Err(AppResultPage::Page(
                finding_form(
                    state,
                    &page,
                    &case,
                    &input,
                    &problems,
                    Status::UnprocessableEntity,
                )
                .await
                .map_err(AppResultPage::Error)?,
            ))
        }
        Err(other) => Err(refused(state, &page, &viewer, id, other).await),
    }
}

async fn finding_row(state: &AppState, report_id: i32, finding_id: i32) -> AppResult<FindingRow> {
    service::finding_rows(
        state.db.conn(),
        sea_orm::Condition::all()
            .add(discipline_finding::Column::Id.eq(finding_id))
            .add(discipline_finding::Column::ReportId.eq(report_id)),
    )
    .await?
    .into_iter()
    .next()
    .ok_or(AppError::NotFound)
}

#[get("/cases/<id>/discipline/findings/<finding>/delete")]
async fn confirm_delete_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    finding: i32,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let (case, _) = load_case(state.db.conn(), &viewer, id).await?;
    let row = finding_row(state, id, finding).await?;
    Ok(page.render(
        "discipline/finding_delete",
        json!({
            "case": case_view(page.lang, &case),
            "finding": {
                "id": row.finding.id,
                "staff": staff_view(row.staff.as_ref()),
                "violation_date": show_date(row.finding.violation_date),
                "decided": row.decision.is_some(),
            },
        }),
    ))
}

#[post("/cases/<id>/discipline/findings/<finding>/delete")]
async fn delete_finding(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    finding: i32,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    match service::delete_finding(state, &viewer, id, finding).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}/discipline")),
            "flash-discipline-finding-deleted",
        )),
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
    minutes_reference: Option<String>,
    protected_state_checked: bool,
    protected_state_found: Option<String>,
    extension_reason: Option<String>,
    extension_legal_basis: Option<String>,
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
            minutes_reference: text(&self.minutes_reference),
            protected_state_checked: self.protected_state_checked,
            protected_state_found: text(&self.protected_state_found),
            extension_reason: text(&self.extension_reason),
            extension_legal_basis: text(&self.extension_legal_basis),
        }
    }
}

/// The measures a decision may apply: the Labour Code forms, then the active internal ones.
fn measure_choices(lang: Lang, internal: &BTreeMap<i32, internal_measure::Model>) -> Value {
    let labour: Vec<Value> = [
        Measure::Reprimand,
        Measure::PayRiseDeferral { months: 0 },
        Measure::RemovalFromPost,
        Measure::Dismissal,
    ]
    .iter()
    .map(|m| json!({"value": m.choice(), "label": lang.t(m.label_key())}))
    .collect();
    let internal: Vec<Value> = internal
        .values()
        .filter(|m| m.active)
        .map(|m| json!({"value": Measure::Internal(m.id).choice(), "label": lang.pick(&m.name_vi, &m.name_en)}))
        .collect();
    json!({"labour": labour, "internal": internal})
}

#[expect(
    clippy::too_many_arguments,
    reason = "the form's context: who asks, which case and finding, what was typed, what is wrong"
)]
async fn decision_form(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    case: &case_file::Model,
    finding_id: i32,
    input: &DecisionInput,
    problems: &Problems,
    status: Status,
) -> AppResult<(Status, Template)> {
    let conn = state.db.conn();
    let lang = page.lang;
    let row = finding_row(state, case.report_id, finding_id).await?;
    let internal = internal_measures(conn).await?;
    let settings = &state.config.discipline;
    let finance = violation_category::Entity::find_by_id(case.category_id)
        .one(conn)
        .await?
        .is_some_and(|c| c.finance_assets_secrets);
    let calendar = load_calendar(conn).await?;
    let last_day =
        discipline::limitation_ends(row.finding.violation_date, finance, settings, &calendar);
    // Other undecided violations of the same person, in cases this viewer may open.
    let candidates = service::finding_rows(
        conn,
        sea_orm::Condition::all()
            .add(discipline_finding::Column::StaffMemberId.eq(row.finding.staff_member_id))
            .add(discipline_finding::Column::Id.ne(row.finding.id))
            .add(discipline_finding::Column::DecisionId.is_null()),
    )
    .await?;
    let mut others = Vec::new();
    for other in candidates {
        if let Ok((other_case, _)) = load_case(conn, viewer, other.finding.report_id).await {
            if service::eligible(&other_case) {
                others.push(json!({
                    "id": other.finding.id,
                    "reference": reference_of(&other_case),
                    "violation_date": show_date(other.finding.violation_date),
                    "articles": other.articles.iter().map(|a| article_view(lang, a)).collect::<Vec<_>>(),
                    "choice": input.others.get(&other.finding.id).cloned().unwrap_or_default(),
                }));
            }
        }
    }
    Ok(page.render_status(
        status,
        "discipline/decision_form",
        json!({
            "case": case_view(lang, case),
            "finding": {
                "id": row.finding.id,
                "violation_date": show_date(row.finding.violation_date),
                "articles": row.articles.iter().map(|a| article_view(lang, a)).collect::<Vec<_>>(),
                "decided": row.decision.is_some(),
            },
            "staff": staff_view(row.staff.as_ref()),
            "others": others,
            "limitation": {
                "last_day": show_date(last_day),
                "months": if finance { settings.limitation_months_finance } else { settings.limitation_months },
                "finance": finance,
            },
            "max_deferral": settings.max_deferral_months,
            "measures": measure_choices(lang, &internal),
            "protected_states": ProtectedState::ALL.iter().map(|s| json!({"code": s.as_str(), "label": lang.t(&s.label_key())})).collect::<Vec<_>>(),
            "form": input,
            "errors": translate(lang, problems),
            "error_summary": (!problems.is_empty()).then(|| lang.t("error-discipline-form-summary")),
        }),
    ))
}

#[get("/cases/<id>/discipline/findings/<finding>/decision")]
async fn new_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    finding: i32,
) -> AppResult<(Status, Template)> {
    let viewer = viewer(state, &user).await?;
    let (case, _) = load_case(state.db.conn(), &viewer, id).await?;
    if !service::eligible(&case) {
        return not_eligible(state, &page, &viewer, &case).await;
    }
    let input = DecisionInput {
        decision_date: local_date(state.clock.now()).format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    decision_form(
        state,
        &page,
        &viewer,
        &case,
        finding,
        &input,
        &Problems::new(),
        Status::Ok,
    )
    .await
}

#[post("/cases/<id>/discipline/findings/<finding>/decision", data = "<form>")]
async fn create_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    finding: i32,
    form: Form<DecisionForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let input = form.to_input();
    match service::record_decision(state, &viewer, id, finding, &input).await {
        Ok(recorded) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}/discipline")),
            if recorded.findings.len() > 1 {
                "flash-discipline-decision-combined"
            } else {
                "flash-discipline-decision-recorded"
            },
        )),
        Err(DisciplineError::Invalid(problems)) => {
            let case = load_case(state.db.conn(), &viewer, id)
                .await
                .map_err(AppResultPage::Error)?
                .0;
            Err(AppResultPage::Page(
                decision_form(
                    state,
                    &page,
                    &viewer,
                    &case,
                    finding,
                    &input,
                    &problems,
                    Status::UnprocessableEntity,
                )
                .await
                .map_err(AppResultPage::Error)?,
            ))
        }
        Err(other) => Err(refused(state, &page, &viewer, id, other).await),
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
    id: i32,
    decision: i32,
    form: Form<AppealForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let to = form.status.clone().unwrap_or_default();
    match service::change_appeal(state, &viewer, id, decision, &to).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}/discipline")),
            "flash-discipline-appeal-updated",
        )),
        Err(e) => Err(refused(state, &page, &viewer, id, e).await),
    }
}

// ---------------------------------------------------------------------------------------------
// The printable decision record
// ---------------------------------------------------------------------------------------------

/// The employer issuing the decision — the staff member's unit or the nearest one above it
/// that is a company, corporation or the group (offices and district units are not employers)
/// — and the unit above that, as the header of an official document names them.
async fn issuing_units<C: ConnectionTrait>(
    conn: &C,
    unit_id: i32,
) -> AppResult<(Option<String>, Option<String>)> {
    let units: HashMap<i32, org_unit::Model> = org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut current = units.get(&unit_id);
    // Bounded by the number of units, so a corrupt cycle cannot loop forever.
    for _ in 0..units.len() {
        match current {
            Some(unit) if !matches!(unit.kind.as_str(), "company" | "corporation" | "group") => {
                match unit.parent_id.and_then(|id| units.get(&id)) {
                    Some(parent) => current = Some(parent),
                    None => break,
                }
            }
            _ => break,
        }
    }
    let parent = current
        .and_then(|u| u.parent_id)
        .and_then(|id| units.get(&id));
    Ok((
        current.map(|u| u.name_vi.clone()),
        parent.map(|p| p.name_vi.clone()),
    ))
}

#[get("/cases/<id>/discipline/decisions/<decision>/print")]
async fn print_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    decision: i32,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let conn = state.db.conn();
    let (case, _) = load_case(conn, &viewer, id).await?;
    let decision = service::decision_of_case(conn, id, decision).await?;
    let staff = staff_member::Entity::find_by_id(decision.staff_member_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = service::finding_rows(
        conn,
        sea_orm::Condition::all().add(discipline_finding::Column::DecisionId.eq(decision.id)),
    )
    .await?;
    let mut references = Vec::new();
    for row in &rows {
        if let Some(c) = case_file::Entity::find()
            .filter(case_file::Column::ReportId.eq(row.finding.report_id))
            .one(conn)
            .await?
        {
            references.push(reference_of(&c));
        }
    }
    let internal = internal_measures(conn).await?;
    let measure = measure_of(&decision)
        .ok_or_else(|| AppError::Internal(format!("decision {} has no measure", decision.id)))?;
    // The document is always Vietnamese: it is what the inspection board files.
    let vi = Lang::Vi;
    let (unit, parent) = issuing_units(conn, staff.unit_id).await?;
    let mut articles: Vec<Value> = Vec::new();
    for row in &rows {
        for a in &row.articles {
            let view = article_view(vi, a);
            if !articles.contains(&view) {
                articles.push(view);
            }
        }
    }
    let date = decision.decision_date;
    Ok(page.render(
        "discipline/print",
        json!({
            "case": case_view(page.lang, &case),
            "doc": {
                "unit": unit.map(|u| u.to_uppercase()),
                "parent": parent.map(|p| p.to_uppercase()),
                "number": decision.decision_number,
                "day": format!("{:02}", date.day()),
                "month": format!("{:02}", date.month()),
                "year": date.year(),
                "disciplinary": measure.is_disciplinary(),
                "measure": measure_label(measure, vi, &internal),
                "staff": {
                    "name": staff.full_name,
                    "number": staff.employee_number,
                    "position": staff.position.clone().unwrap_or_else(|| "—".into()),
                    "unit": unit_name(conn, staff.unit_id).await?.unwrap_or_else(|| "—".into()),
                },
                "violations": rows.iter().map(|r| show_date(r.finding.violation_date)).collect::<Vec<_>>(),
                "references": references,
                "articles": articles,
                "minutes": decision.minutes_reference,
                "representative_took_part": decision.representative_took_part,
                "employee_heard": decision.employee_heard,
                "extension": decision.extension_reason.as_ref().map(|reason| json!({
                    "reason": reason,
                    "basis": decision.extension_legal_basis,
                })),
                "clears_on": decision.clears_on.map(show_date),
                "dismissal": measure == Measure::Dismissal,
                "signer_name": decision.signer_name,
                "signer_title": decision.signer_title.to_uppercase(),
            },
        }),
    ))
}

async fn unit_name<C: ConnectionTrait>(conn: &C, unit_id: i32) -> AppResult<Option<String>> {
    Ok(org_unit::Entity::find_by_id(unit_id)
        .one(conn)
        .await?
        .map(|u| u.name_vi))
}
