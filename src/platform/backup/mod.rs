//! Backup and restore (`conduct-portal backup --to DIR`, `restore --from DIR`).
//!
//! A backup is a directory: the database snapshot (`portal.db` written by SQLite's
//! `VACUUM INTO`, or `portal.pgdump` by `pg_dump` in its custom format), the evidence objects
//! the snapshot names (`objects/evidence/…`, ciphertext as stored), and `manifest.json` (when,
//! which database, rows per table, the audit head, every file's size and SHA-256), written last.
//! It is taken while the portal serves: the snapshot is one read transaction, and since an
//! object is always written before its row, every object a snapshot row names already exists.
//!
//! Never in a backup: the keys (master, receipt, cookie secret; the manifest records only their
//! ids) and the erasure ledger. Both must be kept apart from the backups, so that a stolen
//! backup is unreadable and an old backup cannot bring erased data back: after a restore the
//! caller replays the ledger from [`Backup::replay_from`] before anyone is served. That replay
//! is a slice's work, so it is not called from here (`platform` imports no slice).
//!
//! A restore goes only into an empty database and an empty object store, and leaves a marker
//! ([`UNFINISHED`]) in the data directory until [`finish`]; `app::build` refuses to serve
//! while it is there.

pub mod manifest;

mod database;
mod objects;
mod postgres;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::platform::audit::{self, Checkpoint, CheckpointVerification};
use crate::platform::clock::Clock;
use crate::platform::config::{redact_url, Config};
use crate::platform::evidence::store::{EvidenceStore, StoreError};
use crate::platform::persistence::entities::report;
use crate::platform::persistence::Db;
use crate::platform::privacy::LedgerEntry;
pub use manifest::{DatabaseKind, FileEntry, Manifest};

/// Where the objects go inside a backup.
pub const OBJECTS_DIR: &str = "objects/";
const SQLITE_FILE: &str = "portal.db";
const POSTGRES_FILE: &str = "portal.pgdump";
/// The marker of a restore that has not finished (its ledger replay, above all).
pub const UNFINISHED: &str = "RESTORE-UNFINISHED";
/// How far before `taken_at` the ledger is replayed. An erasure writes its ledger entry just
/// before its transaction commits, so one that committed after the snapshot began may carry a
/// slightly earlier time, and the ledger may come from another server's clock; replaying an
/// entry the snapshot already reflects changes nothing.
pub const REPLAY_OVERLAP_MINUTES: i64 = 10;

/// Why a backup or a restore stopped. Messages name the file, table or setting concerned and
/// never a password.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} is not empty: a backup goes into a new or empty directory")]
    DirectoryNotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
    #[error(transparent)]
    StoreSetup(#[from] StoreError),
    #[error(
        "{dir} holds no {}: it is not a backup, or a backup that did not finish",
        manifest::MANIFEST
    )]
    NoManifest { dir: PathBuf },
    #[error("the manifest cannot be used: {0}")]
    BadManifest(String),
    #[error("the backup has format {0}; this version reads format {f}", f = manifest::FORMAT)]
    Format(u32),
    #[error("the backup is damaged: {path} is missing")]
    FileMissing { path: String },
    #[error("the backup is damaged: {path} has {found} bytes, the manifest says {expected}")]
    FileSize {
        path: String,
        expected: u64,
        found: u64,
    },
    #[error("the backup is damaged: {path} does not match its SHA-256 in the manifest")]
    FileHash { path: String },
    #[error("refusing to restore: {0}")]
    TargetNotEmpty(String),
    #[error("refusing to restore: {0}")]
    Keys(String),
    #[error("{tool} failed: {message}")]
    Tool { tool: &'static str, message: String },
    #[error("the restored database does not match the manifest: {0}")]
    Mismatch(String),
    #[error("{0}")]
    Unsupported(String),
}

/// The steps that report progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The database snapshot or its restore (no total).
    Database,
    /// Hashing the snapshot (bytes).
    Hashing,
    /// Objects copied out of the store (count).
    CopyingObjects,
    /// Checking every file of a backup against the manifest (bytes).
    Verifying,
    /// Objects written into the store (count).
    RestoringObjects,
}

/// Receives progress: the command line draws bars, tests stay quiet ([`Silent`]).
pub trait Progress: Sync {
    /// A step begins, with its total when known.
    fn begin(&self, _step: Step, _total: Option<u64>) {}
    /// Bytes or objects done since the last call.
    fn advance(&self, _done: u64) {}
    /// The step is over (also when it failed).
    fn end(&self) {}
}

/// No progress shown.
pub struct Silent;
impl Progress for Silent {}

/// Ends its step when dropped, however the step ends.
struct Running<'a>(&'a dyn Progress);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}

fn running(progress: &dyn Progress, step: Step, total: Option<u64>) -> Running<'_> {
    progress.begin(step, total);
    Running(progress)
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

async fn sync_file(path: &Path) -> Result<(), BackupError> {
    let file = tokio::fs::File::open(path).await.map_err(io_error(path))?;
    file.sync_all().await.map_err(io_error(path))
}

/// Flushes a directory's entries (new and renamed files) to disk.
async fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    if cfg!(unix) {
        sync_file(dir).await
    } else {
        Ok(())
    }
}

/// Creates `dir`, or accepts it when it exists and is empty.
async fn empty_directory(dir: &Path) -> Result<(), BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::DirectoryNotEmpty(dir.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Only its owner may read a new backup: it holds every sealed report.
            let mut builder = tokio::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            builder.mode(0o700);
            builder.create(dir).await.map_err(io_error(dir))
        }
        Err(source) => Err(BackupError::Io {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Writes a backup of the portal into `dir` (created, or empty) while it serves, and returns
/// its manifest.
pub async fn take(
    config: &Config,
    db: &Db,
    store: &EvidenceStore,
    clock: &dyn Clock,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    empty_directory(dir).await?;
    let database = DatabaseKind::of_url(&config.database_url);
    // Before the snapshot begins: whatever is erased from here on is in the ledger.
    let taken_at = clock.now();
    let snapshot = running(progress, Step::Database, None);
    let (database_file, facts, pg_dump_version) = match database {
        DatabaseKind::Sqlite => {
            let facts = database::sqlite_snapshot(db.conn(), &dir.join(SQLITE_FILE)).await?;
            (SQLITE_FILE, facts, None)
        }
        DatabaseKind::Postgres => {
            let file = dir.join(POSTGRES_FILE);
            let (facts, version) = postgres::dump(db.conn(), &config.database_url, &file).await?;
            (POSTGRES_FILE, facts, Some(version))
        }
    };
    drop(snapshot);
    let snapshot_file = dir.join(database_file);
    let size = tokio::fs::metadata(&snapshot_file)
        .await
        .map_err(io_error(&snapshot_file))?
        .len();
    let hashing = running(progress, Step::Hashing, Some(size));
    let (size, sha256) = manifest::hash_file(&snapshot_file, progress).await?;
    drop(hashing);
    let mut files = vec![FileEntry {
        path: database_file.to_string(),
        size,
        sha256,
    }];
    let (objects, objects_missing) =
        objects::copy_out(store, &facts.objects, dir, progress).await?;
    files.extend(objects);
    let mut master_key_ids = facts.master_key_ids;
    master_key_ids.insert(config.master_key.key_id());
    let manifest = Manifest {
        format: manifest::FORMAT,
        portal_version: env!("CARGO_PKG_VERSION").to_string(),
        taken_at,
        database,
        database_file: database_file.to_string(),
        pg_dump_version,
        tables: facts.tables,
        audit_head: facts.audit_head,
        master_key_ids,
        receipt_key_id: config.receipt_key.key_id(),
        objects_missing,
        files,
    };
    manifest::write(dir, &manifest).await?;
    Ok(manifest)
}

/// A backup whose every file has been checked against its manifest.
#[derive(Debug, Clone)]
pub struct Backup {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

impl Backup {
    /// Reads the manifest in `dir` and checks every file's size and SHA-256.
    pub async fn open(dir: &Path, progress: &dyn Progress) -> Result<Self, BackupError> {
        let manifest = manifest::read_and_check(dir, progress).await?;
        Ok(Self {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// The erasure ledger is replayed from here ([`REPLAY_OVERLAP_MINUTES`] before the backup).
    pub fn replay_from(&self) -> DateTime<Utc> {
        self.manifest.taken_at - Duration::minutes(REPLAY_OVERLAP_MINUTES)
    }
}

/// What [`restore`] put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub rows: u64,
    pub tables: usize,
    pub objects: u64,
}

/// Restores `backup` into the configured database and object store, which must both be
/// empty, and checks that the database holds exactly the rows and audit head the manifest
/// records. The data directory is marked [`UNFINISHED`] until the caller, having replayed the
/// erasure ledger, calls [`finish`].
pub async fn restore(
    config: &Config,
    backup: &Backup,
    progress: &dyn Progress,
) -> Result<Restored, BackupError> {
    let manifest = &backup.manifest;
    let database = DatabaseKind::of_url(&config.database_url);
    if database != manifest.database {
        return Err(BackupError::Unsupported(format!(
            "this is a backup of a {} database and the configured database is {}; restore it \
             into the kind it was taken from",
            manifest.database.name(),
            database.name()
        )));
    }
    check_keys(config, manifest)?;
    let store = EvidenceStore::from_settings(&config.evidence, &config.data_dir)?;
    if !objects::store_is_empty(&store).await? {
        return Err(BackupError::TargetNotEmpty(
            "the evidence store already holds objects; restore into an empty data directory \
             (or an empty bucket)"
                .into(),
        ));
    }
    match database {
        DatabaseKind::Sqlite => {
            database::sqlite_target_is_empty(&database::sqlite_file(&config.database_url)?)?
        }
        DatabaseKind::Postgres => {
            let db = connect(&config.database_url).await?;
            let empty = postgres::is_empty(db.conn()).await;
            db.conn().clone().close().await?;
            if !empty? {
                return Err(BackupError::TargetNotEmpty(format!(
                    "the database {} already has tables; restore into a new, empty database \
                     (createdb) and start no server on it before the restore has finished",
                    redact_url(&config.database_url)
                )));
            }
        }
    }
    mark_unfinished(&config.data_dir).await?;
    let snapshot = backup.dir.join(&manifest.database_file);
    let step = running(progress, Step::Database, None);
    match database {
        DatabaseKind::Sqlite => {
            database::sqlite_restore(&snapshot, &database::sqlite_file(&config.database_url)?)
                .await?
        }
        DatabaseKind::Postgres => postgres::restore(&config.database_url, &snapshot).await?,
    }
    drop(step);
    let objects = objects::copy_in(&store, &backup.dir, manifest, progress).await?;
    let db = connect(&config.database_url).await?;
    let facts = database::facts(db.conn()).await;
    db.conn().clone().close().await?;
    let facts = facts?;
    compare(manifest, &facts)?;
    Ok(Restored {
        rows: facts.tables.values().sum(),
        tables: facts.tables.len(),
        objects,
    })
}

async fn connect(url: &str) -> Result<Db, BackupError> {
    Db::connect(url, 2).await.map_err(|e| {
        BackupError::Database(DbErr::Custom(format!(
            "cannot connect to {}: {e}",
            redact_url(url)
        )))
    })
}

/// Refuses keys that cannot read the backup: every master key its rows are wrapped under must
/// be configured (current or previous), and the receipt key must be the same.
fn check_keys(config: &Config, manifest: &Manifest) -> Result<(), BackupError> {
    let configured: BTreeSet<String> = std::iter::once(&config.master_key)
        .chain(&config.previous_master_keys)
        .map(|key| key.key_id())
        .collect();
    let lacking: Vec<&str> = manifest
        .master_key_ids
        .difference(&configured)
        .map(String::as_str)
        .collect();
    if !lacking.is_empty() {
        return Err(BackupError::Keys(format!(
            "the backup needs the master key with id {}, but ROCKET_MASTER_KEY and \
             ROCKET_PREVIOUS_MASTER_KEYS give {}. Set the keys kept for this backup (README, \
             \"Backup and restore\"); a development key generated into the data directory \
             just now cannot read it",
            lacking.join(", "),
            configured.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    if config.receipt_key.key_id() != manifest.receipt_key_id {
        return Err(BackupError::Keys(format!(
            "the backup was taken with the receipt key of id {}, and ROCKET_RECEIPT_KEY has id \
             {}: receipt codes and search would not work. Set the receipt key kept for it",
            manifest.receipt_key_id,
            config.receipt_key.key_id()
        )));
    }
    Ok(())
}

/// The restored database against the manifest: every table with exactly its rows, the same
/// audit head, and every object a row names either restored or recorded as already gone.
fn compare(manifest: &Manifest, facts: &database::Facts) -> Result<(), BackupError> {
    let mut problems = Vec::new();
    let tables: BTreeSet<&String> = manifest.tables.keys().chain(facts.tables.keys()).collect();
    for table in tables {
        let expected = manifest.tables.get(table);
        let found = facts.tables.get(table);
        if expected != found {
            let show = |n: Option<&u64>| n.map_or("no table".to_string(), |n| format!("{n} rows"));
            problems.push(format!(
                "{table}: {} restored, the backup has {}",
                show(found),
                show(expected)
            ));
        }
    }
    if facts.audit_head != manifest.audit_head {
        problems.push(format!(
            "the newest audit entry is {} where the backup's is {}",
            facts.audit_head.seq, manifest.audit_head.seq
        ));
    }
    let held: BTreeSet<&str> = manifest
        .objects()
        .map(|(name, _)| name)
        .chain(manifest.objects_missing.iter().map(String::as_str))
        .collect();
    if let Some(name) = facts.objects.iter().find(|n| !held.contains(n.as_str())) {
        problems.push(format!("the object {name} is named but not in the backup"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BackupError::Mismatch(problems.join("; ")))
    }
}

async fn mark_unfinished(data_dir: &Path) -> Result<(), BackupError> {
    let marker = data_dir.join(UNFINISHED);
    tokio::fs::create_dir_all(data_dir)
        .await
        .map_err(io_error(data_dir))?;
    tokio::fs::write(
        &marker,
        "A restore into this data directory has not finished: the portal will not serve until \
         `conduct-portal restore` has replayed the erasure ledger and removed this file.\n",
    )
    .await
    .map_err(io_error(&marker))?;
    sync_file(&marker).await
}

/// The marker of an unfinished restore in `data_dir`, when there is one.
pub fn unfinished(data_dir: &Path) -> Option<PathBuf> {
    let marker = data_dir.join(UNFINISHED);
    marker.exists().then_some(marker)
}

/// Ends a restore: the ledger has been replayed, the portal may serve.
pub async fn finish(data_dir: &Path) -> Result<(), BackupError> {
    let marker = data_dir.join(UNFINISHED);
    match tokio::fs::remove_file(&marker).await {
        Ok(()) => sync_dir(data_dir).await,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(BackupError::Io {
            path: marker,
            source,
        }),
    }
}

/// The audit chain after a restore: intact, and still holding the backup's newest entry with
/// its hash (the manifest's head serves as a checkpoint).
pub async fn verify_audit<C: ConnectionTrait>(
    conn: &C,
    manifest: &Manifest,
) -> Result<CheckpointVerification, DbErr> {
    let head = Checkpoint {
        seq: manifest.audit_head.seq,
        hash: manifest.audit_head.hash.clone(),
        at: manifest.taken_at,
    };
    audit::verify_with_checkpoints(conn, &[head]).await
}

/// The ledger entries a restored database can apply: those about reports it holds. A report
/// filed after the backup and erased since is not in it, so there is nothing to erase again.
/// Returns the entries kept and how many were left out.
pub async fn entries_to_replay<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<LedgerEntry>,
) -> Result<(Vec<LedgerEntry>, usize), DbErr> {
    let ids: BTreeSet<i32> = entries.iter().map(|e| e.report).collect();
    let held: BTreeSet<i32> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::Id.is_in(ids))
        .into_tuple::<i32>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let total = entries.len();
    let kept: Vec<LedgerEntry> = entries
        .into_iter()
        .filter(|e| held.contains(&e.report))
        .collect();
    let left_out = total - kept.len();
    Ok((kept, left_out))
}

/// A table whose row count changed between the backup and now (after the ledger's replay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChange {
    pub table: String,
    pub backup: u64,
    pub now: u64,
}

/// The tables whose rows the replay (or start-up) changed. Refuses a result with fewer
/// reports or audit entries than the backup: an erasure keeps the case and its trail.
pub async fn changes_since_backup<C: ConnectionTrait>(
    conn: &C,
    manifest: &Manifest,
) -> Result<Vec<TableChange>, BackupError> {
    let facts = database::facts(conn).await?;
    let changes: Vec<TableChange> = facts
        .tables
        .iter()
        .filter(|(table, now)| manifest.tables.get(*table) != Some(now))
        .map(|(table, now)| TableChange {
            table: table.clone(),
            backup: manifest.rows(table),
            now: *now,
        })
        .collect();
    for kept in ["report", "audit_log"] {
        if let Some(change) = changes.iter().find(|c| c.table == kept && c.now < c.backup) {
            return Err(BackupError::Mismatch(format!(
                "{kept} has {} rows after the replay, fewer than the backup's {}",
                change.now, change.backup
            )));
        }
    }
    Ok(changes)
}
