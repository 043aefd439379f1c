//! Receiving a reporter's files: with a new report (streamed into the encrypted store under the
//! new report's data key before anything is committed) and from the follow-up page (committed
//! to the report as shared evidence). Used by `routes` (`POST /report`) and `files`
//! (`POST /follow-up/files`). Invariant: a refused upload leaves nothing committed; the
//! per-address budget and the report's allowance are checked while streaming.

use rocket::data::Data;
use rocket::http::{ContentType, Status};

use crate::case_management::evidence::{self, commit_files, CommitError, Uploader, SHARED};
use crate::platform::audit::Actor;
use crate::platform::config::EvidenceSettings;
use crate::platform::crypto::SecretKey32;
use crate::platform::evidence::upload::{self, Received, UploadError};
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::upload::{store_failure, upload_error_status, upload_error_text};

/// Receives the multipart report form: its text fields and its files, encrypted under
/// `data_key` (a report not yet stored has the allowance of an empty report).
pub async fn receive_with_report(
    state: &AppState,
    address: &str,
    content_type: &ContentType,
    data: Data<'_>,
    data_key: &SecretKey32,
) -> AppResult<Received> {
    let allowance = evidence::allowance(
        state.db.conn(),
        &state.config.evidence,
        None,
        Uploader::Reporter,
    )
    .await?;
    Ok(receive(state, address, content_type, data, data_key, allowance).await)
}

async fn receive(
    state: &AppState,
    address: &str,
    content_type: &ContentType,
    data: Data<'_>,
    data_key: &SecretKey32,
    allowance: upload::Allowance,
) -> Received {
    upload::receive_anonymous(
        &state.evidence,
        address,
        state.clock.now(),
        content_type,
        data,
        data_key,
        allowance,
        "files",
    )
    .await
}

/// Why files from the follow-up page were not added.
pub enum FilesRefused {
    /// The upload itself was refused or failed.
    Upload(UploadError),
    /// The form came without any file.
    NoneChosen,
}

impl FilesRefused {
    /// The status of the page shown again.
    pub fn status(&self) -> Status {
        match self {
            FilesRefused::Upload(error) => upload_error_status(error),
            FilesRefused::NoneChosen => Status::UnprocessableEntity,
        }
    }

    /// The message in the reader's language.
    pub fn text(&self, lang: Lang, settings: &EvidenceSettings) -> String {
        match self {
            FilesRefused::Upload(error) => upload_error_text(lang, error, settings),
            FilesRefused::NoneChosen => lang.t("evidence-error-none"),
        }
    }
}

/// Adds the files of the follow-up form to the report, shared with the inspectors.
pub async fn add_follow_up_files(
    state: &AppState,
    report_id: i32,
    address: &str,
    content_type: &ContentType,
    data: Data<'_>,
) -> AppResult<Result<(), FilesRefused>> {
    let conn = state.db.conn();
    let data_key = evidence::data_key(conn, state, report_id).await?;
    let allowance = evidence::allowance(
        conn,
        &state.config.evidence,
        Some(report_id),
        Uploader::Reporter,
    )
    .await?;
    let mut received = receive(state, address, content_type, data, &data_key, allowance).await;
    if let Some(error) = received.error.take() {
        store_failure(&error);
        return Ok(Err(FilesRefused::Upload(error)));
    }
    if received.files.is_empty() {
        return Ok(Err(FilesRefused::NoneChosen));
    }
    let reporter = Actor::Claimed("reporter".into());
    match commit_files(
        state,
        report_id,
        Uploader::Reporter,
        SHARED,
        &received,
        &reporter,
    )
    .await
    {
        Ok(()) => Ok(Ok(())),
        Err(CommitError::Failed(error)) => Err(error),
        // A concurrent upload to the same report used the room first.
        Err(CommitError::Over(refusal)) => Ok(Err(FilesRefused::Upload(UploadError::Refused {
            name: String::new(),
            refusal,
        }))),
    }
}
