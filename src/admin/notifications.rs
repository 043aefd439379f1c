//! `/admin/notifications`: the outbox for admins — how many messages wait, were sent or
//! failed, a page of them (kind, channel, recipient's name or "the denouncer", status,
//! attempts, last error, times: nothing of a report), a retry for a failed one and a test
//! e-mail to oneself, both audited. Without `smtp_url` the page says e-mails are queued.

use std::collections::BTreeMap;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;
use serde_json::json;

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::ids::NotificationId;
use crate::platform::audit::{self, Entry};
use crate::platform::notify::outbox::{self, Counts};
use crate::platform::notify::{self, Notification, Params, Recipient};
use crate::platform::persistence::entities::{app_user, notification};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::pagination::Pages;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![list_notifications, retry_notification, send_test_email]
}

const PER_PAGE: u64 = 50;

/// One message as the page shows it.
#[derive(Debug, Serialize)]
pub struct RowView {
    pub id: i32,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub status_label: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created: String,
    pub next_attempt: String,
    pub sent: Option<String>,
}

/// `admin/notifications`.
#[derive(Debug, Serialize)]
pub struct OutboxView {
    pub counts: Counts,
    pub smtp_configured: bool,
    pub sms_configured: bool,
    pub rows: Vec<RowView>,
    #[serde(flatten)]
    pub pages: Pages,
}

impl OutboxView {
    async fn load(state: &AppState, lang: Lang, page: Option<u64>) -> AppResult<Self> {
        let conn = state.db.conn();
        let total = notification::Entity::find().count(conn).await?;
        let pages = Pages::of(total, PER_PAGE, page);
        let rows = outbox::page(conn, (pages.page - 1) * PER_PAGE, PER_PAGE).await?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.user_id).collect();
        let names: BTreeMap<i32, String> = app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let row = |r: notification::Model| RowView {
            recipient: match r.user_id {
                Some(id) => names.get(&id).cloned().unwrap_or_default(),
                None => lang.t("admin-notify-reporter"),
            },
            status_label: lang.t(&format!("admin-notify-status-{}", r.status)),
            created: local_time(r.created_at),
            next_attempt: local_time(r.next_attempt_at),
            sent: r.sent_at.map(local_time),
            id: r.id,
            kind: r.kind,
            channel: r.channel,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
        };
        Ok(Self {
            counts: outbox::counts(conn).await?,
            smtp_configured: state.config.notify.smtp_url.is_some(),
            sms_configured: state.config.notify.sms_gateway.url.is_some(),
            rows: rows.into_iter().map(row).collect(),
            pages,
        })
    }
}

#[get("/admin/notifications?<page>")]
async fn list_notifications(
    _user: Authorized<Admins>,
    page_ctx: PageCtx,
    state: &State<AppState>,
    page: Option<u64>,
) -> AppResult<Template> {
    let view = OutboxView::load(state, page_ctx.lang, page).await?;
    Ok(page_ctx.render("admin/notifications", view))
}

#[post("/admin/notifications/<id>/retry")]
async fn retry_notification(
    user: Authorized<Admins>,
    state: &State<AppState>,
    id: NotificationId,
) -> AppResult<Flash<Redirect>> {
    let back = Redirect::to("/admin/notifications");
    if retry(state, &user, id).await? {
        Ok(Flash::success(back, "flash-admin-notify-retried"))
    } else {
        Ok(Flash::error(back, "error-admin-notify-not-failed"))
    }
}

#[post("/admin/notifications/test")]
async fn send_test_email(
    user: Authorized<Admins>,
    state: &State<AppState>,
) -> AppResult<Flash<Redirect>> {
    queue_test(state, &user).await?;
    Ok(Flash::success(
        Redirect::to("/admin/notifications"),
        "flash-admin-notify-test-queued",
    ))
}

/// Puts a failed message back in the queue, audited. False if it was not failed.
async fn retry(state: &AppState, user: &StaffUser, id: NotificationId) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    notification::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if !outbox::retry(&*tx, id.0, now).await? {
        return Ok(false);
    }
    let entry = Entry {
        actor: &user.actor(),
        action: "notification_retried",
        object_type: "notification",
        object_id: Some(id.to_string()),
        details: json!({}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(true)
}

/// Queues a test e-mail to the admin, whatever their own preference; audited.
async fn queue_test(state: &AppState, user: &StaffUser) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let message = Notification {
        to: Recipient::Staff(user.id),
        kind: "test",
        params: Params {
            reference: String::new(),
            path: "/admin/notifications".into(),
        },
        dedupe_key: None,
    };
    notify::enqueue_always(&*tx, now, message).await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "notification_test_queued",
        object_type: "notification",
        object_id: None,
        details: json!({}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(())
}
