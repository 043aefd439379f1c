//! Messages and internal notes, links between cases, and identity requests: the case page's
//! smaller forms, each one audited transaction.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{json, Value};

use super::{add_message, event, require_text, ActionError};
use crate::case_management::access::{load_case, Viewer};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{case_link, identity_request};
use crate::web::state::AppState;

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
    if !internal {
        let config = &state.config;
        crate::case_management::alerts::tell_reporter(
            &*tx,
            config,
            now,
            report_id,
            "reporter-message",
        )
        .await?;
    }
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
    audit::record_and_commit(
        tx,
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
    audit::record_and_commit(
        tx,
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
    Ok(())
}
