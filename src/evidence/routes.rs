//! Handlers of evidence files: reporters add files from the follow-up page and fetch what is
//! theirs; investigators attach files (shared with the reporter or internal) and fetch every
//! file of a case they may see. Anything else is 404.

use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use serde_json::json;

use super::content::{Kind, Refusal};
use super::service::{self, Download, Uploader, Variant, INTERNAL, SHARED};
use super::upload::{self, Received, UploadError};
use crate::app::AppState;
use crate::audit::Actor;
use crate::auth::Authorized;
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::Investigators;
use crate::config::EvidenceSettings;
use crate::domain::report::limits;
use crate::error::{AppError, AppResult};
use crate::public_reporting::routes::ReporterSession;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::throttle::ThrottleKey;

pub fn routes() -> Vec<Route> {
    routes![
        reporter_upload,
        reporter_upload_without_session,
        reporter_download,
        reporter_preview,
        staff_upload,
        staff_download,
        staff_original,
        staff_preview,
    ]
}

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
pub fn upload_notes(state: &AppState, lang: Lang) -> serde_json::Value {
    json!({
        "limits": evidence_limits(state, lang),
        "types": allowed_types(),
        // HEIC is left out on purpose: offered a list without it, iPhones send their photos as
        // JPEG, which every browser previews. A HEIC file chosen anyway is taken and cleaned.
        "accept": Kind::ALL.iter().filter(|k| **k != Kind::Heic).flat_map(|k| k.extensions().iter().map(|e| format!(".{e}"))).collect::<Vec<_>>().join(","),
    })
}

fn store_failure(error: &UploadError) {
    if let UploadError::Store(e) = error {
        tracing::error!(error = %e, "storing evidence failed");
    }
}

#[post("/follow-up/files", format = "multipart/form-data", data = "<data>")]
async fn reporter_upload(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    address: ThrottleKey,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let report_id = session.report_id;
    let conn = state.db.conn();
    let data_key = service::data_key(conn, state, report_id)
        .await
        .map_err(AppResultPage::Error)?;
    let allowance = service::allowance(
        conn,
        &state.config.evidence,
        Some(report_id),
        Uploader::Reporter,
    )
    .await
    .map_err(AppResultPage::Error)?;
    let received = upload::receive_anonymous(
        &state.evidence,
        &address.0,
        state.clock.now(),
        content_type,
        data,
        &data_key,
        allowance,
        "files",
    )
    .await;
    let failure = match (&received.error, received.files.is_empty()) {
        (Some(error), _) => Some((
            upload_error_status(error),
            upload_error_text(page.lang, error, &state.config.evidence),
        )),
        (None, true) => Some((
            Status::UnprocessableEntity,
            page.lang.t("evidence-error-none"),
        )),
        (None, false) => None,
    };
    if let Some((status, message)) = failure {
        if let Some(error) = &received.error {
            store_failure(error);
        }
        return Err(status_page_with_error(state, &page, report_id, status, message).await);
    }
    let committed = commit_files(
        state,
        report_id,
        Uploader::Reporter,
        SHARED,
        &received,
        &Actor::Claimed("reporter".into()),
    )
    .await;
    match committed {
        Ok(()) => {}
        Err(CommitError::Failed(error)) => return Err(AppResultPage::Error(error)),
        Err(CommitError::Over(refusal)) => {
            let error = UploadError::Refused {
                name: String::new(),
                refusal,
            };
            let message = upload_error_text(page.lang, &error, &state.config.evidence);
            return Err(status_page_with_error(
                state,
                &page,
                report_id,
                upload_error_status(&error),
                message,
            )
            .await);
        }
    }
    Ok(Flash::success(
        Redirect::to("/follow-up/status#files"),
        "flash-files-added",
    ))
}

async fn status_page_with_error(
    state: &AppState,
    page: &PageCtx,
    report_id: i32,
    status: Status,
    message: String,
) -> AppResultPage {
    match crate::public_reporting::service::status_view(state, report_id, page.lang).await {
        Ok(view) => AppResultPage::Page(page.render_status(
            status,
            "public/status",
            json!({
                "report": view,
                "reply": "",
                "reply_error": null,
                "reply_max": limits::REPLY_MAX,
                "file_error": message,
                "uploads": upload_notes(state, page.lang),
            }),
        )),
        Err(error) => AppResultPage::Error(error),
    }
}

/// Why staged files were not recorded.
enum CommitError {
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
async fn commit_files(
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
        let fits = service::still_fit(
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
        let ids =
            service::record(&*tx, report_id, uploader, visibility, &received.files, now).await?;
        crate::audit::record(
            &*tx,
            now,
            crate::audit::Entry {
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

#[post("/follow-up/files", rank = 2)]
fn reporter_upload_without_session() -> Flash<Redirect> {
    Flash::warning(Redirect::to("/follow-up"), "flash-follow-up-expired")
}

#[get("/follow-up/files/<file_id>")]
async fn reporter_download(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: i32,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Default,
    )
    .await
}

#[get("/follow-up/files/<file_id>/preview")]
async fn reporter_preview(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: i32,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Preview,
    )
    .await
}

#[post("/cases/<id>/files", format = "multipart/form-data", data = "<data>")]
async fn staff_upload(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone())
        .await
        .map_err(AppResultPage::Error)?;
    load_case(conn, &viewer, id)
        .await
        .map_err(AppResultPage::Error)?;
    let data_key = service::data_key(conn, state, id)
        .await
        .map_err(AppResultPage::Error)?;
    let uploader = Uploader::Staff(user.user.id);
    let allowance = service::allowance(conn, &state.config.evidence, Some(id), uploader)
        .await
        .map_err(AppResultPage::Error)?;
    let received = upload::receive(
        &state.evidence,
        content_type,
        data,
        &data_key,
        allowance,
        "files",
    )
    .await;
    let target = format!("/cases/{id}#files");
    let refused = |error: &UploadError| {
        let text = upload_error_text(page.lang, error, &state.config.evidence);
        AppResultPage::Page(page.render_status(
            upload_error_status(error),
            "errors/upload",
            json!({"message": text, "back": target}),
        ))
    };
    if let Some(error) = &received.error {
        store_failure(error);
        return Err(refused(error));
    }
    if received.files.is_empty() {
        return Ok(Flash::warning(Redirect::to(target), "evidence-error-none"));
    }
    let visibility = match received.field("visibility") {
        Some(SHARED) => SHARED,
        _ => INTERNAL,
    };
    match commit_files(state, id, uploader, visibility, &received, &user.actor()).await {
        Ok(()) => Ok(Flash::success(Redirect::to(target), "flash-files-added")),
        Err(CommitError::Failed(error)) => Err(AppResultPage::Error(error)),
        Err(CommitError::Over(refusal)) => Err(refused(&UploadError::Refused {
            name: String::new(),
            refusal,
        })),
    }
}

async fn staff_file(
    state: &AppState,
    user: &Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<crate::persistence::entities::evidence_file::Model> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone()).await?;
    load_case(conn, &viewer, id).await?;
    service::find(conn, id, file_id, false).await
}

#[get("/cases/<id>/files/<file_id>")]
async fn staff_download(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Default).await
}

#[get("/cases/<id>/files/<file_id>/original")]
async fn staff_original(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Original).await
}

#[get("/cases/<id>/files/<file_id>/preview")]
async fn staff_preview(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Preview).await
}
