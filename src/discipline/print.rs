//! `/cases/<id>/discipline/decisions/<decision>/print`: the printable decision record, always
//! in Vietnamese (it is what the inspection board files) under the reader's page chrome. The
//! header names the employer issuing it and the unit above, as an official document does.

use chrono::Datelike;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::service::{
    self, cited_labour_rules, internal_measures, measure_label, measure_of, FindingRow,
};
use super::views::{visible_case, ArticleView, CaseView};
use crate::auth::{Authorized, Investigators};
use crate::case_management::access::Viewer;
use crate::case_management::reference_of;
use crate::domain::discipline::{DismissalGround, Measure};
use crate::domain::ids::{CaseId, DecisionId};
use crate::platform::persistence::entities::{
    case_file, discipline_decision, discipline_finding, org_unit, staff_member,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;
use crate::web::units::issuing_units;

/// The print route.
pub fn routes() -> Vec<Route> {
    routes![print_decision]
}

#[get("/cases/<id>/discipline/decisions/<decision>/print")]
async fn print_decision(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    decision: DecisionId,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let view = PrintView::load(state, page.lang, &viewer, id, decision).await?;
    Ok(page.render("discipline/print", view))
}

/// `discipline/print`.
#[derive(Debug, Serialize)]
pub struct PrintView {
    pub case: CaseView,
    pub doc: DocView,
}

/// The document itself, in Vietnamese.
#[derive(Debug, Serialize)]
pub struct DocView {
    pub unit: Option<String>,
    pub parent: Option<String>,
    pub number: String,
    pub day: String,
    pub month: String,
    pub year: i32,
    pub disciplinary: bool,
    pub measure: String,
    pub staff: DocStaff,
    pub violations: Vec<String>,
    pub references: Vec<String>,
    pub articles: Vec<ArticleView>,
    /// The internal labour regulation articles cited ("Điều 13 «…»"), as they read the day the
    /// decision was recorded; none for decisions recorded before the portal knew them.
    pub labour_rules: Vec<String>,
    pub minutes: Option<String>,
    pub representative_took_part: bool,
    pub employee_heard: bool,
    pub extension: Option<DocExtension>,
    pub clears_on: Option<String>,
    pub dismissal: bool,
    /// The Art. 125 ground of a dismissal, in Vietnamese.
    pub dismissal_ground: Option<String>,
    /// Removal from post is not "cleared": after its period a further violation is no longer
    /// a repeat (Labour Code Art. 126(1)).
    pub removal: bool,
    pub signer_name: String,
    pub signer_title: String,
}

/// The person disciplined, as Article 1 names them.
#[derive(Debug, Serialize)]
pub struct DocStaff {
    pub name: String,
    pub number: String,
    pub position: String,
    pub unit: String,
}

/// The lawful extension the decision relies on.
#[derive(Debug, Serialize)]
pub struct DocExtension {
    pub reason: String,
    pub basis: Option<String>,
}

impl PrintView {
    /// The record of `decision` under case `id`, or 404.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        id: CaseId,
        decision: DecisionId,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let (case, _) = visible_case(state, viewer, id).await?;
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
        Ok(Self {
            case: CaseView::of(lang, &case),
            doc: DocView::load(conn, &decision, &staff, &rows).await?,
        })
    }
}

impl DocView {
    async fn load<C: ConnectionTrait>(
        conn: &C,
        decision: &discipline_decision::Model,
        staff: &staff_member::Model,
        rows: &[FindingRow],
    ) -> AppResult<Self> {
        let internal = internal_measures(conn).await?;
        let measure = measure_of(decision).ok_or_else(|| {
            AppError::Internal(format!("decision {} has no measure", decision.id))
        })?;
        // The document is always Vietnamese: it is what the inspection board files.
        let vi = Lang::Vi;
        let (unit, parent) = issuing_units(conn, staff.unit_id).await?;
        let date = decision.decision_date;
        let cited = cited_labour_rules(conn, [decision.id]).await?;
        let labour_rules = (cited.get(&decision.id).into_iter().flatten())
            .map(|rule| {
                let title = rule.title_vi.clone();
                vi.t_args(
                    "discipline-doc-rule",
                    &[("code", rule.code.clone()), ("title", title)],
                )
            })
            .collect();
        Ok(Self {
            unit: unit.map(|u| u.to_uppercase()),
            parent: parent.map(|p| p.to_uppercase()),
            number: decision.decision_number.clone(),
            day: format!("{:02}", date.day()),
            month: format!("{:02}", date.month()),
            year: date.year(),
            disciplinary: measure.is_disciplinary(),
            measure: measure_label(measure, vi, &internal),
            staff: DocStaff {
                name: staff.full_name.clone(),
                number: staff.employee_number.clone(),
                position: staff.position.clone().unwrap_or_else(|| "—".into()),
                unit: unit_name(conn, staff.unit_id)
                    .await?
                    .unwrap_or_else(|| "—".into()),
            },
            violations: rows
                .iter()
                .map(|r| show_date(r.finding.violation_date))
                .collect(),
            references: case_references(conn, rows).await?,
            articles: distinct_articles(vi, rows),
            labour_rules,
            minutes: decision.minutes_reference.clone(),
            representative_took_part: decision.representative_took_part,
            employee_heard: decision.employee_heard,
            extension: decision
                .extension_reason
                .as_ref()
                .map(|reason| DocExtension {
                    reason: reason.clone(),
                    basis: decision.extension_legal_basis.clone(),
                }),
            clears_on: decision.clears_on.map(show_date),
            dismissal: measure == Measure::Dismissal,
            dismissal_ground: decision
                .dismissal_ground
                .as_deref()
                .and_then(DismissalGround::parse)
                .map(|g| vi.t(&g.label_key())),
            removal: measure == Measure::RemovalFromPost,
            signer_name: decision.signer_name.clone(),
            signer_title: decision.signer_title.to_uppercase(),
        })
    }
}

/// The references of the cases whose findings the decision handles.
async fn case_references<C: ConnectionTrait>(
    conn: &C,
    rows: &[FindingRow],
) -> AppResult<Vec<String>> {
    let mut references = Vec::new();
    for row in rows {
        if let Some(c) = case_file::Entity::find()
            .filter(case_file::Column::ReportId.eq(row.finding.report_id))
            .one(conn)
            .await?
        {
            references.push(reference_of(&c));
        }
    }
    Ok(references)
}

/// Every article version cited, once, in order of first appearance.
fn distinct_articles(lang: Lang, rows: &[FindingRow]) -> Vec<ArticleView> {
    let mut articles: Vec<ArticleView> = Vec::new();
    for a in rows.iter().flat_map(|row| &row.articles) {
        let view = ArticleView::of(lang, a);
        if !articles.contains(&view) {
            articles.push(view);
        }
    }
    articles
}

/// The Vietnamese name of a unit.
async fn unit_name<C: ConnectionTrait>(conn: &C, unit_id: i32) -> AppResult<Option<String>> {
    Ok(org_unit::Entity::find_by_id(unit_id)
        .one(conn)
        .await?
        .map(|u| u.name_vi))
}
