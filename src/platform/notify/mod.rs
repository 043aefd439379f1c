//! Notifications, content-free and never lost: a transactional outbox.
//!
//! A service that changes a case calls [`enqueue`] inside its own write transaction, so the
//! `notification` row commits (or rolls back) with the change that causes it. The sender
//! (`send`) claims due rows — on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several nodes
//! share the work without sending twice; on SQLite under the single writer lock — delivers them
//! by e-mail (SMTP, `lettre`) or SMS (an HTTP gateway), marks them sent, or retries with
//! exponential back-off until `notify_max_attempts`, then marks them failed. A claim older than
//! `notify_claim_timeout_seconds` is taken again (the node died mid-send).
//!
//! What a row holds is no personal data: the recipient's account id (its e-mail is read at send
//! time) or, for a named denouncer, the report id (the phone is opened from the sealed identity
//! at send time), a catalogue key (`locales/*/notifications.ftl`) and the case reference and
//! link path. Texts never carry a report's words, a name or a receipt code.

pub mod outbox;
pub mod send;
pub mod settings;
pub mod texts;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};
use serde::{Deserialize, Serialize};

use crate::platform::persistence::entities::{notification, notification_preference};
pub use settings::NotifySettings;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// Who receives it: a staff account, or the named denouncer of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Staff(i32),
    Reporter(i32),
}

/// What a message may say besides its catalogue key: nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// The case reference (`PA-2026-001234`).
    pub reference: String,
    /// The link's path under `public_url` (`/cases/12`, `/follow-up`).
    pub path: String,
}

/// One message to send.
#[derive(Debug, Clone)]
pub struct Notification {
    pub to: Recipient,
    /// A catalogue key without its `notify-` prefix (`case-new`, `reporter-accepted`, …).
    pub kind: &'static str,
    pub params: Params,
    /// Set for messages that must happen once (a deadline threshold of a case).
    pub dedupe_key: Option<String>,
}

/// A staff member's choice of how to be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Immediate,
    Digest,
    Off,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Immediate, Mode::Digest, Mode::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// A user's mode (immediate when never chosen).
pub async fn mode_of<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<Mode, DbErr> {
    Ok(notification_preference::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .and_then(|p| Mode::parse(&p.mode))
        .unwrap_or(Mode::Immediate))
}

/// Records a user's choice.
pub async fn set_mode<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    mode: Mode,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = notification_preference::ActiveModel {
        user_id: Set(user_id),
        mode: Set(mode.as_str().to_string()),
        updated_at: Set(now),
    };
    match notification_preference::Entity::find_by_id(user_id)
        .one(conn)
        .await?
    {
        Some(_) => row.update(conn).await.map(drop),
        None => notification_preference::Entity::insert(row)
            .exec_without_returning(conn)
            .await
            .map(drop),
    }
}

/// Writes `message` to the outbox in the caller's transaction. A staff member who chose `off`
/// gets nothing; one who chose `digest` gets it with the next daily digest. A message whose
/// `dedupe_key` was already written is not written again. Returns whether a row was written.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    settings: &NotifySettings,
    now: DateTime<Utc>,
    message: Notification,
) -> Result<bool, DbErr> {
    let (channel, user_id, report_id, mode) = match message.to {
        Recipient::Staff(user) => (Channel::Email, Some(user), None, mode_of(conn, user).await?),
        Recipient::Reporter(report) => (Channel::Sms, None, Some(report), Mode::Immediate),
    };
    if mode == Mode::Off {
        return Ok(false);
    }
    if let Some(key) = &message.dedupe_key {
        use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
        let seen = notification::Entity::find()
            .filter(notification::Column::DedupeKey.eq(key.as_str()))
            .count(conn)
            .await?;
        if seen > 0 {
            return Ok(false);
        }
    }
    let digest = mode == Mode::Digest;
    let due = if digest {
        next_digest(now, settings.notify_digest_hour)
    } else {
        now
    };
    write(
        conn,
        now,
        (channel, user_id, report_id),
        message,
        (digest, due),
        None,
    )
    .await?;
    Ok(true)
}

/// Writes `message` for immediate sending whatever the recipient chose (an admin's test).
pub async fn enqueue_always<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    message: Notification,
) -> Result<(), DbErr> {
    let (channel, user, report) = match message.to {
        Recipient::Staff(user) => (Channel::Email, Some(user), None),
        Recipient::Reporter(report) => (Channel::Sms, None, Some(report)),
    };
    write(
        conn,
        now,
        (channel, user, report),
        message,
        (false, now),
        None,
    )
    .await
}

/// One outbox row: to whom (`channel`, staff user, report), what, when (held for a digest or
/// not, and when it is due), and a sealed payload for a receipt-code SMS.
async fn write<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    (channel, user_id, report_id): (Channel, Option<i32>, Option<i32>),
    message: Notification,
    (digest, due): (bool, DateTime<Utc>),
    sealed: Option<Vec<u8>>,
) -> Result<(), DbErr> {
    notification::ActiveModel {
        channel: Set(channel.as_str().to_string()),
        user_id: Set(user_id),
        report_id: Set(report_id),
        kind: Set(message.kind.to_string()),
        params: Set(serde_json::to_string(&message.params).unwrap_or_default()),
        digest: Set(digest),
        dedupe_key: Set(message.dedupe_key),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(due),
        claimed_by: Set(None),
        claimed_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        sealed: Set(sealed),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The next `hour`:00 in Hà Nội strictly after `now`.
pub fn next_digest(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let zone = chrono_tz::Asia::Ho_Chi_Minh;
    let local = now.with_timezone(&zone);
    let at = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let mut day = local.date_naive();
    if local.time() >= at {
        day += Duration::days(1);
    }
    zone.from_local_datetime(&day.and_time(at))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now + Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_leaves_at_the_next_hour_in_ha_noi() {
        // 10:00 in Hà Nội → 07:00 the next day; 06:00 → 07:00 the same day.
        let ten = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
        assert_eq!(
            next_digest(ten, 7),
            Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap()
        );
        let six = Utc.with_ymd_and_hms(2026, 11, 26, 23, 0, 0).unwrap();
        assert_eq!(
            next_digest(six, 7),
            Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap()
        );
    }
}

/// What a receipt-code SMS carries, sealed: the caller's phone and the code. Nothing else.
#[derive(Serialize, Deserialize)]
pub struct ReceiptSms {
    pub phone: String,
    pub code: String,
}

/// The associated data a receipt-code SMS is sealed with.
pub fn receipt_sms_context(report_id: i32) -> Vec<u8> {
    format!("receipt-sms:{report_id}").into_bytes()
}

/// Queues the receipt code of `report_id` for the caller's phone, sealed under the report's
/// `data_key`, in the caller's transaction (an operator's intake).
pub async fn enqueue_receipt_sms<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    report_id: i32,
    data_key: &crate::platform::crypto::SecretKey32,
    sms: &ReceiptSms,
) -> Result<(), DbErr> {
    let plain = serde_json::to_vec(sms).map_err(|e| DbErr::Custom(e.to_string()))?;
    let sealed = crate::platform::crypto::seal(data_key, &receipt_sms_context(report_id), &plain);
    let message = Notification {
        to: Recipient::Reporter(report_id),
        kind: RECEIPT_CODE,
        params: Params {
            reference: String::new(),
            path: "/follow-up".into(),
        },
        dedupe_key: None,
    };
    let to = (Channel::Sms, None, Some(report_id));
    write(conn, now, to, message, (false, now), Some(sealed)).await
}

/// The kind of a receipt-code SMS.
pub const RECEIPT_CODE: &str = "receipt-code";
