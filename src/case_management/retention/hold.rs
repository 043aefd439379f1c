//! Legal holds: a team lead of the case's team, or an admin, stops a case's purge with a
//! reason (an appeal, a lawsuit, an inspection); lifting it lets the retention run continue.
//! Both are audited; the reason stays with the case, not in the audit trail.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::add_event;
use crate::auth::guards::StaffUser;
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::case_file;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// The longest hold reason kept.
pub const REASON_MAX: usize = 500;

/// Why a hold could not be changed.
#[derive(Debug, PartialEq, Eq)]
pub enum HoldRefusal {
    /// The reason is empty or too long: the catalogue key.
    Reason(&'static str),
    /// The case was purged already: nothing left to hold.
    Purged,
}

/// Sets (`Some(reason)`) or lifts (`None`) the hold on `report_id`'s case.
pub async fn change(
    state: &AppState,
    user: &StaffUser,
    report_id: i32,
    reason: Option<&str>,
) -> AppResult<Result<(), HoldRefusal>> {
    let reason = match reason.map(clean_text) {
        Some(r) if r.chars().count() < 5 => {
            return Ok(Err(HoldRefusal::Reason("error-hold-reason-required")))
        }
        Some(r) if r.chars().count() > REASON_MAX => {
            return Ok(Err(HoldRefusal::Reason("error-too-long")))
        }
        other => other,
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if case.purged_at.is_some() {
        return Ok(Err(HoldRefusal::Purged));
    }
    let setting = reason.is_some();
    let mut active = case.into_active_model();
    active.legal_hold_reason = Set(reason);
    active.legal_hold_by = Set(setting.then_some(user.id));
    active.legal_hold_at = Set(setting.then_some(now));
    active.update(&*tx).await?;
    let action = if setting {
        "legal_hold_set"
    } else {
        "legal_hold_lifted"
    };
    add_event(&*tx, report_id, action, "staff", now).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            action,
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
