//! The view of `discipline/decision_form` (`/cases/<id>/discipline/findings/<finding>/decision`):
//! the finding decided, its limitation, the other undecided violations of the same person that
//! may be handled together, the measures to choose from and the protected states. Field names
//! are exactly what the template reads.

use std::collections::BTreeMap;

use sea_orm::ColumnTrait;
use serde::Serialize;
use serde_json::Value;

use super::service::{
    self, internal_measures, labour_rules_setting_out, translate, DecisionInput, Problems,
};
use super::views::{
    finding_row, not_eligible, visible_case, ArticleView, CaseView, CodeLabel, FormPage,
    LabourRuleView, StaffView,
};
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::reference_of;
use crate::domain::discipline::{self, DismissalGround, Measure, ProtectedState};
use crate::domain::ids::{CaseId, FindingId};
use crate::platform::persistence::entities::{case_file, discipline_finding, internal_measure};
use crate::platform::persistence::rules::load_calendar;
use crate::web::error::AppResult;
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// `discipline/decision_form`.
#[derive(Debug, Serialize)]
pub struct DecisionFormView {
    pub case: CaseView,
    pub finding: DecidedFinding,
    pub staff: Option<StaffView>,
    pub others: Vec<OtherFinding>,
    pub limitation: LimitationView,
    pub max_deferral: u32,
    pub measures: MeasureChoices,
    pub protected_states: Vec<CodeLabel>,
    /// The grounds of Art. 125 a dismissal names.
    pub dismissal_grounds: Vec<CodeLabel>,
    pub form: DecisionInput,
    pub errors: Value,
    pub error_summary: Option<String>,
}

/// The finding the decision is recorded for.
#[derive(Debug, Serialize)]
pub struct DecidedFinding {
    pub id: i32,
    pub violation_date: String,
    pub articles: Vec<ArticleView>,
    /// The active internal labour regulation articles that set it out today: none, and only
    /// an internal measure may be applied (Labour Code Art. 127(3)).
    pub labour_rules: Vec<LabourRuleView>,
    pub decided: bool,
}

/// Another undecided violation of the same person, in a case the viewer may open.
#[derive(Debug, Serialize)]
pub struct OtherFinding {
    pub id: i32,
    pub reference: String,
    pub violation_date: String,
    pub articles: Vec<ArticleView>,
    /// The measure chosen for it, as typed.
    pub choice: String,
}

/// The last lawful day for the finding's violation.
#[derive(Debug, Serialize)]
pub struct LimitationView {
    pub last_day: String,
    pub months: u32,
    pub finance: bool,
    /// Why the finding's violation directly concerns finances, assets or secrets.
    pub finance_reason: Option<String>,
}

/// The measures a decision may apply: the Labour Code forms, then the active internal ones.
#[derive(Debug, Serialize)]
pub struct MeasureChoices {
    pub labour: Vec<Choice>,
    pub internal: Vec<Choice>,
}

/// One option of a measure select.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Which form, for whom, with what typed and what is wrong.
pub struct DecisionFormRequest<'a> {
    pub viewer: &'a Viewer,
    pub id: CaseId,
    pub finding: FindingId,
    pub input: DecisionInput,
    pub problems: Problems,
}

impl DecisionFormView {
    /// A blank form dated today, or the case page when the case allows no discipline.
    pub async fn start(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        id: CaseId,
        finding: FindingId,
    ) -> AppResult<FormPage<Self>> {
        let (case, _) = visible_case(state, viewer, id).await?;
        if !service::eligible(&case) {
            return not_eligible(state, lang, viewer, &case).await;
        }
        let input = DecisionInput {
            decision_date: state.clock.today().format("%Y-%m-%d").to_string(),
            ..Default::default()
        };
        let request = DecisionFormRequest {
            viewer,
            id,
            finding,
            input,
            problems: Problems::new(),
        };
        Ok(FormPage::Form(
            Self::build(state, lang, &case, request).await?,
        ))
    }

    /// The form for `case`.
    pub async fn build(
        state: &AppState,
        lang: Lang,
        case: &case_file::Model,
        request: DecisionFormRequest<'_>,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let row = finding_row(state, request.id, request.finding).await?;
        let internal = internal_measures(conn).await?;
        let limitation = LimitationView::load(state, &row.finding).await?;
        let others = other_findings(state, lang, &request, &row.finding).await?;
        let labour_rules = labour_rules_setting_out(conn, &row.articles).await?;
        let problems = &request.problems;
        Ok(Self {
            case: CaseView::of(lang, case),
            finding: DecidedFinding {
                id: row.finding.id,
                violation_date: show_date(row.finding.violation_date),
                articles: ArticleView::all(lang, &row.articles),
                labour_rules: (labour_rules.iter())
                    .map(|rule| LabourRuleView::current(lang, rule))
                    .collect(),
                decided: row.decision.is_some(),
            },
            staff: StaffView::of(row.staff.as_ref()),
            others,
            limitation,
            max_deferral: state.config.discipline.max_deferral_months,
            measures: MeasureChoices::of(lang, &internal),
            protected_states: ProtectedState::ALL
                .iter()
                .map(|s| CodeLabel {
                    code: s.as_str(),
                    label: lang.t(&s.label_key()),
                })
                .collect(),
            dismissal_grounds: DismissalGround::ALL
                .iter()
                .map(|g| CodeLabel {
                    code: g.as_str(),
                    label: lang.t(&g.label_key()),
                })
                .collect(),
            errors: translate(lang, problems),
            error_summary: (!problems.is_empty()).then(|| lang.t("error-discipline-form-summary")),
            form: request.input,
        })
    }
}

impl LimitationView {
    /// The finding's own answer sets 6 or 12 months (Art. 123(1)), not its case's category.
    async fn load(state: &AppState, finding: &discipline_finding::Model) -> AppResult<Self> {
        let settings = &state.config.discipline;
        let finance = finding.finance_assets_secrets;
        let calendar = load_calendar(state.db.conn()).await?;
        let last_day =
            discipline::limitation_ends(finding.violation_date, finance, settings, &calendar);
        Ok(Self {
            last_day: show_date(last_day),
            months: if finance {
                settings.limitation_months_finance
            } else {
                settings.limitation_months
            },
            finance,
            finance_reason: finding.finance_assets_reason.clone(),
        })
    }
}

/// Other undecided violations of the same person, in cases this viewer may open.
async fn other_findings(
    state: &AppState,
    lang: Lang,
    request: &DecisionFormRequest<'_>,
    finding: &discipline_finding::Model,
) -> AppResult<Vec<OtherFinding>> {
    let conn = state.db.conn();
    let candidates = service::finding_rows(
        conn,
        sea_orm::Condition::all()
            .add(discipline_finding::Column::StaffMemberId.eq(finding.staff_member_id))
            .add(discipline_finding::Column::Id.ne(finding.id))
            .add(discipline_finding::Column::DecisionId.is_null()),
    )
    .await?;
    let mut others = Vec::new();
    for other in candidates {
        let Ok((other_case, _)) = load_case(conn, request.viewer, other.finding.report_id).await
        else {
            continue;
        };
        if service::eligible(&other_case) {
            others.push(OtherFinding {
                id: other.finding.id,
                reference: reference_of(&other_case),
                violation_date: show_date(other.finding.violation_date),
                articles: ArticleView::all(lang, &other.articles),
                choice: request
                    .input
                    .others
                    .get(&other.finding.id)
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    Ok(others)
}

impl MeasureChoices {
    fn of(lang: Lang, internal: &BTreeMap<i32, internal_measure::Model>) -> Self {
        let labour = [
            Measure::Reprimand,
            Measure::PayRiseDeferral { months: 0 },
            Measure::RemovalFromPost,
            Measure::Dismissal,
        ]
        .iter()
        .map(|m| Choice {
            value: m.choice(),
            label: lang.t(m.label_key()),
        })
        .collect();
        let internal = internal
            .values()
            .filter(|m| m.active)
            .map(|m| Choice {
                value: Measure::Internal(m.id).choice(),
                label: lang.pick(&m.name_vi, &m.name_en),
            })
            .collect();
        Self { labour, internal }
    }
}
