//! Personal-data settings (who the controller is, where to write to them) and the erasure
//! ledger: an append-only file, kept apart from the database and its backups, naming every
//! report whose data were purged or whose reporter withdrew their identity. A restore replays
//! the entries newer than the backup, so an old backup cannot bring erased data back.
//!
//! An entry holds only a time, a kind and a report id: nothing personal. It is written and
//! flushed to disk *before* the erasing transaction commits, so a crash between the two can
//! only make a restore erase what the person had asked to erase anyway.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The version of the privacy notice (`/privacy`); a consent records it. Change it whenever
/// the notice's text changes.
pub const NOTICE_VERSION: &str = "2026-12-07";

/// `[default.privacy]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct PrivacySettings {
    /// The controller (bên kiểm soát dữ liệu cá nhân), as the notice names it.
    pub controller_vi: String,
    pub controller_en: String,
    /// Where a person writes about their data (an address or e-mail of the unit).
    pub contact: String,
    /// The erasure ledger; default `<data_dir>/erasure-ledger.jsonl`. Keep it where the keys
    /// are kept, not with the backups.
    pub erasure_ledger: Option<PathBuf>,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            controller_vi: "Tổng công ty Điện lực miền Nam (EVNSPC)".into(),
            controller_en: "Southern Power Corporation (EVNSPC)".into(),
            contact: "Ban Thanh tra – Pháp chế, 72 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh"
                .into(),
            erasure_ledger: None,
        }
    }
}

impl PrivacySettings {
    pub fn ledger_path(&self, data_dir: &Path) -> PathBuf {
        self.erasure_ledger
            .clone()
            .unwrap_or_else(|| data_dir.join("erasure-ledger.jsonl"))
    }
}

/// What was erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Erasure {
    /// Retention ran out: the report's data key, text, identity, files and messages are gone.
    Purge,
    /// The reporter withdrew their identity.
    IdentityWithdrawal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub at: DateTime<Utc>,
    pub kind: Erasure,
    pub report: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot write the erasure ledger {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the erasure ledger {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the erasure ledger {path} is damaged at line {line}")]
    Damaged { path: PathBuf, line: usize },
}

/// The ledger file.
#[derive(Debug, Clone)]
pub struct Ledger {
    path: PathBuf,
}

impl Ledger {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and waits until it is on disk.
    pub fn append(&self, entry: &LedgerEntry) -> Result<(), LedgerError> {
        let write = |source| LedgerError::Write {
            path: self.path.clone(),
            source,
        };
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(write)?;
        }
        let mut line = serde_json::to_string(entry).map_err(|e| write(std::io::Error::other(e)))?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(write)?;
        file.write_all(line.as_bytes()).map_err(write)?;
        file.sync_all().map_err(write)
    }

    /// Every entry, oldest first; a missing file is an empty ledger. A last line cut short by
    /// a crash is ignored; a damaged line anywhere else is an error.
    pub fn entries(&self) -> Result<Vec<LedgerEntry>, LedgerError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(LedgerError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut entries = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            match serde_json::from_str(line) {
                Ok(entry) => entries.push(entry),
                Err(_) if index + 1 == lines.len() && !text.ends_with('\n') => {}
                Err(_) => {
                    return Err(LedgerError::Damaged {
                        path: self.path.clone(),
                        line: index + 1,
                    })
                }
            }
        }
        Ok(entries)
    }

    /// The entries recorded at or after `since` (a backup's time), oldest first.
    pub fn since(&self, since: DateTime<Utc>) -> Result<Vec<LedgerEntry>, LedgerError> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|e| e.at >= since)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(minute: u32, kind: Erasure, report: i32) -> LedgerEntry {
        LedgerEntry {
            at: Utc.with_ymd_and_hms(2026, 12, 7, 9, minute, 0).unwrap(),
            kind,
            report,
        }
    }

    #[test]
    fn entries_come_back_in_order_and_filter_by_time() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::new(dir.path().join("sub").join("ledger.jsonl"));
        assert!(ledger.entries().unwrap().is_empty());
        ledger.append(&entry(1, Erasure::Purge, 7)).unwrap();
        ledger
            .append(&entry(5, Erasure::IdentityWithdrawal, 9))
            .unwrap();
        assert_eq!(
            ledger.entries().unwrap(),
            vec![
                entry(1, Erasure::Purge, 7),
                entry(5, Erasure::IdentityWithdrawal, 9)
            ]
        );
        let since = Utc.with_ymd_and_hms(2026, 12, 7, 9, 3, 0).unwrap();
        assert_eq!(
            ledger.since(since).unwrap(),
            vec![entry(5, Erasure::IdentityWithdrawal, 9)]
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored_but_damage_elsewhere_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let ledger = Ledger::new(path.clone());
        ledger.append(&entry(1, Erasure::Purge, 7)).unwrap();
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"at\":\"2026-12");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(ledger.entries().unwrap().len(), 1);
        std::fs::write(&path, format!("garbage\n{text}\n")).unwrap();
        assert!(matches!(
            ledger.entries(),
            Err(LedgerError::Damaged { line: 1, .. })
        ));
    }
}
