//! The one way an admin record is deactivated or reactivated: find it, refuse when it already
//! has that state (the confirmation page again, with 409), set the flag and `updated_at`, and
//! write the audit entry, in one transaction. Records are never deleted.
//!
//! A record type opts in with [`switchable!`](crate::switchable) (the audit side) and
//! [`SwitchPage`] (its list, flash messages and confirmation page); `admin::switches` then
//! serves `/admin/<kind>/<id>/deactivate|reactivate` for every such type with one route pair.

use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, EntityTrait, IntoActiveModel, PrimaryKeyTrait,
};
use serde::Serialize;
use serde_json::Value;

use crate::platform::audit::Actor;
use crate::platform::audit::{self, Entry};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// A record with an `active` flag that admins switch.
pub trait Switchable: Sized + Send + Sync {
    type Entity: EntityTrait<Model = Self>;
    /// The audit entry's object type and actions.
    const OBJECT_TYPE: &'static str;
    const DEACTIVATED: &'static str;
    const REACTIVATED: &'static str;

    fn active(&self) -> bool;
    /// What identifies the record in the audit trail (its code, its employee number).
    fn audit_details(&self) -> Value;
    /// The record with `active` and `updated_at` set, ready to be saved.
    fn switched(
        self,
        active: bool,
        now: DateTime<Utc>,
    ) -> <Self::Entity as EntityTrait>::ActiveModel;
}

/// Implements [`Switchable`] for an entity whose model has `active` and `updated_at`:
/// `switchable!(module, "object_type", "deactivated_action", "reactivated_action", |m| details)`.
#[macro_export]
macro_rules! switchable {
    ($entity:ident, $object:literal, $deactivated:literal, $reactivated:literal, |$m:ident| $details:expr) => {
        impl $crate::web::switch::Switchable for $entity::Model {
            type Entity = $entity::Entity;
            const OBJECT_TYPE: &'static str = $object;
            const DEACTIVATED: &'static str = $deactivated;
            const REACTIVATED: &'static str = $reactivated;

            fn active(&self) -> bool {
                self.active
            }

            fn audit_details(&self) -> serde_json::Value {
                let $m = self;
                $details
            }

            fn switched(
                self,
                active: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $entity::ActiveModel {
                let mut row = sea_orm::IntoActiveModel::into_active_model(self);
                row.active = sea_orm::Set(active);
                row.updated_at = sea_orm::Set(now);
                row
            }
        }
    };
}

/// Sets `active` on record `id`; `Ok(Err(record))` when it already had that value.
pub async fn switch_active<M>(
    state: &AppState,
    actor: &Actor,
    id: i32,
    active: bool,
) -> AppResult<Result<(), M>>
where
    M: Switchable + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel:
        ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let record = M::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.active() == active {
        return Ok(Err(record));
    }
    let details = record.audit_details();
    record.switched(active, now).update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor,
            action: if active {
                M::REACTIVATED
            } else {
                M::DEACTIVATED
            },
            object_type: M::OBJECT_TYPE,
            object_id: Some(id.to_string()),
            details,
        },
    )
    .await?;
    Ok(Ok(()))
}

/// What the confirmation page and the redirect need of a [`Switchable`] record.
pub trait SwitchPage: Switchable {
    /// The list the admin returns to, e.g. `/admin/categories`.
    const LIST: &'static str;
    /// Flash message keys of each direction.
    const FLASH_DEACTIVATED: &'static str;
    const FLASH_REACTIVATED: &'static str;
    /// The confirmation page; it reads `record`, `activate` and `already`.
    const CONFIRM_TEMPLATE: &'static str;
    /// The record as the confirmation page shows it.
    type Shown: Serialize + Send;

    fn shown(
        &self,
        state: &AppState,
        lang: Lang,
    ) -> impl std::future::Future<Output = AppResult<Self::Shown>> + Send;
}

/// The confirmation page's context.
#[derive(Serialize)]
pub struct ConfirmView<S> {
    pub record: S,
    /// True when the page confirms a reactivation.
    pub activate: bool,
    /// The record already has the state asked for (shown with 409 after a double submit).
    pub already: bool,
}

/// The confirmation page of switching record `id` to `active`.
pub async fn confirm_page<M>(
    state: &AppState,
    page: &PageCtx,
    id: i32,
    active: bool,
    status: Status,
) -> AppResult<(Status, Template)>
where
    M: SwitchPage,
    <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    let record = M::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    render_confirm(state, page, &record, active, status).await
}

async fn render_confirm<M: SwitchPage>(
    state: &AppState,
    page: &PageCtx,
    record: &M,
    active: bool,
    status: Status,
) -> AppResult<(Status, Template)> {
    let view = ConfirmView {
        record: record.shown(state, page.lang).await?,
        activate: active,
        already: record.active() == active,
    };
    Ok(page.render_status(status, M::CONFIRM_TEMPLATE, view))
}

/// [`switch_active`], then back to the list with the matching flash, or the confirmation page
/// again with 409 when the record already had that state.
pub async fn switch_and_return<M>(
    state: &AppState,
    page: &PageCtx,
    actor: &Actor,
    id: i32,
    active: bool,
) -> Result<Flash<Redirect>, AppResultPage>
where
    M: SwitchPage + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel:
        ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    match switch_active::<M>(state, actor, id, active)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(()) => Ok(Flash::success(
            Redirect::to(M::LIST),
            if active {
                M::FLASH_REACTIVATED
            } else {
                M::FLASH_DEACTIVATED
            },
        )),
        Err(record) => match render_confirm(state, page, &record, active, Status::Conflict).await {
            Ok(page) => Err(AppResultPage::Page(page)),
            Err(error) => Err(AppResultPage::Error(error)),
        },
    }
}
