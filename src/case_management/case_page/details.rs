//! The facts block of the case page (`case` in `cases/show`): the report as opened with its data
//! key, where it sits (team, assignee, the routing explained in words), its three deadline clocks,
//! and the culture-code articles its category cites, in the version in force on the day of the
//! violation. Also read by `discipline/case_section` (`case.status_code`, `case.finding_code`).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;

use crate::case_management::names::Names;
use crate::case_management::reference_of;
use crate::domain::calendar::{alert, local_date, Alert};
use crate::domain::status::CaseStatus;
use crate::domain::track::{Track, Verification};
use crate::domain::workflow::Finding;
use crate::platform::evidence::text::ReportText;
use crate::platform::persistence::entities::{
    case_file, category_article, culture_article, inspection_team, org_unit, report,
    violation_category,
};
use crate::web::error::AppResult;
use crate::web::format::{local_time, show_date};
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::units::unit_path;

/// A deadline: its date and, while it runs, how close it is.
#[derive(Serialize)]
pub struct ClockView {
    due: String,
    alert: Option<Alert>,
}

impl ClockView {
    fn of(start: Option<NaiveDate>, due: Option<NaiveDate>, today: NaiveDate) -> Option<Self> {
        due.map(|due| Self {
            due: due.format("%d/%m/%Y").to_string(),
            alert: start.map(|s| alert(s, due, today)),
        })
    }
}

/// The case's facts as the page shows them.
#[derive(Serialize)]
pub struct CaseDetails {
    pub id: i32,
    pub reference: String,
    status: String,
    status_code: &'static str,
    received: String,
    unit_path: String,
    category: Option<String>,
    occurred_on: String,
    occurred_time: Option<String>,
    description: String,
    staff_name: Option<String>,
    staff_number: Option<String>,
    staff_description: Option<String>,
    named: bool,
    escalate_above: bool,
    team: Option<String>,
    assignee: Option<String>,
    second_level: bool,
    routing: String,
    finding: Option<String>,
    finding_code: Option<String>,
    conclusion: Option<String>,
    acceptance_clock: Option<ClockView>,
    notify_clock: Option<ClockView>,
    resolution_clock: Option<ClockView>,
    accepted_on: Option<String>,
    /// Why the acceptance period was lengthened (Art. 24(1)), if it was.
    acceptance_lengthened: Option<String>,
    /// The track (`domain::track`) and how its denouncer was verified.
    track: &'static str,
    track_label: String,
    verified: Option<String>,
    /// While suspended, the day it was (the resolution clock stands still), and the days of
    /// earlier suspensions already added to the period.
    suspended_on: Option<String>,
    paused_days: i32,
}

/// What the facts block is built from.
pub struct CaseSource<'a> {
    pub case: &'a case_file::Model,
    pub report: &'a report::Model,
    pub status: CaseStatus,
    pub text: ReportText,
}

impl CaseDetails {
    /// The facts of `source`, seen on `today`.
    pub async fn build(
        state: &AppState,
        lang: Lang,
        names: &Names,
        source: CaseSource<'_>,
        today: NaiveDate,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let CaseSource {
            case,
            report,
            status,
            text,
        } = source;
        let team = match case.team_id {
            Some(id) => inspection_team::Entity::find_by_id(id)
                .one(conn)
                .await?
                .map(|t| t.name),
            None => None,
        };
        // The resolution clocks run only while the case is being worked on.
        let running = matches!(
            status,
            CaseStatus::Accepted | CaseStatus::Investigating | CaseStatus::AwaitingReporter
        );
        let started = if running { case.accepted_on } else { None };
        let track = Track::parse(&case.track);
        let acceptance_start =
            (status == CaseStatus::Received).then(|| local_date(case.received_at));
        Ok(Self {
            id: report.id,
            reference: reference_of(case),
            status: lang.t(&crate::domain::track::status_label_key(status, track)),
            status_code: status.as_str(),
            received: local_time(case.received_at),
            unit_path: unit_path(state, report.unit_id, lang).await?,
            category: names.categories.get(&case.category_id).cloned(),
            occurred_on: report.occurred_on.format("%d/%m/%Y").to_string(),
            occurred_time: report.occurred_time.clone(),
            description: text.description,
            staff_name: report.staff_name.clone(),
            staff_number: report.staff_number.clone(),
            staff_description: text.staff_description,
            named: report.submission_kind == "named",
            escalate_above: report.escalate_above,
            team,
            assignee: names.user(case.assignee_user_id),
            second_level: case.second_level,
            routing: explain_routing(conn, lang, case).await?,
            finding: case
                .finding
                .as_deref()
                .and_then(Finding::parse)
                .map(|f| lang.t(&f.label_key())),
            finding_code: case.finding.clone(),
            conclusion: case.conclusion_summary.clone(),
            acceptance_clock: ClockView::of(acceptance_start, Some(case.acceptance_due), today),
            notify_clock: ClockView::of(started, case.notify_due, today),
            resolution_clock: ClockView::of(started, case.resolution_due, today),
            accepted_on: case.accepted_on.map(|d| d.format("%d/%m/%Y").to_string()),
            acceptance_lengthened: case.acceptance_lengthened_reason.clone(),
            track: track.as_str(),
            track_label: lang.t(&track.label_key()),
            verified: verified(lang, names, case),
            suspended_on: case.suspended_on.map(show_date),
            paused_days: case.paused_days,
        })
    }
}

/// The routing explanation in words: "rule: EVNHANOI × bribery → Ban Thanh tra EVNHANOI".
async fn explain_routing<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    case: &case_file::Model,
) -> Result<String, DbErr> {
    let reason: Value = serde_json::from_str(&case.routing_reason).unwrap_or(Value::Null);
    let unit = match reason["unit_id"].as_i64() {
        Some(id) => org_unit::Entity::find_by_id(id as i32)
            .one(conn)
            .await?
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    };
    let category = violation_category::Entity::find_by_id(case.category_id)
        .one(conn)
        .await?
        .map(|c| lang.pick(&c.name_vi, &c.name_en))
        .unwrap_or_default();
    let team = match reason["team_id"].as_i64() {
        Some(id) => inspection_team::Entity::find_by_id(id as i32)
            .one(conn)
            .await?
            .map(|t| t.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let kind = reason["kind"].as_str().unwrap_or("none");
    let mut text = lang.t_args(
        &format!("routing-{}", kind.replace('_', "-")),
        &[("unit", unit), ("category", category), ("team", team)],
    );
    if reason["escalate"].as_bool() == Some(true) {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-reporter-asked-above"));
    }
    if reason["severe"].as_bool() == Some(true) {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-severe"));
    }
    if reason["skipped_for_conflict"]
        .as_array()
        .is_some_and(|a| !a.is_empty())
    {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-conflict"));
    }
    Ok(text)
}

/// A cited culture-code article.
#[derive(Serialize)]
pub struct ArticleView {
    key: String,
    number: i32,
    version: i32,
    title: String,
    text: String,
}

/// Cited culture-code articles, in the version in force on the violation date.
pub async fn cited_articles<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    category_id: i32,
    on: NaiveDate,
) -> Result<Vec<ArticleView>, DbErr> {
    let keys: Vec<String> = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(category_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.article_key)
        .collect();
    let mut out = Vec::new();
    for key in keys {
        let versions = culture_article::Entity::find()
            .filter(culture_article::Column::ArticleKey.eq(key.as_str()))
            .order_by_desc(culture_article::Column::Version)
            .all(conn)
            .await?;
        let chosen = versions
            .iter()
            .find(|v| v.effective_from <= on)
            .or_else(|| versions.last());
        if let Some(v) = chosen {
            out.push(ArticleView {
                key: v.article_key.clone(),
                number: v.number,
                version: v.version,
                title: lang.pick(&v.title_vi, &v.title_en),
                text: lang.pick(&v.text_vi, &v.text_en),
            });
        }
    }
    Ok(out)
}

/// "By phone, by A. Nguyễn, 01/12/2026 09:00" once the denouncer is verified.
fn verified(lang: Lang, names: &Names, case: &case_file::Model) -> Option<String> {
    let method = case.verified_via.as_deref().and_then(Verification::parse)?;
    let at = case.verified_at.map(local_time).unwrap_or_default();
    let by = names.user(case.verified_by).unwrap_or_default();
    Some(lang.t_args(
        "cases-verified",
        &[
            ("method", lang.t(&method.label_key())),
            ("by", by),
            ("at", at),
        ],
    ))
}
