//! The evidence objects of a backup, copied byte for byte (they are ciphertext, readable only
//! with the keys, which stay out of the backup) through the `object_store` interface, so a
//! local directory and an S3 bucket are backed up and restored alike.

use std::collections::BTreeSet;
use std::path::Path;

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::manifest::{safe_relative, FileEntry, Manifest};
use super::{BackupError, Progress, Step, OBJECTS_DIR};
use crate::platform::evidence::store::EvidenceStore;

/// Copies every object in `names` into `<dir>/objects/`, hashing as it goes. Returns the
/// files written and the names that were not in the store (deleted since the snapshot).
pub(super) async fn copy_out(
    store: &EvidenceStore,
    names: &BTreeSet<String>,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<(Vec<FileEntry>, Vec<String>), BackupError> {
    let _step = super::running(progress, Step::CopyingObjects, Some(names.len() as u64));
    let mut files = Vec::with_capacity(names.len());
    let mut missing = Vec::new();
    for name in names {
        let relative = format!("{OBJECTS_DIR}{name}");
        let file = dir.join(safe_relative(&relative).ok_or_else(|| {
            BackupError::Unsupported(format!("an evidence row names the object {name:?}"))
        })?);
        let mut body = match store.objects().get(&ObjectPath::from(name.as_str())).await {
            Ok(found) => found.into_stream(),
            Err(object_store::Error::NotFound { .. }) => {
                missing.push(name.clone());
                progress.advance(1);
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        if let Some(parent) = file.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(super::io_error(parent))?;
        }
        let mut output = tokio::fs::File::create(&file)
            .await
            .map_err(super::io_error(&file))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(piece) = body.next().await {
            let piece = piece?;
            hasher.update(&piece);
            size += piece.len() as u64;
            output
                .write_all(&piece)
                .await
                .map_err(super::io_error(&file))?;
        }
        output.sync_all().await.map_err(super::io_error(&file))?;
        files.push(FileEntry {
            path: relative,
            size,
            sha256: hex::encode(hasher.finalize()),
        });
        progress.advance(1);
    }
    Ok((files, missing))
}

/// Whether the store holds no evidence object at all.
pub(super) async fn store_is_empty(store: &EvidenceStore) -> Result<bool, BackupError> {
    let prefix = ObjectPath::from(EvidenceStore::PREFIX);
    let first = store.objects().list(Some(&prefix)).try_next().await?;
    Ok(first.is_none())
}

/// Writes every object of the backup in `dir` into the store under its own name, checking
/// each file's SHA-256 again on the way (the file was checked when the backup was opened; this
/// catches a change since). Returns how many objects were written.
pub(super) async fn copy_in(
    store: &EvidenceStore,
    dir: &Path,
    manifest: &Manifest,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    let objects: Vec<_> = manifest.objects().collect();
    let _step = super::running(progress, Step::RestoringObjects, Some(objects.len() as u64));
    for (name, entry) in &objects {
        let relative = safe_relative(&entry.path)
            .ok_or_else(|| BackupError::BadManifest(format!("{:?}", entry.path)))?;
        let file = dir.join(relative);
        let mut input = tokio::fs::File::open(&file)
            .await
            .map_err(super::io_error(&file))?;
        let upload = store
            .objects()
            .put_multipart(&ObjectPath::from(*name))
            .await?;
        let mut upload = WriteMultipart::new_with_chunk_size(upload, store.part_size());
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let read = match input.read(&mut buffer).await {
                Ok(read) => read,
                Err(source) => {
                    let _ = upload.abort().await;
                    return Err(BackupError::Io { path: file, source });
                }
            };
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            upload.write(&buffer[..read]);
            upload.wait_for_capacity(2).await?;
        }
        if hex::encode(hasher.finalize()) != entry.sha256 {
            let _ = upload.abort().await;
            return Err(BackupError::FileHash {
                path: entry.path.clone(),
            });
        }
        upload.finish().await?;
        progress.advance(1);
    }
    Ok(objects.len() as u64)
}
