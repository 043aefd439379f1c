//! Reading that leaves a trace: opening the case page marks the reporter's messages read and is
//! audited; opening a denouncer's identity (after a custodian approved the request) is audited.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use crate::case_management::access::{load_case, Viewer};
use crate::domain::ids::CaseId;
use crate::domain::report::ReporterIdentity;
use crate::platform::audit::{self, Entry};
use crate::platform::crypto::{self, identity_context};
use crate::platform::persistence::entities::{
    case_file, identity_request, message, report, report_key, reporter_identity,
};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Loads the case for its page: the reporter's messages become read, the view is audited.
pub async fn mark_viewed(
    state: &AppState,
    viewer: &Viewer,
    id: CaseId,
) -> AppResult<(case_file::Model, report::Model)> {
    let (case, report) = load_case(state.db.conn(), viewer, id.0).await?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    message::Entity::update_many()
        .col_expr(
            message::Column::ReadByStaffAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(message::Column::ReportId.eq(id.0))
        .filter(message::Column::ReadByStaffAt.is_null())
        .exec(&*tx)
        .await?;
    if case.staff_unread {
        let mut active = case.clone().into_active_model();
        active.staff_unread = Set(false);
        active.update(&*tx).await?;
    }
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "case_viewed",
            object_type: "case",
            object_id: Some(id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    Ok((case, report))
}

/// The denouncer's identity for `viewer`, when a custodian approved their request; audited.
/// `NotFound` when the case is out of reach, no approved request exists or nothing was sealed.
pub async fn open_identity(
    state: &AppState,
    viewer: &Viewer,
    id: CaseId,
) -> AppResult<(case_file::Model, ReporterIdentity)> {
    let conn = state.db.conn();
    let (case, _) = load_case(conn, viewer, id.0).await?;
    // An approval lets its requester see the identity for a limited time, as for originals.
    let since = state.clock.now()
        - chrono::Duration::hours(crate::case_management::originals::ACCESS_HOURS);
    let approved = identity_request::Entity::find()
        .filter(identity_request::Column::ReportId.eq(id.0))
        .filter(identity_request::Column::RequestedBy.eq(viewer.user.id))
        .filter(identity_request::Column::Status.eq("approved"))
        .filter(identity_request::Column::DecidedAt.gte(since))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let identity = reveal_identity(state, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "identity_viewed",
            object_type: "identity_request",
            object_id: Some(approved.id.to_string()),
            details: json!({"report_id": id.0}),
        },
    )
    .await?;
    Ok((case, identity))
}

/// Opens a report's sealed identity with its data key.
pub async fn reveal_identity(
    state: &AppState,
    report_id: i32,
) -> AppResult<Option<ReporterIdentity>> {
    let conn = state.db.conn();
    let Some(sealed) = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let key = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let data_key = state
        .config
        .unwrap_report_key(&key)
        .map_err(AppError::internal)?;
    let plain = crypto::open(&data_key, &identity_context(report_id), &sealed.sealed)
        .map_err(AppError::internal)?;
    Ok(Some(
        serde_json::from_slice(&plain).map_err(AppError::internal)?,
    ))
}
