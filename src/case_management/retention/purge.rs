//! The purge of one closed case by crypto-shredding: its data key is destroyed (so the sealed
//! text, replies, identity and every encrypted object become unreadable at commit), then the
//! ciphertexts, messages, free text, search tokens, the accused's name and the requests about
//! it are removed, and its objects deleted from the store. What the figures count stays: dates,
//! unit, category, track, status, finding, kind, procedural steps, the rating's score, the
//! decisions' measures.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::{add_event, Origin};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    case_event, case_exclusion, case_file, deadline_extension, discipline_decision,
    discipline_finding, evidence_file, identity_request, message, notification, original_request,
    published_conclusion, report, report_key, reporter_identity, satisfaction_rating,
};
use crate::platform::persistence::WriteTx;
use crate::platform::privacy::Erasure;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Purges `report_id`'s case. `Ok(false)`: it was purged already.
pub async fn purge(state: &AppState, report_id: i32, origin: Origin) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if case.purged_at.is_some() {
        return Ok(false);
    }
    origin.record(state, Erasure::Purge, report_id, now)?;
    let objects = object_keys(&tx, report_id).await?;
    shred(&tx, report_id).await?;
    let row = report::Entity::find_by_id(report_id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut emptied = row.clone().into_active_model();
    emptied.description = Set(String::new());
    emptied.staff_name = Set(None);
    emptied.staff_number = Set(None);
    emptied.staff_description = Set(None);
    emptied.sealed_text = Set(None);
    // No receipt opens a purged report again.
    emptied.receipt_lookup = Set(format!("purged-{report_id}"));
    emptied.receipt_hash = Set(String::new());
    let row = emptied.update(&*tx).await?;
    let reference = super::super::reference_of(&case);
    let mut active = case.into_active_model();
    active.search_text = Set(crate::platform::evidence::text::search_text(
        &row, &reference,
    ));
    active.text_tokens = Set(String::new());
    active.conclusion_summary = Set(None);
    active.acceptance_lengthened_reason = Set(None);
    active.named_staff_member_id = Set(None);
    active.staff_unread = Set(false);
    active.purged_at = Set(Some(now));
    active.update(&*tx).await?;
    add_event(&*tx, report_id, "purged", origin.actor_kind(), now).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &origin.audit_actor(),
            action: "case_purged",
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({ "objects": objects.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    // Unreadable since the commit; deleting them only frees the space. A failure leaves
    // orphans, which the start-up sweep removes.
    for key in &objects {
        if let Err(error) = state.evidence.store.delete(key).await {
            tracing::warn!(error = %error, "deleting a purged object failed");
        }
    }
    super::after_erasure(state).await;
    tracing::info!(report_id, objects = objects.len(), "case purged");
    Ok(true)
}

async fn object_keys(tx: &WriteTx, report_id: i32) -> AppResult<Vec<String>> {
    Ok(evidence_file::Entity::find()
        .filter(evidence_file::Column::ReportId.eq(report_id))
        .all(&**tx)
        .await?
        .into_iter()
        .flat_map(|f| std::iter::once(f.object_key).chain(f.cleaned_object_key))
        .collect())
}

/// Destroys the key and every row or column that holds the case's words or people.
async fn shred(tx: &WriteTx, report_id: i32) -> AppResult<()> {
    let conn = &**tx;
    report_key::Entity::delete_many()
        .filter(report_key::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    reporter_identity::Entity::delete_many()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    message::Entity::delete_many()
        .filter(message::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    original_request::Entity::delete_many()
        .filter(original_request::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    evidence_file::Entity::delete_many()
        .filter(evidence_file::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    identity_request::Entity::delete_many()
        .filter(identity_request::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    case_exclusion::Entity::delete_many()
        .filter(case_exclusion::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    crate::case_management::name_keys::erase(conn, report_id).await?;
    notification::Entity::delete_many()
        .filter(notification::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    published_conclusion::Entity::delete_many()
        .filter(published_conclusion::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    case_event::Entity::update_many()
        .col_expr(case_event::Column::Detail, Expr::value(None::<String>))
        .filter(case_event::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    satisfaction_rating::Entity::update_many()
        .col_expr(
            satisfaction_rating::Column::Comment,
            Expr::value(None::<String>),
        )
        .filter(satisfaction_rating::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    deadline_extension::Entity::update_many()
        .col_expr(deadline_extension::Column::Reason, Expr::value(""))
        .filter(deadline_extension::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    discipline_finding::Entity::update_many()
        .col_expr(
            discipline_finding::Column::FinanceAssetsReason,
            Expr::value(None::<String>),
        )
        .filter(discipline_finding::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    discipline_decision::Entity::update_many()
        .col_expr(
            discipline_decision::Column::RepresentativeAbsence,
            Expr::value(None::<String>),
        )
        .col_expr(
            discipline_decision::Column::EmployeeAbsence,
            Expr::value(None::<String>),
        )
        .col_expr(
            discipline_decision::Column::ExtensionReason,
            Expr::value(None::<String>),
        )
        .filter(discipline_decision::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    Ok(())
}
