//! Evidence: the files customers and inspectors attach to a report, and the report's own free
//! text, encrypted at rest under the report's data key.
//!
//! Invariants: an upload is typed by its bytes against an allow-list and streamed into the
//! object store already encrypted (never plaintext on disk, never whole in memory); the object
//! is written before its database row is committed, and start-up sweeps objects that no row
//! names; images get a copy without EXIF/XMP/GPS that downloads and previews default to; every
//! download is authorized per file and audited. URL prefixes: `/report` (with the report),
//! `/follow-up/files`, `/cases/<id>/files`.

pub mod budget;
pub mod keys;
pub mod multipart;
pub mod sealed_stream;
pub mod settings;
pub mod store;
pub mod text;
pub mod upload;

use std::collections::HashSet;
use std::sync::Arc;

use sea_orm::{EntityTrait, QuerySelect};
use tokio::sync::Semaphore;

use crate::platform::config::Config;
use crate::platform::persistence::entities::evidence_file;
use crate::platform::persistence::Db;
use store::{EvidenceStore, StoreError};

/// The evidence store and the limit on concurrent image cleaning, shared by handlers.
#[derive(Clone)]
pub struct Evidence {
    pub store: EvidenceStore,
    pub cleaning: Arc<Semaphore>,
    /// Anonymous upload volume per address and hour.
    pub budget: Arc<budget::UploadBudget>,
}

impl Evidence {
    /// The store, with the anonymous upload budget in this process's memory.
    pub fn new(config: &Config) -> Result<Self, StoreError> {
        Ok(Self {
            store: EvidenceStore::from_settings(&config.evidence, &config.data_dir)?,
            cleaning: Arc::new(Semaphore::new(config.evidence.image_cleaning_concurrency)),
            budget: Arc::new(budget::UploadBudget::new(
                config.evidence.anonymous_mb_per_hour * 1024 * 1024,
            )),
        })
    }

    /// The store, with the upload budget shared in the database when it is PostgreSQL.
    pub fn for_database(config: &Config, db: &Db) -> Result<Self, StoreError> {
        Ok(Self {
            budget: Arc::new(budget::UploadBudget::for_database(
                config.evidence.anonymous_mb_per_hour * 1024 * 1024,
                db,
                &config.receipt_key,
            )),
            ..Self::new(config)?
        })
    }

    /// Deletes stored objects that no file row names (an upload interrupted between writing
    /// its object and committing its row). Returns how many went.
    pub async fn sweep_orphans(&self, db: &Db, config: &Config) -> Result<usize, StoreError> {
        let rows: Vec<(String, Option<String>)> = evidence_file::Entity::find()
            .select_only()
            .column(evidence_file::Column::ObjectKey)
            .column(evidence_file::Column::CleanedObjectKey)
            .into_tuple()
            .all(db.conn())
            .await?;
        let known: HashSet<String> = rows
            .into_iter()
            .flat_map(|(original, cleaned)| std::iter::once(original).chain(cleaned))
            .collect();
        self.store
            .sweep_orphans(
                &known,
                chrono::Duration::minutes(config.evidence.orphan_grace_minutes.max(0)),
            )
            .await
    }
}
