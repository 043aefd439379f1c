//! Workflow actions, messages and notes, links, identity requests — each one transaction that
//! writes the change, its timeline event, its audit entry and any reporter-visible message.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Value};

use super::access::{load_case, Viewer};
use super::intake::{self, team_workers};
use crate::domain::calendar;
use crate::domain::calendar::local_date;
use crate::domain::report::clean_text;
use crate::domain::status::CaseStatus;
use crate::domain::workflow::{self, Action, Finding, Refusal};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    case_event, case_exclusion, case_file, case_link, deadline_extension, identity_request,
    inspection_team, message, report,
};
use crate::platform::persistence::WriteTx;
use crate::web::error::AppError;
use crate::web::state::AppState;

/// The data an action carries, as validated input.
#[derive(Debug, Clone)]
pub enum ActionInput {
    Accept,
    Decline {
        reason: String,
    },
    StartInvestigation {
        assignee: Option<i32>,
    },
    Reassign {
        assignee: Option<i32>,
    },
    AskReporter {
        message: String,
    },
    ResumeInvestigation,
    Conclude {
        finding: Option<Finding>,
        summary: String,
    },
    Close,
    Transfer {
        team_id: Option<i32>,
        reason: String,
    },
    Escalate {
        reason: String,
    },
    Reopen {
        reason: String,
    },
    ExtendDeadline {
        days: u32,
        reason: String,
    },
}

impl ActionInput {
    pub fn action(&self) -> Action {
        match self {
            ActionInput::Accept => Action::Accept,
            ActionInput::Decline { .. } => Action::Decline,
            ActionInput::StartInvestigation { .. } => Action::StartInvestigation,
            ActionInput::Reassign { .. } => Action::Reassign,
            ActionInput::AskReporter { .. } => Action::AskReporter,
            ActionInput::ResumeInvestigation => Action::ResumeInvestigation,
            ActionInput::Conclude { .. } => Action::Conclude,
            ActionInput::Close => Action::Close,
            ActionInput::Transfer { .. } => Action::Transfer,
            ActionInput::Escalate { .. } => Action::Escalate,
            ActionInput::Reopen { .. } => Action::Reopen,
            ActionInput::ExtendDeadline { .. } => Action::ExtendDeadline,
        }
    }
}

/// Why an action did not happen.
#[derive(Debug)]
pub enum ActionError {
    /// Not allowed now (state or role): 409 / 403 with the catalogue key.
    Refused(Refusal),
    /// A required field is missing or wrong: 422 with the catalogue key.
    Invalid(&'static str),
    Other(AppError),
}

impl From<AppError> for ActionError {
    fn from(e: AppError) -> Self {
        ActionError::Other(e)
    }
}

impl From<DbErr> for ActionError {
    fn from(e: DbErr) -> Self {
        ActionError::Other(e.into())
    }
}

fn require_text(text: &str, min: usize, key: &'static str) -> Result<String, ActionError> {
    let cleaned = clean_text(text);
    let count = cleaned.chars().count();
    if count < min || count > 5000 {
        return Err(ActionError::Invalid(key));
    }
    Ok(cleaned)
}

/// Writes a timeline event.
pub async fn event<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    kind: &str,
    actor_user_id: Option<i32>,
    visible_to_reporter: bool,
    detail: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    case_event::ActiveModel {
        report_id: Set(report_id),
        kind: Set(kind.to_string()),
        actor_kind: Set(if actor_user_id.is_some() {
            "staff"
        } else {
            "system"
        }
        .to_string()),
        actor_user_id: Set(actor_user_id),
        visible_to_reporter: Set(visible_to_reporter),
        detail: Set(match detail {
            Value::Null => None,
            other => Some(other.to_string()),
        }),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Adds a message; `system_key` messages store a catalogue key instead of text.
pub async fn add_message<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    author_user_id: Option<i32>,
    body: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    message::ActiveModel {
        report_id: Set(report_id),
        author_kind: Set(if author_user_id.is_some() {
            "staff"
        } else {
            "system"
        }
        .to_string()),
        author_user_id: Set(author_user_id),
        body: Set(body.to_string()),
        internal: Set(internal),
        created_at: Set(now),
        read_by_reporter_at: Set(None),
        read_by_staff_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Sets the status on both the report (what the reporter reads) and the case file.
async fn set_status(
    tx: &WriteTx,
    case: case_file::Model,
    report: report::Model,
    status: CaseStatus,
    now: DateTime<Utc>,
) -> Result<case_file::Model, DbErr> {
    let mut r = report.into_active_model();
    r.status = Set(status.as_str().to_string());
    r.updated_at = Set(now);
    r.update(&**tx).await?;
    let mut c = case.into_active_model();
    c.status = Set(status.as_str().to_string());
    c.updated_at = Set(now);
    c.update(&**tx).await
}

async fn check_assignee<C: ConnectionTrait>(
    conn: &C,
    case: &case_file::Model,
    assignee: i32,
) -> Result<(), ActionError> {
    let team = case
        .team_id
        .ok_or(ActionError::Invalid("error-case-assignee"))?;
    let workers = team_workers(conn, team).await?;
    let excluded = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(case.report_id))
        .filter(case_exclusion::Column::UserId.eq(assignee))
        .count(conn)
        .await?
        > 0;
    if !workers.contains(&assignee) || excluded {
        return Err(ActionError::Invalid("error-case-assignee"));
    }
    Ok(())
}

/// Performs one workflow action for `viewer` on the case of `report_id`.
pub async fn perform(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    input: ActionInput,
) -> Result<(), ActionError> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let (case, report) = load_case(&*tx, viewer, report_id).await?;
    let tracker = crate::analytics::rollups::Tracker::before(&*tx, report_id).await?;
    let status: CaseStatus = case
        .status
        .parse()
        .map_err(|e| ActionError::Other(AppError::internal(e)))?;
    let action = input.action();
    let next =
        workflow::decide(status, action, &viewer.user.roles).map_err(ActionError::Refused)?;
    let me = Some(viewer.user.id);
    let mut details = json!({"from": status.as_str(), "to": next.as_str()});

    match input {
        ActionInput::Accept => {
            let calendar = intake::load_calendar(&*tx).await?;
            let extensions = extension_days(&*tx, report_id).await?;
            let clocks = calendar::clocks(
                &calendar,
                &state.config.deadlines,
                local_date(case.received_at),
                Some(today),
                &extensions,
            );
            let mut c = case.clone().into_active_model();
            c.accepted_on = Set(Some(today));
            c.notify_due = Set(clocks.notify_due);
            c.resolution_due = Set(clocks.resolution_due);
            let case = c.update(&*tx).await?;
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, "accepted", me, true, Value::Null, now).await?;
            add_message(&*tx, report_id, None, "msg-case-accepted", false, now).await?;
        }
        ActionInput::Decline { reason } => {
            let reason = require_text(&reason, 5, "error-reason-required")?;
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, "declined", me, true, Value::Null, now).await?;
            add_message(&*tx, report_id, me, &reason, false, now).await?;
        }
        ActionInput::StartInvestigation { assignee } | ActionInput::Reassign { assignee } => {
            let assignee = assignee.unwrap_or(viewer.user.id);
            check_assignee(&*tx, &case, assignee).await?;
            let mut c = case.clone().into_active_model();
            c.assignee_user_id = Set(Some(assignee));
            let case = c.update(&*tx).await?;
            details["assignee"] = json!(assignee);
            if action == Action::StartInvestigation {
                set_status(&tx, case, report, next, now).await?;
                event(&*tx, report_id, "investigating", me, true, Value::Null, now).await?;
            } else {
                event(
                    &*tx,
                    report_id,
                    "reassigned",
                    me,
                    false,
                    json!({"assignee": assignee}),
                    now,
                )
                .await?;
            }
        }
        ActionInput::AskReporter { message } => {
            let message = require_text(&message, 5, "error-message-required")?;
            set_status(&tx, case, report, next, now).await?;
            event(
                &*tx,
                report_id,
                "awaiting_reporter",
                me,
                true,
                Value::Null,
                now,
            )
            .await?;
            add_message(&*tx, report_id, me, &message, false, now).await?;
        }
        ActionInput::ResumeInvestigation => {
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, "investigating", me, true, Value::Null, now).await?;
        }
        ActionInput::Conclude { finding, summary } => {
            let finding = finding.ok_or(ActionError::Invalid("error-finding-required"))?;
            let summary = require_text(&summary, 10, "error-summary-required")?;
            let mut c = case.clone().into_active_model();
            c.finding = Set(Some(finding.as_str().to_string()));
            c.conclusion_summary = Set(Some(summary.clone()));
            let case = c.update(&*tx).await?;
            details["finding"] = json!(finding.as_str());
            set_status(&tx, case, report, next, now).await?;
            event(
                &*tx,
                report_id,
                "concluded",
                me,
                true,
                json!({"finding": finding.as_str()}),
                now,
            )
            .await?;
            add_message(&*tx, report_id, me, &summary, false, now).await?;
        }
        ActionInput::Close => {
            let mut c = case.clone().into_active_model();
            c.closed_at = Set(Some(now));
            let case = c.update(&*tx).await?;
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, "closed", me, true, Value::Null, now).await?;
        }
        ActionInput::Transfer { team_id, reason } => {
            let reason = require_text(&reason, 5, "error-reason-required")?;
            let team = match team_id {
                Some(id) => inspection_team::Entity::find_by_id(id).one(&*tx).await?,
                None => None,
            }
            .filter(|t| t.active && Some(t.id) != case.team_id)
            .ok_or(ActionError::Invalid("error-case-team"))?;
            details["team_from"] = json!(case.team_id);
            details["team_to"] = json!(team.id);
            move_to_team(&tx, case, team.id, false, now).await?;
            event(
                &*tx,
                report_id,
                "transferred",
                me,
                false,
                json!({"team_id": team.id, "reason": reason}),
                now,
            )
            .await?;
        }
        ActionInput::Escalate { reason } => {
            let reason = require_text(&reason, 5, "error-reason-required")?;
            let current = match case.team_id {
                Some(id) => inspection_team::Entity::find_by_id(id).one(&*tx).await?,
                None => None,
            }
            .ok_or(ActionError::Invalid("error-case-no-parent-team"))?;
            let router = intake::load_router(&*tx).await?;
            let excluded: Vec<i32> = case_exclusion::Entity::find()
                .filter(case_exclusion::Column::ReportId.eq(report_id))
                .all(&*tx)
                .await?
                .into_iter()
                .map(|e| e.user_id)
                .collect();
            let mut skipped = Vec::new();
            let target = loop {
                let Some(team_id) = router.parent_level_team(current.org_unit_id, &skipped) else {
                    return Err(ActionError::Invalid("error-case-no-parent-team"));
                };
                let workers = team_workers(&*tx, team_id).await?;
                if !workers.is_empty() && workers.iter().all(|u| excluded.contains(u)) {
                    skipped.push(team_id);
                    continue;
                }
                break team_id;
            };
            details["team_from"] = json!(current.id);
            details["team_to"] = json!(target);
            move_to_team(&tx, case, target, true, now).await?;
            event(
                &*tx,
                report_id,
                "escalated",
                me,
                false,
                json!({"team_id": target, "reason": reason}),
                now,
            )
            .await?;
        }
        ActionInput::Reopen { reason } => {
            let reason = require_text(&reason, 5, "error-reason-required")?;
            let mut c = case.clone().into_active_model();
            c.closed_at = Set(None);
            let case = c.update(&*tx).await?;
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, "reopened", me, true, Value::Null, now).await?;
            add_message(&*tx, report_id, me, &reason, false, now).await?;
        }
        ActionInput::ExtendDeadline { days, reason } => {
            let granted = extension_days(&*tx, report_id).await?;
            calendar::check_extension(&state.config.deadlines, granted.len(), days, &reason)
                .map_err(|r| ActionError::Invalid(r.message_key()))?;
            let reason = clean_text(&reason);
            deadline_extension::ActiveModel {
                report_id: Set(report_id),
                days: Set(days as i32),
                reason: Set(reason.clone()),
                created_by: Set(viewer.user.id),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
            let mut all = granted;
            all.push(days);
            let calendar = intake::load_calendar(&*tx).await?;
            let clocks = calendar::clocks(
                &calendar,
                &state.config.deadlines,
                local_date(case.received_at),
                case.accepted_on.or(Some(today)),
                &all,
            );
            let mut c = case.clone().into_active_model();
            c.resolution_due = Set(clocks.resolution_due);
            c.updated_at = Set(now);
            c.update(&*tx).await?;
            details["days"] = json!(days);
            event(
                &*tx,
                report_id,
                "extended",
                me,
                true,
                json!({"days": days}),
                now,
            )
            .await?;
            add_message(&*tx, report_id, me, &reason, false, now).await?;
        }
    }

    tracker.after(&*tx).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: &format!("case_{}", action.as_str()),
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn move_to_team(
    tx: &WriteTx,
    case: case_file::Model,
    team_id: i32,
    second_level: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut c = case.into_active_model();
    c.team_id = Set(Some(team_id));
    c.assignee_user_id = Set(None);
    if second_level {
        c.second_level = Set(true);
    }
    c.updated_at = Set(now);
    c.update(&**tx).await?;
    Ok(())
}

/// Days of each extension granted so far, oldest first.
pub async fn extension_days<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> Result<Vec<u32>, DbErr> {
    Ok(deadline_extension::Entity::find()
        .filter(deadline_extension::Column::ReportId.eq(report_id))
        .order_by_asc(deadline_extension::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.days.max(0) as u32)
        .collect())
}

/// A message to the reporter or an internal note.
pub async fn post_message(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    body: &str,
    internal: bool,
) -> Result<(), ActionError> {
    let body = require_text(body, 1, "error-message-required")?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_case(&*tx, viewer, report_id).await?;
    add_message(&*tx, report_id, Some(viewer.user.id), &body, internal, now).await?;
    event(
        &*tx,
        report_id,
        if internal {
            "note_added"
        } else {
            "staff_message"
        },
        Some(viewer.user.id),
        !internal,
        Value::Null,
        now,
    )
    .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: if internal {
                "case_note_added"
            } else {
                "case_message_sent"
            },
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Links two cases the viewer can both see.
pub async fn link_cases(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    other: i32,
) -> Result<(), ActionError> {
    if other == report_id {
        return Err(ActionError::Invalid("error-case-link"));
    }
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_case(&*tx, viewer, report_id).await?;
    if load_case(&*tx, viewer, other).await.is_err() {
        return Err(ActionError::Invalid("error-case-link"));
    }
    let exists = case_link::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(case_link::Column::ReportId.eq(report_id))
                        .add(case_link::Column::LinkedReportId.eq(other)),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(case_link::Column::ReportId.eq(other))
                        .add(case_link::Column::LinkedReportId.eq(report_id)),
                ),
        )
        .count(&*tx)
        .await?
        > 0;
    if !exists {
        case_link::ActiveModel {
            report_id: Set(report_id),
            linked_report_id: Set(other),
            created_by: Set(viewer.user.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        audit::record(
            &*tx,
            now,
            Entry {
                actor: &viewer.user.actor(),
                action: "case_linked",
                object_type: "case",
                object_id: Some(report_id.to_string()),
                details: json!({"linked": other}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An inspector asks the custodian to reveal a denouncer's identity.
pub async fn request_identity(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    reason: &str,
) -> Result<(), ActionError> {
    let reason = require_text(reason, 10, "error-identity-reason")?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let (_, report) = load_case(&*tx, viewer, report_id).await?;
    if report.submission_kind != "named" {
        return Err(ActionError::Invalid("error-identity-none"));
    }
    let pending = identity_request::Entity::find()
        .filter(identity_request::Column::ReportId.eq(report_id))
        .filter(identity_request::Column::RequestedBy.eq(viewer.user.id))
        .filter(identity_request::Column::Status.eq("pending"))
        .count(&*tx)
        .await?;
    if pending > 0 {
        return Err(ActionError::Invalid("error-identity-pending"));
    }
    let request = identity_request::ActiveModel {
        report_id: Set(report_id),
        requested_by: Set(viewer.user.id),
        reason: Set(reason),
        status: Set("pending".into()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "identity_requested",
            object_type: "identity_request",
            object_id: Some(request.id.to_string()),
            details: json!({"report_id": report_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
