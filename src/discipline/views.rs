//! The typed page views of `/cases/<id>/discipline…` ([`super::routes`]): the pieces every
//! discipline page shows (the case, a staff member, an article version, a decision), the case's
//! discipline page and the finding pages. Field names are exactly what the templates under
//! `templates/discipline/` read. The decision form is in [`super::decision_form`], the printable
//! record in [`super::print`].

use std::collections::{BTreeMap, HashMap};

use rocket::http::Status;
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::Value;

use super::service::{
    self, cited_labour_rules, internal_measures, measure_label, measure_of, translate,
    FindingInput, FindingRow, Problems,
};
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::reference_of;
use crate::domain::discipline::AppealStatus;
use crate::domain::ids::{CaseId, FindingId};
use crate::domain::roles::Role;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    case_file, category_article, culture_article, discipline_decision,
    discipline_decision_labour_rule, discipline_finding, internal_measure, labour_rule,
    staff_member,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

// ---------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------

/// The case a discipline page is about.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub id: i32,
    pub reference: String,
    pub finding: Option<String>,
    pub conclusion: Option<String>,
    pub eligible: bool,
}

impl CaseView {
    pub fn of(lang: Lang, case: &case_file::Model) -> Self {
        Self {
            id: case.report_id,
            reference: reference_of(case),
            finding: case
                .finding
                .as_deref()
                .and_then(Finding::parse)
                .map(|f| lang.t(&f.label_key())),
            conclusion: case.conclusion_summary.clone(),
            eligible: service::eligible(case),
        }
    }
}

/// A staff member as the discipline pages name them.
#[derive(Debug, Serialize)]
pub struct StaffView {
    pub id: i32,
    pub name: String,
    pub number: String,
    pub position: Option<String>,
}

impl StaffView {
    pub fn of(staff: Option<&staff_member::Model>) -> Option<Self> {
        staff.map(|s| Self {
            id: s.id,
            name: s.full_name.clone(),
            number: s.employee_number.clone(),
            position: s.position.clone(),
        })
    }
}

/// One culture-code article version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub key: String,
    pub number: i32,
    pub version: i32,
    pub title: String,
    pub title_vi: String,
}

impl ArticleView {
    pub fn of(lang: Lang, v: &culture_article::Model) -> Self {
        Self {
            key: v.article_key.clone(),
            number: v.number,
            version: v.version,
            title: lang.pick(&v.title_vi, &v.title_en),
            title_vi: v.title_vi.clone(),
        }
    }

    pub fn all(lang: Lang, versions: &[culture_article::Model]) -> Vec<Self> {
        versions.iter().map(|a| Self::of(lang, a)).collect()
    }
}

/// An article of the internal labour regulations: one a decision cites (as it read that
/// day), or one that sets out a finding today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabourRuleView {
    pub code: String,
    pub title: String,
}

impl LabourRuleView {
    /// What a decision cites.
    pub fn cited(lang: Lang, row: &discipline_decision_labour_rule::Model) -> Self {
        Self {
            code: row.code.clone(),
            title: lang.pick(&row.title_vi, &row.title_en),
        }
    }

    /// An article of the regulations as it reads today.
    pub fn current(lang: Lang, rule: &labour_rule::Model) -> Self {
        Self {
            code: rule.code.clone(),
            title: lang.pick(&rule.title_vi, &rule.title_en),
        }
    }
}

/// Decision id → the regulation articles it cites.
pub type CitedRules = HashMap<i32, Vec<discipline_decision_labour_rule::Model>>;

/// A code with its label in the reader's language (select options).
#[derive(Debug, Serialize)]
pub struct CodeLabel {
    pub code: &'static str,
    pub label: String,
}

/// A decision as the case page lists it.
#[derive(Debug, Serialize)]
pub struct DecisionView {
    pub id: i32,
    pub report_id: i32,
    pub number: String,
    pub date: String,
    pub measure: Option<String>,
    pub disciplinary: bool,
    pub clears_on: Option<String>,
    pub appeal: String,
    /// The moves the appeal may make next.
    pub appeal_next: Vec<CodeLabel>,
    pub extension: bool,
    pub staff: Option<StaffView>,
    /// The internal labour regulation articles it cites (Labour Code Art. 127(3)).
    pub labour_rules: Vec<LabourRuleView>,
}

impl DecisionView {
    pub fn of(
        lang: Lang,
        d: &discipline_decision::Model,
        internal: &BTreeMap<i32, internal_measure::Model>,
        staff: Option<&staff_member::Model>,
        cited: &CitedRules,
    ) -> Self {
        let measure = measure_of(d);
        let appeal = AppealStatus::parse(&d.appeal_status);
        Self {
            id: d.id,
            report_id: d.report_id,
            number: d.decision_number.clone(),
            date: show_date(d.decision_date),
            measure: measure.map(|m| measure_label(m, lang, internal)),
            disciplinary: measure.is_some_and(|m| m.is_disciplinary()),
            clears_on: d.clears_on.map(show_date),
            appeal: appeal
                .map(|s| lang.t(&s.label_key()))
                .unwrap_or_else(|| d.appeal_status.clone()),
            appeal_next: appeal
                .unwrap_or(AppealStatus::None)
                .next()
                .iter()
                .map(|s| CodeLabel {
                    code: s.as_str(),
                    label: lang.t(&s.label_key()),
                })
                .collect(),
            extension: d.extension_reason.is_some(),
            staff: StaffView::of(staff),
            labour_rules: cited
                .get(&d.id)
                .map(|rows| {
                    rows.iter()
                        .map(|r| LabourRuleView::cited(lang, r))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// A form page, or the case's discipline page saying why nothing can be recorded yet (409).
pub enum FormPage<V> {
    Form(V),
    NotEligible(Box<OverviewView>),
}

impl<V: Serialize> FormPage<V> {
    /// Renders the form as `name` (200), or the case page with its reason (409).
    pub fn render(self, page: &PageCtx, name: &'static str) -> (Status, Template) {
        match self {
            FormPage::Form(view) => page.render_status(Status::Ok, name, view),
            FormPage::NotEligible(view) => {
                page.render_status(Status::Conflict, "discipline/show", view)
            }
        }
    }
}

/// The case when `viewer` may see it (else 404).
pub async fn visible_case(
    state: &AppState,
    viewer: &Viewer,
    id: CaseId,
) -> AppResult<(
    case_file::Model,
    crate::platform::persistence::entities::report::Model,
)> {
    load_case(state.db.conn(), viewer, id.0).await
}

// ---------------------------------------------------------------------------------------------
// The case's discipline page
// ---------------------------------------------------------------------------------------------

/// `discipline/show`: the case's findings and decisions.
#[derive(Debug, Serialize)]
pub struct OverviewView {
    pub case: CaseView,
    pub findings: Vec<FindingView>,
    pub decisions: Vec<DecisionView>,
    pub can_see_history: bool,
    pub errors: BTreeMap<String, String>,
    /// A message at the top: why the last action was refused.
    pub error_summary: Option<String>,
}

/// A finding as the case page lists it.
#[derive(Debug, Serialize)]
pub struct FindingView {
    pub id: i32,
    pub staff: Option<StaffView>,
    pub violation_date: String,
    pub articles: Vec<ArticleView>,
    pub decision: Option<DecisionView>,
    /// The case whose decision handled it, when that is another case.
    pub decided_in: Option<String>,
}

impl OverviewView {
    /// The page of `case` as `viewer` sees it.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        case: &case_file::Model,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let rows = service::finding_rows(
            conn,
            sea_orm::Condition::all().add(discipline_finding::Column::ReportId.eq(case.report_id)),
        )
        .await?;
        let internal = internal_measures(conn).await?;
        let elsewhere = decided_elsewhere(conn, case, &rows).await?;
        let decided = rows.iter().filter_map(|row| row.finding.decision_id);
        let cited = cited_labour_rules(conn, decided).await?;
        let findings = rows
            .iter()
            .map(|row| FindingView {
                id: row.finding.id,
                staff: StaffView::of(row.staff.as_ref()),
                violation_date: show_date(row.finding.violation_date),
                articles: ArticleView::all(lang, &row.articles),
                decision: row
                    .decision
                    .as_ref()
                    .map(|d| DecisionView::of(lang, d, &internal, row.staff.as_ref(), &cited)),
                decided_in: row
                    .decision
                    .as_ref()
                    .and_then(|d| elsewhere.get(&d.id).cloned()),
            })
            .collect();
        let mut decisions = case_decisions(conn, lang, case, &internal).await?;
        if !viewer.user.has(Role::TeamLead) {
            // Only a team lead overturns (the service refuses anyone else too).
            for d in &mut decisions {
                d.appeal_next
                    .retain(|c| c.code != AppealStatus::Overturned.as_str());
            }
        }
        Ok(Self {
            case: CaseView::of(lang, case),
            findings,
            decisions,
            can_see_history: viewer.user.has(Role::TeamLead) || viewer.user.has(Role::Leadership),
            errors: BTreeMap::new(),
            error_summary: None,
        })
    }

    /// The page of case `id` with `key`'s message at the top.
    pub async fn with_error(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        id: CaseId,
        key: &str,
    ) -> AppResult<Self> {
        let (case, _) = visible_case(state, viewer, id).await?;
        let mut view = Self::load(state, lang, viewer, &case).await?;
        view.error_summary = Some(lang.t(key));
        Ok(view)
    }
}

/// Decision id → the reference of the other case it was recorded under.
async fn decided_elsewhere<C: ConnectionTrait>(
    conn: &C,
    case: &case_file::Model,
    rows: &[FindingRow],
) -> AppResult<HashMap<i32, String>> {
    let mut elsewhere = HashMap::new();
    for row in rows {
        let Some(d) = row
            .decision
            .as_ref()
            .filter(|d| d.report_id != case.report_id)
        else {
            continue;
        };
        if let Some(other) = case_file::Entity::find()
            .filter(case_file::Column::ReportId.eq(d.report_id))
            .one(conn)
            .await?
        {
            elsewhere.insert(d.id, reference_of(&other));
        }
    }
    Ok(elsewhere)
}

/// The decisions recorded under the case, with their staff members.
async fn case_decisions<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    case: &case_file::Model,
    internal: &BTreeMap<i32, internal_measure::Model>,
) -> AppResult<Vec<DecisionView>> {
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
    let cited = cited_labour_rules(conn, decisions.iter().map(|d| d.id)).await?;
    Ok(decisions
        .iter()
        .map(|d| DecisionView::of(lang, d, internal, staff.get(&d.staff_member_id), &cited))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

/// `discipline/finding_form`: a new finding.
#[derive(Debug, Serialize)]
pub struct FindingFormView {
    pub case: CaseView,
    pub form: FindingInput,
    pub errors: Value,
    pub article_choices: Vec<ArticleChoice>,
}

/// An article key with its latest number and title, for the checkboxes.
#[derive(Debug, Serialize)]
pub struct ArticleChoice {
    pub key: String,
    pub number: i32,
    pub title: String,
}

impl FindingFormView {
    /// The form again with what was typed and what is wrong.
    pub async fn build(
        state: &AppState,
        lang: Lang,
        case: &case_file::Model,
        input: FindingInput,
        problems: &Problems,
    ) -> AppResult<Self> {
        Ok(Self {
            case: CaseView::of(lang, case),
            form: input,
            errors: translate(lang, problems),
            article_choices: article_choices(state.db.conn(), lang).await?,
        })
    }

    /// A blank form, started from what the report says: the confirmed staff member, the day
    /// it happened, the articles its category cites.
    pub async fn start(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        id: CaseId,
    ) -> AppResult<FormPage<Self>> {
        let conn = state.db.conn();
        let (case, report) = visible_case(state, viewer, id).await?;
        if !service::eligible(&case) {
            return not_eligible(state, lang, viewer, &case).await;
        }
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
            // The category only suggests the 12 months of Art. 123(1); the finding decides.
            finance_assets_secrets: service::finance_flag(conn, case.category_id).await?,
            finance_assets_reason: String::new(),
        };
        let view = Self::build(state, lang, &case, input, &Problems::new()).await?;
        Ok(FormPage::Form(view))
    }
}

/// The case page with the reason nothing can be recorded yet.
pub async fn not_eligible<V>(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    case: &case_file::Model,
) -> AppResult<FormPage<V>> {
    let mut view = OverviewView::load(state, lang, viewer, case).await?;
    view.error_summary = Some(lang.t("error-discipline-not-eligible"));
    Ok(FormPage::NotEligible(Box::new(view)))
}

/// Every article key with its latest number and title.
async fn article_choices<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> AppResult<Vec<ArticleChoice>> {
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
        .map(|v| ArticleChoice {
            key: v.article_key.clone(),
            number: v.number,
            title: lang.pick(&v.title_vi, &v.title_en),
        })
        .collect())
}

/// One finding of the case with its staff, articles and decision, or 404.
pub async fn finding_row(
    state: &AppState,
    case: CaseId,
    finding: FindingId,
) -> AppResult<FindingRow> {
    service::finding_rows(
        state.db.conn(),
        sea_orm::Condition::all()
            .add(discipline_finding::Column::Id.eq(finding.0))
            .add(discipline_finding::Column::ReportId.eq(case.0)),
    )
    .await?
    .into_iter()
    .next()
    .ok_or(AppError::NotFound)
}

/// `discipline/finding_delete`: confirm deleting a finding.
#[derive(Debug, Serialize)]
pub struct FindingDeleteView {
    pub case: CaseView,
    pub finding: FindingToDelete,
}

/// The finding about to be deleted.
#[derive(Debug, Serialize)]
pub struct FindingToDelete {
    pub id: i32,
    pub staff: Option<StaffView>,
    pub violation_date: String,
    pub decided: bool,
}

impl FindingDeleteView {
    pub async fn load(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        id: CaseId,
        finding: FindingId,
    ) -> AppResult<Self> {
        let (case, _) = visible_case(state, viewer, id).await?;
        let row = finding_row(state, id, finding).await?;
        Ok(Self {
            case: CaseView::of(lang, &case),
            finding: FindingToDelete {
                id: row.finding.id,
                staff: StaffView::of(row.staff.as_ref()),
                violation_date: show_date(row.finding.violation_date),
                decided: row.decision.is_some(),
            },
        })
    }
}
