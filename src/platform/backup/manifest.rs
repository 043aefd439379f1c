//! `manifest.json`: what a backup holds and how to tell that it is whole. Written last (through
//! a temporary name), so a directory without one is a backup that did not finish.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{BackupError, Progress, Step};

/// The manifest's own format; a restore refuses any other.
pub const FORMAT: u32 = 1;
/// The manifest's name inside the backup directory.
pub const MANIFEST: &str = "manifest.json";

/// Which database the snapshot is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseKind {
    /// A SQLite file written by `VACUUM INTO`.
    Sqlite,
    /// A `pg_dump` archive in its custom format, for `pg_restore`.
    Postgres,
}

impl DatabaseKind {
    /// The kind of the database at `url`.
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// The newest audit entry of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Its id; 0 for an empty trail.
    pub seq: i32,
    pub hash: String,
}

/// One file of the backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the backup directory, `/`-separated.
    pub path: String,
    pub size: u64,
    /// Lower-case hexadecimal.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The portal version that wrote the backup.
    pub portal_version: String,
    /// Read from the clock before the database snapshot began: everything erased after it is
    /// in the erasure ledger, not in the backup.
    pub taken_at: DateTime<Utc>,
    pub database: DatabaseKind,
    /// The snapshot's file among `files`.
    pub database_file: String,
    /// `pg_dump --version`, for a PostgreSQL snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_dump_version: Option<String>,
    /// Rows per table in the snapshot.
    pub tables: BTreeMap<String, u64>,
    pub audit_head: AuditHead,
    /// The ids (never the keys) of the master keys the snapshot's data keys and two-factor
    /// secrets need, and of the receipt key: a restore refuses keys that cannot read it.
    pub master_key_ids: BTreeSet<String>,
    pub receipt_key_id: String,
    /// Objects the snapshot names that were already gone when they were copied (purged after
    /// `taken_at`; replaying the erasure ledger removes their rows).
    #[serde(default)]
    pub objects_missing: Vec<String>,
    /// Every file of the backup but the manifest.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// The object files, as (object name, entry).
    pub fn objects(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.files.iter().filter_map(|f| {
            f.path
                .strip_prefix(super::OBJECTS_DIR)
                .map(|name| (name, f))
        })
    }

    pub fn rows(&self, table: &str) -> u64 {
        self.tables.get(table).copied().unwrap_or(0)
    }
}

/// `path` as a relative path below the backup directory, when it is one: plain names of
/// letters, digits, `.`, `_` and `-`, no `..`, nothing absolute. Anything else in a manifest,
/// or as an object's name, is refused rather than followed.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let parts: Vec<&str> = path.split('/').collect();
    let fine = parts
        .iter()
        .all(|part| !part.is_empty() && *part != "." && *part != ".." && part.chars().all(allowed));
    if !fine {
        return None;
    }
    let relative: PathBuf = parts.iter().collect();
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(relative)
}

/// Reads `file` through, returning its size and SHA-256 and reporting bytes to `progress`.
pub async fn hash_file(file: &Path, progress: &dyn Progress) -> Result<(u64, String), BackupError> {
    let io = super::io_error(file);
    let mut input = tokio::fs::File::open(file).await.map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = input
            .read(&mut buffer)
            .await
            .map_err(super::io_error(file))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
        progress.advance(read as u64);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Writes the manifest under a temporary name, flushes it and renames it into place.
pub async fn write(dir: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let text =
        serde_json::to_vec_pretty(manifest).map_err(|e| BackupError::BadManifest(e.to_string()))?;
    let partial = dir.join(format!("{MANIFEST}.partial"));
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(super::io_error(&partial))?;
    file.write_all(&text)
        .await
        .map_err(super::io_error(&partial))?;
    file.sync_all().await.map_err(super::io_error(&partial))?;
    let target = dir.join(MANIFEST);
    tokio::fs::rename(&partial, &target)
        .await
        .map_err(super::io_error(&target))?;
    super::sync_dir(dir).await
}

/// Reads the manifest of the backup in `dir` and checks every file it lists (presence, size,
/// SHA-256), naming the first that differs.
pub async fn read_and_check(dir: &Path, progress: &dyn Progress) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let text = match tokio::fs::read(&path).await {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::NoManifest {
                dir: dir.to_path_buf(),
            })
        }
        Err(source) => return Err(BackupError::Io { path, source }),
    };
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| BackupError::BadManifest(e.to_string()))?;
    if manifest.format != FORMAT {
        return Err(BackupError::Format(manifest.format));
    }
    if !manifest
        .files
        .iter()
        .any(|f| f.path == manifest.database_file)
    {
        return Err(BackupError::BadManifest(format!(
            "the database file {} is not among the files",
            manifest.database_file
        )));
    }
    let mut relatives = Vec::with_capacity(manifest.files.len());
    for entry in &manifest.files {
        let relative = safe_relative(&entry.path).ok_or_else(|| {
            BackupError::BadManifest(format!("{:?} is not a file inside the backup", entry.path))
        })?;
        relatives.push(relative);
    }
    let total = manifest.files.iter().map(|f| f.size).sum();
    let _step = super::running(progress, Step::Verifying, Some(total));
    for (entry, relative) in manifest.files.iter().zip(relatives) {
        let file = dir.join(relative);
        let found = match tokio::fs::metadata(&file).await {
            Ok(meta) if meta.is_file() => meta.len(),
            _ => {
                return Err(BackupError::FileMissing {
                    path: entry.path.clone(),
                })
            }
        };
        if found != entry.size {
            return Err(BackupError::FileSize {
                path: entry.path.clone(),
                expected: entry.size,
                found,
            });
        }
        let (_, sha256) = hash_file(&file, progress).await?;
        if sha256 != entry.sha256 {
            return Err(BackupError::FileHash {
                path: entry.path.clone(),
            });
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_are_accepted() {
        assert_eq!(
            safe_relative("objects/evidence/0a1b"),
            Some(PathBuf::from("objects").join("evidence").join("0a1b"))
        );
        assert_eq!(safe_relative("portal.db"), Some(PathBuf::from("portal.db")));
        for bad in [
            "",
            "/etc/passwd",
            "../keys/master.key",
            "objects/../../x",
            "objects//x",
            "objects/./x",
            "a\\b",
            "C:x",
            "objects/x y",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_database_kind_follows_the_url() {
        assert_eq!(
            DatabaseKind::of_url("postgres://u@h/db"),
            DatabaseKind::Postgres
        );
        assert_eq!(
            DatabaseKind::of_url("postgresql://u@h/db"),
            DatabaseKind::Postgres
        );
        assert_eq!(
            DatabaseKind::of_url("sqlite://data/portal.db?mode=rwc"),
            DatabaseKind::Sqlite
        );
    }
}
