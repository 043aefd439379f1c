//! Workflow actions, messages and notes, links, identity requests — each one transaction that
//! writes the change, its timeline event, its audit entry and any reporter-visible message.
//! Called by the `/cases` POST handlers (`case_management::actions`), by `staff_link`, and by
//! tests and the demo generator (`perform`, `ActionInput`).

mod notes;
mod perform;
mod periods;
mod procedure;
mod reading;
mod tracks;

pub use notes::{link_cases, post_message, request_identity};
pub use perform::perform;
pub use procedure::{all_steps, position, DecisionInput, WithdrawalInput, NOTICE_METHODS};
pub use reading::{mark_viewed, open_identity, reveal_identity};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::Value;

use crate::domain::calendar::Complexity;
use crate::domain::procedure::Notice;
use crate::domain::report::clean_text;
use crate::domain::track::Verification;
use crate::domain::workflow::{Action, Finding, Refusal};
use crate::platform::persistence::entities::{case_event, deadline_extension, message};
use crate::web::error::AppError;

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
        complexity: Option<Complexity>,
        decision_number: String,
    },
    LengthenAcceptance {
        reason: String,
    },
    VerifyDenouncer {
        method: Option<Verification>,
    },
    TreatAsTip {
        reason: String,
    },
    RecordWithdrawal(WithdrawalInput),
    Suspend(DecisionInput),
    ResumeResolution(DecisionInput),
    Terminate(DecisionInput),
    RecordNotice {
        notice: Option<Notice>,
        method: Option<String>,
    },
    PublishConclusion {
        summary: String,
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
            ActionInput::LengthenAcceptance { .. } => Action::LengthenAcceptance,
            ActionInput::VerifyDenouncer { .. } => Action::VerifyDenouncer,
            ActionInput::TreatAsTip { .. } => Action::TreatAsTip,
            ActionInput::RecordWithdrawal(_) => Action::RecordWithdrawal,
            ActionInput::Suspend(_) => Action::Suspend,
            ActionInput::ResumeResolution(_) => Action::ResumeResolution,
            ActionInput::Terminate(_) => Action::Terminate,
            ActionInput::RecordNotice { .. } => Action::RecordNotice,
            ActionInput::PublishConclusion { .. } => Action::PublishConclusion,
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

/// `text` cleaned, when it has between `min` and 5000 characters; `Invalid(key)` otherwise.
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
