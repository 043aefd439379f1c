//! The case page's running record: the timeline, the messages (reporter replies opened with the
//! report's data key, system messages translated from their catalogue key) and the deadline
//! extensions granted.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::case_management::names::Names;
use crate::domain::calendar::Complexity;
use crate::platform::crypto::SecretKey32;
use crate::platform::persistence::entities::{case_event, deadline_extension, message};
use crate::web::format::local_time;
use crate::web::i18n::Lang;

/// A timeline event.
#[derive(Serialize)]
pub struct EventView {
    at: String,
    text: String,
    actor: String,
    internal: bool,
}

/// A message or internal note.
#[derive(Serialize)]
pub struct MessageView {
    at: String,
    author: String,
    from_reporter: bool,
    internal: bool,
    body: String,
    unread: bool,
}

/// A deadline extension.
#[derive(Serialize)]
pub struct ExtensionView {
    days: i32,
    reason: String,
    at: String,
    /// The complexity grade's catalogue key and the decision's number (none on old ones).
    complexity_key: Option<String>,
    decision_number: Option<String>,
}

/// The timeline, oldest first.
pub async fn events<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    names: &Names,
    report_id: i32,
) -> Result<Vec<EventView>, DbErr> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::ReportId.eq(report_id))
        .order_by_asc(case_event::Column::CreatedAt)
        .order_by_asc(case_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| EventView {
            at: local_time(e.created_at),
            text: lang.t(&format!("event-{}", e.kind.replace('_', "-"))),
            actor: names
                .user(e.actor_user_id)
                .unwrap_or_else(|| lang.t(&format!("author-{}", e.actor_kind))),
            internal: !e.visible_to_reporter,
        })
        .collect())
}

/// The messages and notes, oldest first.
pub async fn messages<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    names: &Names,
    data_key: &SecretKey32,
    report_id: i32,
) -> Result<Vec<MessageView>, DbErr> {
    Ok(message::Entity::find()
        .filter(message::Column::ReportId.eq(report_id))
        .order_by_asc(message::Column::CreatedAt)
        .order_by_asc(message::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| MessageView {
            at: local_time(m.created_at),
            author: match m.author_kind.as_str() {
                "staff" => names.user(m.author_user_id).unwrap_or_default(),
                other => lang.t(&format!("author-{other}")),
            },
            from_reporter: m.author_kind == "reporter",
            internal: m.internal,
            body: body(lang, data_key, &m),
            unread: m.author_kind == "reporter" && m.read_by_staff_at.is_none(),
        })
        .collect())
}

/// A message's text: system messages are catalogue keys, the others are sealed.
fn body(lang: Lang, data_key: &SecretKey32, m: &message::Model) -> String {
    if m.author_kind == "system" {
        return lang.t(&m.body);
    }
    crate::platform::evidence::text::message_body(data_key, m).unwrap_or_else(|_| {
        // One unreadable reply must not hide the rest of the case.
        tracing::error!(message = m.id, "a sealed reply could not be opened");
        String::new()
    })
}

/// The deadline extensions, oldest first.
pub async fn extensions<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> Result<Vec<ExtensionView>, DbErr> {
    Ok(deadline_extension::Entity::find()
        .filter(deadline_extension::Column::ReportId.eq(report_id))
        .order_by_asc(deadline_extension::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| ExtensionView {
            days: e.days,
            reason: e.reason,
            at: local_time(e.created_at),
            complexity_key: (e.complexity.as_deref())
                .and_then(Complexity::parse)
                .map(Complexity::label_key),
            decision_number: e.decision_number,
        })
        .collect())
}
