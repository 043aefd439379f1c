//! An anonymous reporter gives their identity after the fact, with their consent to the
//! privacy notice: sealed under the report's data key like a named report's, audited without
//! anything identifying; a tip still being handled becomes a denunciation candidate.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::service::{actor, insert_event};
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::platform::crypto::{self, identity_context};
use crate::platform::persistence::entities::{case_file, report, report_key, reporter_identity};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// An anonymous reporter gives their identity after the fact; it cannot be undone. Sealed under
/// the report's data key like a named report's, audited without anything identifying.
pub async fn disclose_identity(
    state: &AppState,
    report_id: i32,
    identity: &crate::domain::report::ReporterIdentity,
) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let tracker = crate::analytics::rollups::Tracker::before(&*tx, report_id).await?;
    let row = report::Entity::find_by_id(report_id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let exists = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
        .is_some();
    if row.submission_kind == "named" || exists {
        return Ok(false);
    }
    let key = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let data_key = state
        .config
        .unwrap_report_key(&key)
        .map_err(AppError::internal)?;
    let plaintext = serde_json::to_vec(identity).map_err(AppError::internal)?;
    reporter_identity::ActiveModel {
        report_id: Set(report_id),
        sealed: Set(crypto::seal(
            &data_key,
            &identity_context(report_id),
            &plaintext,
        )),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let mut active = row.into_active_model();
    active.submission_kind = Set("named".to_string());
    active.consent_version = Set(Some(crate::platform::privacy::NOTICE_VERSION.to_string()));
    active.consented_on = Set(Some(crate::domain::calendar::local_date(now)));
    active.updated_at = Set(now);
    active.reporter_last_seen_at = Set(Some(now));
    active.update(&*tx).await?;
    // A tip still being handled whose reporter gives a name is a denunciation candidate, to be
    // verified; one already declined, concluded or closed stays a tip (nothing can verify it).
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?;
    let open = |c: &case_file::Model| {
        !matches!(
            c.status.parse::<CaseStatus>(),
            Ok(CaseStatus::Declined
                | CaseStatus::Concluded
                | CaseStatus::Closed
                | CaseStatus::Terminated)
        )
    };
    if let Some(case) = case.filter(|c| Track::parse(&c.track) == Track::Tip && open(c)) {
        let mut active = case.into_active_model();
        active.track = Set(Track::Candidate.as_str().to_string());
        active.updated_at = Set(now);
        active.update(&*tx).await?;
    }
    insert_event(&tx, report_id, "identity_disclosed", actor::REPORTER, now).await?;
    tracker.after(&*tx).await?;
    crate::platform::audit::record(
        &*tx,
        now,
        crate::platform::audit::Entry {
            actor: &crate::platform::audit::Actor::Claimed("reporter".into()),
            action: "identity_disclosed",
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
