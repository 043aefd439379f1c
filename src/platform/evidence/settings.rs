//! The evidence store's settings (`[default.evidence]`).

use serde::Deserialize;

/// Evidence files: limits, where the encrypted objects live, start-up sweep.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct EvidenceSettings {
    pub max_file_mb: u64,
    pub max_files: usize,
    pub max_report_mb: u64,
    /// `local` (under `<data_dir>/objects`) or `s3` (any S3-compatible store).
    pub store: String,
    pub s3_bucket: Option<String>,
    pub s3_region: Option<String>,
    /// For S3-compatible stores other than AWS (MinIO, Ceph, …).
    pub s3_endpoint: Option<String>,
    pub s3_allow_http: bool,
    /// Objects without a database row are deleted at start-up once older than this (uploads
    /// in flight on another node are younger).
    pub orphan_grace_minutes: i64,
    /// Images cleaned at once; each holds up to two copies of one image in memory.
    pub image_cleaning_concurrency: usize,
    /// What one address may upload without signing in, per hour (reports and follow-ups).
    pub anonymous_mb_per_hour: u64,
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        Self {
            max_file_mb: 20,
            max_files: 10,
            max_report_mb: 100,
            store: "local".into(),
            s3_bucket: None,
            s3_region: None,
            s3_endpoint: None,
            s3_allow_http: false,
            orphan_grace_minutes: 60,
            image_cleaning_concurrency: 1,
            anonymous_mb_per_hour: 300,
        }
    }
}

impl EvidenceSettings {
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mb * 1024 * 1024
    }
    pub fn max_report_bytes(&self) -> u64 {
        self.max_report_mb * 1024 * 1024
    }
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_file_mb == 0
            || self.max_files == 0
            || self.max_report_mb == 0
            || self.anonymous_mb_per_hour == 0
        {
            return Err("evidence limits must be positive".into());
        }
        if self.image_cleaning_concurrency == 0 {
            return Err("evidence.image_cleaning_concurrency must be positive".into());
        }
        match self.store.as_str() {
            "local" => Ok(()),
            "s3" if self.s3_bucket.as_deref().is_some_and(|b| !b.is_empty()) => Ok(()),
            "s3" => Err("evidence.store = \"s3\" needs evidence.s3_bucket".into()),
            other => Err(format!(
                "evidence.store must be \"local\" or \"s3\", not {other:?}"
            )),
        }
    }
}
