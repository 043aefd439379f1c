//! What every upload form says about files: the accepted types, the limits, and a refused
//! upload's message and status, the same for reporters and staff.

use rocket::http::Status;
use serde::Serialize;

use crate::domain::evidence::content::{Kind, Refusal};
use crate::platform::config::EvidenceSettings;
use crate::platform::evidence::upload::UploadError;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// The allowed types as people know them, for messages and forms.
pub fn allowed_types() -> &'static str {
    "JPEG, PNG, WebP, HEIC, PDF, MP3, M4A, OGG, MP4, DOCX, XLSX"
}

/// The message for a failed upload, naming the file, the limits and the allowed types.
pub fn upload_error_text(lang: Lang, error: &UploadError, settings: &EvidenceSettings) -> String {
    match error {
        UploadError::Refused { name, refusal } => lang.t_args(
            refusal.message_key(),
            &[
                ("name", name.clone()),
                ("types", allowed_types().to_string()),
                ("file_mb", settings.max_file_mb.to_string()),
                ("files", settings.max_files.to_string()),
                ("report_mb", settings.max_report_mb.to_string()),
            ],
        ),
        UploadError::Malformed => lang.t("evidence-error-malformed"),
        UploadError::Store(_) => lang.t("evidence-error-store"),
    }
}

/// 413 for anything over a limit, 415 for a refused type, 422 otherwise; 500 for the store.
pub fn upload_error_status(error: &UploadError) -> Status {
    match error {
        UploadError::Refused { refusal, .. } => match refusal {
            Refusal::TooLarge | Refusal::TooMany | Refusal::ReportFull => Status::PayloadTooLarge,
            Refusal::NotAllowed | Refusal::NameMismatch | Refusal::ActiveContent => {
                Status::UnsupportedMediaType
            }
            Refusal::Damaged | Refusal::Empty => Status::UnprocessableEntity,
            Refusal::Budget => Status::TooManyRequests,
        },
        UploadError::Malformed => Status::BadRequest,
        UploadError::Store(_) => Status::InternalServerError,
    }
}

/// The evidence limits as the upload forms state them.
pub fn evidence_limits(state: &AppState, lang: Lang) -> String {
    let settings = &state.config.evidence;
    lang.t_args(
        "evidence-limits",
        &[
            ("file_mb", settings.max_file_mb.to_string()),
            ("files", settings.max_files.to_string()),
            ("report_mb", settings.max_report_mb.to_string()),
        ],
    )
}

/// What the upload forms tell people before they choose files.
#[derive(Debug, Clone, Serialize)]
pub struct UploadNotes {
    pub limits: String,
    pub types: &'static str,
    /// The file chooser's `accept` list.
    pub accept: String,
}

/// The notes for the reader's language.
pub fn upload_notes(state: &AppState, lang: Lang) -> UploadNotes {
    // HEIC is left out on purpose: offered a list without it, iPhones send their photos as
    // JPEG, which every browser previews. A HEIC file chosen anyway is taken and cleaned.
    let accept = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Heic)
        .flat_map(|k| k.extensions().iter().map(|e| format!(".{e}")))
        .collect::<Vec<_>>()
        .join(",");
    UploadNotes {
        limits: evidence_limits(state, lang),
        types: allowed_types(),
        accept,
    }
}

pub fn store_failure(error: &UploadError) {
    if let UploadError::Store(e) = error {
        tracing::error!(error = %e, "storing evidence failed");
    }
}
