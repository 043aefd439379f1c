//! The audit trail: append-only, each entry chained to the previous by a SHA-256 hash, so that
//! editing or deleting a row breaks the chain at that row (`conduct-portal audit verify`).
//!
//! Entries never hold report content or a reporter's identity: only who did what to which
//! object, with structured, non-content details. Appends are serialised (SQLite's writer lock,
//! a PostgreSQL transaction-scoped advisory lock) so the chain never forks.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::platform::persistence::entities::audit_log;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const ADVISORY_LOCK_KEY: i64 = 0x45_56_4e_41_55_44; // "EVNAUD"

/// Who acted.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in staff member.
    User { id: i32, email: String },
    /// Someone identified only by what they typed (a failed sign-in).
    Claimed(String),
    /// The portal itself, or the command line.
    System,
}

impl Actor {
    fn parts(&self) -> (Option<i32>, String) {
        match self {
            Actor::User { id, email } => (Some(*id), email.clone()),
            Actor::Claimed(label) => (None, label.chars().take(254).collect()),
            Actor::System => (None, "system".to_string()),
        }
    }
}

/// One entry to append.
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<String>,
    pub details: Value,
}

/// The canonical text an entry's hash covers.
pub fn canonical(row: &audit_log::Model) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        row.prev_hash,
        row.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        row.actor_user_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        row.actor_label,
        row.action,
        row.object_type,
        row.object_id.clone().unwrap_or_default(),
        row.details.clone().unwrap_or_default(),
    )
}

pub fn hash_of(row: &audit_log::Model) -> String {
    hex::encode(Sha256::digest(canonical(row).as_bytes()))
}

/// The last step of an audited change: records `entry` in the change's own transaction and
/// commits both, so a change never lands without its entry nor an entry without its change.
pub async fn record_and_commit(
    tx: crate::platform::persistence::WriteTx,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), DbErr> {
    record(&*tx, at, entry).await?;
    tx.commit().await
}

/// Appends an entry inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), DbErr> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"
        ))
        .await?;
    }
    let prev_hash = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(1)
        .one(conn)
        .await?
        .map(|row| row.hash)
        .unwrap_or_else(|| GENESIS.to_string());
    let (actor_user_id, actor_label) = entry.actor.parts();
    let details = match entry.details {
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let mut row = audit_log::Model {
        id: 0,
        // Microseconds: what both databases store, so the hash survives a round trip.
        at: at.trunc_subsecs(6),
        actor_user_id,
        actor_label,
        action: entry.action.to_string(),
        object_type: entry.object_type.to_string(),
        object_id: entry.object_id,
        details,
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    audit_log::ActiveModel {
        at: Set(row.at),
        actor_user_id: Set(row.actor_user_id),
        actor_label: Set(row.actor_label),
        action: Set(row.action),
        object_type: Set(row.object_type),
        object_id: Set(row.object_id),
        details: Set(row.details),
        prev_hash: Set(row.prev_hash),
        hash: Set(row.hash),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The outcome of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact {
        entries: u64,
    },
    /// The first entry whose stored hash or link does not match.
    BrokenAt {
        id: i32,
        reason: &'static str,
    },
}

/// Walks the whole chain in id order, in pages, and reports the first broken link.
pub async fn verify<C: ConnectionTrait>(conn: &C) -> Result<Verification, DbErr> {
    let mut expected_prev = GENESIS.to_string();
    let mut last_id = 0;
    let mut entries = 0u64;
    loop {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(last_id))
            .order_by_asc(audit_log::Column::Id)
            .limit(1000)
            .all(conn)
            .await?;
        if page.is_empty() {
            return Ok(Verification::Intact { entries });
        }
        for row in page {
            if row.prev_hash != expected_prev {
                return Ok(Verification::BrokenAt {
                    id: row.id,
                    reason: "link",
                });
            }
            if hash_of(&row) != row.hash {
                return Ok(Verification::BrokenAt {
                    id: row.id,
                    reason: "content",
                });
            }
            expected_prev = row.hash.clone();
            last_id = row.id;
            entries += 1;
        }
    }
}
