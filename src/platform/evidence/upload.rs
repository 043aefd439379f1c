//! Reading a `multipart/form-data` body as it streams in: text fields are collected (small),
//! file parts are typed by their first bytes, checked, counted against the limits and written
//! straight into the encrypted store. Nothing is buffered whole and nothing touches the disk
//! in plaintext. Images get their metadata-free copy here too, under a concurrency limit.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::StreamExt;
use rocket::data::{Data, ToByteUnit};
use rocket::http::ContentType;
use tokio_util::io::ReaderStream;

use super::store::{EvidenceStore, StoreError};
use super::Evidence;
use crate::domain::evidence::content::{self, Kind, Refusal, Scanner, SNIFF_LEN};
use crate::platform::crypto::SecretKey32;

/// Text fields longer than this are cut off (the forms' own limits are far lower).
const TEXT_FIELD_MAX: usize = 64 * 1024;
/// No form of ours has more text fields or more text than this.
const TEXT_FIELDS_MAX: usize = 40;
const TEXT_TOTAL_MAX: usize = 256 * 1024;
/// Room for the text fields and multipart framing on top of the files.
const FRAMING_SLACK: u64 = TEXT_TOTAL_MAX as u64 + 64 * 1024;
/// The body is read in pieces of this size.
const BODY_CHUNK: usize = 32 * 1024;
/// What `multer` may hold beyond the field data it has handed back. It takes one more piece
/// each time it is polled, even when the field it is reading is already buffered, so a form
/// with many short fields legitimately holds up to one piece per field; a giant part header or
/// endless preamble hits this bound instead of filling memory.
const READ_AHEAD_MAX: u64 = 2 * 1024 * 1024;

/// What a request may still add.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub max_file: u64,
    pub files_left: usize,
    pub bytes_left: u64,
}

/// A file written to the store, not yet recorded in the database.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub object_key: String,
    pub display_name: String,
    pub kind: Kind,
    pub size: u64,
    pub cleaned_key: Option<String>,
    pub cleaned_size: Option<u64>,
    pub removed: Vec<&'static str>,
}

impl StagedFile {
    pub fn object_keys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.object_key.as_str()).chain(self.cleaned_key.as_deref())
    }
}

/// Why an upload stopped.
#[derive(Debug)]
pub enum UploadError {
    /// A file was refused; `name` is its sanitised name.
    Refused {
        name: String,
        refusal: Refusal,
    },
    /// The body is not a readable multipart form.
    Malformed,
    Store(StoreError),
}

impl From<StoreError> for UploadError {
    fn from(e: StoreError) -> Self {
        UploadError::Store(e)
    }
}

/// The form as received. On error, no file is left in the store and `files` is empty.
#[derive(Debug, Default)]
pub struct Received {
    pub fields: Vec<(String, String)>,
    pub files: Vec<StagedFile>,
    pub error: Option<UploadError>,
}

impl Received {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the whole form, storing the parts named `file_field` under `data_key`. When it stops
/// early (a refused file, a limit), the rest of the body is read and dropped first, so the
/// browser is still listening when the error page comes back.
pub async fn receive(
    evidence: &Evidence,
    content_type: &ContentType,
    data: Data<'_>,
    data_key: &SecretKey32,
    allowance: Allowance,
    file_field: &str,
) -> Received {
    let mut received = Received::default();
    let body_limit = allowance
        .bytes_left
        .min(allowance.max_file * allowance.files_left as u64)
        + FRAMING_SLACK;
    let mut body = ReaderStream::with_capacity(data.open(body_limit.bytes()), BODY_CHUNK);
    let Some(boundary) = content_type
        .params()
        .find(|(k, _)| *k == "boundary")
        .map(|(_, v)| v.to_string())
    else {
        while let Some(Ok(_)) = body.next().await {}
        received.error = Some(UploadError::Malformed);
        return received;
    };
    let meter = Meter::default();
    let outcome = {
        let multipart = multer::Multipart::new(Metered::new(&mut body, meter.clone()), boundary);
        read_parts(
            evidence,
            multipart,
            &meter,
            data_key,
            allowance,
            file_field,
            &mut received,
        )
        .await
    };
    if let Err(error) = outcome {
        while let Some(Ok(_)) = body.next().await {}
        discard(&evidence.store, &received.files).await;
        received.files.clear();
        received.error = Some(error);
    }
    received
}

/// [`receive`] for people without an account: once `address` has used its hourly budget, the
/// form's text is still read (nothing typed is lost) but any file is refused; what it uploads
/// counts against the budget.
#[allow(clippy::too_many_arguments)]
pub async fn receive_anonymous(
    evidence: &Evidence,
    address: &str,
    now: chrono::DateTime<chrono::Utc>,
    content_type: &ContentType,
    data: Data<'_>,
    data_key: &SecretKey32,
    mut allowance: Allowance,
    file_field: &str,
) -> Received {
    let over_budget = !evidence.budget.allows(address, now).await;
    if over_budget {
        allowance.files_left = 0;
    }
    let mut received = receive(
        evidence,
        content_type,
        data,
        data_key,
        allowance,
        file_field,
    )
    .await;
    if let Some(UploadError::Refused { refusal, .. }) = &mut received.error {
        let file_refused = matches!(
            refusal,
            Refusal::TooMany | Refusal::ReportFull | Refusal::TooLarge
        );
        if over_budget && file_refused {
            *refusal = Refusal::Budget;
        }
    }
    let bytes = received.files.iter().map(|f| f.size).sum();
    evidence.budget.record(address, now, bytes).await;
    received
}

/// Deletes staged objects (a failed request, or a form that did not validate).
pub async fn discard(store: &EvidenceStore, files: &[StagedFile]) {
    for file in files {
        for key in file.object_keys() {
            if let Err(e) = store.delete(key).await {
                tracing::warn!(error = %e, "a discarded evidence object stays until the start-up sweep");
            }
        }
    }
}

async fn read_parts(
    evidence: &Evidence,
    mut multipart: multer::Multipart<'_>,
    meter: &Meter,
    data_key: &SecretKey32,
    allowance: Allowance,
    file_field: &str,
    received: &mut Received,
) -> Result<(), UploadError> {
    let mut total: u64 = 0;
    let mut text_total = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(()),
            Err(e) => return Err(body_error(e, received, total, allowance)),
        };
        let name = field.name().unwrap_or_default().to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let text = read_text(field, meter)
                .await
                .map_err(|_| UploadError::Malformed)?;
            text_total += text.len();
            if received.fields.len() >= TEXT_FIELDS_MAX || text_total > TEXT_TOTAL_MAX {
                return Err(UploadError::Malformed);
            }
            received.fields.push((name, text));
            continue;
        };
        if name != file_field {
            continue;
        }
        let display = content::sanitize_name(&file_name);
        let staged = match store_file(
            evidence,
            field,
            meter,
            FileSlot {
                display: &display,
                named: !file_name.is_empty(),
                already: received.files.len(),
                total_so_far: total,
            },
            data_key,
            allowance,
        )
        .await
        {
            Ok(Some(staged)) => staged,
            Ok(None) => continue,
            Err(FileError::Refused(refusal)) => {
                return Err(UploadError::Refused {
                    name: display,
                    refusal,
                })
            }
            Err(FileError::Store(e)) => return Err(UploadError::Store(e)),
            Err(FileError::Body(e)) => return Err(body_error(e, received, total, allowance)),
        };
        total += staged.size;
        received.files.push(staged);
    }
}

/// Bytes handed to `multer` versus bytes it handed back as field data.
#[derive(Debug, Clone, Default)]
struct Meter {
    delivered: Arc<AtomicU64>,
    consumed: Arc<AtomicU64>,
}

impl Meter {
    fn consumed(&self, bytes: usize) {
        self.consumed.fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

/// Feeds `multer` one chunk per poll, and fails the body when `multer` holds more than
/// [`READ_AHEAD_MAX`] it has not handed back (giant part headers, endless preamble).
/// `multer` drains every chunk that is ready into its own buffer, so on a fast connection it
/// would otherwise read a whole upload ahead of the encrypted store writes.
struct Metered<S> {
    inner: S,
    meter: Meter,
    just_yielded: bool,
}

impl<S> Metered<S> {
    fn new(inner: S, meter: Meter) -> Self {
        Self {
            inner,
            meter,
            just_yielded: false,
        }
    }
}

impl<S> futures::Stream for Metered<S>
where
    S: futures::Stream<Item = std::io::Result<Bytes>> + Unpin,
{
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.just_yielded {
            self.just_yielded = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let delivered = self.meter.delivered.load(Ordering::Relaxed);
        let consumed = self.meter.consumed.load(Ordering::Relaxed);
        if delivered.saturating_sub(consumed) > READ_AHEAD_MAX {
            return Poll::Ready(Some(Err(std::io::Error::other(
                "multipart framing larger than allowed",
            ))));
        }
        let next = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &next {
            self.meter
                .delivered
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            self.just_yielded = true;
        }
        next
    }
}

/// A body that ends early because it hit the size limit reads as "too large", not "broken".
fn body_error(
    e: multer::Error,
    received: &Received,
    total: u64,
    allowance: Allowance,
) -> UploadError {
    tracing::info!(error = %e, "multipart body ended early");
    let near_limit = total + allowance.max_file >= allowance.bytes_left
        || received.files.len() + 1 >= allowance.files_left;
    match e {
        multer::Error::IncompleteStream | multer::Error::IncompleteFieldData { .. }
            if near_limit =>
        {
            UploadError::Refused {
                name: String::new(),
                refusal: Refusal::ReportFull,
            }
        }
        _ => UploadError::Malformed,
    }
}

async fn read_text(mut field: multer::Field<'_>, meter: &Meter) -> Result<String, multer::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        meter.consumed(chunk.len());
        if bytes.len() < TEXT_FIELD_MAX {
            bytes.extend_from_slice(&chunk[..chunk.len().min(TEXT_FIELD_MAX - bytes.len())]);
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

enum FileError {
    Refused(Refusal),
    Store(StoreError),
    Body(multer::Error),
}

impl From<StoreError> for FileError {
    fn from(e: StoreError) -> Self {
        FileError::Store(e)
    }
}

/// Where a file part stands among the request's files.
struct FileSlot<'a> {
    display: &'a str,
    /// The browser named a file (an unnamed empty part means "no file chosen").
    named: bool,
    already: usize,
    total_so_far: u64,
}

/// Streams one file part into the store. `Ok(None)` for the empty, unnamed part a browser sends
/// when no file was chosen.
async fn store_file(
    evidence: &Evidence,
    mut field: multer::Field<'_>,
    meter: &Meter,
    slot: FileSlot<'_>,
    data_key: &SecretKey32,
    allowance: Allowance,
) -> Result<Option<StagedFile>, FileError> {
    let FileSlot {
        display,
        named,
        already,
        total_so_far,
    } = slot;
    let mut head = Vec::new();
    while head.len() < SNIFF_LEN {
        match field.chunk().await.map_err(FileError::Body)? {
            Some(chunk) => {
                meter.consumed(chunk.len());
                head.extend_from_slice(&chunk);
            }
            None => break,
        }
    }
    if head.is_empty() {
        return if named {
            Err(FileError::Refused(Refusal::Empty))
        } else {
            Ok(None)
        };
    }
    if already >= allowance.files_left {
        return Err(FileError::Refused(Refusal::TooMany));
    }
    let kind = Kind::sniff(&head).ok_or(FileError::Refused(Refusal::NotAllowed))?;
    content::check_name(display, kind).map_err(FileError::Refused)?;

    let object_key = EvidenceStore::new_key();
    let mut writer = evidence.store.writer(&object_key, data_key).await?;
    let mut scanner = Scanner::new(kind);
    let mut size = 0u64;
    let mut next: Option<Bytes> = Some(Bytes::from(head));
    let result: Result<(), FileError> = async {
        while let Some(piece) = next.take() {
            size += piece.len() as u64;
            if size > allowance.max_file {
                return Err(FileError::Refused(Refusal::TooLarge));
            }
            if total_so_far + size > allowance.bytes_left {
                return Err(FileError::Refused(Refusal::ReportFull));
            }
            scanner.feed(&piece);
            writer.write(&piece).await?;
            next = field.chunk().await.map_err(FileError::Body)?;
            if let Some(chunk) = &next {
                meter.consumed(chunk.len());
            }
        }
        scanner.verdict().map_err(FileError::Refused)
    }
    .await;
    if let Err(error) = result {
        writer.abort().await;
        let _ = evidence.store.delete(&object_key).await;
        return Err(error);
    }
    if let Err(error) = writer.finish().await {
        let _ = evidence.store.delete(&object_key).await;
        return Err(error.into());
    }
    let mut staged = StagedFile {
        object_key,
        display_name: display.to_string(),
        kind,
        size,
        cleaned_key: None,
        cleaned_size: None,
        removed: Vec::new(),
    };
    if kind.is_image() {
        if let Err(error) = clean(evidence, data_key, &mut staged, allowance.max_file).await {
            let _ = evidence.store.delete(&staged.object_key).await;
            return Err(error);
        }
    }
    Ok(Some(staged))
}

/// Makes the metadata-free copy of a stored image: read back, clean, store beside it. Bounded
/// by a semaphore so concurrent uploads cannot multiply the memory it needs.
async fn clean(
    evidence: &Evidence,
    data_key: &SecretKey32,
    staged: &mut StagedFile,
    max: u64,
) -> Result<(), FileError> {
    let _permit = evidence
        .cleaning
        .acquire()
        .await
        .map_err(|_| FileError::Store(StoreError::Sealed))?;
    let original = evidence
        .store
        .read_all(&staged.object_key, data_key, max)
        .await?;
    let kind = staged.kind;
    let cleaned =
        tokio::task::spawn_blocking(move || content::clean_image(kind, Bytes::from(original)))
            .await
            .map_err(|_| FileError::Refused(Refusal::Damaged))?
            .map_err(FileError::Refused)?;
    let key = EvidenceStore::new_key();
    evidence.store.put(&key, data_key, &cleaned.bytes).await?;
    staged.cleaned_key = Some(key);
    staged.cleaned_size = Some(cleaned.bytes.len() as u64);
    staged.removed = cleaned.removed;
    Ok(())
}
