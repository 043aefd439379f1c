//! The track actions (`domain::track`): verifying a named report's denouncer, which makes it a
//! denunciation and starts the Law on Denunciations' clocks from that day, or finding that it
//! cannot be verified, which continues it as a tip on the portal's service targets. Called by
//! [`super::perform::perform`] inside its transaction.

use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::{json, Value};

use super::periods::Moment;
use super::{add_message, event, extension_days, require_text, ActionError};
use crate::domain::calendar::{self, local_date};
use crate::domain::status::CaseStatus;
use crate::domain::track::{self, Track, TrackRefusal, Verification};
use crate::platform::persistence::{rules, WriteTx};

/// The case's track, as stored.
pub fn track_of(at: &Moment<'_>) -> Track {
    Track::parse(&at.case.track)
}

/// Refuses an action the case's track does not allow.
pub fn refuse(refusal: Result<(), TrackRefusal>) -> Result<(), ActionError> {
    refusal.map_err(|r| ActionError::Invalid(r.message_key()))
}

/// The denouncer is verified: the case becomes a denunciation received today. Still awaiting
/// acceptance, its acceptance period starts today; already taken up (a tip whose reporter gave
/// a name later), it is deemed accepted today and its notice and resolution periods start.
pub async fn verify_denouncer(
    tx: &WriteTx,
    at: Moment<'_>,
    status: CaseStatus,
    method: Option<Verification>,
) -> Result<Value, ActionError> {
    refuse(track::check_verification(track_of(&at)))?;
    let method = method.ok_or(ActionError::Invalid(TrackRefusal::NoMethod.message_key()))?;
    let working = rules::load_calendar(&**tx).await?;
    let settings = &at.state.config.deadlines;
    let mut c = at.case.clone().into_active_model();
    c.track = Set(Track::Denunciation.as_str().to_string());
    c.verified_via = Set(Some(method.as_str().to_string()));
    c.verified_by = Set(Some(at.user_id));
    c.verified_at = Set(Some(at.now));
    if status == CaseStatus::Received {
        c.acceptance_due = Set(working.add_working_days(at.today, settings.accept_working_days));
        c.resolution_due = Set(None);
    } else {
        let granted = extension_days(&**tx, at.case.report_id).await?;
        let clocks = calendar::clocks(
            &working,
            settings,
            at.today,
            Some(at.today),
            &granted,
            at.case.paused_days.max(0) as u32,
        );
        c.accepted_on = Set(Some(at.today));
        c.notify_due = Set(clocks.notify_due);
        c.resolution_due = Set(clocks.resolution_due);
    }
    c.updated_at = Set(at.now);
    c.update(&**tx).await?;
    let details = json!({"method": method.as_str()});
    let report_id = at.case.report_id;
    event(
        &**tx,
        report_id,
        "denouncer_verified",
        Some(at.user_id),
        true,
        details.clone(),
        at.now,
    )
    .await?;
    add_message(
        &**tx,
        report_id,
        None,
        "msg-denunciation-verified",
        false,
        at.now,
    )
    .await?;
    Ok(details)
}

/// The denouncer cannot be verified: the case continues as a tip, on the service targets
/// counted from receipt; the reporter reads why.
pub async fn treat_as_tip(
    tx: &WriteTx,
    at: Moment<'_>,
    reason: &str,
) -> Result<Value, ActionError> {
    refuse(track::check_verification(track_of(&at)))?;
    let reason = require_text(reason, 5, "error-reason-required")?;
    let working = rules::load_calendar(&**tx).await?;
    let targets = track::tip_targets(
        &working,
        &at.state.config.deadlines,
        local_date(at.case.received_at),
    );
    let mut c = at.case.clone().into_active_model();
    c.track = Set(Track::Tip.as_str().to_string());
    if at.case.accepted_on.is_none() {
        c.acceptance_due = Set(targets.review_due);
    }
    c.notify_due = Set(None);
    c.resolution_due = Set(Some(targets.result_due));
    c.updated_at = Set(at.now);
    c.update(&**tx).await?;
    let report_id = at.case.report_id;
    let me = Some(at.user_id);
    event(
        &**tx,
        report_id,
        "treated_as_tip",
        me,
        true,
        Value::Null,
        at.now,
    )
    .await?;
    add_message(&**tx, report_id, me, &reason, false, at.now).await?;
    Ok(json!({}))
}
