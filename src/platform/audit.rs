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

/// A record of the chain's head kept outside the portal (`conduct-portal audit checkpoint`):
/// the newest entry's id and hash. An entry removed from the end of the trail leaves no broken
/// link, so only a copy of the head held elsewhere can show that it was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The newest entry's id (0 for an empty trail).
    pub seq: i32,
    /// Its hash ([`GENESIS`] for an empty trail).
    pub hash: String,
    /// When the checkpoint was taken.
    pub at: DateTime<Utc>,
}

impl Checkpoint {
    /// One line: `seq=123 hash=<64 hex> at=2026-12-07T02:00:00Z`.
    pub fn line(&self) -> String {
        format!(
            "seq={} hash={} at={}",
            self.seq,
            self.hash,
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )
    }

    /// Reads a line written by [`Checkpoint::line`]; `at` may be missing.
    pub fn parse(line: &str) -> Option<Self> {
        let mut seq = None;
        let mut hash = None;
        let mut at = DateTime::<Utc>::UNIX_EPOCH;
        for field in line.split_whitespace() {
            match field.split_once('=')? {
                ("seq", value) => seq = Some(value.parse::<i32>().ok().filter(|s| *s >= 0)?),
                ("hash", value)
                    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    hash = Some(value.to_ascii_lowercase())
                }
                ("at", value) => at = DateTime::parse_from_rfc3339(value).ok()?.to_utc(),
                _ => return None,
            }
        }
        Some(Self {
            seq: seq?,
            hash: hash?,
            at,
        })
    }
}

/// The chain's head now, as a checkpoint taken at `now`.
pub async fn checkpoint<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
) -> Result<Checkpoint, DbErr> {
    let head = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(1)
        .one(conn)
        .await?;
    Ok(Checkpoint {
        seq: head.as_ref().map(|row| row.id).unwrap_or(0),
        hash: head
            .map(|row| row.hash)
            .unwrap_or_else(|| GENESIS.to_string()),
        at: now.trunc_subsecs(0),
    })
}

/// Reads a checkpoint file: one checkpoint per line; blank lines and `#` comments are
/// skipped. A line that is neither is refused with its number, since a damaged file must not
/// pass for a verified one.
pub fn parse_checkpoints(text: &str) -> Result<Vec<Checkpoint>, String> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            Checkpoint::parse(line).ok_or_else(|| format!("line {number} is not a checkpoint"))
        })
        .collect()
}

/// The outcome of comparing the trail with checkpoints taken earlier.
#[derive(Debug, PartialEq, Eq)]
pub enum CheckpointVerification {
    /// The chain holds and every checkpointed entry is there with its hash.
    Intact { entries: u64, checkpoints: usize },
    /// The chain itself is broken (see [`verify`]).
    Broken(Verification),
    /// The entry a checkpoint names is gone: entries were removed, from the end at least.
    Missing { seq: i32, at: DateTime<Utc> },
    /// The entry a checkpoint names has another hash: the trail was rewritten.
    Differs { seq: i32, at: DateTime<Utc> },
}

/// Verifies the chain, then that every checkpoint's entry still exists with its hash. With an
/// intact chain, a matching entry vouches for every entry before it.
pub async fn verify_with_checkpoints<C: ConnectionTrait>(
    conn: &C,
    checkpoints: &[Checkpoint],
) -> Result<CheckpointVerification, DbErr> {
    let entries = match verify(conn).await? {
        Verification::Intact { entries } => entries,
        broken => return Ok(CheckpointVerification::Broken(broken)),
    };
    for point in checkpoints {
        if point.seq == 0 {
            continue;
        }
        let row = audit_log::Entity::find_by_id(point.seq).one(conn).await?;
        match row {
            None => {
                return Ok(CheckpointVerification::Missing {
                    seq: point.seq,
                    at: point.at,
                })
            }
            Some(row) if row.hash != point.hash => {
                return Ok(CheckpointVerification::Differs {
                    seq: point.seq,
                    at: point.at,
                })
            }
            Some(_) => {}
        }
    }
    Ok(CheckpointVerification::Intact {
        entries,
        checkpoints: checkpoints.len(),
    })
}

/// Whether `file` lies inside `data_dir` (after resolving links and `..`): a checkpoint kept
/// beside the database can be removed along with the entries it vouches for.
pub fn is_inside(data_dir: &std::path::Path, file: &std::path::Path) -> bool {
    let resolve = |path: &std::path::Path| {
        let mut existing = lexically_normal(path);
        let mut rest = Vec::new();
        // The file (and its folder) may not exist yet: resolve the longest existing prefix.
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = std::fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.into_iter().rev() {
            resolved.push(name);
        }
        resolved
    };
    resolve(file).starts_with(resolve(data_dir))
}

/// `path` made absolute with `..` and `.` removed, without touching the file system.
fn lexically_normal(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut out = std::path::PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod checkpoint_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_checkpoint_line_round_trips_and_damaged_lines_are_refused() {
        let point = Checkpoint {
            seq: 123,
            hash: "ab".repeat(32),
            at: Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap(),
        };
        let line = point.line();
        assert_eq!(
            line,
            format!("seq=123 hash={} at=2026-12-07T02:00:00Z", "ab".repeat(32))
        );
        assert_eq!(Checkpoint::parse(&line), Some(point.clone()));
        let text = format!("# taken hourly\n\n{line}\n");
        assert_eq!(parse_checkpoints(&text), Ok(vec![point]));
        assert_eq!(
            parse_checkpoints(&format!("{line}\nseq=4 hash=zz\n")),
            Err("line 2 is not a checkpoint".to_string())
        );
        assert!(Checkpoint::parse("seq=-1 hash=".to_string().as_str()).is_none());
    }

    #[test]
    fn files_inside_the_data_directory_are_recognised_even_through_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        assert!(is_inside(&data, &data.join("checkpoints.txt")));
        assert!(is_inside(&data, &data.join("sub/new/c.txt")));
        assert!(is_inside(&data, &dir.path().join("x/../data/c.txt")));
        assert!(!is_inside(&data, &dir.path().join("elsewhere.txt")));
        assert!(!is_inside(&data, &dir.path().join("data-copy/c.txt")));
    }
}
