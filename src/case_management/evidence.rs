//! Evidence rows: recording staged files, what each audience may list and fetch, and the
//! download response itself (attachment, nosniff, sandboxing CSP, inline only for cleaned
//! images). Every download is audited.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use tokio_util::io::StreamReader;

use crate::domain::evidence::content::Kind;
use crate::domain::evidence::content::Refusal;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::config::EvidenceSettings;
use crate::platform::crypto::SecretKey32;
use crate::platform::evidence::upload::{self, Received};
use crate::platform::evidence::upload::{Allowance, StagedFile};
use crate::platform::persistence::entities::{case_event, evidence_file, report_key};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

pub const SHARED: &str = "shared";
pub const INTERNAL: &str = "internal";

/// Who added a file.
#[derive(Debug, Clone, Copy)]
pub enum Uploader {
    Reporter,
    Staff(i32),
}

/// The report's data key, unwrapped with whichever master key wrapped it.
pub async fn data_key<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    report_id: i32,
) -> AppResult<SecretKey32> {
    let row = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    state
        .config
        .unwrap_report_key(&row)
        .map_err(AppError::internal)
}

impl Uploader {
    fn kind(self) -> &'static str {
        match self {
            Uploader::Reporter => "reporter",
            Uploader::Staff(_) => "staff",
        }
    }
}

/// What a report may still receive from this side, given the files that side already added.
/// Reporters and investigators have separate quotas, so a reporter refused at the limit learns
/// nothing about internal files.
pub async fn allowance<C: ConnectionTrait>(
    conn: &C,
    settings: &EvidenceSettings,
    report_id: Option<i32>,
    uploader: Uploader,
) -> AppResult<Allowance> {
    let existing = match report_id {
        Some(id) => {
            evidence_file::Entity::find()
                .filter(evidence_file::Column::ReportId.eq(id))
                .filter(evidence_file::Column::UploaderKind.eq(uploader.kind()))
                .all(conn)
                .await?
        }
        None => Vec::new(),
    };
    let used: u64 = existing.iter().map(|f| f.size.max(0) as u64).sum();
    Ok(Allowance {
        max_file: settings.max_file_bytes(),
        files_left: settings.max_files.saturating_sub(existing.len()),
        bytes_left: settings.max_report_bytes().saturating_sub(used),
    })
}

/// Re-checks, inside the transaction that records them, that `files` still fit: concurrent
/// uploads to one report each saw the same allowance when they started.
pub async fn still_fit<C: ConnectionTrait>(
    conn: &C,
    settings: &EvidenceSettings,
    report_id: i32,
    uploader: Uploader,
    files: &[StagedFile],
) -> AppResult<Result<(), crate::domain::evidence::content::Refusal>> {
    if conn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Serialises uploads to the same report (SQLite's writer lock already does).
        crate::platform::persistence::entities::report::Entity::find_by_id(report_id)
            .lock_exclusive()
            .one(conn)
            .await?;
    }
    let left = allowance(conn, settings, Some(report_id), uploader).await?;
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    Ok(if files.len() > left.files_left {
        Err(crate::domain::evidence::content::Refusal::TooMany)
    } else if bytes > left.bytes_left {
        Err(crate::domain::evidence::content::Refusal::ReportFull)
    } else {
        Ok(())
    })
}

/// Records staged files for a report, in the caller's transaction. The objects already exist;
/// a crash between the two leaves orphans for the start-up sweep, never a row without bytes.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    uploader: Uploader,
    visibility: &str,
    files: &[StagedFile],
    now: DateTime<Utc>,
) -> Result<Vec<i32>, sea_orm::DbErr> {
    let mut ids = Vec::with_capacity(files.len());
    for file in files {
        let user = match uploader {
            Uploader::Reporter => None,
            Uploader::Staff(id) => Some(id),
        };
        let row = evidence_file::ActiveModel {
            report_id: Set(report_id),
            uploader_kind: Set(uploader.kind().to_string()),
            uploader_user_id: Set(user),
            visibility: Set(visibility.to_string()),
            display_name: Set(file.display_name.clone()),
            media_type: Set(file.kind.media_type().to_string()),
            size: Set(file.size as i64),
            object_key: Set(file.object_key.clone()),
            cleaned_object_key: Set(file.cleaned_key.clone()),
            cleaned_size: Set(file.cleaned_size.map(|s| s as i64)),
            removed_metadata: Set(file.removed.join(",")),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        ids.push(row.id);
    }
    if !files.is_empty() {
        case_event::ActiveModel {
            report_id: Set(report_id),
            kind: Set("evidence_added".to_string()),
            actor_kind: Set(match uploader {
                Uploader::Reporter => "reporter".to_string(),
                Uploader::Staff(_) => "staff".to_string(),
            }),
            actor_user_id: Set(match uploader {
                Uploader::Reporter => None,
                Uploader::Staff(id) => Some(id),
            }),
            visible_to_reporter: Set(visibility == SHARED),
            detail: Set(Some(
                json!({"files": files.len(), "visibility": visibility}).to_string(),
            )),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(ids)
}

/// A file as a page shows it.
#[derive(Debug, Serialize)]
pub struct FileView {
    pub id: i32,
    pub name: String,
    pub kind_label: String,
    pub size: String,
    pub added: String,
    pub by_reporter: bool,
    pub internal: bool,
    pub cleaned: bool,
    pub previewable: bool,
    /// Files whose embedded information (location, author, device) is not removed: documents,
    /// recordings and videos. The original is all there is.
    pub metadata_kept: bool,
    pub removed: Vec<String>,
    /// For the case page: until when the viewer may download the original (a custodian's
    /// approval), and whether they asked and wait (`super::originals::mark`).
    pub original_until: Option<String>,
    pub original_pending: bool,
    /// The size in bytes of what a download gives (the cleaned copy where there is one).
    pub bytes: i64,
    pub added_at: chrono::DateTime<chrono::Utc>,
}

fn view(lang: Lang, row: &evidence_file::Model) -> FileView {
    let kind = Kind::from_media_type(&row.media_type);
    FileView {
        id: row.id,
        name: row.display_name.clone(),
        kind_label: row.media_type.clone(),
        size: human_size(row.size.max(0) as u64),
        added: local_time(row.created_at),
        by_reporter: row.uploader_kind == "reporter",
        internal: row.visibility == INTERNAL,
        cleaned: row.cleaned_object_key.is_some(),
        previewable: row.cleaned_object_key.is_some() && kind.is_some_and(|k| k.previewable()),
        metadata_kept: kind.is_some_and(|k| !k.is_image()),
        removed: row
            .removed_metadata
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| lang.t(&format!("evidence-removed-{c}")))
            .collect(),
        original_until: None,
        original_pending: false,
        bytes: row.cleaned_size.unwrap_or(row.size).max(0),
        added_at: row.created_at,
    }
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Every file of a case, for its investigators.
pub async fn for_case<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    report_id: i32,
) -> AppResult<Vec<FileView>> {
    Ok(evidence_file::Entity::find()
        .filter(evidence_file::Column::ReportId.eq(report_id))
        .order_by_asc(evidence_file::Column::Id)
        .all(conn)
        .await?
        .iter()
        .map(|r| view(lang, r))
        .collect())
}

/// The files a reporter may see: their own and those shared with them.
pub async fn for_reporter<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    report_id: i32,
) -> AppResult<Vec<FileView>> {
    Ok(evidence_file::Entity::find()
        .filter(evidence_file::Column::ReportId.eq(report_id))
        .filter(evidence_file::Column::Visibility.eq(SHARED))
        .order_by_asc(evidence_file::Column::Id)
        .all(conn)
        .await?
        .iter()
        .map(|r| view(lang, r))
        .collect())
}

/// Which copy of a file to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The cleaned copy where there is one, else the original.
    Default,
    /// The original as uploaded (inspectors only).
    Original,
    /// The cleaned image, inline.
    Preview,
}

/// The file `file_id` of `report_id`, when the audience may have it; 404 otherwise.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    file_id: i32,
    reporter: bool,
) -> AppResult<evidence_file::Model> {
    let row = evidence_file::Entity::find_by_id(file_id)
        .one(conn)
        .await?
        .filter(|f| f.report_id == report_id)
        .ok_or(AppError::NotFound)?;
    if reporter && row.visibility != SHARED {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Audits the download, then streams the decrypted bytes.
pub async fn download(
    state: &AppState,
    actor: &Actor,
    row: evidence_file::Model,
    variant: Variant,
) -> AppResult<Download> {
    let (key, media_type, inline) = match variant {
        Variant::Original => (row.object_key.clone(), row.media_type.clone(), false),
        Variant::Default => match &row.cleaned_object_key {
            Some(cleaned) => (cleaned.clone(), row.media_type.clone(), false),
            None => (row.object_key.clone(), row.media_type.clone(), false),
        },
        Variant::Preview => match &row.cleaned_object_key {
            Some(cleaned)
                if Kind::from_media_type(&row.media_type).is_some_and(|k| k.previewable()) =>
            {
                (cleaned.clone(), row.media_type.clone(), true)
            }
            _ => return Err(AppError::NotFound),
        },
    };
    let data_key = data_key(state.db.conn(), state, row.report_id).await?;
    let body = state
        .evidence
        .store
        .open(&key, &data_key)
        .await
        .map_err(AppError::internal)?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor,
            action: match variant {
                Variant::Original => "evidence_original_downloaded",
                Variant::Preview => "evidence_previewed",
                Variant::Default => "evidence_downloaded",
            },
            object_type: "evidence_file",
            object_id: Some(row.id.to_string()),
            details: json!({"case": row.report_id}),
        },
    )
    .await?;
    Ok(Download {
        name: row.display_name,
        media_type,
        inline,
        body,
    })
}

/// A decrypted file on its way out.
pub struct Download {
    name: String,
    media_type: String,
    inline: bool,
    body: BoxStream<'static, std::io::Result<bytes::Bytes>>,
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987).
pub fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_') {
            encoded.push(*byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Nothing in a served file may run, load or frame anything.
pub const FILE_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox";

impl<'r> Responder<'r, 'static> for Download {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let content_type =
            ContentType::parse_flexible(&self.media_type).unwrap_or(ContentType::Binary);
        Response::build()
            .status(Status::Ok)
            .header(content_type)
            .header(Header::new(
                "Content-Disposition",
                content_disposition(&self.name, self.inline),
            ))
            .header(Header::new("Content-Security-Policy", FILE_CSP))
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .streamed_body(StreamReader::new(self.body))
            .ok()
    }
}

/// Why staged files were not recorded.
pub enum CommitError {
    /// A concurrent upload to the same report used the room first.
    Over(Refusal),
    Failed(AppError),
}

impl From<AppError> for CommitError {
    fn from(e: AppError) -> Self {
        CommitError::Failed(e)
    }
}

impl From<sea_orm::DbErr> for CommitError {
    fn from(e: sea_orm::DbErr) -> Self {
        CommitError::Failed(e.into())
    }
}

/// Records staged files with their audit entry. Objects are discarded when nothing was
/// committed; if the commit itself fails its outcome is unknown, so they are left for the
/// start-up sweep rather than risk a row without its bytes.
pub async fn commit_files(
    state: &AppState,
    report_id: i32,
    uploader: Uploader,
    visibility: &str,
    received: &Received,
    actor: &Actor,
) -> Result<(), CommitError> {
    let now = state.clock.now();
    let staged: Result<_, CommitError> = async {
        let tx = state.db.begin_write().await?;
        let fits = still_fit(
            &*tx,
            &state.config.evidence,
            report_id,
            uploader,
            &received.files,
        )
        .await?;
        if let Err(refusal) = fits {
            return Err(CommitError::Over(refusal));
        }
        let ids = record(&*tx, report_id, uploader, visibility, &received.files, now).await?;
        crate::platform::audit::record(
            &*tx,
            now,
            crate::platform::audit::Entry {
                actor,
                action: "evidence_uploaded",
                object_type: "case",
                object_id: Some(report_id.to_string()),
                details: json!({"files": ids, "visibility": visibility}),
            },
        )
        .await?;
        Ok(tx)
    }
    .await;
    let tx = match staged {
        Ok(tx) => tx,
        Err(error) => {
            upload::discard(&state.evidence.store, &received.files).await;
            return Err(error);
        }
    };
    tx.commit().await?;
    Ok(())
}
