//! Encrypted objects in an `object_store`: the local file system under the data directory by
//! default, any S3-compatible store by configuration. Objects have random names; their bytes
//! are only ever ciphertext ([`super::sealed_stream`]), written and read chunk by chunk.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

use super::sealed_stream::{Opener, Sealer};
use crate::platform::config::EvidenceSettings;
use crate::platform::crypto::SecretKey32;

const PREFIX: &str = "evidence";

/// A store failure; the message is for logs, never for users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
    #[error("cannot prepare the evidence directory {0}: {1}")]
    Directory(String, std::io::Error),
    #[error("an object could not be decrypted (wrong key or damaged)")]
    Sealed,
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("object larger than {0} bytes")]
    TooLarge(u64),
}

#[derive(Clone)]
pub struct EvidenceStore {
    store: Arc<dyn ObjectStore>,
    /// Multipart part size: 5 MiB is S3's minimum; the local store is happy with less.
    part_size: usize,
    /// Where a local store keeps its files (tests and the benchmark look at them).
    pub local_root: Option<std::path::PathBuf>,
    /// The same store as S3, for what `ObjectStore` cannot do (incomplete uploads).
    s3: Option<Arc<object_store::aws::AmazonS3>>,
}

impl std::fmt::Debug for EvidenceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EvidenceStore({})", self.store)
    }
}

impl EvidenceStore {
    pub fn from_settings(settings: &EvidenceSettings, data_dir: &Path) -> Result<Self, StoreError> {
        if settings.store == "s3" {
            let mut builder = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(settings.s3_bucket.clone().unwrap_or_default())
                .with_allow_http(settings.s3_allow_http);
            if let Some(region) = &settings.s3_region {
                builder = builder.with_region(region);
            }
            if let Some(endpoint) = &settings.s3_endpoint {
                builder = builder.with_endpoint(endpoint);
            }
            let s3 = Arc::new(builder.build()?);
            return Ok(Self {
                store: s3.clone(),
                part_size: 5 * 1024 * 1024,
                local_root: None,
                s3: Some(s3),
            });
        }
        let root = data_dir.join("objects");
        std::fs::create_dir_all(root.join(PREFIX))
            .map_err(|e| StoreError::Directory(root.display().to_string(), e))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(&root)?;
        Ok(Self {
            store: Arc::new(store),
            part_size: 1024 * 1024,
            local_root: Some(root),
            s3: None,
        })
    }

    /// The store as S3, when it is one.
    pub fn s3(&self) -> Option<&object_store::aws::AmazonS3> {
        self.s3.as_deref()
    }

    /// The objects as stored (ciphertext), for backup and restore to copy as they are.
    pub(in crate::platform) fn objects(&self) -> &dyn ObjectStore {
        self.store.as_ref()
    }

    /// The multipart part size this store is written with.
    pub(in crate::platform) fn part_size(&self) -> usize {
        self.part_size
    }

    /// The name every evidence object starts with (`evidence/…`).
    pub(in crate::platform) const PREFIX: &'static str = PREFIX;

    /// A fresh, random object name.
    pub fn new_key() -> String {
        format!("{PREFIX}/{}", uuid::Uuid::new_v4().simple())
    }

    /// Starts writing an encrypted object.
    pub async fn writer(
        &self,
        key: &str,
        data_key: &SecretKey32,
    ) -> Result<ObjectWriter, StoreError> {
        let upload = self.store.put_multipart(&ObjectPath::from(key)).await?;
        let mut upload = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let (sealer, header) = Sealer::new(data_key, key.as_bytes());
        upload.write(&header);
        Ok(ObjectWriter {
            upload,
            sealer,
            plain_len: 0,
        })
    }

    /// Writes a whole (small) plaintext as one encrypted object.
    pub async fn put(
        &self,
        key: &str,
        data_key: &SecretKey32,
        plain: &[u8],
    ) -> Result<(), StoreError> {
        let mut writer = self.writer(key, data_key).await?;
        for piece in plain.chunks(super::sealed_stream::CHUNK) {
            if let Err(error) = writer.write(piece).await {
                writer.abort().await;
                return Err(error);
            }
        }
        writer.finish().await
    }

    /// The decrypted bytes of an object, as a stream of chunks.
    pub async fn open(
        &self,
        key: &str,
        data_key: &SecretKey32,
    ) -> Result<BoxStream<'static, std::io::Result<Bytes>>, StoreError> {
        let body = self.store.get(&ObjectPath::from(key)).await?.into_stream();
        let opener = Some(Opener::new(data_key, key.as_bytes()));
        let key_for_log = key.to_string();
        let stream = futures::stream::unfold((body, opener), move |(mut body, mut opener)| {
            let key_for_log = key_for_log.clone();
            async move {
                loop {
                    let current = opener.as_mut()?;
                    match body.next().await {
                        Some(Ok(piece)) => match current.push(&piece) {
                            Ok(plain) if plain.is_empty() => continue,
                            Ok(plain) => return Some((Ok(Bytes::from(plain)), (body, opener))),
                            Err(_) => return Some((Err(sealed_error(&key_for_log)), (body, None))),
                        },
                        Some(Err(e)) => {
                            tracing::error!(object = %key_for_log, error = %e, "evidence read failed");
                            return Some((
                                Err(std::io::Error::other("object store read failed")),
                                (body, None),
                            ));
                        }
                        None => {
                            let last = opener.take()?.finish();
                            return match last {
                                Ok(plain) => Some((Ok(Bytes::from(plain)), (body, None))),
                                Err(_) => Some((Err(sealed_error(&key_for_log)), (body, None))),
                            };
                        }
                    }
                }
            }
        });
        Ok(stream.boxed())
    }

    /// The whole decrypted object in memory, refusing anything above `max` bytes.
    pub async fn read_all(
        &self,
        key: &str,
        data_key: &SecretKey32,
        max: u64,
    ) -> Result<Vec<u8>, StoreError> {
        let mut stream = self.open(key, data_key).await?;
        let mut out = Vec::new();
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|_| StoreError::Sealed)?;
            if (out.len() + piece.len()) as u64 > max {
                return Err(StoreError::TooLarge(max));
            }
            out.extend_from_slice(&piece);
        }
        Ok(out)
    }

    /// Deletes an object; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes evidence objects that no database row names, when older than `grace`. Returns
    /// how many were removed.
    pub async fn sweep_orphans(
        &self,
        known: &HashSet<String>,
        grace: chrono::Duration,
    ) -> Result<usize, StoreError> {
        // The store stamps objects with its own wall-clock time, so the age is measured against
        // the wall clock, not the portal's `Clock` (which tests fix at another instant).
        let cutoff = chrono::Utc::now() - grace;
        let listed: Vec<_> = self
            .store
            .list(Some(&ObjectPath::from(PREFIX)))
            .try_collect()
            .await?;
        let mut removed = 0;
        for meta in listed {
            let key = meta.location.to_string();
            if !known.contains(&key) && meta.last_modified <= cutoff {
                self.delete(&key).await?;
                removed += 1;
            }
        }
        Ok(removed + self.sweep_unfinished_uploads(cutoff).await?)
    }

    /// Multipart uploads a dead process never finished: listing objects does not show them, so
    /// the sweep above cannot. The local store stages each upload as `<name>#<n>` beside where
    /// the object will be (hidden from listings), deleted when the upload ends or is dropped,
    /// so a staging file older than the grace period belongs to a process that died. An S3
    /// store keeps the parts of an incomplete upload until it is aborted; those are listed and
    /// aborted by [`super::multipart::abort_stale`].
    async fn sweep_unfinished_uploads(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError> {
        let Some(root) = &self.local_root else {
            return super::multipart::abort_stale(self, cutoff).await;
        };
        let dir = root.join(PREFIX);
        let cutoff = std::time::SystemTime::from(cutoff);
        tokio::task::spawn_blocking(move || {
            let mut removed = 0;
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return 0;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let staged = name
                    .split_once('#')
                    .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|at| at <= cutoff);
                if staged && old && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
            removed
        })
        .await
        .map_err(|e| StoreError::Directory(PREFIX.into(), std::io::Error::other(e)))
    }
}

fn sealed_error(key: &str) -> std::io::Error {
    tracing::error!(object = %key, "evidence object failed authentication");
    std::io::Error::other("evidence object could not be decrypted")
}

/// An object being written: plaintext in, ciphertext parts out.
pub struct ObjectWriter {
    upload: WriteMultipart,
    sealer: Sealer,
    plain_len: u64,
}

impl ObjectWriter {
    pub async fn write(&mut self, plain: &[u8]) -> Result<(), StoreError> {
        self.plain_len += plain.len() as u64;
        let sealed = self.sealer.push(plain);
        if !sealed.is_empty() {
            self.upload.write(&sealed);
            // Back-pressure: at most two parts in flight per upload.
            self.upload.wait_for_capacity(2).await?;
        }
        Ok(())
    }

    pub fn plain_len(&self) -> u64 {
        self.plain_len
    }

    pub async fn finish(self) -> Result<(), StoreError> {
        let ObjectWriter {
            mut upload, sealer, ..
        } = self;
        upload.write(&sealer.finish());
        upload.finish().await?;
        Ok(())
    }

    pub async fn abort(self) {
        if let Err(e) = self.upload.abort().await {
            tracing::warn!(error = %e, "aborting an evidence upload failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_compatible_store_is_built_from_settings_alone() {
        let settings = EvidenceSettings {
            store: "s3".into(),
            s3_bucket: Some("evn-evidence".into()),
            s3_region: Some("ap-southeast-1".into()),
            s3_endpoint: Some("http://127.0.0.1:9000".into()),
            s3_allow_http: true,
            ..EvidenceSettings::default()
        };
        let store = EvidenceStore::from_settings(&settings, Path::new("/nonexistent")).unwrap();
        assert!(store.local_root.is_none(), "nothing is written locally");
        assert_eq!(store.part_size, 5 * 1024 * 1024, "S3's minimum part size");
    }

    #[test]
    fn object_names_are_random_and_carry_nothing_from_the_upload() {
        let (a, b) = (EvidenceStore::new_key(), EvidenceStore::new_key());
        assert_ne!(a, b);
        assert!(a.starts_with("evidence/") && a.len() == "evidence/".len() + 32);
    }
}
