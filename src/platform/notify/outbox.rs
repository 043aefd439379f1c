//! The outbox's rows: claiming due messages, marking them sent or scheduling a retry, and what
//! the admin page reads and does (counts, a page of rows, retrying a failed one).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use super::{Channel, NotifySettings};
use crate::platform::persistence::entities::notification;
use crate::platform::persistence::Db;

/// How many messages one pass claims.
pub const BATCH: u64 = 50;

/// Claims up to `limit` due messages on `channels` for `token`: pending ones whose time has
/// come, and ones whose claim is older than the timeout. Each claim counts as an attempt.
pub async fn claim(
    db: &Db,
    settings: &NotifySettings,
    channels: &[Channel],
    token: &str,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.backend();
    let postgres = backend == DatabaseBackend::Postgres;
    let p = |n: usize| {
        if postgres {
            format!("${n}")
        } else {
            "?".into()
        }
    };
    let list = channels
        .iter()
        .map(|c| format!("'{}'", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    // On PostgreSQL, rows another node is claiming are skipped, not waited for; a row it has
    // claimed meanwhile no longer matches when its lock is taken. SQLite has one writer.
    let lock = if postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE notification SET status = 'sending', claimed_by = {}, claimed_at = {}, \
         attempts = attempts + 1 WHERE id IN (SELECT id FROM notification \
         WHERE channel IN ({list}) AND ((status = 'pending' AND next_attempt_at <= {}) \
         OR (status = 'sending' AND claimed_at < {})) \
         ORDER BY next_attempt_at, id LIMIT {}{lock})",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
    );
    let stale = now - Duration::seconds(settings.notify_claim_timeout_seconds);
    let tx = db.begin_write().await?;
    tx.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [
            token.into(),
            now.into(),
            now.into(),
            stale.into(),
            (limit as i64).into(),
        ],
    ))
    .await?;
    tx.commit().await?;
    notification::Entity::find()
        .filter(notification::Column::ClaimedBy.eq(token))
        .filter(notification::Column::Status.eq("sending"))
        .order_by_asc(notification::Column::Id)
        .all(db.conn())
        .await
}

/// Marks `ids` sent, if `token` still holds their claim.
pub async fn mark_sent(db: &Db, ids: &[i32], token: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let tx = db.begin_write().await?;
    notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value("sent"))
        .col_expr(notification::Column::SentAt, Expr::value(now))
        .col_expr(notification::Column::Sealed, Expr::value(None::<Vec<u8>>))
        .col_expr(notification::Column::LastError, Expr::value(None::<String>))
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .filter(notification::Column::ClaimedBy.eq(token))
        .exec(&*tx)
        .await?;
    tx.commit().await
}

/// After a failed attempt: back to pending with an exponential delay, or failed for good once
/// `notify_max_attempts` were made (or at once when `permanent`). `error` must hold no personal
/// data.
pub async fn mark_failed(
    db: &Db,
    settings: &NotifySettings,
    rows: &[&notification::Model],
    token: &str,
    now: DateTime<Utc>,
    error: &str,
    permanent: bool,
) -> Result<(), DbErr> {
    let error: String = error.chars().take(200).collect();
    let tx = db.begin_write().await?;
    for row in rows {
        let done = permanent || row.attempts >= settings.notify_max_attempts;
        let status = if done { "failed" } else { "pending" };
        notification::Entity::update_many()
            .col_expr(notification::Column::Status, Expr::value(status))
            .col_expr(
                notification::Column::NextAttemptAt,
                Expr::value(now + backoff(settings, row.attempts)),
            )
            .col_expr(notification::Column::LastError, Expr::value(error.clone()))
            .col_expr(
                notification::Column::Sealed,
                if done {
                    Expr::value(None::<Vec<u8>>)
                } else {
                    Expr::value(row.sealed.clone())
                },
            )
            .filter(notification::Column::Id.eq(row.id))
            .filter(notification::Column::ClaimedBy.eq(token))
            .exec(&*tx)
            .await?;
    }
    tx.commit().await
}

/// The delay after the `attempts`-th failure: the first delay, doubled each time, capped.
pub fn backoff(settings: &NotifySettings, attempts: i32) -> Duration {
    let doublings = attempts.clamp(1, 30) as u32 - 1;
    let seconds = settings
        .notify_backoff_seconds
        .saturating_mul(1_i64 << doublings.min(40))
        .min(settings.notify_backoff_cap_seconds);
    Duration::seconds(seconds)
}

/// How many messages are in each status.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counts {
    pub pending: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
}

pub async fn counts<C: ConnectionTrait>(conn: &C) -> Result<Counts, DbErr> {
    let count = |status: &'static str| {
        notification::Entity::find()
            .filter(notification::Column::Status.eq(status))
            .count(conn)
    };
    Ok(Counts {
        pending: count("pending").await?,
        sending: count("sending").await?,
        sent: count("sent").await?,
        failed: count("failed").await?,
    })
}

/// A page of messages, newest first.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
}

/// Puts a failed message back in the queue with fresh attempts. False if it was not failed.
pub async fn retry<C: ConnectionTrait>(
    conn: &C,
    id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value("pending"))
        .col_expr(notification::Column::Attempts, Expr::value(0))
        .col_expr(notification::Column::NextAttemptAt, Expr::value(now))
        .col_expr(notification::Column::ClaimedBy, Expr::value(None::<String>))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::Status.eq("failed"))
        .exec(conn)
        .await?;
    Ok(done.rows_affected == 1)
}
