//! `perform`: one workflow action (accept, decline, investigate, ask the reporter, conclude,
//! close, transfer, escalate, reopen, extend a deadline) in one transaction, with the analytics
//! roll-ups kept in step.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde_json::{json, Value};

use super::periods::{self, Moment};
use super::{add_message, event, extension_days, require_text, ActionError, ActionInput};
use super::{procedure, tracks};
use crate::case_management::access::{load_case, user_may_see, Viewer};
use crate::case_management::alerts;
use crate::case_management::intake::team_workers;
use crate::domain::calendar;
use crate::domain::calendar::local_date;
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::domain::workflow::{self, Action};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{case_exclusion, case_file, inspection_team, report};
use crate::platform::persistence::rules;
use crate::platform::persistence::WriteTx;
use crate::web::error::AppError;
use crate::web::state::AppState;

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
    if !workers.contains(&assignee) || !user_may_see(conn, assignee, case.report_id).await? {
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
    // What the named denouncer is told by SMS, and who was given the case.
    let mut reporter_notice: Option<&'static str> = None;
    let mut assigned = None;
    let mut moved = false;

    match input {
        ActionInput::Accept => {
            // A denunciation is accepted (thụ lý) and its notice and resolution periods start;
            // a tip is taken up and keeps its service targets from receipt.
            let track = Track::parse(&case.track);
            tracks::refuse(crate::domain::track::check_accept(track))?;
            let mut c = case.clone().into_active_model();
            c.accepted_on = Set(Some(today));
            if track.is_denunciation() {
                let calendar = rules::load_calendar(&*tx).await?;
                let extensions = extension_days(&*tx, report_id).await?;
                let received = case.verified_at.unwrap_or(case.received_at);
                let clocks = calendar::clocks(
                    &calendar,
                    &state.config.deadlines,
                    local_date(received),
                    Some(today),
                    &extensions,
                    case.paused_days.max(0) as u32,
                );
                c.notify_due = Set(clocks.notify_due);
                c.resolution_due = Set(clocks.resolution_due);
            }
            let case = c.update(&*tx).await?;
            set_status(&tx, case, report, next, now).await?;
            let (kind, message) = if track.is_denunciation() {
                reporter_notice = Some("reporter-accepted");
                ("accepted", "msg-case-accepted")
            } else {
                reporter_notice = Some("reporter-message");
                ("taken_up", "msg-tip-taken-up")
            };
            event(&*tx, report_id, kind, me, true, Value::Null, now).await?;
            add_message(&*tx, report_id, None, message, false, now).await?;
        }
        ActionInput::Decline { reason } => {
            let reason = require_text(&reason, 5, "error-reason-required")?;
            let kind = if Track::parse(&case.track).is_denunciation() {
                reporter_notice = Some("reporter-not-accepted");
                "declined"
            } else {
                reporter_notice = Some("reporter-message");
                "not_taken_up"
            };
            set_status(&tx, case, report, next, now).await?;
            event(&*tx, report_id, kind, me, true, Value::Null, now).await?;
            add_message(&*tx, report_id, me, &reason, false, now).await?;
        }
        ActionInput::StartInvestigation { assignee } | ActionInput::Reassign { assignee } => {
            let assignee = assignee.unwrap_or(viewer.user.id);
            check_assignee(&*tx, &case, assignee).await?;
            assigned = (assignee != viewer.user.id).then_some(assignee);
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
            reporter_notice = Some("reporter-message");
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
            reporter_notice = Some("reporter-concluded");
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
            moved = true;
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
            let router = rules::load_router(&*tx).await?;
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
            moved = true;
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
        ActionInput::ExtendDeadline {
            days,
            reason,
            complexity,
            decision_number,
        } => {
            let asked = periods::Asked {
                days,
                reason,
                complexity,
                decision_number,
            };
            details["extension"] =
                periods::extend_deadline(&tx, moment(state, &case, viewer, now), asked).await?;
            reporter_notice = Some("reporter-extended");
        }
        ActionInput::VerifyDenouncer { method } => {
            let at = moment(state, &case, viewer, now);
            details["verified"] = tracks::verify_denouncer(&tx, at, status, method).await?;
        }
        ActionInput::TreatAsTip { reason } => {
            let at = moment(state, &case, viewer, now);
            details["tip"] = tracks::treat_as_tip(&tx, at, &reason).await?;
        }
        ActionInput::RecordWithdrawal(input) => {
            let at = moment(state, &case, viewer, now);
            details["withdrawal"] = procedure::record_withdrawal(&tx, at, input).await?;
        }
        ActionInput::Suspend(decision) => {
            let at = moment(state, &case, viewer, now);
            details["suspension"] = procedure::suspend(&tx, at, decision).await?;
            set_status(&tx, case, report, next, now).await?;
        }
        ActionInput::ResumeResolution(decision) => {
            let at = moment(state, &case, viewer, now);
            details["resumption"] = procedure::resume(&tx, at, decision).await?;
            set_status(&tx, case, report, next, now).await?;
        }
        ActionInput::Terminate(decision) => {
            let at = moment(state, &case, viewer, now);
            details["termination"] = procedure::terminate(&tx, at, decision).await?;
            set_status(&tx, case, report, next, now).await?;
        }
        ActionInput::RecordNotice { notice, method } => {
            let at = moment(state, &case, viewer, now);
            details["notice"] = procedure::record_notice(&tx, at, notice, method).await?;
        }
        ActionInput::PublishConclusion { summary } => {
            let mut identifying = procedure::accused_identifiers(&*tx, &case, &report).await?;
            if let Some(who) = super::reveal_identity(state, report_id).await? {
                identifying.extend([who.full_name, who.phone, who.address]);
            }
            let at = moment(state, &case, viewer, now);
            details["publication"] = procedure::publish(&tx, at, &summary, identifying).await?;
        }
        ActionInput::LengthenAcceptance { reason } => {
            details["lengthened"] =
                periods::lengthen_acceptance(&tx, moment(state, &case, viewer, now), &reason)
                    .await?;
        }
    }

    if let Some(kind) = reporter_notice {
        alerts::tell_reporter(&*tx, &state.config, now, report_id, kind).await?;
    }
    if assigned.is_some() {
        alerts::tell_case_staff(&*tx, &state.config, now, report_id, "case-assigned").await?;
    }
    if moved {
        // Nobody is assigned after a move: the new team is told.
        alerts::tell_case_staff(&*tx, &state.config, now, report_id, "case-new").await?;
    }
    tracker.after(&*tx).await?;
    audit::record_and_commit(
        tx,
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
    Ok(())
}

fn moment<'a>(
    state: &'a AppState,
    case: &'a case_file::Model,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> Moment<'a> {
    Moment {
        state,
        case,
        user_id: viewer.user.id,
        today: local_date(now),
        now,
    }
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
