//! The follow-up page's data: what a reporter holding the receipt sees of their report —
//! status, timeline, messages, outcome and shared files, read once ([`read_report`]) for the
//! `/follow-up` page ([`StatusView`], dates dd/mm/yyyy) and the follow-up API
//! (`api_flow`, ISO 8601). Used by tests through `service::status_view`. Invariant: reading it marks
//! staff messages read and notes the reporter's visit, in one write transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::service::actor;
use crate::domain::status::CaseStatus;
use crate::domain::track::{self, Track};
use crate::platform::persistence::entities::{
    case_event, case_file, message, report, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::{local_time, show_date};
use crate::web::hotlines::{self, HotlineView};
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::units::unit_path;

/// One visible timeline event.
#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub at: String,
    pub text: String,
}

/// One message between the reporter and the inspectors.
#[derive(Debug, Serialize)]
pub struct MessageView {
    pub at: String,
    pub from_reporter: bool,
    pub author: String,
    pub body: String,
    pub unread: bool,
}

/// One date the reporter can expect, with what it is.
#[derive(Debug, Serialize)]
pub struct DateLine {
    pub label: String,
    pub date: String,
}

/// What the page and the API show alike of a report to its reporter (texts in the reader's
/// language); the page (`StatusView`) and the API (`api_types::ReportStatus`) both embed it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSummary {
    pub track_label: String,
    /// The inspection body handling it, by its official name (the team's, as an admin keeps
    /// it); none while no team has it.
    pub handled_by: Option<String>,
    pub status_code: String,
    pub status_label: String,
    pub status_explained: String,
    pub unit_path: String,
    pub category: String,
    /// `HH:MM`, as the reporter gave it.
    pub occurred_time: Option<String>,
    pub description: String,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub staff_description: Option<String>,
    /// Whether the reporter gave their identity (never the identity itself).
    pub named: bool,
    pub escalate_above: bool,
}

/// A date the reporter can expect, as a day.
#[derive(Debug, Clone)]
pub struct DueDate {
    pub label: String,
    pub date: NaiveDate,
}

/// A timeline event, with its instant.
#[derive(Debug)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// A message, with its instant.
#[derive(Debug)]
pub struct Message {
    pub at: DateTime<Utc>,
    pub from_reporter: bool,
    pub author: String,
    pub body: String,
    pub unread: bool,
}

/// The one read of a report for its reporter: the summary, and the dates and instants unformatted
/// — the page shows them dd/mm/yyyy, the API as ISO 8601.
#[derive(Debug)]
pub struct ReportRead {
    pub summary: ReportSummary,
    pub received_at: DateTime<Utc>,
    pub occurred_on: NaiveDate,
    /// The dates that apply to the report's track (`domain::track`).
    pub dates: Vec<DueDate>,
    pub timeline: Vec<Event>,
    pub messages: Vec<Message>,
    /// The conclusion and whether measures were taken, once concluded.
    pub outcome: Option<crate::discipline::service::ReporterOutcome>,
    /// The files the reporter sent and those shared with them.
    pub files: Vec<crate::case_management::evidence::FileView>,
    /// The hotline of the corporation the report's unit belongs to.
    pub hotline: Option<HotlineView>,
}

/// The report as its reporter sees it on the follow-up page (and an operator on `/intake`).
#[derive(Debug, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    pub summary: ReportSummary,
    pub dates: Vec<DateLine>,
    pub received_at: String,
    pub occurred_on: String,
    pub timeline: Vec<TimelineEntry>,
    pub messages: Vec<MessageView>,
    pub outcome: Option<crate::discipline::service::ReporterOutcome>,
    pub files: Vec<crate::case_management::evidence::FileView>,
    pub hotline: Option<HotlineView>,
}

impl From<ReportRead> for StatusView {
    fn from(read: ReportRead) -> Self {
        Self {
            summary: read.summary,
            dates: read.dates.into_iter().map(DateLine::from).collect(),
            received_at: local_time(read.received_at),
            occurred_on: show_date(read.occurred_on),
            timeline: read
                .timeline
                .into_iter()
                .map(|e| TimelineEntry {
                    at: local_time(e.at),
                    text: e.text,
                })
                .collect(),
            messages: read
                .messages
                .into_iter()
                .map(|m| MessageView {
                    at: local_time(m.at),
                    from_reporter: m.from_reporter,
                    author: m.author,
                    body: m.body,
                    unread: m.unread,
                })
                .collect(),
            outcome: read.outcome,
            files: read.files,
            hotline: read.hotline,
        }
    }
}

impl From<DueDate> for DateLine {
    fn from(due: DueDate) -> Self {
        Self {
            label: due.label,
            date: show_date(due.date),
        }
    }
}

/// What the reporter sees of their report, for the page.
pub async fn status_view(state: &AppState, report_id: i32, lang: Lang) -> AppResult<StatusView> {
    Ok(read_report(state, report_id, lang).await?.into())
}

/// What the reporter sees of their report; marks staff messages read and notes the visit.
pub async fn read_report(state: &AppState, report_id: i32, lang: Lang) -> AppResult<ReportRead> {
    let db = state.db.conn();
    let row = report::Entity::find_by_id(report_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let status: CaseStatus = row.status.parse().map_err(AppError::internal)?;
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let track = Track::parse(&case.track);
    let category = violation_category::Entity::find_by_id(row.category_id)
        .one(db)
        .await?
        .map(|c| lang.pick(&c.name_vi, &c.name_en))
        .unwrap_or_default();
    let unit_path = unit_path(state, row.unit_id, lang).await?;
    let hotline = hotlines::of_unit(state, row.unit_id, lang).await;
    let handled_by = match case.team_id {
        Some(id) => crate::platform::persistence::entities::inspection_team::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|t| t.name),
        None => None,
    };
    let events = case_event::Entity::find()
        .filter(case_event::Column::ReportId.eq(report_id))
        .filter(case_event::Column::VisibleToReporter.eq(true))
        .order_by_asc(case_event::Column::CreatedAt)
        .order_by_asc(case_event::Column::Id)
        .all(db)
        .await?;
    let messages = message::Entity::find()
        .filter(message::Column::ReportId.eq(report_id))
        .filter(message::Column::Internal.eq(false))
        .order_by_asc(message::Column::CreatedAt)
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?;

    let outcome = crate::discipline::service::reporter_outcome(
        db,
        report_id,
        state.config.discipline.reporter_sees_measures,
        lang,
    )
    .await?;

    let data_key = crate::case_management::evidence::data_key(db, state, report_id).await?;
    let text =
        crate::platform::evidence::text::open(&data_key, &row).map_err(AppError::internal)?;
    let files = crate::case_management::evidence::for_reporter(db, lang, report_id).await?;

    let now = state.clock.now();
    let message_views = messages
        .iter()
        .map(|m| {
            let from_reporter = m.author_kind == actor::REPORTER;
            Message {
                at: m.created_at,
                from_reporter,
                author: lang.t(&format!("author-{}", m.author_kind)),
                body: if m.author_kind == actor::SYSTEM {
                    lang.t(&m.body)
                } else {
                    crate::platform::evidence::text::message_body(&data_key, m).unwrap_or_else(
                        |_| {
                            tracing::error!(message = m.id, "a sealed reply could not be opened");
                            String::new()
                        },
                    )
                },
                unread: !from_reporter && m.read_by_reporter_at.is_none(),
            }
        })
        .collect();

    let tx = state.db.begin_write().await?;
    let tracker = crate::analytics::rollups::Tracker::before(&*tx, report_id).await?;
    for unread in messages
        .into_iter()
        .filter(|m| m.author_kind != actor::REPORTER && m.read_by_reporter_at.is_none())
    {
        let mut active = unread.into_active_model();
        active.read_by_reporter_at = Set(Some(now));
        active.update(&*tx).await?;
    }
    let mut active = row.clone().into_active_model();
    active.reporter_last_seen_at = Set(Some(now));
    active.update(&*tx).await?;
    tracker.after(&*tx).await?;
    tx.commit().await?;

    Ok(ReportRead {
        summary: ReportSummary {
            track_label: lang.t(&track.label_key()),
            handled_by,
            status_code: status.as_str().to_string(),
            status_label: lang.t(&track::status_label_key(status, track)),
            status_explained: lang.t(&track::status_explained_key(status, track)),
            unit_path,
            category,
            occurred_time: row.occurred_time,
            description: text.description,
            staff_name: row.staff_name,
            staff_number: row.staff_number,
            staff_description: text.staff_description,
            named: row.submission_kind == "named",
            escalate_above: row.escalate_above,
        },
        received_at: row.received_at,
        occurred_on: row.occurred_on,
        dates: dates(lang, &case, status, track),
        timeline: events
            .into_iter()
            .map(|e| Event {
                at: e.created_at,
                text: lang.t(&format!("event-{}", e.kind.replace('_', "-"))),
            })
            .collect(),
        messages: message_views,
        outcome,
        files,
        hotline,
    })
}

/// What the receipt slip says besides the code.
#[derive(Debug, Default)]
pub struct Slip {
    /// The report's track and the dates the reporter can expect.
    pub track: String,
    pub dates: Vec<DateLine>,
    /// The hotline of the corporation the report's unit belongs to.
    pub hotline: Option<HotlineView>,
}

/// What the receipt slip says the reporter can expect: the track, its dates and whom to call.
pub async fn expected(state: &AppState, report_id: i32, lang: Lang) -> AppResult<Slip> {
    let db = state.db.conn();
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = report::Entity::find_by_id(report_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let status: CaseStatus = case.status.parse().map_err(AppError::internal)?;
    let track = Track::parse(&case.track);
    Ok(Slip {
        track: lang.t(&track.label_key()),
        dates: dates(lang, &case, status, track)
            .into_iter()
            .map(DateLine::from)
            .collect(),
        hotline: hotlines::of_unit(state, row.unit_id, lang).await,
    })
}

/// The dates that apply to the report's track, while they matter: a tip's review and result
/// targets; a candidate's verification; a denunciation's acceptance, notice and resolution.
fn dates(lang: Lang, case: &case_file::Model, status: CaseStatus, track: Track) -> Vec<DueDate> {
    let open = !matches!(
        status,
        CaseStatus::Declined | CaseStatus::Concluded | CaseStatus::Closed | CaseStatus::Terminated
    );
    if !open {
        return Vec::new();
    }
    if status == CaseStatus::Suspended {
        // The resolution clock stands still (Art. 34(2)): its new date comes with resumption.
        return day_lines(lang, vec![("status-date-suspended", case.suspended_on)]);
    }
    let waiting = status == CaseStatus::Received;
    let lines: Vec<(&str, Option<chrono::NaiveDate>)> = match track {
        Track::Tip => vec![
            ("status-date-review", waiting.then_some(case.acceptance_due)),
            ("status-date-result", case.resolution_due),
        ],
        Track::Candidate => vec![("status-date-verify", waiting.then_some(case.acceptance_due))],
        Track::Denunciation => vec![
            (
                "status-date-acceptance",
                waiting.then_some(case.acceptance_due),
            ),
            ("status-date-notify", case.notify_due),
            ("status-date-resolution", case.resolution_due),
        ],
    };
    day_lines(lang, lines)
}

/// The lines whose date is set.
fn day_lines(lang: Lang, lines: Vec<(&str, Option<chrono::NaiveDate>)>) -> Vec<DueDate> {
    lines
        .into_iter()
        .filter_map(|(key, day)| {
            day.map(|d| DueDate {
                label: lang.t(key),
                date: d,
            })
        })
        .collect()
}
