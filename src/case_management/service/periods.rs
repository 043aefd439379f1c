//! The two actions that move a case's legal periods: extending the resolution (Art. 30(1),
//! graded and by a numbered decision) and lengthening the acceptance period (Art. 24(1)).
//! Called by [`super::perform::perform`] inside its transaction; the rules are
//! `domain::calendar`'s.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::{json, Value};

use super::{add_message, event, extension_days, ActionError};
use crate::domain::calendar::{self, local_date, Complexity, ExtensionRequest};
use crate::domain::report::clean_text;
use crate::domain::track::{self, Track};
use crate::platform::persistence::entities::{case_file, deadline_extension};
use crate::platform::persistence::{rules, WriteTx};
use crate::web::state::AppState;

/// What the two actions share: the case, who acts and when.
pub struct Moment<'a> {
    pub state: &'a AppState,
    pub case: &'a case_file::Model,
    pub user_id: i32,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

/// An extension as typed on the case page.
pub struct Asked {
    pub days: u32,
    pub reason: String,
    pub complexity: Option<Complexity>,
    pub decision_number: String,
}

/// Extends the resolution period; returns the audit details.
pub async fn extend_deadline(
    tx: &WriteTx,
    at: Moment<'_>,
    asked: Asked,
) -> Result<Value, ActionError> {
    super::tracks::refuse(track::check_legal_period(Track::parse(&at.case.track)))?;
    let report_id = at.case.report_id;
    let granted = extension_days(&**tx, report_id).await?;
    let request = ExtensionRequest {
        days: asked.days,
        reason: &asked.reason,
        complexity: asked.complexity,
        decision_number: &asked.decision_number,
    };
    calendar::check_extension(
        &at.state.config.deadlines,
        granted.len(),
        &request,
        (at.today, at.case.resolution_due),
    )
    .map_err(|r| ActionError::Invalid(r.message_key()))?;
    let reason = clean_text(&asked.reason);
    let number = clean_text(&asked.decision_number);
    let grade = asked.complexity.map(|c| c.as_str().to_string());
    deadline_extension::ActiveModel {
        report_id: Set(report_id),
        days: Set(asked.days as i32),
        reason: Set(reason.clone()),
        complexity: Set(grade.clone()),
        decision_number: Set(Some(number.clone())),
        created_by: Set(at.user_id),
        created_at: Set(at.now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    let mut all = granted;
    all.push(asked.days);
    let working = rules::load_calendar(&**tx).await?;
    let clocks = calendar::clocks(
        &working,
        &at.state.config.deadlines,
        local_date(at.case.received_at),
        at.case.accepted_on.or(Some(at.today)),
        &all,
        at.case.paused_days.max(0) as u32,
    );
    let mut c = at.case.clone().into_active_model();
    c.resolution_due = Set(clocks.resolution_due);
    c.updated_at = Set(at.now);
    c.update(&**tx).await?;
    let details = json!({"days": asked.days, "complexity": grade, "decision_number": number});
    let me = Some(at.user_id);
    event(
        &**tx,
        report_id,
        "extended",
        me,
        true,
        details.clone(),
        at.now,
    )
    .await?;
    add_message(&**tx, report_id, me, &reason, false, at.now).await?;
    Ok(details)
}

/// Lengthens the acceptance period to its longer length; returns the audit details.
pub async fn lengthen_acceptance(
    tx: &WriteTx,
    at: Moment<'_>,
    reason: &str,
) -> Result<Value, ActionError> {
    let case = at.case;
    super::tracks::refuse(track::check_legal_period(Track::parse(&case.track)))?;
    calendar::check_lengthening(
        case.acceptance_lengthened_reason.is_some(),
        reason,
        (at.today, case.acceptance_due),
    )
    .map_err(|r| ActionError::Invalid(r.message_key()))?;
    let reason = clean_text(reason);
    let working = rules::load_calendar(&**tx).await?;
    // A denunciation is received on the day its denouncer was verified.
    let received = case.verified_at.unwrap_or(case.received_at);
    let due = calendar::lengthened_acceptance_due(
        &working,
        &at.state.config.deadlines,
        local_date(received),
    );
    let mut c = case.clone().into_active_model();
    c.acceptance_due = Set(due);
    c.acceptance_lengthened_reason = Set(Some(reason.clone()));
    c.updated_at = Set(at.now);
    c.update(&**tx).await?;
    let details = json!({"acceptance_due": due.to_string()});
    let me = Some(at.user_id);
    event(
        &**tx,
        case.report_id,
        "acceptance_lengthened",
        me,
        true,
        details.clone(),
        at.now,
    )
    .await?;
    add_message(&**tx, case.report_id, me, &reason, false, at.now).await?;
    Ok(details)
}
