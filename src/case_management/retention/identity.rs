//! A reporter withdraws their identity: the sealed identity is erased, the report turns
//! anonymous, and a case not yet ended continues as a tip (an anonymous denunciation is not
//! handled as a denunciation, Law on Denunciations 2018 Art. 25). The team learns only that the
//! identity was withdrawn: a timeline entry and the unread marker.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::{add_event, Origin};
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{case_file, notification, report, reporter_identity};
use crate::platform::privacy::Erasure;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Erases the identity of `report_id`'s reporter. `Ok(false)`: there was none to erase.
pub async fn withdraw(state: &AppState, report_id: i32, origin: Origin) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let tracker = crate::analytics::rollups::Tracker::before(&*tx, report_id).await?;
    let row = report::Entity::find_by_id(report_id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let erased = reporter_identity::Entity::delete_many()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .exec(&*tx)
        .await?
        .rows_affected;
    if erased == 0 && row.submission_kind != "named" {
        return Ok(false);
    }
    origin.record(state, Erasure::IdentityWithdrawal, report_id, now)?;
    // Messages still waiting for the denouncer's phone will never be sent.
    notification::Entity::delete_many()
        .filter(notification::Column::ReportId.eq(report_id))
        .filter(notification::Column::UserId.is_null())
        .filter(notification::Column::Status.ne("sent"))
        .exec(&*tx)
        .await?;
    let mut active = row.into_active_model();
    active.submission_kind = Set("anonymous".to_string());
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    continue_as_tip(&tx, report_id, now).await?;
    add_event(
        &*tx,
        report_id,
        "identity_withdrawn",
        origin.actor_kind(),
        now,
    )
    .await?;
    tracker.after(&*tx).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &origin.audit_actor(),
            action: "identity_withdrawn",
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    super::after_erasure(state).await;
    tracing::info!(report_id, "reporter identity withdrawn");
    Ok(true)
}

/// A candidate or denunciation still being handled becomes a tip; one already ended keeps its
/// track, as the record of what it was.
async fn continue_as_tip(
    tx: &crate::platform::persistence::WriteTx,
    report_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(&**tx)
        .await?
    else {
        return Ok(());
    };
    let ended = matches!(
        case.status.parse::<CaseStatus>(),
        Ok(CaseStatus::Declined | CaseStatus::Closed | CaseStatus::Terminated)
    );
    let mut active = case.clone().into_active_model();
    if !ended && Track::parse(&case.track) != Track::Tip {
        active.track = Set(Track::Tip.as_str().to_string());
    }
    active.staff_unread = Set(true);
    active.updated_at = Set(now);
    active.update(&**tx).await?;
    Ok(())
}
