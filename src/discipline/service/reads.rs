//! What the pages read: findings with their articles and decisions, the internal measures,
//! measure names, the internal labour regulation articles a decision cites or a finding is set
//! out by, and the outcome a reporter may see on the follow-up page ([`reporter_outcome`], used
//! by public_reporting).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::eligible;
use crate::domain::discipline::{AppealStatus, Measure};
use crate::domain::labour_rule::order_key;
use crate::domain::status::CaseStatus;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    case_file, culture_article, discipline_decision, discipline_decision_labour_rule,
    discipline_finding, discipline_finding_article, internal_measure, labour_rule, staff_member,
};
use crate::platform::persistence::rules::load_labour_rule_map;
use crate::web::i18n::Lang;

/// A finding with what the pages show of it.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub finding: discipline_finding::Model,
    pub staff: Option<staff_member::Model>,
    pub articles: Vec<culture_article::Model>,
    pub decision: Option<discipline_decision::Model>,
}

/// Findings matching `filter`, oldest violation first, with their articles and decisions.
pub async fn finding_rows<C: ConnectionTrait>(
    conn: &C,
    filter: sea_orm::Condition,
) -> Result<Vec<FindingRow>, DbErr> {
    let findings = discipline_finding::Entity::find()
        .filter(filter)
        .order_by_asc(discipline_finding::Column::ViolationDate)
        .order_by_asc(discipline_finding::Column::Id)
        .all(conn)
        .await?;
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = findings.iter().map(|f| f.id).collect();
    let links = discipline_finding_article::Entity::find()
        .filter(discipline_finding_article::Column::FindingId.is_in(ids))
        .order_by_asc(discipline_finding_article::Column::ArticleKey)
        .all(conn)
        .await?;
    let versions: HashMap<i32, culture_article::Model> = culture_article::Entity::find()
        .filter(culture_article::Column::Id.is_in(links.iter().map(|l| l.article_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let staff: HashMap<i32, staff_member::Model> = staff_member::Entity::find()
        .filter(staff_member::Column::Id.is_in(findings.iter().map(|f| f.staff_member_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let decisions: HashMap<i32, discipline_decision::Model> = discipline_decision::Entity::find()
        .filter(
            discipline_decision::Column::Id.is_in(findings.iter().filter_map(|f| f.decision_id)),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    Ok(findings
        .into_iter()
        .map(|finding| FindingRow {
            staff: staff.get(&finding.staff_member_id).cloned(),
            articles: links
                .iter()
                .filter(|l| l.finding_id == finding.id)
                .filter_map(|l| versions.get(&l.article_id).cloned())
                .collect(),
            decision: finding
                .decision_id
                .and_then(|id| decisions.get(&id).cloned()),
            finding,
        })
        .collect())
}

/// The internal measures by id (active or not: old decisions keep their names).
pub async fn internal_measures<C: ConnectionTrait>(
    conn: &C,
) -> Result<BTreeMap<i32, internal_measure::Model>, DbErr> {
    Ok(internal_measure::Entity::find()
        .order_by_asc(internal_measure::Column::SortOrder)
        .order_by_asc(internal_measure::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect())
}

/// Decision id → the internal labour regulation articles it cites, as they read on the day it
/// was recorded, in the regulations' order. Decisions recorded before the portal knew the
/// regulations cite none.
pub async fn cited_labour_rules<C: ConnectionTrait>(
    conn: &C,
    decisions: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<discipline_decision_labour_rule::Model>>, DbErr> {
    let mut rows = discipline_decision_labour_rule::Entity::find()
        .filter(discipline_decision_labour_rule::Column::DecisionId.is_in(decisions))
        .all(conn)
        .await?;
    rows.sort_by_key(|row| order_key(&row.code));
    let mut cited: HashMap<i32, Vec<_>> = HashMap::new();
    for row in rows {
        cited.entry(row.decision_id).or_default().push(row);
    }
    Ok(cited)
}

/// The active internal labour regulation articles that set out a violation of `articles`
/// today, in the regulations' order (what a decision recorded now would cite).
pub async fn labour_rules_setting_out<C: ConnectionTrait>(
    conn: &C,
    articles: &[culture_article::Model],
) -> Result<Vec<labour_rule::Model>, DbErr> {
    let map = load_labour_rule_map(conn).await?;
    let ids = map.setting_out(articles.iter().map(|a| a.article_key.as_str()));
    let mut rules = labour_rule::Entity::find()
        .filter(labour_rule::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    rules.sort_by_key(|rule| order_key(&rule.code));
    Ok(rules)
}

/// A stored decision's measure.
pub fn measure_of(decision: &discipline_decision::Model) -> Option<Measure> {
    Measure::from_stored(
        &decision.measure,
        decision.deferral_months,
        decision.internal_measure_id,
    )
}

/// A measure's name in `lang`: "Kéo dài thời hạn nâng lương (3 tháng)", or the internal
/// measure's name from the list.
pub fn measure_label(
    measure: Measure,
    lang: Lang,
    internal: &BTreeMap<i32, internal_measure::Model>,
) -> String {
    match measure {
        Measure::Internal(id) => internal
            .get(&id)
            .map(|m| lang.pick(&m.name_vi, &m.name_en))
            .unwrap_or_else(|| lang.t(measure.label_key())),
        Measure::PayRiseDeferral { months } => lang.t_args(
            "measure-pay-rise-deferral-months",
            &[("months", months.to_string())],
        ),
        other => lang.t(other.label_key()),
    }
}

/// What the reporter reads about the outcome of their report.
#[derive(Debug, Clone, Serialize)]
pub struct ReporterOutcome {
    /// The conclusion in plain words.
    pub finding: String,
    pub summary: Option<String>,
    /// For a (partly) substantiated report: whether measures were taken.
    pub measures_taken: Option<bool>,
    /// Which measures, without names — only when the setting allows it.
    pub measures: Vec<String>,
}

/// The outcome of a concluded report as its reporter may see it: the conclusion and whether
/// measures were taken, never who was disciplined. `None` before a conclusion.
pub async fn reporter_outcome<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    show_measures: bool,
    lang: Lang,
) -> Result<Option<ReporterOutcome>, DbErr> {
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let concluded = matches!(
        case.status.parse::<CaseStatus>(),
        Ok(CaseStatus::Concluded | CaseStatus::Closed)
    );
    let Some(finding) = case.finding.as_deref().and_then(Finding::parse) else {
        return Ok(None);
    };
    if !concluded {
        return Ok(None);
    }
    let mut measures_taken = None;
    let mut measures = Vec::new();
    if eligible(&case) {
        let decided: Vec<i32> = discipline_finding::Entity::find()
            .filter(discipline_finding::Column::ReportId.eq(report_id))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|f| f.decision_id)
            .collect();
        let decisions: Vec<discipline_decision::Model> = discipline_decision::Entity::find()
            .filter(discipline_decision::Column::Id.is_in(decided))
            .filter(discipline_decision::Column::AppealStatus.ne(AppealStatus::Overturned.as_str()))
            .all(conn)
            .await?;
        measures_taken = Some(!decisions.is_empty());
        if show_measures {
            let internal = internal_measures(conn).await?;
            let mut seen = BTreeSet::new();
            for measure in decisions.iter().filter_map(measure_of) {
                let label = measure_label(measure, lang, &internal);
                if seen.insert(label.clone()) {
                    measures.push(label);
                }
            }
        }
    }
    Ok(Some(ReporterOutcome {
        finding: lang.t(&finding.label_key()),
        summary: case.conclusion_summary,
        measures_taken,
        measures,
    }))
}
